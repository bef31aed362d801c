#include <gtest/gtest.h>

#include <cmath>

#include "gui_fixture.h"

namespace mailscope::gui {
namespace {

using testing::demo_run;
using testing::find_message;
using testing::node_named;

TEST(ViewModel, StartsAtTheFirstStepWithEverythingVisible) {
  ViewModel vm(demo_run());
  EXPECT_EQ(vm.step(), 0u);
  EXPECT_EQ(vm.step_count(), vm.trace().size());
  EXPECT_EQ(vm.current_event(), 0u);
  EXPECT_FALSE(vm.playing());
  EXPECT_DOUBLE_EQ(vm.step_progress(), 1.0);
}

TEST(ViewModel, StepsStayWithinBounds) {
  ViewModel vm(demo_run());
  vm.step_back();  // at the first step: nowhere to go
  EXPECT_EQ(vm.step(), 0u);
  vm.step_forward();
  vm.step_forward();
  EXPECT_EQ(vm.step(), 2u);
  vm.end();
  EXPECT_EQ(vm.step(), vm.step_count() - 1);
  vm.step_forward();  // at the last step: stays
  EXPECT_EQ(vm.step(), vm.step_count() - 1);
  vm.home();
  EXPECT_EQ(vm.step(), 0u);
  vm.seek_step(1'000'000);  // past the end clamps to the last step
  EXPECT_EQ(vm.step(), vm.step_count() - 1);
}

TEST(ViewModel, MovingTheCursorRestartsTheAnimationAndClearsThePickedEvent) {
  ViewModel vm(demo_run());
  vm.select_event(5);
  EXPECT_EQ(vm.selected_event(), 5u);
  const auto revision = vm.revision();
  vm.step_forward();
  EXPECT_EQ(vm.selected_event(), vm.current_event());
  EXPECT_DOUBLE_EQ(vm.step_progress(), 0.0);
  EXPECT_GT(vm.revision(), revision);
}

TEST(ViewModel, SeeksByTime) {
  ViewModel vm(demo_run());
  const Trace& trace = vm.trace();
  struct Case {
    TimeNs t;
    const char* why;
  };
  for (const Case& c : {Case{0, "the start"}, Case{50 * kMillisecond, "inside the submission"},
                        Case{kSecond, "between phases"}, Case{kDay, "after the end"}}) {
    vm.seek_time(c.t);
    const EventId e = vm.current_event();
    EXPECT_LE(trace.event(e).time, std::max(c.t, trace.event(0).time)) << c.why;
    // The last event at or before t: the next one is later than t.
    if (e + 1 < trace.size()) {
      EXPECT_GT(trace.event(e + 1).time, c.t) << c.why;
    }
  }
}

TEST(ViewModel, PhaseJumpsVisitTheFourChaptersInOrder) {
  ViewModel vm(demo_run());
  const auto phases = vm.index().phases();
  ASSERT_EQ(phases.size(), 5u);
  const PhaseKind expected[] = {PhaseKind::Dns, PhaseKind::Submission, PhaseKind::Dns,
                                PhaseKind::Relay, PhaseKind::Retrieval};
  for (std::size_t i = 0; i < phases.size(); ++i)
    EXPECT_EQ(phases[i].kind, expected[i]) << i;
  EXPECT_EQ(phases[1].label, "SMTP submission: alice-pc → smtp.outlook.com");
  EXPECT_EQ(phases[3].label, "SMTP relay: smtp.outlook.com → mx.gmail.com");
  EXPECT_EQ(phases[4].label, "Retrieval (POP3): bob-pc → mx.gmail.com");

  for (std::size_t i = 1; i < phases.size(); ++i) {
    ASSERT_TRUE(vm.step_phase(Direction::Forward));
    EXPECT_EQ(vm.current_event(), phases[i].first);
    EXPECT_EQ(vm.current_phase(), i);
  }
  EXPECT_FALSE(vm.step_phase(Direction::Forward));  // in the last phase
  vm.step_forward();
  vm.step_forward();
  ASSERT_TRUE(vm.step_phase(Direction::Backward));  // inside a phase: back to its start
  EXPECT_EQ(vm.current_event(), phases[4].first);
  ASSERT_TRUE(vm.step_phase(Direction::Backward));  // at a start: the previous phase
  EXPECT_EQ(vm.current_event(), phases[3].first);
  vm.home();
  EXPECT_FALSE(vm.step_phase(Direction::Backward));  // the very first step
}

TEST(ViewModel, PhasesPartitionTheTrace) {
  ViewModel vm(demo_run());
  const auto phases = vm.index().phases();
  EXPECT_EQ(phases.front().first, 0u);
  EXPECT_EQ(phases.back().last, vm.trace().size() - 1);
  for (std::size_t i = 1; i < phases.size(); ++i)
    EXPECT_EQ(phases[i].first, phases[i - 1].last + 1) << i;
}

TEST(ViewModel, MessageJumpsGoFromOneApplicationMessageToTheNext) {
  ViewModel vm(demo_run());
  const auto messages = vm.index().messages();
  ASSERT_GE(messages.size(), 30u);
  ASSERT_TRUE(vm.step_message(Direction::Forward));
  EXPECT_EQ(vm.current_event(), messages[0]);
  ASSERT_TRUE(vm.step_message(Direction::Forward));
  EXPECT_EQ(vm.current_event(), messages[1]);
  vm.step_forward();  // somewhere inside message 1's packets
  ASSERT_TRUE(vm.step_message(Direction::Backward));
  EXPECT_EQ(vm.current_event(), messages[1]);  // back to the start of the current message
  ASSERT_TRUE(vm.step_message(Direction::Backward));
  EXPECT_EQ(vm.current_event(), messages[0]);
  vm.seek_event(messages.back());
  EXPECT_FALSE(vm.step_message(Direction::Forward));
  EXPECT_EQ(vm.current_message(), messages.back());
}

TEST(ViewModel, FiltersKeepOnlyTheChosenLayersAndProtocols) {
  ViewModel vm(demo_run());
  vm.set_filter(Filter::messages_only());
  ASSERT_GT(vm.step_count(), 0u);
  for (EventId e : vm.visible_events())
    EXPECT_EQ(vm.trace().event(e).layer, Layer::Application) << e;

  Filter dns_only;
  dns_only.protocols = bit(Protocol::Dns);
  vm.set_filter(dns_only);
  for (EventId e : vm.visible_events()) {
    const Protocol p = vm.index().protocol(e);
    EXPECT_TRUE(p == Protocol::Dns || p == Protocol::None) << e;  // narration always passes
  }
  // ARP frames are ARP even when a DNS query caused them.
  Filter arp_only;
  arp_only.protocols = bit(Protocol::Arp);
  arp_only.layers = bit(Layer::Link);
  vm.set_filter(arp_only);
  ASSERT_GT(vm.step_count(), 0u);
  for (EventId e : vm.visible_events()) {
    const auto frame = vm.trace().prefix(vm.trace().data_ref(vm.trace().event(e)));
    ASSERT_GE(frame.size(), 14u);
    EXPECT_EQ(frame[12], 0x08);
    EXPECT_EQ(frame[13], 0x06);
  }
  Filter nothing;
  nothing.layers = 0;
  vm.set_filter(nothing);
  EXPECT_EQ(vm.step_count(), 0u);
  EXPECT_EQ(vm.current_event(), kNoEvent);
  vm.step_forward();  // nothing visible: every move is a no-op
  EXPECT_FALSE(vm.step_phase(Direction::Forward));
  EXPECT_FALSE(vm.step_layer(Direction::Forward));
}

TEST(ViewModel, ChangingTheFilterKeepsTheCurrentEventWhenItStaysVisible) {
  ViewModel vm(demo_run());
  const EventId ehlo = find_message(vm.trace(), "EHLO alice-pc");
  ASSERT_NE(ehlo, kNoEvent);
  vm.seek_event(ehlo);
  vm.set_filter(Filter::messages_only());
  EXPECT_EQ(vm.current_event(), ehlo);
  vm.step_forward();  // the next message, no packets in between
  EXPECT_EQ(vm.trace().event(vm.current_event()).layer, Layer::Application);
  // Hiding L7 moves to the last visible event before the current one.
  const EventId cur = vm.current_event();
  Filter no_l7;
  no_l7.layers = Filter::kAllLayers & ~bit(Layer::Application);
  vm.set_filter(no_l7);
  EXPECT_LT(vm.current_event(), cur);
}

TEST(ViewModel, LayerStepsFollowOnePduDownTheStackAcrossTheWireAndBack) {
  ViewModel vm(demo_run());
  const Trace& trace = vm.trace();
  const EventId ehlo = find_message(trace, "EHLO alice-pc");
  vm.seek_event(ehlo);
  const NodeId alice = node_named(trace, "alice-pc");
  const Layer down[] = {Layer::Transport, Layer::Network, Layer::Link, Layer::Physical};
  for (Layer expected : down) {
    ASSERT_TRUE(vm.step_layer(Direction::Forward));
    const TraceEvent& e = trace.event(vm.current_event());
    EXPECT_EQ(e.layer, expected);
    EXPECT_EQ(e.kind, EventKind::Send);
    EXPECT_EQ(e.node, alice);
  }
  ASSERT_TRUE(vm.step_layer(Direction::Forward));  // across the cable to the switch
  const TraceEvent& arrived = trace.event(vm.current_event());
  EXPECT_EQ(arrived.layer, Layer::Physical);
  EXPECT_EQ(arrived.kind, EventKind::Receive);
  EXPECT_EQ(arrived.node, node_named(trace, "lan-outlook"));
  ASSERT_TRUE(vm.step_layer(Direction::Backward));
  EXPECT_EQ(trace.event(vm.current_event()).node, alice);
  EXPECT_EQ(trace.event(vm.current_event()).layer, Layer::Physical);
  // Keep following: the PDU ends in smtp.outlook.com's TCP.
  for (int i = 0; i < 20 && trace.event(vm.current_event()).layer != Layer::Transport; ++i)
    vm.step_layer(Direction::Forward);
  const TraceEvent& end = trace.event(vm.current_event());
  EXPECT_EQ(end.layer, Layer::Transport);
  EXPECT_EQ(end.kind, EventKind::Receive);
  EXPECT_EQ(end.node, node_named(trace, "smtp.outlook.com"));
}

TEST(ViewModel, JourneyOfAMessageRunsFromSenderToAddressee) {
  ViewModel vm(demo_run());
  const Trace& trace = vm.trace();
  const EventId data = find_message(trace, "From: Alice");
  ASSERT_NE(data, kNoEvent);
  const Journey j = vm.index().journey(data);
  EXPECT_EQ(j.origin, data);
  EXPECT_EQ(j.sender, node_named(trace, "alice-pc"));
  EXPECT_EQ(j.destination, node_named(trace, "smtp.outlook.com"));
  // Any event of the journey leads back to the same origin.
  for (EventId e : j.events)
    EXPECT_EQ(vm.index().journey(e).origin, data) << e;
  // The relay crosses both routers: its journey has a forward at each.
  const EventId relay = find_message(trace, "EHLO smtp.outlook.com");
  const Journey r = vm.index().journey(relay);
  int forwards = 0;
  for (EventId e : r.events)
    forwards += trace.event(e).layer == Layer::Network && trace.event(e).kind == EventKind::Forward;
  EXPECT_EQ(forwards, 2);
  EXPECT_EQ(r.destination, node_named(trace, "mx.gmail.com"));
}

TEST(ViewModel, PlaybackAdvancesOneStepPerStepDuration) {
  ViewModel vm(demo_run());
  vm.home();  // the first step's animation starts again
  vm.set_playing(true);
  EXPECT_TRUE(vm.playing());
  const double first = ViewModel::step_duration_s(vm.trace().event(vm.current_event()));
  vm.tick(first * 0.5);  // the current step's animation is still running
  EXPECT_EQ(vm.step(), 0u);
  vm.tick(first * 0.5);  // its end: on to the next step
  EXPECT_EQ(vm.step(), 1u);
  vm.set_speed(2.0);
  const double second = ViewModel::step_duration_s(vm.trace().event(vm.current_event()));
  vm.tick(second / 2.0);  // twice as fast
  EXPECT_EQ(vm.step(), 2u);
  vm.set_playing(false);
  vm.tick(100.0);  // paused: the animation ends but the cursor stays
  EXPECT_EQ(vm.step(), 2u);
  EXPECT_DOUBLE_EQ(vm.step_progress(), 1.0);
}

TEST(ViewModel, PlaybackStopsAtTheEndAndPlayRestartsFromTheBeginning) {
  ViewModel vm(demo_run());
  vm.seek_step(vm.step_count() - 2);
  vm.set_playing(true);
  vm.tick(60.0);
  EXPECT_EQ(vm.step(), vm.step_count() - 1);
  EXPECT_FALSE(vm.playing());
  vm.set_playing(true);
  EXPECT_EQ(vm.step(), 0u);
}

TEST(ViewModel, SpeedIsClamped) {
  ViewModel vm(demo_run());
  struct Case {
    double in, out;
  };
  for (const Case& c :
       {Case{0.0, 0.1}, Case{0.05, 0.1}, Case{3.0, 3.0}, Case{11.0, 10.0}, Case{1e9, 10.0}}) {
    vm.set_speed(c.in);
    EXPECT_DOUBLE_EQ(vm.speed(), c.out) << c.in;
  }
  vm.set_speed(std::nan(""));  // ignored
  EXPECT_DOUBLE_EQ(vm.speed(), 10.0);
}

TEST(ViewModel, CommandsDoWhatTheirNamesSay) {
  ViewModel vm(demo_run());
  vm.execute(Command::StepForward);
  EXPECT_EQ(vm.step(), 1u);
  vm.execute(Command::StepBack);
  EXPECT_EQ(vm.step(), 0u);
  vm.execute(Command::End);
  EXPECT_EQ(vm.step(), vm.step_count() - 1);
  vm.execute(Command::Home);
  EXPECT_EQ(vm.step(), 0u);
  vm.execute(Command::PhaseNext);
  EXPECT_EQ(vm.current_phase(), 1u);
  vm.execute(Command::MessageNext);
  EXPECT_EQ(vm.trace().event(vm.current_event()).layer, Layer::Application);
  vm.execute(Command::PlayPause);
  EXPECT_TRUE(vm.playing());
  vm.execute(Command::PlayPause);
  EXPECT_FALSE(vm.playing());
  EXPECT_EQ(to_string(Command::PhaseNext), "next phase");
}

}  // namespace
}  // namespace mailscope::gui
