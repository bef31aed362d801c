// Compare mode's view-model: phase alignment, the synchroniser (by phase, by time, with filters
// and phase jumps) and the run statistics of the differences table.

#include <gtest/gtest.h>

#include "gui/core/compare.h"
#include "gui_fixture.h"

namespace mailscope::gui {
namespace {

using testing::demo_run;
using testing::same_domain_run;

std::vector<PhaseKind> kinds(const ViewModel& vm) {
  std::vector<PhaseKind> out;
  for (const Phase& p : vm.index().phases())
    out.push_back(p.kind);
  return out;
}

Phase phase(PhaseKind kind) {
  Phase p;
  p.kind = kind;
  return p;
}

TEST(Compare, TheTwoDemosTellTheStoriesCompareModeContrasts) {
  ViewModel cross(demo_run());
  ViewModel same(same_domain_run());
  using K = PhaseKind;
  EXPECT_EQ(kinds(cross), (std::vector<K>{K::Dns, K::Submission, K::Dns, K::Relay, K::Retrieval}));
  // Local delivery: no MX lookup, no relay.
  EXPECT_EQ(kinds(same), (std::vector<K>{K::Dns, K::Submission, K::Retrieval}));
  EXPECT_NE(testing::node_named(same.trace(), "carol-pc"), kNoNode);
  EXPECT_NE(testing::find_message(same.trace(), "RCPT TO:<carol@outlook.com>"), kNoEvent);
  EXPECT_EQ(testing::find_message(same.trace(), "EHLO smtp.outlook.com"), kNoEvent);  // no relay
}

TEST(Compare, PhasesAreAlignedByTheLongestCommonSequenceOfKinds) {
  using K = PhaseKind;
  struct Case {
    std::vector<K> left, right;
    std::vector<std::optional<std::size_t>> expected;
  };
  const std::vector<Case> cases = {
      // cross-domain against same-domain: the MX lookup and the relay have no counterpart
      {{K::Dns, K::Submission, K::Dns, K::Relay, K::Retrieval},
       {K::Dns, K::Submission, K::Retrieval},
       {0, 1, std::nullopt, std::nullopt, 2}},
      // the other way round: every phase has one
      {{K::Dns, K::Submission, K::Retrieval},
       {K::Dns, K::Submission, K::Dns, K::Relay, K::Retrieval},
       {0, 1, 4}},
      // identical lists pair one to one
      {{K::Dns, K::Relay}, {K::Dns, K::Relay}, {0, 1}},
      // nothing in common
      {{K::Relay}, {K::Dns}, {std::nullopt}},
      // an empty right run
      {{K::Dns, K::Other}, {}, {std::nullopt, std::nullopt}},
      // an empty left run
      {{}, {K::Dns}, {}},
  };
  for (const Case& c : cases) {
    std::vector<Phase> l, r;
    for (K k : c.left)
      l.push_back(phase(k));
    for (K k : c.right)
      r.push_back(phase(k));
    EXPECT_EQ(align_phases(l, r), c.expected);
  }
}

TEST(Compare, GreedyAlignmentForVeryLongPhaseLists) {
  // Past kAlignPhasesMax phases the quadratic table is not built: each left phase takes the next
  // right phase of its kind.
  std::vector<Phase> l(kAlignPhasesMax + 1, phase(PhaseKind::Dns));
  std::vector<Phase> r = {phase(PhaseKind::Relay), phase(PhaseKind::Dns), phase(PhaseKind::Dns)};
  const auto a = align_phases(l, r);
  ASSERT_EQ(a.size(), l.size());
  EXPECT_EQ(a[0], 1u);
  EXPECT_EQ(a[1], 2u);
  EXPECT_EQ(a[2], std::nullopt);
}

TEST(Compare, ByPhaseTheRightRunShowsTheSameChapter) {
  ViewModel cross(demo_run());
  ViewModel same(same_domain_run());
  CompareSync sync(cross, same);
  EXPECT_EQ(same.step(), 0u);  // both start at the beginning
  const auto cp = cross.index().phases();
  const auto sp = same.index().phases();

  // The start of each phase of the left maps to the start of its counterpart.
  cross.seek_event(cp[1].first);  // submission
  sync.follow();
  EXPECT_EQ(same.current_phase(), 1u);
  EXPECT_EQ(same.current_event(), sp[1].first);
  EXPECT_FALSE(sync.right_waiting());

  // Halfway through submission on the left is about halfway through it on the right.
  const std::size_t l0 = cross.step_at_or_after(cp[1].first);
  const std::size_t l1 = cross.step_at_or_after(cp[1].last + 1);
  cross.seek_step((l0 + l1) / 2);
  sync.follow();
  const std::size_t r0 = same.step_at_or_after(sp[1].first);
  const std::size_t r1 = same.step_at_or_after(sp[1].last + 1);
  EXPECT_EQ(same.current_phase(), 1u);
  EXPECT_NEAR(static_cast<double>(same.step() - r0) / static_cast<double>(r1 - r0 - 1), 0.5, 0.02);
  // The last step of the phase maps to the last step of its counterpart.
  cross.seek_step(l1 - 1);
  sync.follow();
  EXPECT_EQ(same.step(), r1 - 1);

  // The relay has no counterpart: the right waits at the last step of its submission.
  cross.seek_event(cp[3].first + 5);
  sync.follow();
  EXPECT_TRUE(sync.right_waiting());
  EXPECT_EQ(same.step(), r1 - 1);

  // Retrieval again has one.
  cross.seek_event(cp[4].first);
  sync.follow();
  EXPECT_FALSE(sync.right_waiting());
  EXPECT_EQ(same.current_event(), sp[2].first);

  // The last step maps to the last step.
  cross.end();
  sync.follow();
  EXPECT_EQ(same.step(), same.step_count() - 1);
  sync.home();
  EXPECT_EQ(cross.step(), 0u);
  EXPECT_EQ(same.step(), 0u);
}

TEST(Compare, PhaseJumpsStepBothRunsChapterByChapter) {
  ViewModel cross(demo_run());
  ViewModel same(same_domain_run());
  CompareSync sync(cross, same);
  std::vector<std::optional<std::size_t>> right_phases;
  std::vector<bool> waiting;
  do {
    sync.follow();
    right_phases.push_back(same.current_phase());
    waiting.push_back(sync.right_waiting());
  } while (cross.step_phase(Direction::Forward));
  EXPECT_EQ(right_phases, (std::vector<std::optional<std::size_t>>{0, 1, 1, 1, 2}));
  EXPECT_EQ(waiting, (std::vector<bool>{false, false, true, true, false}));
  // And back.
  ASSERT_TRUE(cross.step_phase(Direction::Backward));  // from retrieval back to the relay
  sync.follow();
  EXPECT_EQ(cross.current_phase(), 3u);
  EXPECT_EQ(same.current_phase(), 1u);
}

TEST(Compare, ByTimeTheRightRunShowsTheSameVirtualMoment) {
  ViewModel cross(demo_run());
  ViewModel same(same_domain_run());
  CompareSync sync(cross, same, SyncMode::ByTime);
  for (std::size_t step : {std::size_t{0}, std::size_t{150}, std::size_t{400}, std::size_t{700},
                           cross.step_count() - 1}) {
    cross.seek_step(step);
    sync.follow();
    const TimeNs t = cross.trace().event(cross.current_event()).time;
    // The right's step is the last one at or before t.
    EXPECT_LE(same.trace().event(same.current_event()).time, t) << step;
    if (same.step() + 1 < same.step_count()) {
      EXPECT_GT(same.trace().event(same.visible_events()[same.step() + 1]).time, t) << step;
    }
  }
  // Switching mode re-synchronises at once.
  cross.seek_event(cross.index().phases()[3].first);
  sync.follow();
  sync.set_mode(SyncMode::ByPhase);
  EXPECT_TRUE(sync.right_waiting());
}

TEST(Compare, TheFilterIsShared) {
  ViewModel cross(demo_run());
  ViewModel same(same_domain_run());
  CompareSync sync(cross, same);
  cross.set_filter(Filter::messages_only());
  sync.follow();
  EXPECT_EQ(same.filter(), Filter::messages_only());
  for (EventId e : same.visible_events())
    ASSERT_EQ(same.trace().event(e).layer, Layer::Application);
  // Phase sync still works on the filtered steps.
  cross.seek_step(cross.step_at_or_after(cross.index().phases()[4].first));
  sync.follow();
  EXPECT_EQ(same.current_phase(), 2u);
  // A filter hiding everything leaves the right untouched and does not crash.
  cross.set_filter(Filter{0, 0});
  sync.follow();
  EXPECT_EQ(same.step_count(), 0u);
  cross.set_filter(Filter::everything());
  sync.follow();
  EXPECT_EQ(same.step_count(), same.trace().size());
}

TEST(Compare, StatisticsCountWhatDiffers) {
  ViewModel cross(demo_run());
  ViewModel same(same_domain_run());
  const RunStatsIndex cs(cross.index());
  const RunStatsIndex ss(same.index());
  const RunStats c = cs.total();
  const RunStats s = ss.total();
  // Cross-domain: dns, smtp.outlook.com and mx.gmail.com serve; same-domain: dns and smtp only.
  EXPECT_EQ(c[Metric::Servers], 3u);
  EXPECT_EQ(s[Metric::Servers], 2u);
  EXPECT_EQ(c[Metric::DnsLookups], 2u);  // smtp.outlook.com's A, gmail.com's MX
  EXPECT_EQ(s[Metric::DnsLookups], 1u);
  EXPECT_GT(c[Metric::RouterHops], 0u);   // relay and retrieval cross both routers
  EXPECT_EQ(s[Metric::RouterHops], 0u);   // everything stays on lan-outlook
  EXPECT_EQ(c[Metric::TlsSessions], 0u);  // the demos run without TLS
  EXPECT_GT(c[Metric::Frames], s[Metric::Frames]);
  EXPECT_GT(c[Metric::Messages], s[Metric::Messages]);
  EXPECT_EQ(c[Metric::ElapsedNs],
            static_cast<std::uint64_t>(
                cross.trace().event(static_cast<EventId>(cross.trace().size() - 1)).time));
  // Prefixes: nothing before the first event, monotonic, the total at the end.
  EXPECT_EQ(cs.at(kNoEvent)[Metric::Frames], 0u);
  std::uint64_t last = 0;
  for (EventId e = 0; e < cross.trace().size(); e += 17) {
    const std::uint64_t f = cs.at(e)[Metric::Frames];
    EXPECT_GE(f, last);
    last = f;
  }
  EXPECT_EQ(cs.at(static_cast<EventId>(cross.trace().size() - 1))[Metric::Frames],
            c[Metric::Frames]);
  EXPECT_EQ(to_string(Metric::DnsLookups), "DNS lookups");
}

}  // namespace
}  // namespace mailscope::gui
