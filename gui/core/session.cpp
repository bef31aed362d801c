#include "gui/core/session.h"

#include "gui/core/scenario_source.h"

namespace mailscope::gui {

Session::~Session() {
  // The synchroniser refers to both view-models, which refer to their runs.
  m_sync.reset();
}

Result<OpenRun> Session::load(RunSource& source, const std::string& spec) {
  auto loaded = source.load();
  if (!loaded) {
    show_error("Cannot open " + source.name(), loaded.error(), source.diagnostics());
    return loaded.error();
  }
  if (auto problem = validate_run(*loaded)) {
    show_error("Cannot show " + source.name(), *problem);
    return *problem;
  }
  OpenRun out;
  out.run = std::make_unique<LoadedRun>(std::move(loaded).value());
  out.vm = std::make_unique<ViewModel>(*out.run);
  out.spec = spec;
  return out;
}

void Session::remember(const std::string& spec) {
  if (!is_file_spec(spec)) return;
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(spec, ec);
  m_recent.add(ec ? spec : absolute.string());
  if (m_recent_file) (void)m_recent.save(*m_recent_file);
}

bool Session::open(RunSource& source, const std::string& spec) {
  auto loaded = load(source, spec);
  if (!loaded) return false;
  close_compare();
  m_main = std::move(loaded).value();
  m_error.reset();
  remember(spec);
  return true;
}

bool Session::open_compare(RunSource& source, const std::string& spec, SyncMode mode) {
  if (!has_run()) return false;
  auto loaded = load(source, spec);
  if (!loaded) return false;
  close_compare();
  m_other = std::move(loaded).value();
  m_other.vm->set_filter(m_main.vm->filter());
  m_sync = std::make_unique<CompareSync>(*m_main.vm, *m_other.vm, mode);
  m_error.reset();
  remember(spec);
  return true;
}

void Session::tick(double seconds) {
  if (!has_run()) return;
  m_main.vm->tick(seconds);
  if (!m_sync) return;
  m_sync->follow();
  m_other.vm->tick(seconds);
}

void Session::close_compare() {
  m_sync.reset();
  m_other = OpenRun{};
}

const RunStatsIndex& Session::stats_main() {
  if (!m_main.stats) m_main.stats = std::make_unique<RunStatsIndex>(m_main.vm->index());
  return *m_main.stats;
}

const RunStatsIndex& Session::stats_compare() {
  if (!m_other.stats) m_other.stats = std::make_unique<RunStatsIndex>(m_other.vm->index());
  return *m_other.stats;
}

void Session::show_error(std::string title, const Error& error, std::vector<std::string> lines) {
  ErrorDialog dialog;
  dialog.title = std::move(title);
  dialog.summary = error.where.empty() ? error.what : error.where + ": " + error.what;
  dialog.lines = std::move(lines);
  m_error = std::move(dialog);
}

}  // namespace mailscope::gui
