#include "gui/core/playback.h"

#include <algorithm>

namespace mailscope::gui {

void Playback::set_speed(double speed) {
  // NaN compares false both ways; keep the old speed then.
  if (!(speed == speed)) return;
  m_speed = std::clamp(speed, kSpeedMin, kSpeedMax);
}

void Playback::start_step(double duration_s) {
  m_duration_s = duration_s > 0.01 ? duration_s : 0.01;
  m_progress = 0.0;
}

double Playback::advance(double seconds) {
  if (!(seconds > 0)) return 0;
  const double length_s = m_duration_s / m_speed;
  const double remaining_s = (1.0 - m_progress) * length_s;
  if (seconds < remaining_s) {
    m_progress += seconds / length_s;
    if (m_progress > 1.0) m_progress = 1.0;
    return 0;
  }
  m_progress = 1.0;
  return seconds - remaining_s;
}

}  // namespace mailscope::gui
