#include "gui/panels/dialogs.h"

#include <algorithm>
#include <array>

namespace mailscope::gui {

namespace {

constexpr const char* kOpenTitle = "Open scenario file";
constexpr const char* kBrowserTitle = "Scenario browser";
constexpr const char* kExportTitle = "Export";
constexpr const char* kErrorTitle = "Cannot open###error";
constexpr std::size_t kNameBytesMax = 1024;

void centre_next(ImVec2 size) {
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  ImGui::SetNextWindowPos(ImVec2(display.x / 2, display.y / 2), ImGuiCond_Appearing,
                          ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(
      ImVec2(std::min(size.x, display.x - 20), std::min(size.y, display.y - 20)),
      ImGuiCond_Appearing);
}

// A text field over a std::string, at most kNameBytesMax bytes.
bool input_string(const char* label, std::string& value) {
  value.resize(std::max(value.size(), kNameBytesMax) + 1, '\0');
  const bool changed = ImGui::InputText(label, value.data(), value.size());
  value.resize(std::char_traits<char>::length(value.c_str()));
  return changed;
}

std::filesystem::path start_directory() {
  std::error_code ec;
  const auto cwd = std::filesystem::current_path(ec);
  return ec ? std::filesystem::path("/") : cwd;
}

}  // namespace

void Dialogs::show_open() {
  m_pending = Pending::Open;
}

void Dialogs::show_browser(bool compare) {
  m_browser_compare = compare;
  m_pending = Pending::Browser;
}

void Dialogs::show_export(ExportKind kind, const RunMetadata& metadata) {
  m_export_kind = kind;
  m_export_run = metadata;
  m_export_default_name = default_export_name(kind, metadata);
  m_name_edit = m_export_default_name;
  m_pending = Pending::Export;
}

DialogRequest Dialogs::draw(Session* session) {
  // Popups are opened here, at the root of the ID stack, so that the BeginPopupModal calls below
  // find them whichever menu asked.
  switch (m_pending) {
    case Pending::Open:
      if (!m_open_browser) {
        const auto dir = m_ui.scenario_dir.empty() ? start_directory() : m_ui.scenario_dir;
        m_open_browser.emplace(dir, ".json");
      }
      ImGui::OpenPopup(kOpenTitle);
      break;
    case Pending::Browser:
      if (!m_catalog) m_catalog = load_catalog(m_ui.scenario_dir);
      ImGui::OpenPopup(kBrowserTitle);
      break;
    case Pending::Export:
      if (!m_export_browser) m_export_browser.emplace(start_directory(), "");
      ImGui::OpenPopup(kExportTitle);
      break;
    case Pending::None:
      break;
  }
  m_pending = Pending::None;
  DialogRequest request;
  m_shown = Shown::None;
  if (ImGui::IsPopupOpen(kOpenTitle)) {
    m_shown = Shown::Open;
    request = draw_open();
  }
  if (ImGui::IsPopupOpen(kBrowserTitle)) {
    m_shown = Shown::Browser;
    request = draw_browser();
  }
  if (ImGui::IsPopupOpen(kExportTitle)) {
    m_shown = Shown::Export;
    request = draw_export();
  }
  if (session != nullptr && session->error()) {
    m_shown = Shown::Error;
    draw_error(*session);
  }
  return request;
}

bool Dialogs::draw_listing(FileBrowser& browser, float height) {
  const DirectoryListing& listing = browser.listing();
  if (ImGui::Button("⬆ Up")) browser.up();
  ImGui::SameLine();
  ImGui::TextUnformatted(listing.directory.string().c_str());
  if (!browser.error().empty())
    ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%s", browser.error().c_str());
  bool picked = false;
  ImGui::BeginChild("##listing", ImVec2(0, height), true);
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(listing.entries.size()));
  std::optional<std::size_t> clicked;
  bool double_clicked = false;
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const DirectoryEntry& e = listing.entries[static_cast<std::size_t>(i)];
      const bool dir = e.kind == DirectoryEntry::Kind::Directory;
      ImGui::PushID(i);
      const bool selected = !dir && browser.file_name() == e.name;
      if (ImGui::Selectable(
              dir ? "▸" : " ", selected,
              ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowDoubleClick)) {
        clicked = static_cast<std::size_t>(i);
        double_clicked = ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left);
      }
      ImGui::SameLine();
      ImGui::TextUnformatted(e.name.c_str());
      if (!dir) {
        ImGui::SameLine(ImGui::GetContentRegionMax().x - 110.0f * m_ui.scale);
        ImGui::TextDisabled("%ju bytes", e.size_bytes);
      }
      ImGui::PopID();
    }
  }
  clipper.End();
  if (listing.truncated)
    ImGui::TextDisabled("(only the first %zu entries)", listing.entries.size());
  ImGui::EndChild();
  // Acted on after the loop: navigating replaces the listing being drawn.
  if (clicked) {
    const bool is_file = browser.choose(*clicked);
    picked = is_file && double_clicked;
  }
  return picked;
}

