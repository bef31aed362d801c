// Every bundled lesson builds, runs to the end of its timeline and meets its own expectations.

#include <gtest/gtest.h>

#include <string>

#include "scenario/loader.h"
#include "world/expectations.h"
#include "world/world.h"

namespace mailscope::world {
namespace {

class BundledScenario : public ::testing::TestWithParam<std::string> {};

TEST_P(BundledScenario, MeetsItsExpectations) {
  const auto path = scenario::find_scenario(GetParam());
  ASSERT_TRUE(path.has_value());
  const auto loaded = scenario::load_scenario_file(*path);
  ASSERT_TRUE(loaded.ok()) << loaded.error_text();
  auto built = World::build(loaded.scenario());
  ASSERT_TRUE(built.ok()) << built.error().to_string();
  World& world = **built;
  const RunReport report = world.run();
  EXPECT_GE(report.timeline_done_ns, 0) << "the timeline did not finish";
  for (const ExpectationResult& result : check_expectations(world))
    EXPECT_TRUE(result.passed) << result.description << ": " << result.observed;
}

INSTANTIATE_TEST_SUITE_P(Lessons, BundledScenario,
                         ::testing::Values("dns-hierarchy", "large-attachment", "lossy-wan",
                                           "open-relay", "submission-starttls", "why-tls-matters"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name)
                             if (c == '-') c = '_';
                           return name;
                         });

}  // namespace
}  // namespace mailscope::world
