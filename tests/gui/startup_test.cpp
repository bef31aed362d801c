// Start-up helpers of the window: the back-buffer check made on the first swap, and the phase
// trace printed by --startup-trace. Times are given explicitly, so nothing here depends on the
// clock.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "gui/core/startup_trace.h"
#include "gui/panels/frame_layers.h"

namespace mailscope::gui {
namespace {

constexpr Rgba kBackground{20, 23, 28, 255};  // the window's clear colour

TEST(BackBufferCheck, DecidesOnTheFirstObservationOnly) {
  struct Case {
    const char* what;
    Rgba before, after;
    BackBuffer verdict;
  };
  const Case cases[] = {
      // drisw copies the back buffer to the window and keeps it.
      {"kept", kBackground, kBackground, BackBuffer::Preserved},
      // A flipping driver hands over a buffer never drawn into: black, or anything else.
      {"flipped to black", kBackground, Rgba{0, 0, 0, 255}, BackBuffer::Undefined},
      {"flipped to garbage", kBackground, Rgba{20, 23, 29, 255}, BackBuffer::Undefined},
      // Alpha differs only: not the same pixel, so not known to be kept.
      {"alpha differs", kBackground, Rgba{20, 23, 28, 0}, BackBuffer::Undefined},
      // A black pixel may be what a fresh buffer holds: it proves nothing.
      {"black before and after", Rgba{0, 0, 0, 255}, Rgba{0, 0, 0, 255}, BackBuffer::Undefined},
      {"black with no alpha", Rgba{}, Rgba{}, BackBuffer::Undefined},
      // One channel lit is not black.
      {"dark blue kept", Rgba{0, 0, 1, 255}, Rgba{0, 0, 1, 255}, BackBuffer::Preserved},
  };
  for (const Case& c : cases) {
    BackBufferCheck check;
    EXPECT_TRUE(check.pending()) << c.what;
    EXPECT_EQ(check.verdict(), BackBuffer::Undefined) << c.what;
    check.observe(c.before, c.after);
    EXPECT_FALSE(check.pending()) << c.what;
    EXPECT_EQ(check.verdict(), c.verdict) << c.what;
    // Later swaps may show an older buffer that holds the same picture: they are not evidence,
    // and the verdict does not change either way.
    check.observe(kBackground, kBackground);
    check.observe(kBackground, Rgba{});
    EXPECT_EQ(check.verdict(), c.verdict) << c.what;
  }
}

using Clock = StartupTrace::Clock;

Clock::time_point at_ms(Clock::time_point origin, int ms) {
  return origin + std::chrono::milliseconds(ms);
}

TEST(StartupTrace, MarksAreSortedAndTimedPerLane) {
  const Clock::time_point launched{};
  StartupTrace trace(launched, StartupTrace::Recording::On);
  EXPECT_TRUE(trace.enabled());
  // Arriving out of order, as marks from several threads may.
  trace.mark(Lane::Main, "glfwInit", at_ms(launched, 30));
  trace.mark(Lane::Ui, "fonts read", at_ms(launched, 60));
  trace.mark(Lane::Main, "window", at_ms(launched, 280));
  trace.mark(Lane::Run, "run opened", at_ms(launched, 90));
  trace.mark(Lane::Ui, "lessons loaded", at_ms(launched, 95));
  const std::vector<StartupMark> marks = trace.marks();
  ASSERT_EQ(marks.size(), 5u);
  EXPECT_EQ(marks[0].phase, "glfwInit");
  EXPECT_EQ(marks[1].phase, "fonts read");
  EXPECT_EQ(marks[2].phase, "run opened");
  EXPECT_EQ(marks[3].phase, "lessons loaded");
  EXPECT_EQ(marks[4].phase, "window");
  EXPECT_DOUBLE_EQ(marks[4].at_ms, 280.0);
  // The second figure is the time since the same lane's previous mark (or since launch).
  EXPECT_EQ(format_startup_trace(marks),
            "    30.0 ms     +30.0  main  glfwInit\n"
            "    60.0 ms     +60.0  ui    fonts read\n"
            "    90.0 ms     +90.0  run   run opened\n"
            "    95.0 ms     +35.0  ui    lessons loaded\n"
            "   280.0 ms    +250.0  main  window\n");
}

TEST(StartupTrace, TimeBeforeMainIsAFirstLineWhenKnown) {
  const std::vector<StartupMark> marks = {{Lane::Main, "options parsed", 1.5}};
  EXPECT_EQ(format_startup_trace(marks, 21.25),
            "     0.0 ms     +21.2  main  process start to main()\n"
            "     1.5 ms      +1.5  main  options parsed\n");
  // Unknown (0 or less): no such line.
  EXPECT_EQ(format_startup_trace(marks, 0), "     1.5 ms      +1.5  main  options parsed\n");
  EXPECT_EQ(format_startup_trace({}, -1), "");
}

TEST(StartupTrace, OffRecordsNothing) {
  StartupTrace trace(Clock::now(), StartupTrace::Recording::Off);
  EXPECT_FALSE(trace.enabled());
  trace.mark(Lane::Main, "glfwInit");
  EXPECT_TRUE(trace.marks().empty());
  EXPECT_EQ(trace.dropped(), 0u);
}

TEST(StartupTrace, KeepsAtMostTheBoundAndCountsTheRest) {
  const Clock::time_point launched{};
  StartupTrace trace(launched, StartupTrace::Recording::On);
  for (std::size_t i = 0; i < StartupTrace::kMarksMax + 3; ++i)
    trace.mark(Lane::Main, "frame " + std::to_string(i), at_ms(launched, static_cast<int>(i)));
  const std::vector<StartupMark> marks = trace.marks();
  ASSERT_EQ(marks.size(), StartupTrace::kMarksMax);
  EXPECT_EQ(marks.back().phase, "frame " + std::to_string(StartupTrace::kMarksMax - 1));
  EXPECT_EQ(trace.dropped(), 3u);
}

TEST(StartupTrace, MarksFromSeveralThreadsAreAllKept) {
  const Clock::time_point launched{};
  StartupTrace trace(launched, StartupTrace::Recording::On);
  // Each thread writes its own lane; the mutex keeps every mark.
  std::thread ui([&] {
    for (int i = 0; i < 10; ++i)
      trace.mark(Lane::Ui, "ui", at_ms(launched, 2 * i + 1));
  });
  std::thread run([&] {
    for (int i = 0; i < 10; ++i)
      trace.mark(Lane::Run, "run", at_ms(launched, 2 * i));
  });
  ui.join();
  run.join();
  const std::vector<StartupMark> marks = trace.marks();
  ASSERT_EQ(marks.size(), 20u);
  for (std::size_t i = 0; i < marks.size(); ++i) {
    EXPECT_DOUBLE_EQ(marks[i].at_ms, static_cast<double>(i));
    EXPECT_EQ(marks[i].lane, i % 2 == 0 ? Lane::Run : Lane::Ui);
  }
}

}  // namespace
}  // namespace mailscope::gui