DialogRequest Dialogs::draw_open() {
  DialogRequest request;
  centre_next(ImVec2(720 * m_ui.scale, 520 * m_ui.scale));
  if (!ImGui::BeginPopupModal(kOpenTitle, nullptr, ImGuiWindowFlags_NoSavedSettings))
    return request;
  FileBrowser& browser = *m_open_browser;
  const float footer = ImGui::GetFrameHeightWithSpacing() * 3;
  bool go = draw_listing(browser, std::max(100.0f, ImGui::GetContentRegionAvail().y - footer));
  ImGui::SetNextItemWidth(-80.0f * m_ui.scale);
  if (input_string("File", browser.file_name()) &&
      ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter)))
    go = true;
  if (ImGui::Button("Open", ImVec2(100 * m_ui.scale, 0))) go = true;
  ImGui::SameLine();
  if (ImGui::Button("Cancel", ImVec2(100 * m_ui.scale, 0)) ||
      ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false))
    ImGui::CloseCurrentPopup();
  if (go && !browser.selected_path().empty()) {
    request.kind = DialogRequest::Kind::Open;
    request.spec = browser.selected_path().string();
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
  return request;
}

DialogRequest Dialogs::draw_browser() {
  DialogRequest request;
  centre_next(ImVec2(900 * m_ui.scale, 560 * m_ui.scale));
  if (!ImGui::BeginPopupModal(kBrowserTitle, nullptr, ImGuiWindowFlags_NoSavedSettings))
    return request;
  const Catalog& catalog = *m_catalog;
  ImGui::TextWrapped(m_browser_compare
                         ? "Choose the run to show beside the open one."
                         : "The built-in demos and the lessons bundled with MailScope. "
                           "Double-click one to open it.");
  if (!scenario_runs_available()) {
    ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.4f, 1.0f),
                       "This build runs the built-in demos only; lesson files are checked but "
                       "not run (the World is not part of it yet).");
  }
  const float footer = ImGui::GetFrameHeightWithSpacing() * (catalog.broken.empty() ? 1.5f : 4.0f);
  bool go = false;
  if (ImGui::BeginTable("##lessons", 3,
                        ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                            ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable,
                        ImVec2(0, std::max(120.0f, ImGui::GetContentRegionAvail().y - footer)))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Title", ImGuiTableColumnFlags_WidthStretch, 0.38f);
    ImGui::TableSetupColumn("Level", ImGuiTableColumnFlags_WidthFixed, 100 * m_ui.scale);
    ImGui::TableSetupColumn("Description", ImGuiTableColumnFlags_WidthStretch, 0.62f);
    ImGui::TableHeadersRow();
    for (std::size_t i = 0; i < catalog.entries.size(); ++i) {
      const CatalogEntry& e = catalog.entries[i];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::PushID(static_cast<int>(i));
      if (ImGui::Selectable(
              e.title.c_str(), m_catalog_selected == i,
              ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowDoubleClick)) {
        m_catalog_selected = i;
        if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) go = true;
      }
      ImGui::PopID();
      ImGui::TableNextColumn();
      ImGui::TextDisabled("%s", e.level.c_str());
      ImGui::TableNextColumn();
      ImGui::TextWrapped("%s", e.description.c_str());
    }
    ImGui::EndTable();
  }
  if (!catalog.broken.empty()) {
    ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "Lesson files that do not load:");
    for (const std::string& line : catalog.broken)
      ImGui::BulletText("%s", line.c_str());
  }
  if (ImGui::Button(m_browser_compare ? "Compare" : "Open", ImVec2(100 * m_ui.scale, 0))) go = true;
  ImGui::SameLine();
  if (ImGui::Button("Close", ImVec2(100 * m_ui.scale, 0)) ||
      ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false))
    ImGui::CloseCurrentPopup();
  if (go && m_catalog_selected < catalog.entries.size()) {
    request.kind = m_browser_compare ? DialogRequest::Kind::Compare : DialogRequest::Kind::Open;
    request.spec = catalog.entries[m_catalog_selected].spec;
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
  return request;
}

