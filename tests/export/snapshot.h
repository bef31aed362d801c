#pragma once
// Snapshot files: the expected output of an export, kept under tests/export/snapshots/.
// MAILSCOPE_UPDATE_SNAPSHOTS=1 rewrites them from the current output (then review the diff).

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace mailscope::exporter::testing {

inline std::filesystem::path snapshot_path(const std::string& name) {
  return std::filesystem::path(MAILSCOPE_SOURCE_DIR) / "tests" / "export" / "snapshots" / name;
}

inline void expect_snapshot(const std::string& name, const std::string& actual) {
  const auto path = snapshot_path(name);
  const char* update = std::getenv("MAILSCOPE_UPDATE_SNAPSHOTS");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream out(path, std::ios::binary);
    out << actual;
    ASSERT_TRUE(out.good()) << "cannot write " << path;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in.good()) << "missing snapshot " << path
                         << "; run with MAILSCOPE_UPDATE_SNAPSHOTS=1 to create it";
  std::stringstream expected_stream;
  expected_stream << in.rdbuf();
  const std::string expected = expected_stream.str();
  if (expected == actual) return;
  // Name the first line that differs, and leave the whole output where a diff tool can read it.
  std::istringstream e(expected), a(actual);
  std::string el, al;
  int line = 0;
  while (true) {
    ++line;
    const bool more_e = static_cast<bool>(std::getline(e, el));
    const bool more_a = static_cast<bool>(std::getline(a, al));
    if (!more_e && !more_a) break;
    if (more_e != more_a || el != al) break;
  }
  const auto actual_path = std::filesystem::temp_directory_path() / (name + ".actual");
  std::ofstream(actual_path, std::ios::binary) << actual;
  ADD_FAILURE() << "snapshot " << path << " differs at line " << line << "\n  expected: " << el
                << "\n  actual:   " << al << "\nwhole output in " << actual_path
                << "; MAILSCOPE_UPDATE_SNAPSHOTS=1 refreshes the snapshot";
}

}  // namespace mailscope::exporter::testing
