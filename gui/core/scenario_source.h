#pragma once
// Runs from scenario files, and what the scenario browser lists.
//
// ScenarioRunSource loads a lesson file with the scenario loader (sim/scenario/loader.h), whose
// diagnostics ("file:line:column: /json/pointer: message") the GUI shows in its error dialog,
// builds its World (sim/world/world.h), runs it to the end and keeps the trace, the topology
// (with the scenario's mail domains as labelled regions), the metadata and the TLS key log.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gui/core/run_source.h"

namespace mailscope::gui {

// True when this build can run scenario files (the World is linked in).
bool scenario_runs_available();

class ScenarioRunSource final : public RunSource {
 public:
  explicit ScenarioRunSource(std::filesystem::path file, std::optional<std::uint64_t> seed = {})
      : m_file(std::move(file)), m_seed(seed) {}
  std::string name() const override { return m_file.filename().string(); }
  Result<LoadedRun> load() override;
  std::vector<std::string> diagnostics() const override { return m_diagnostics; }
  const std::filesystem::path& file() const { return m_file; }

 private:
  std::filesystem::path m_file;
  std::optional<std::uint64_t> m_seed;
  std::vector<std::string> m_diagnostics;  // of the last load()
};

// One line of the scenario browser.
struct CatalogEntry {
  std::string spec;  // what make_source() takes: "demo", a lesson id, a path
  std::string title;
  std::string level;  // "beginner", "intermediate", "advanced", "built-in"
  std::string description;
  enum class Origin : std::uint8_t { BuiltIn, Bundled } origin = Origin::Bundled;
};

struct Catalog {
  std::vector<CatalogEntry> entries;  // built-in demos first, then the bundled lessons by level
  // Lesson files in the folder that do not load: "file:line:column: ..." of their first problem.
  std::vector<std::string> broken;
};

// The built-in demos and every lesson in `scenario_dir`.
Catalog load_catalog(const std::filesystem::path& scenario_dir);

// The source for `spec`: "demo" or "demo-same-domain" (the built-in runs), a bundled lesson id
// looked up in `scenario_dir`, or a path to a .json file. An unknown name is an error.
Result<std::unique_ptr<RunSource>> make_source(std::string_view spec,
                                               const std::filesystem::path& scenario_dir,
                                               std::uint64_t seed);

// True when `spec` names a file rather than a built-in run or a bundled id (for recent files).
bool is_file_spec(std::string_view spec);

}  // namespace mailscope::gui
