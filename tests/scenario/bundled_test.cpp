// Every bundled lesson loads, validates, and is written for a student: it has objectives,
// narration and expectations, and its id is its file name; and
// the page about them (docs/lessons.md) names every one.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "scenario/loader.h"

namespace mailscope::scenario {
namespace {

const std::filesystem::path kDir = std::filesystem::path(MAILSCOPE_SOURCE_DIR) / "scenarios";

TEST(Bundled, EveryLessonLoadsAndTeaches) {
  const ScenarioList list = list_bundled(kDir);
  for (const LoadResult& broken : list.broken)
    ADD_FAILURE() << broken.error_text();
  EXPECT_GE(list.scenarios.size(), 12u);
  for (const ScenarioSummary& summary : list.scenarios) {
    SCOPED_TRACE(summary.id);
    EXPECT_EQ(summary.path.stem().string(), summary.id);
    EXPECT_FALSE(summary.description.empty());
    const LoadResult r = load_scenario_file(summary.path);
    ASSERT_TRUE(r.ok());
    const Scenario& s = r.scenario();
    EXPECT_FALSE(s.meta.objectives.empty());
    EXPECT_FALSE(s.expectations.empty());
    EXPECT_FALSE(s.timeline.empty());
    bool narrated = !s.narration.empty();
    for (const Action& a : s.timeline)
      narrated = narrated || !a.narration.empty();
    EXPECT_TRUE(narrated);
  }
}

TEST(Bundled, TheCourseLessonsArePresent) {
  for (const char* id :
       {"same-domain", "cross-domain", "submission-starttls", "implicit-tls", "why-tls-matters",
        "imap-vs-pop3", "dns-hierarchy", "unknown-recipient", "server-down", "mx-fallback",
        "greylisting", "lossy-wan", "open-relay", "large-attachment", "web-app-notification"}) {
    EXPECT_TRUE(find_scenario(id, kDir).has_value()) << id;
  }
  EXPECT_TRUE(find_scenario(kDefaultScenarioId, kDir).has_value());
}

TEST(Bundled, ListIsOrderedByLevelThenId) {
  const ScenarioList list = list_bundled(kDir);
  ASSERT_FALSE(list.scenarios.empty());
  for (std::size_t i = 1; i < list.scenarios.size(); ++i) {
    const ScenarioSummary& a = list.scenarios[i - 1];
    const ScenarioSummary& b = list.scenarios[i];
    EXPECT_TRUE(a.level < b.level || (a.level == b.level && a.id < b.id));
  }
  EXPECT_EQ(list.scenarios.front().level, Level::Beginner);
}

TEST(Bundled, LessonsPageNamesEveryLesson) {
  std::ifstream in(std::string(MAILSCOPE_SOURCE_DIR) + "/docs/lessons.md");
  ASSERT_TRUE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  const std::string page = text.str();
  const std::regex link("`([a-z0-9-]+)`");
  std::set<std::string> named;
  for (auto it = std::sregex_iterator(page.begin(), page.end(), link); it != std::sregex_iterator();
       ++it) {
    named.insert((*it)[1]);
  }
  std::set<std::string> ids;
  for (const ScenarioSummary& s : list_bundled(kDir).scenarios)
    ids.insert(s.id);
  for (const std::string& id : ids)
    EXPECT_TRUE(named.contains(id)) << id << " is not in lessons.md";
}

TEST(Bundled, AnIdThatIsNotTheFileNameIsBroken) {
  const std::filesystem::path dir =
      std::filesystem::path(testing::TempDir()) / "mailscope-scenario-list";
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(kDir / "same-domain.json", dir / "copy.json",
                             std::filesystem::copy_options::overwrite_existing);
  const ScenarioList list = list_bundled(dir);
  EXPECT_TRUE(list.scenarios.empty());
  ASSERT_EQ(list.broken.size(), 1u);
  EXPECT_EQ(list.broken[0].error_text(),
            (dir / "copy.json").string() +
                ":1:1: /id: the id 'same-domain' differs from the file name 'copy'\n");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace mailscope::scenario
