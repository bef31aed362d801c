#include "gui/core/startup_trace.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace mailscope::gui {

StartupTrace::StartupTrace(Clock::time_point launched, Recording recording)
    : m_launched(launched), m_recording(recording) {
  if (enabled()) m_marks.reserve(kMarksMax);
}

void StartupTrace::mark(Lane lane, std::string_view phase, Clock::time_point at) {
  if (!enabled()) return;
  const double at_ms = std::chrono::duration<double, std::milli>(at - m_launched).count();
  const std::lock_guard lock(m_mutex);
  if (m_marks.size() >= kMarksMax) {
    ++m_dropped;
    return;
  }
  m_marks.push_back(StartupMark{lane, std::string(phase), at_ms});
}

std::vector<StartupMark> StartupTrace::marks() const {
  std::vector<StartupMark> copy;
  {
    const std::lock_guard lock(m_mutex);
    copy = m_marks;
  }
  std::stable_sort(copy.begin(), copy.end(),
                   [](const StartupMark& a, const StartupMark& b) { return a.at_ms < b.at_ms; });
  return copy;
}

std::size_t StartupTrace::dropped() const {
  const std::lock_guard lock(m_mutex);
  return m_dropped;
}

std::string_view lane_name(Lane lane) {
  switch (lane) {
    case Lane::Main:
      return "main";
    case Lane::Ui:
      return "ui";
    case Lane::Run:
      return "run";
  }
  return "?";
}

std::string format_startup_trace(const std::vector<StartupMark>& marks, double before_ms) {
  std::string out;
  char line[256];
  if (before_ms > 0) {
    std::snprintf(line, sizeof line, "%8.1f ms  %+8.1f  %-4s  %s\n", 0.0, before_ms, "main",
                  "process start to main()");
    out += line;
  }
  std::array<double, 3> last_ms{};  // per lane: the previous mark, launch before the first
  for (const StartupMark& m : marks) {
    double& last = last_ms[static_cast<std::size_t>(m.lane)];
    std::snprintf(line, sizeof line, "%8.1f ms  %+8.1f  %-4s  %s\n", m.at_ms, m.at_ms - last,
                  std::string(lane_name(m.lane)).c_str(), m.phase.c_str());
    out += line;
    last = m.at_ms;
  }
  return out;
}

}  // namespace mailscope::gui
