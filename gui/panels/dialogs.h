#pragma once
// The dialogs of the File menu, drawn as ImGui modals over the dashboard:
//   Open scenario     a directory listing of our own (folders and .json files), a file name
//   Scenario browser  the built-in demos and bundled lessons: title, level, description
//   Export            the kind (transcript, JSON, pcap, HTML report, screenshot), where, options
//   Error             a failed open: the summary and every "file:line:column: ..." line
// A dialog only collects what the user chose and returns it as a DialogRequest; the dashboard
// carries it out.

#include <filesystem>
#include <optional>
#include <string>

#include "gui/core/exports.h"
#include "gui/core/file_browser.h"
#include "gui/core/scenario_source.h"
#include "gui/core/session.h"
#include "gui/panels/panel.h"

namespace mailscope::gui {

struct DialogRequest {
  enum class Kind : std::uint8_t { None, Open, Compare, Export } kind = Kind::None;
  std::string spec;  // Open, Compare: what to load
  ExportKind export_kind = ExportKind::Transcript;
  std::filesystem::path path;  // Export: where
  ExportOptions options;
};

class Dialogs {
 public:
  explicit Dialogs(UiShared& ui) : m_ui(ui) {}

  void show_open();
  // `compare`: the browser picks the run to compare with instead of the one to open.
  void show_browser(bool compare = false);
  void show_export(ExportKind kind, const RunMetadata& metadata);
  // Which dialog the last draw() showed (the top one when several are).
  enum class Shown : std::uint8_t { None, Open, Browser, Export, Error };
  Shown shown() const { return m_shown; }
  bool any_open() const { return m_shown != Shown::None; }

  // Draws the open dialog, if any, and `session`'s error dialog (null: none); returns what the
  // user chose this frame.
  DialogRequest draw(Session* session);

  // For tests: the catalog the browser shows (loaded when the browser first opens).
  const Catalog* catalog() const { return m_catalog ? &*m_catalog : nullptr; }

 private:
  DialogRequest draw_open();
  DialogRequest draw_browser();
  DialogRequest draw_export();
  void draw_error(Session& session);
  // The directory list of `browser`; returns true on a double-click on a file.
  bool draw_listing(FileBrowser& browser, float height);

  UiShared& m_ui;
  enum class Pending : std::uint8_t { None, Open, Browser, Export } m_pending = Pending::None;
  std::optional<FileBrowser> m_open_browser;    // made when the open dialog first shows
  std::optional<FileBrowser> m_export_browser;  // made when the export dialog first shows
  std::optional<Catalog> m_catalog;
  std::size_t m_catalog_selected = 0;
  bool m_browser_compare = false;
  Shown m_shown = Shown::None;  // as of the last draw()
  ExportKind m_export_kind = ExportKind::Transcript;
  ExportOptions m_export_options;
  std::string m_export_default_name;
  RunMetadata m_export_run;  // the run being exported, for default file names
  std::string m_name_edit;   // the file name field's buffer
  std::string m_last_pick;   // the export listing's picked file, to notice a new pick
};

}  // namespace mailscope::gui
