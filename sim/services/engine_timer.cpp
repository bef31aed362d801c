#include "services/engine_timer.h"

namespace mailscope::services {

void EngineTimer::arm(TimeNs deadline, std::function<void()> fire) {
  if (deadline == m_deadline && m_timer) return;
  cancel();
  if (deadline == kTimeNever) return;
  m_deadline = deadline;
  m_timer = m_sim.schedule_at(deadline, [this, fire = std::move(fire)] {
    m_timer = TimerId{};
    m_deadline = kTimeNever;
    fire();
  });
}

void EngineTimer::cancel() {
  if (m_timer) m_sim.cancel(m_timer);
  m_timer = TimerId{};
  m_deadline = kTimeNever;
}

}  // namespace mailscope::services
