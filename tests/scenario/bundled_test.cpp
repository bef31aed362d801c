// Every bundled lesson loads, validates, and is written for a student: it has narration and
// expectations, and its id is its file name.

#include <gtest/gtest.h>

#include <filesystem>

#include "scenario/loader.h"

namespace mailscope::scenario {
namespace {

const std::filesystem::path kDir = std::filesystem::path(MAILSCOPE_SOURCE_DIR) / "scenarios";

TEST(Bundled, EveryLessonLoads) {
  const ScenarioList list = list_bundled(kDir);
  for (const LoadResult& broken : list.broken) ADD_FAILURE() << broken.error_text();
  EXPECT_GE(list.scenarios.size(), 12u);
}

}  // namespace
}  // namespace mailscope::scenario
