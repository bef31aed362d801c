#pragma once
// Loading scenarios: the functions `mailscope run/validate/list` call.
//
//   auto loaded = scenario::load_scenario_file("scenarios/cross-domain.json");
//   if (!loaded.ok()) { std::cerr << loaded.error_text(); return 2; }
//   const scenario::Scenario& s = loaded.scenario();
//
// Loading runs four stages: JSON with positions (json_value.h), the schema (decode.h), semantic
// checks and automatic choices (resolve.h). Every problem of a stage is reported at once, as
// `file:line:column: /json/pointer: message`, sorted by position; a later stage runs only when
// the earlier ones found nothing, so one mistake does not cascade into many. A scenario with
// any problem yields no Scenario at all.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/diagnostic.h"
#include "scenario/json_value.h"
#include "scenario/scenario.h"

namespace mailscope::scenario {

// The lesson `mailscope run` uses when none is named.
inline constexpr std::string_view kDefaultScenarioId = "cross-domain";

class LoadResult {
 public:
  static LoadResult success(std::string file, Scenario scenario);
  static LoadResult failure(std::string file, std::vector<Diagnostic> diagnostics);

  bool ok() const { return m_scenario.has_value(); }
  explicit operator bool() const { return ok(); }
  const Scenario& scenario() const& { return *m_scenario; }  // requires ok()
  Scenario&& scenario() && { return std::move(*m_scenario); }
  const std::vector<Diagnostic>& diagnostics() const { return m_diagnostics; }
  const std::string& file() const { return m_file; }
  // Every diagnostic, one per line: "file:line:column: /path: message\n".
  std::string error_text() const { return format_diagnostics(m_file, m_diagnostics); }

 private:
  std::string m_file;
  std::optional<Scenario> m_scenario;     // set exactly when there are no diagnostics
  std::vector<Diagnostic> m_diagnostics;  // sorted by position
};

// What a scenario may hold. The defaults fit any lesson a person writes, with room for load tests
// of 10,000 messages; generated benchmarks raise them.
struct LoadLimits {
  JsonLimits json;                      // file size, nesting, string length, number of values
  std::size_t list_items_max = 20'000;  // items in any one list (users, the timeline, ...)
};

// Loads from text; `file_name` is what diagnostics print before the position.
LoadResult load_scenario_text(std::string_view text, std::string_view file_name,
                              const LoadLimits& limits = {});

// Reads and loads a file (at most limits.json.input_bytes_max, 4 MiB by default). A file that
// cannot be read is one diagnostic at 1:1.
LoadResult load_scenario_file(const std::filesystem::path& path, const LoadLimits& limits = {});

// Where the bundled lessons are: the `scenarios/` folder of the source tree this library was
// built from. The CLI may prefer a folder named by the user (e.g. $MAILSCOPE_SCENARIOS).
std::filesystem::path bundled_scenario_dir();

// "cross-domain" (an id, looked up as <dir>/<id>.json) or a path to a .json file. Nullopt if no
// such file exists.
std::optional<std::filesystem::path> find_scenario(
    std::string_view id_or_path, const std::filesystem::path& dir = bundled_scenario_dir());

struct ScenarioSummary {
  std::string id;
  std::string title;
  Level level = Level::Beginner;
  std::string description;
  std::filesystem::path path;
};

struct ScenarioList {
  std::vector<ScenarioSummary> scenarios;  // by level, then id
  // Files in the folder that failed to load, with their diagnostics (so a broken lesson is
  // visible in `mailscope list` rather than silently missing).
  std::vector<LoadResult> broken;
};

// Every *.json in `dir` except schema.json, loaded and validated; a lesson's id must be its
// file name. Lessons are data: dropping a
// file in the folder adds it, no recompilation needed.
ScenarioList list_bundled(const std::filesystem::path& dir = bundled_scenario_dir());

}  // namespace mailscope::scenario
