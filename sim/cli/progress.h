#pragma once
// A progress bar on standard error for long runs: shown only when standard error is a terminal
// and the run has taken more than a second of wall time. The wall clock is read here, in the
// program's front end, never inside the simulation.

#include <chrono>

#include "core/time.h"

namespace mailscope::cli {

class ProgressBar {
 public:
  ProgressBar();
  ~ProgressBar();  // clears the bar if it was drawn
  void update(TimeNs now, TimeNs end);

 private:
  bool m_terminal;
  bool m_drawn = false;
  std::chrono::steady_clock::time_point m_started;
};

}  // namespace mailscope::cli
