#pragma once
// Session: what the window shows — one run, or two side by side in compare mode — and the
// outcome of the last attempt to open something. Opening never destroys what is on screen
// unless it worked: a bad scenario file leaves the current run and sets the error dialog.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gui/core/compare.h"
#include "gui/core/recent_files.h"
#include "gui/core/run_source.h"
#include "gui/core/view_model.h"

namespace mailscope::gui {

// The modal dialog shown after a failed open: a title, the file, and every problem in it.
struct ErrorDialog {
  std::string title;               // "Cannot open greylisting.json"
  std::string summary;             // the Error: "the scenario has 2 problems"
  std::vector<std::string> lines;  // "file:line:column: /path: message", one per problem
};

// One opened run and the view-model over it.
struct OpenRun {
  std::unique_ptr<LoadedRun> run;
  std::unique_ptr<ViewModel> vm;         // points into *run: destroyed first
  std::unique_ptr<RunStatsIndex> stats;  // made on demand (compare mode)
  std::string spec;                      // what was opened ("demo", a path)
};

class Session {
 public:
  Session() = default;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();

  // Loads `source` as the main run (leaving compare mode). On failure the current run stays
  // and error() says why; returns whether it worked.
  bool open(RunSource& source, const std::string& spec);
  // Loads `source` as the right-hand run of compare mode, synchronised to the main run.
  bool open_compare(RunSource& source, const std::string& spec, SyncMode mode = SyncMode::ByPhase);
  void close_compare();
  // Advances playback by `seconds` of wall time; in compare mode the right run follows and its
  // animation advances too.
  void tick(double seconds);

  bool has_run() const { return m_main.vm != nullptr; }
  ViewModel& vm() { return *m_main.vm; }  // requires has_run()
  const OpenRun& main_run() const { return m_main; }
  bool comparing() const { return m_sync != nullptr; }
  ViewModel& compare_vm() { return *m_other.vm; }  // requires comparing()
  const OpenRun& compare_run() const { return m_other; }
  CompareSync& sync() { return *m_sync; }  // requires comparing()
  // Statistics of each side, made the first time they are asked for.
  const RunStatsIndex& stats_main();
  const RunStatsIndex& stats_compare();  // requires comparing()

  // While the run to show is being opened on another thread (first_run.h): what is happening,
  // for the window to say ("Simulating cross-domain…"); empty otherwise. Such a session has no
  // run yet and is replaced, not filled in, when the run is ready.
  const std::string& preparing() const { return m_preparing; }
  void set_preparing(std::string status) { m_preparing = std::move(status); }

  const std::optional<ErrorDialog>& error() const { return m_error; }
  void dismiss_error() { m_error.reset(); }
  // Shows `error` in the dialog (for failures outside open(), such as an export).
  void show_error(std::string title, const Error& error, std::vector<std::string> lines = {});

  RecentFiles& recent() { return m_recent; }
  // Where recent() is saved after each successful open of a file; none: not saved.
  void set_recent_file(std::optional<std::filesystem::path> file) {
    m_recent_file = std::move(file);
  }

 private:
  Result<OpenRun> load(RunSource& source, const std::string& spec);
  void remember(const std::string& spec);

  OpenRun m_main;
  OpenRun m_other;                      // the right-hand run in compare mode
  std::unique_ptr<CompareSync> m_sync;  // set exactly when comparing; refers to both vms
  std::optional<ErrorDialog> m_error;
  RecentFiles m_recent;
  std::optional<std::filesystem::path> m_recent_file;
  std::string m_preparing;  // empty unless this session stands in for one being opened
};

}  // namespace mailscope::gui
