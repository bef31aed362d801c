// No input crashes the loader: seeded random bytes, and mutations of every bundled lesson
// (bytes flipped, deleted, duplicated, JSON tokens inserted). Every outcome is either a
// Scenario or at least one diagnostic, never both.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/rng.h"
#include "scenario/loader.h"

namespace mailscope::scenario {
namespace {

void expect_consistent(const LoadResult& r) {
  if (r.ok()) {
    EXPECT_TRUE(r.diagnostics().empty());
  } else {
    ASSERT_FALSE(r.diagnostics().empty());
    // Sorted by position.
    for (std::size_t i = 1; i < r.diagnostics().size(); ++i) {
      const SourcePos& a = r.diagnostics()[i - 1].pos;
      const SourcePos& b = r.diagnostics()[i].pos;
      EXPECT_TRUE(a.line < b.line || (a.line == b.line && a.column <= b.column));
    }
  }
}

TEST(Robustness, RandomBytesNeverCrash) {
  Rng rng(20240611);
  for (int i = 0; i < 2000; ++i) {
    std::string text(rng.below(200), '\0');
    for (char& c : text)
      c = static_cast<char>(rng.next_u32());
    // Half the inputs start like a JSON object, to get past the first byte.
    if (i % 2 == 0) text.insert(0, "{\"");
    expect_consistent(load_scenario_text(text, "random.json"));
  }
}

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(Robustness, MutatedLessonsNeverCrash) {
  const std::filesystem::path dir = std::filesystem::path(MAILSCOPE_SOURCE_DIR) / "scenarios";
  const char* tokens[] = {
      "{",  "}",     "[",     "]",           ",",    ":",  "\"", "null",           "0",
      "-1", "1e999", "\"x\"", "\"\\u0000\"", "true", "[]", "{}", "\"10.0.1.0/24\""};
  Rng rng(7);
  int loaded_ok = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().filename() == "schema.json") continue;
    const std::string original = read(entry.path());
    for (int i = 0; i < 150; ++i) {
      std::string text = original;
      const int edits = 1 + static_cast<int>(rng.below(3));
      for (int e = 0; e < edits && !text.empty(); ++e) {
        const std::size_t at = rng.below(text.size());
        switch (rng.below(4)) {
          case 0:  // flip a byte
            text[at] = static_cast<char>(rng.next_u32());
            break;
          case 1:  // delete a run of bytes
            text.erase(at, 1 + rng.below(20));
            break;
          case 2:  // duplicate a run of bytes
            text.insert(at, text.substr(at, 1 + rng.below(40)));
            break;
          default:  // insert a JSON token
            text.insert(at, tokens[rng.below(std::size(tokens))]);
            break;
        }
      }
      const LoadResult r = load_scenario_text(text, "mutated.json");
      expect_consistent(r);
      loaded_ok += r.ok() ? 1 : 0;
    }
  }
  // Some mutations (inside a narration string, say) leave a valid lesson: the loader is not
  // simply rejecting everything.
  EXPECT_GT(loaded_ok, 0);
}

}  // namespace
}  // namespace mailscope::scenario
