#pragma once
// StartupTrace: when each phase of start-up ended, measured from launch, for `mailscope-gui
// --startup-trace`. Start-up runs on more than one thread (the window on the main thread, fonts
// and the first run on workers), so each mark names its lane, and the report gives each phase's
// time since launch and since the previous mark of the same lane.
//
// Marks are cheap and thread-safe; a trace that is not enabled records nothing. The number of
// marks is bounded; the ones past the bound are counted, not kept.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace mailscope::gui {

enum class Lane : std::uint8_t { Main, Ui, Run };

struct StartupMark {
  Lane lane = Lane::Main;
  std::string phase;
  double at_ms = 0;  // since launch
};

class StartupTrace {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kMarksMax = 64;

  enum class Recording : std::uint8_t { Off, On };
  StartupTrace(Clock::time_point launched, Recording recording);

  bool enabled() const { return m_recording == Recording::On; }
  Clock::time_point launched() const { return m_launched; }
  // Records that `phase` of `lane` ended at `at` (now by default).
  void mark(Lane lane, std::string_view phase, Clock::time_point at = Clock::now());
  // A copy of the marks, ordered by time (marks from different threads may arrive out of order).
  std::vector<StartupMark> marks() const;
  std::size_t dropped() const;

 private:
  const Clock::time_point m_launched;
  const Recording m_recording;
  mutable std::mutex m_mutex;
  std::vector<StartupMark> m_marks;  // at most kMarksMax, guarded by m_mutex
  std::size_t m_dropped = 0;         // marks past kMarksMax, guarded by m_mutex
};

// The report: one line per mark, "   123.4 ms  +  12.3  main   window created", where the second
// figure is the time since the lane's previous mark (since launch for its first one). `before_ms`,
// when positive, is how long the process ran before `launched` (loading, static constructors),
// reported as a first line.
std::string format_startup_trace(const std::vector<StartupMark>& marks, double before_ms = 0);

std::string_view lane_name(Lane lane);

}  // namespace mailscope::gui
