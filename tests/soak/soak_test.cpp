// The generator makes valid, seed-determined lessons; and the short soak: a few seeds with a few
// hundred messages and every kind of fault, checked by the invariant checker. The long run is
// bench_soak (docs/reliability.md).

#include <gtest/gtest.h>

#include <string>

#include "scenario/loader.h"
#include "soak/soak.h"

namespace mailscope::soak {
namespace {

SoakSizes short_sizes() {
  SoakSizes sizes;
  sizes.domains = 4;
  sizes.users_per_domain = 3;
  sizes.messages = 150;
  sizes.fault_intensity = 1;
  sizes.message_interval_s = 0.5;
  return sizes;
}

TEST(SoakGenerator, SameSeedSameTextOtherSeedOtherText) {
  const GeneratedSoak a = generate_soak(3, short_sizes());
  const GeneratedSoak b = generate_soak(3, short_sizes());
  const GeneratedSoak c = generate_soak(4, short_sizes());
  EXPECT_EQ(a.json, b.json);
  EXPECT_NE(a.json, c.json);
  ASSERT_EQ(a.messages.size(), 150u);
  EXPECT_EQ(a.messages[17].token, "soak 3 #17");
  EXPECT_EQ(a.messages[17].body.substr(a.messages[17].body.rfind("end of ")),
            "end of soak 3 #17\n");
}

TEST(SoakGenerator, LessonsLoadThroughTheRealLoader) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const GeneratedSoak generated = generate_soak(seed, short_sizes());
    const auto loaded = scenario::load_scenario_text(generated.json, "soak.json");
    ASSERT_TRUE(loaded.ok()) << "seed " << seed << "\n" << loaded.error_text();
    EXPECT_EQ(loaded.scenario().domains.size(), 4u);
    EXPECT_EQ(loaded.scenario().users.size(), 12u);
    EXPECT_GE(generated.duration_ns, generated.faults_end_ns + generated.give_up_max_ns);
    EXPECT_LE(generated.faults.loss_max, 0.30);
  }
}

TEST(SoakGenerator, IntensityZeroMeansNoFaults) {
  SoakSizes sizes = short_sizes();
  sizes.fault_intensity = 0;
  const GeneratedSoak generated = generate_soak(9, sizes);
  EXPECT_EQ(generated.faults.lossy_links, 0u);
  EXPECT_EQ(generated.faults.partitions, 0u);
  EXPECT_EQ(generated.faults.crashes, 0u);
  EXPECT_EQ(generated.faults.dns_outages, 0u);
  EXPECT_EQ(generated.faults.greylisting, 0u);
  EXPECT_EQ(generated.json.find("\"crash\""), std::string::npos);
}

TEST(SoakGenerator, EveryKindOfFaultOverSomeSeeds) {
  SoakFaultPlan total;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const SoakFaultPlan plan = generate_soak(seed, short_sizes()).faults;
    total.lossy_links += plan.lossy_links;
    total.partitions += plan.partitions;
    total.crashes += plan.crashes;
    total.dns_outages += plan.dns_outages;
    total.greylisting += plan.greylisting;
  }
  EXPECT_GT(total.lossy_links, 0u);
  EXPECT_GT(total.partitions, 0u);
  EXPECT_GT(total.crashes, 0u);
  EXPECT_GT(total.dns_outages, 0u);
  EXPECT_GT(total.greylisting, 0u);
}

// The short soak. Each seed must finish clean; over the seeds the faults must really have hit
// (sessions cut by crashes, bounces), or the soak would prove nothing.
TEST(ShortSoak, SeedsRunCleanAndFaultsHit) {
  std::uint32_t checked = 0;
  std::uint32_t cut = 0;
  std::uint32_t crashes = 0;
  for (const std::uint64_t seed : {1, 2, 3}) {
    auto run = run_soak(seed, short_sizes());
    ASSERT_TRUE(run.ok()) << run.error().to_string();
    const SoakCheck& check = run->check;
    for (const Violation& v : check.violations) {
      ADD_FAILURE() << "seed " << seed << ": " << to_string(v.kind) << " " << v.message << " "
                    << v.recipient << ": " << v.detail << "\nrerun with --seed " << seed;
    }
    EXPECT_EQ(check.counts.messages, 150u);
    EXPECT_GT(check.counts.accepted, 100u) << "seed " << seed;
    EXPECT_EQ(check.counts.queue_left, 0u) << "seed " << seed;
    checked += check.counts.recipients_checked;
    cut += check.crashes.sessions_before_dot + check.crashes.sessions_after_dot;
    crashes += check.crashes.crashes;
  }
  EXPECT_GT(checked, 300u);
  EXPECT_GT(crashes, 0u);
  EXPECT_GT(cut, 0u);
}

TEST(ShortSoak, SameSeedSameRun) {
  SoakSizes sizes = short_sizes();
  sizes.messages = 60;
  auto a = run_soak(11, sizes);
  auto b = run_soak(11, sizes);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->trace_digest, b->trace_digest);
  EXPECT_EQ(a->report.end_ns, b->report.end_ns);
  EXPECT_EQ(a->check.counts.delivered, b->check.counts.delivered);
  EXPECT_EQ(a->check.counts.bounced, b->check.counts.bounced);
  EXPECT_EQ(a->check.crashes.sessions_after_dot, b->check.crashes.sessions_after_dot);
}

}  // namespace
}  // namespace mailscope::soak
