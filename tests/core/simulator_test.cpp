#include "core/simulator.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mailscope {
namespace {

TEST(Simulator, RunsEventsInTimeOrder) {
  Simulator sim(1);
  std::vector<int> order;
  sim.schedule_at(30, [&] { order.push_back(3); });
  sim.schedule_at(10, [&] { order.push_back(1); });
  sim.schedule_at(20, [&] { order.push_back(2); });
  EXPECT_EQ(sim.run(), 3u);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(sim.now(), 30);
}

TEST(Simulator, EqualTimesRunInSchedulingOrder) {
  Simulator sim(1);
  std::string order;
  for (char c : std::string("abcdefgh"))
    sim.schedule_at(5, [&order, c] { order += c; });
  sim.run();
  EXPECT_EQ(order, "abcdefgh");
}

TEST(Simulator, ScheduleAfterIsRelativeToNow) {
  Simulator sim(1);
  TimeNs seen = -1;
  sim.schedule_at(100, [&] { sim.schedule_after(50, [&] { seen = sim.now(); }); });
  sim.run();
  EXPECT_EQ(seen, 150);
}

TEST(Simulator, PastTimesRunNow) {
  Simulator sim(1);
  TimeNs seen = -1;
  sim.schedule_at(100, [&] { sim.schedule_at(10, [&] { seen = sim.now(); }); });
  sim.run();
  EXPECT_EQ(seen, 100);
}

TEST(Simulator, CancelledEventsDoNotRun) {
  Simulator sim(1);
  int ran = 0;
  TimerId a = sim.schedule_at(10, [&] { ran += 1; });
  sim.schedule_at(20, [&] { ran += 10; });
  EXPECT_EQ(sim.pending(), 2u);
  EXPECT_TRUE(sim.cancel(a));
  EXPECT_FALSE(sim.cancel(a));  // already cancelled
  EXPECT_EQ(sim.pending(), 1u);
  sim.run();
  EXPECT_EQ(ran, 10);
  EXPECT_EQ(sim.events_run(), 1u);
}

TEST(Simulator, CancelAfterRunAndReusedSlotIsHarmless) {
  Simulator sim(1);
  int ran = 0;
  TimerId a = sim.schedule_at(1, [&] { ++ran; });
  sim.run();
  TimerId b = sim.schedule_at(2, [&] { ran += 100; });  // reuses a's slot
  EXPECT_FALSE(sim.cancel(a));                          // stale id must not cancel b
  sim.run();
  EXPECT_EQ(ran, 101);
  EXPECT_FALSE(sim.cancel(b));
  EXPECT_FALSE(sim.cancel(TimerId{}));
}

TEST(Simulator, RunUntilStopsAtTheLimitAndAdvancesTheClock) {
  Simulator sim(1);
  int ran = 0;
  sim.schedule_at(10, [&] { ++ran; });
  sim.schedule_at(20, [&] { ++ran; });
  sim.schedule_at(21, [&] { ++ran; });
  EXPECT_EQ(sim.run_until(20), 2u);
  EXPECT_EQ(sim.now(), 20);
  EXPECT_EQ(sim.next_event_time(), 21);
  EXPECT_EQ(sim.run_until(1000), 1u);
  EXPECT_EQ(sim.now(), 1000);
  EXPECT_EQ(sim.next_event_time(), kTimeNever);
}

TEST(Simulator, StepRunsOneEvent) {
  Simulator sim(1);
  int ran = 0;
  sim.schedule_at(1, [&] { ++ran; });
  sim.schedule_at(2, [&] { ++ran; });
  EXPECT_TRUE(sim.step());
  EXPECT_EQ(ran, 1);
  EXPECT_TRUE(sim.step());
  EXPECT_FALSE(sim.step());
}

TEST(Simulator, ComponentStreamsDependOnSeedAndName) {
  Simulator a(7), b(7), c(8);
  EXPECT_EQ(a.rng("tcp").next_u64(), b.rng("tcp").next_u64());
  EXPECT_NE(a.rng("tcp").next_u64(), a.rng("link").next_u64());
  EXPECT_NE(a.rng("tcp").next_u64(), c.rng("tcp").next_u64());
}

}  // namespace
}  // namespace mailscope