DialogRequest Dialogs::draw_export() {
  DialogRequest request;
  centre_next(ImVec2(760 * m_ui.scale, 540 * m_ui.scale));
  if (!ImGui::BeginPopupModal(kExportTitle, nullptr, ImGuiWindowFlags_NoSavedSettings))
    return request;
  for (int k = 0; k < static_cast<int>(ExportKind::Count); ++k) {
    const auto kind = static_cast<ExportKind>(k);
    if (ImGui::RadioButton(std::string(to_string(kind)).c_str(), m_export_kind == kind)) {
      // Follow the kind with the name while the user has not typed one of their own.
      const bool was_default = m_name_edit == m_export_default_name;
      m_export_kind = kind;
      m_export_default_name = default_export_name(kind, m_export_run);
      if (was_default) m_name_edit = m_export_default_name;
    }
    if (k + 1 < static_cast<int>(ExportKind::Count)) ImGui::SameLine();
  }
  if (m_export_kind == ExportKind::Transcript) {
    bool all = m_export_options.layers == TranscriptLayers::All;
    if (ImGui::Checkbox("every layer under each message", &all))
      m_export_options.layers = all ? TranscriptLayers::All : TranscriptLayers::Dialogue;
    ImGui::SameLine();
  }
  if (m_export_kind == ExportKind::Transcript || m_export_kind == ExportKind::HtmlReport) {
    bool show = m_export_options.credentials == ExportCredentials::Show;
    if (ImGui::Checkbox("write passwords as sent", &show))
      m_export_options.credentials = show ? ExportCredentials::Show : ExportCredentials::Mask;
  }
  if (m_export_kind == ExportKind::Pcap)
    ImGui::TextDisabled("With TLS in the run, the key log is written beside it (.keys).");
  FileBrowser& browser = *m_export_browser;
  const float footer = ImGui::GetFrameHeightWithSpacing() * 3;
  (void)draw_listing(browser, std::max(100.0f, ImGui::GetContentRegionAvail().y - footer));
  // Picking an existing file in the listing offers its name (to overwrite it).
  if (browser.file_name() != m_last_pick) {
    m_last_pick = browser.file_name();
    if (!m_last_pick.empty()) m_name_edit = m_last_pick;
  }
  ImGui::SetNextItemWidth(-80.0f * m_ui.scale);
  input_string("File", m_name_edit);
  bool go = ImGui::Button("Export", ImVec2(100 * m_ui.scale, 0));
  ImGui::SameLine();
  if (ImGui::Button("Cancel", ImVec2(100 * m_ui.scale, 0)) ||
      ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false))
    ImGui::CloseCurrentPopup();
  if (go && !m_name_edit.empty()) {
    request.kind = DialogRequest::Kind::Export;
    request.export_kind = m_export_kind;
    const std::filesystem::path typed(m_name_edit);
    request.path = typed.is_absolute() ? typed : browser.listing().directory / typed;
    request.options = m_export_options;
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
  return request;
}

void Dialogs::draw_error(Session& session) {
  if (session.error() && !ImGui::IsPopupOpen(kErrorTitle)) ImGui::OpenPopup(kErrorTitle);
  if (!session.error()) return;
  const ErrorDialog& error = *session.error();
  centre_next(ImVec2(820 * m_ui.scale, 0));
  const std::string title = error.title + "###error";
  if (!ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_NoSavedSettings)) return;
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.55f, 0.5f, 1.0f));
  ImGui::TextWrapped("%s", error.summary.c_str());
  ImGui::PopStyleColor();
  if (!error.lines.empty()) {
    const float line_h = ImGui::GetTextLineHeightWithSpacing();
    const float h =
        std::min(line_h * static_cast<float>(error.lines.size() + 1), 300.0f * m_ui.scale);
    ImGui::BeginChild("##problems", ImVec2(0, h), true, ImGuiWindowFlags_HorizontalScrollbar);
    ImGui::PushFont(m_ui.fonts.mono);
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(error.lines.size()));
    while (clipper.Step()) {
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i)
        ImGui::TextUnformatted(error.lines[static_cast<std::size_t>(i)].c_str());
    }
    clipper.End();
    ImGui::PopFont();
    ImGui::EndChild();
  }
  ImGui::TextDisabled("Nothing was changed: the run on screen stays.");
  if (ImGui::Button("Copy", ImVec2(100 * m_ui.scale, 0))) {
    std::string text = error.summary + "\n";
    for (const std::string& line : error.lines)
      text += line + "\n";
    ImGui::SetClipboardText(text.c_str());
  }
  ImGui::SameLine();
  if (ImGui::Button("OK", ImVec2(100 * m_ui.scale, 0)) ||
      ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false) ||
      ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false)) {
    session.dismiss_error();
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

}  // namespace mailscope::gui
