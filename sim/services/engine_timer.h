#pragma once
// EngineTimer: drives a sans-I/O engine's deadline() on the Simulator. After each call into the
// engine the owner calls arm(engine.deadline(), ...); the timer keeps at most one pending event,
// moving it when the deadline moves and cancelling it for kTimeNever. Destroying the timer
// cancels the event, so a callback never reaches an owner that has gone.

#include <functional>

#include "core/simulator.h"

namespace mailscope::services {

class EngineTimer {
 public:
  explicit EngineTimer(Simulator& sim) : m_sim(sim) {}
  ~EngineTimer() { cancel(); }
  EngineTimer(const EngineTimer&) = delete;
  EngineTimer& operator=(const EngineTimer&) = delete;

  // Calls fire once at `deadline` (at once if it has passed); kTimeNever disarms.
  void arm(TimeNs deadline, std::function<void()> fire);
  void cancel();
  TimeNs deadline() const { return m_deadline; }

 private:
  Simulator& m_sim;
  TimerId m_timer;
  TimeNs m_deadline = kTimeNever;  // the time of the pending event; kTimeNever when none
};

}  // namespace mailscope::services
