#include "gui/panels/dashboard.h"

#include "gui/core/demo_source.h"
#include "gui/panels/preparing_view.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace mailscope::gui {

namespace {

constexpr std::array<Shortcut, 14> kShortcuts{{
    {"Space", "play / pause"},
    {"→  /  ←", "one step forward / back"},
    {"Shift+→  /  Shift+←", "next / previous phase (DNS, submission, relay, retrieval)"},
    {"↓  /  ↑", "follow the packet one layer / hop further, or back"},
    {"Page Down  /  Page Up", "next / previous application message"},
    {"Home  /  End", "first / last step"},
    {"Ctrl+O", "open a scenario file"},
    {"Ctrl+E", "export the run (transcript, JSON, pcap, HTML report, screenshot)"},
    {"F1", "show or hide this help"},
    {"Mouse wheel (topology)", "zoom"},
    {"Drag (topology)", "pan"},
    {"Double-click (topology)", "fit the network in view"},
    {"Click a conversation line", "jump to that message"},
    {"Click a layer band", "open that layer in the packet inspector"},
}};

bool key_pressed(ImGuiKey key) {
  return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key), true);
}

bool platform_key(int key) {
  return key >= 0 && ImGui::IsKeyPressed(key, false);
}

// The partner of a run in compare mode: cross-domain against same-domain.
std::string partner_of(const std::string& id) {
  if (id == kDemoCrossDomain) return std::string(kDemoSameDomain);
  if (id == kDemoSameDomain) return std::string(kDemoCrossDomain);
  if (id == "cross-domain") return "same-domain";
  if (id == "same-domain") return "cross-domain";
  return {};
}

}  // namespace

std::span<const Shortcut> shortcuts() {
  return kShortcuts;
}

DashboardLayout layout_dashboard(ImVec2 display, float menu_height, float timeline_height) {
  const float w = std::max(display.x, 320.0f);
  const float h = std::max(display.y, 240.0f);
  const float main_top = menu_height;
  const float main_h = std::max(h - menu_height - timeline_height, 120.0f);
  const float left_w = std::floor(w * 0.61f);
  const float right_w = w - left_w;
  const float top_h = std::floor(main_h * 0.58f);
  const float bottom_h = main_h - top_h;
  const float layers_h = std::floor(main_h * 0.60f);
  const float narration_w = std::floor(left_w * 0.48f);
  DashboardLayout l;
  l.topology = {ImVec2(0, main_top), ImVec2(left_w, top_h)};
  l.narration = {ImVec2(0, main_top + top_h), ImVec2(narration_w, bottom_h)};
  l.conversation = {ImVec2(narration_w, main_top + top_h), ImVec2(left_w - narration_w, bottom_h)};
  l.layers = {ImVec2(left_w, main_top), ImVec2(right_w, layers_h)};
  l.inspector = {ImVec2(left_w, main_top + layers_h), ImVec2(right_w, main_h - layers_h)};
  l.timeline = {ImVec2(0, main_top + main_h), ImVec2(w, h - main_top - main_h)};
  return l;
}

CompareLayout layout_compare(ImVec2 display, float menu_height, float timeline_height) {
  const float w = std::max(display.x, 320.0f);
  const float h = std::max(display.y, 240.0f);
  const float main_h = std::max(h - menu_height - timeline_height, 120.0f);
  const float half = std::floor(w / 2);
  const float top_h = std::floor(main_h * 0.55f);
  const float bottom_y = menu_height + top_h;
  const float bottom_h = main_h - top_h;
  const float diff_w = std::floor(w * 0.30f);
  const float side_w = std::floor((w - diff_w) / 2);
  CompareLayout l;
  l.topology_a = {ImVec2(0, menu_height), ImVec2(half, top_h)};
  l.topology_b = {ImVec2(half, menu_height), ImVec2(w - half, top_h)};
  l.conversation_a = {ImVec2(0, bottom_y), ImVec2(side_w, bottom_h)};
  l.differences = {ImVec2(side_w, bottom_y), ImVec2(diff_w, bottom_h)};
  l.conversation_b = {ImVec2(side_w + diff_w, bottom_y), ImVec2(w - side_w - diff_w, bottom_h)};
  l.timeline = {ImVec2(0, menu_height + main_h), ImVec2(w, h - menu_height - main_h)};
  return l;
}

Dashboard::Dashboard(UiShared& ui)
    : m_ui(ui),
      m_topology(ui),
      m_layers(ui),
      m_narration(ui),
      m_conversation(ui),
      m_inspector(ui),
      m_timeline(ui),
      m_topology_b(ui, "Topology · B"),
      m_conversation_a(ui, "Conversation · A"),
      m_conversation_b(ui, "Conversation · B"),
      m_differences(ui),
      m_dialogs(ui) {
  // The menu bar is a tile too: it never overlaps a panel, and its menus are windows of their own.
  m_tile_windows = {m_topology.title(),     m_layers.title(),    m_narration.title(),
                    m_conversation.title(), m_inspector.title(), m_timeline.title(),
                    "##MainMenuBar"};
  m_compare_tiles = {m_topology.title(),       m_topology_b.title(),  m_conversation_a.title(),
                     m_conversation_b.title(), m_differences.title(), m_timeline.title(),
                     "##MainMenuBar"};
}

float Dashboard::timeline_height() const {
  const ImGuiStyle& style = ImGui::GetStyle();
  return ImGui::GetFrameHeight() + ImGui::GetFrameHeightWithSpacing() + 30.0f * m_ui.scale +
         style.WindowPadding.y * 2 + 4.0f;
}

float Dashboard::draw_menu_bar(ViewModel& vm, Session* session) {
  float menu_height = 0;
  if (ImGui::BeginMainMenuBar()) {
    draw_menu(vm, session);
    menu_height = ImGui::GetWindowSize().y;
    ImGui::EndMainMenuBar();
  }
  return menu_height;
}

void Dashboard::draw(Session& session, ImVec2 display_size) {
  if (!session.has_run()) {
    draw_without_run(session, display_size);
    return;
  }
  if (session.comparing())
    draw_compare(session, display_size);
  else
    draw_single(session.vm(), &session, display_size);
  apply(m_dialogs.draw(&session), session);
}

void Dashboard::draw_without_run(Session& session, ImVec2 display_size) {
  // Opening something else while the first run is being prepared would be overwritten by it
  // when it arrives, so the File menu waits for it.
  const bool preparing = !session.preparing().empty();
  m_drawn = preparing ? Drawn::Preparing : Drawn::MenusOnly;
  if (ImGui::BeginMainMenuBar()) {
    if (ImGui::BeginMenu("File")) {
      if (ImGui::MenuItem("Open scenario…", "Ctrl+O", false, !preparing)) m_dialogs.show_open();
      if (ImGui::MenuItem("Scenario browser…", nullptr, false, !preparing))
        m_dialogs.show_browser();
      ImGui::Separator();
      if (ImGui::MenuItem("Quit", "Ctrl+Q")) m_quit = true;
      ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Help")) {
      if (ImGui::MenuItem("Keyboard shortcuts", "F1")) m_ui.show_help = true;
      ImGui::EndMenu();
    }
    if (preparing) {
      const std::string& status = session.preparing();
      const float w = ImGui::CalcTextSize(status.c_str()).x;
      ImGui::SameLine(std::max(ImGui::GetCursorPosX() + 20, ImGui::GetWindowWidth() - w - 16));
      ImGui::TextDisabled("%s", status.c_str());
    }
    ImGui::EndMainMenuBar();
  }
  if (preparing) draw_preparing(m_ui, session.preparing(), display_size);
  handle_window_keys(!preparing);
  if (m_ui.show_help) draw_help();
  apply(m_dialogs.draw(&session), session);
}

void Dashboard::draw_compare(Session& session, ImVec2 display_size) {
  ViewModel& a = session.vm();
  m_drawn = Drawn::Compare;
  const float menu_height = draw_menu_bar(a, &session);
  if (!session.comparing()) {  // the menu just closed compare mode
    draw_single(a, &session, display_size);
    return;
  }
  const CompareLayout l = layout_compare(display_size, menu_height, timeline_height());
  m_topology.set_caption("A · " + a.run().metadata.title);
  m_topology_b.set_caption("B · " + session.compare_vm().run().metadata.title);
  m_differences.bind(session);
  m_timeline.draw(a, l.timeline);
  handle_keys(a, &session);
  // Everything A's controls changed this frame is mirrored before B is drawn.
  session.sync().follow();
  m_topology.draw(a, l.topology_a);
  m_topology_b.draw(session.compare_vm(), l.topology_b);
  m_conversation_a.draw(a, l.conversation_a);
  m_differences.draw(a, l.differences);
  m_conversation_b.draw(session.compare_vm(), l.conversation_b);
  if (m_ui.show_help) draw_help();
  draw_about(a, display_size);
}

void Dashboard::apply(const DialogRequest& request, Session& session) {
  switch (request.kind) {
    case DialogRequest::Kind::None:
      return;
    case DialogRequest::Kind::Open:
    case DialogRequest::Kind::Compare: {
      auto source = make_source(request.spec, m_ui.scenario_dir, m_ui.seed);
      if (!source) {
        session.show_error("Cannot open " + request.spec, source.error());
        return;
      }
      if (request.kind == DialogRequest::Kind::Open)
        session.open(**source, request.spec);
      else
        session.open_compare(**source, request.spec);
      m_ui.reset_topology_view = true;
      return;
    }
    case DialogRequest::Kind::Export: {
      if (request.export_kind == ExportKind::Screenshot) {
        m_screenshot_request = request.path;
        return;
      }
      if (!session.has_run()) return;
      auto written =
          export_run(request.export_kind, *session.main_run().run, request.path, request.options);
      if (!written) {
        session.show_error("Export failed", written.error());
        return;
      }
      m_ui.status = "wrote";
      for (const std::string& file : *written)
        m_ui.status += " " + file;
      return;
    }
  }
}

void Dashboard::compare_with_partner(Session& session) {
  if (!session.has_run()) return;
  const std::string me = session.main_run().spec;
  const std::string partner = partner_of(session.vm().run().metadata.id);
  if (partner.empty()) {
    m_dialogs.show_browser(true);
    return;
  }
  // The cross-domain run goes on the left: it has every phase the other has, and more, so the
  // right one waits during the phases it lacks rather than the other way round.
  const bool partner_is_cross = partner == kDemoCrossDomain || partner == "cross-domain";
  DialogRequest open{DialogRequest::Kind::Open, partner, {}, {}, {}};
  DialogRequest compare{DialogRequest::Kind::Compare, partner_is_cross ? me : partner, {}, {}, {}};
  if (partner_is_cross) apply(open, session);
  if (!session.error()) apply(compare, session);
}

void Dashboard::draw(ViewModel& vm, ImVec2 display_size) {
  draw_single(vm, nullptr, display_size);
}

void Dashboard::draw_single(ViewModel& vm, Session* session, ImVec2 display_size) {
  m_drawn = Drawn::Single;
  const float menu_height = draw_menu_bar(vm, session);
  const DashboardLayout l = layout_dashboard(display_size, menu_height, timeline_height());
  m_topology.set_caption({});
  m_topology.draw(vm, l.topology);
  m_layers.draw(vm, l.layers);
  m_narration.draw(vm, l.narration);
  m_conversation.draw(vm, l.conversation);
  m_inspector.draw(vm, l.inspector);
  m_timeline.draw(vm, l.timeline);
  handle_keys(vm, session);
  if (m_ui.show_help) draw_help();
  draw_about(vm, display_size);
}

void Dashboard::draw_about(ViewModel& vm, ImVec2 display_size) {
  if (m_show_about) {
    ImGui::SetNextWindowPos(ImVec2(display_size.x / 2, display_size.y / 2), ImGuiCond_Appearing,
                            ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(520 * m_ui.scale, 0), ImGuiCond_Appearing);
    if (ImGui::Begin("About this run", &m_show_about,
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
      const RunMetadata& meta = vm.run().metadata;
      ImGui::PushFont(m_ui.fonts.bold);
      ImGui::TextWrapped("%s", meta.title.c_str());
      ImGui::PopFont();
      ImGui::TextWrapped("%s", meta.description.c_str());
      ImGui::TextDisabled("source: %s · seed %llu · %zu events · %zu nodes", meta.source.c_str(),
                          static_cast<unsigned long long>(meta.seed), vm.trace().size(),
                          vm.topology().nodes.size());
    }
    ImGui::End();
  }
}

void Dashboard::draw_menu(ViewModel& vm, Session* session) {
  auto why_not = [](const char* what) {
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", what);
  };
  const bool can = session != nullptr;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Open scenario…", "Ctrl+O", false, can)) m_dialogs.show_open();
    if (ImGui::BeginMenu("Open recent", can && !session->recent().entries().empty())) {
      // Opened after the loop: a successful open reorders the list being drawn.
      std::optional<std::string> chosen;
      for (const std::string& path : session->recent().entries()) {
        if (ImGui::MenuItem(path.c_str())) chosen = path;
      }
      ImGui::EndMenu();
      if (chosen) apply(DialogRequest{DialogRequest::Kind::Open, *chosen, {}, {}, {}}, *session);
    }
    if (ImGui::MenuItem("Scenario browser…", nullptr, false, can)) m_dialogs.show_browser();
    if (ImGui::BeginMenu("Export", can)) {
      for (int k = 0; k < static_cast<int>(ExportKind::Count); ++k) {
        const auto kind = static_cast<ExportKind>(k);
        const std::string label = std::string(to_string(kind)) + "…";
        if (ImGui::MenuItem(label.c_str(), k == 0 ? "Ctrl+E" : nullptr))
          m_dialogs.show_export(kind, vm.run().metadata);
      }
      ImGui::EndMenu();
    }
    if (!can) why_not("Opening and exporting need the full application.");
    ImGui::Separator();
    if (ImGui::MenuItem("Quit", "Ctrl+Q")) m_quit = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    bool show = m_ui.credentials == Credentials::Show;
    if (ImGui::MenuItem("Show credentials", nullptr, &show))
      m_ui.credentials = show ? Credentials::Show : Credentials::Mask;
    if (ImGui::MenuItem("Fit the network in view")) m_ui.reset_topology_view = true;
    ImGui::Separator();
    if (ImGui::MenuItem("All events", nullptr, vm.filter().is_everything()))
      vm.set_filter(Filter::everything());
    if (ImGui::MenuItem("Messages only", nullptr, vm.filter() == Filter::messages_only()))
      vm.set_filter(Filter::messages_only());
    if (ImGui::MenuItem("Wire + messages", nullptr, vm.filter() == Filter::wire_and_messages()))
      vm.set_filter(Filter::wire_and_messages());
    ImGui::Separator();
    const bool comparing = can && session->comparing();
    if (ImGui::MenuItem("Compare same-domain / cross-domain", nullptr, comparing, can)) {
      if (comparing)
        session->close_compare();
      else
        compare_with_partner(*session);
    }
    if (ImGui::MenuItem("Compare with…", nullptr, false, can)) m_dialogs.show_browser(true);
    if (comparing) {
      if (ImGui::MenuItem("B follows A by phase", nullptr,
                          session->sync().mode() == SyncMode::ByPhase))
        session->sync().set_mode(SyncMode::ByPhase);
      if (ImGui::MenuItem("B follows A by time", nullptr,
                          session->sync().mode() == SyncMode::ByTime))
        session->sync().set_mode(SyncMode::ByTime);
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    if (ImGui::MenuItem("Keyboard shortcuts", "F1")) m_ui.show_help = true;
    if (ImGui::MenuItem("About this run")) m_show_about = true;
    ImGui::EndMenu();
  }
  const std::string& title = m_ui.status.empty() ? vm.run().metadata.title : m_ui.status;
  const float w = ImGui::CalcTextSize(title.c_str()).x;
  ImGui::SameLine(std::max(ImGui::GetCursorPosX() + 20, ImGui::GetWindowWidth() - w - 16));
  ImGui::TextDisabled("%s", title.c_str());
}

void Dashboard::draw_help() {
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  ImGui::SetNextWindowPos(ImVec2(display.x / 2, display.y / 2), ImGuiCond_Always,
                          ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowBgAlpha(0.97f);
  if (ImGui::Begin("Keyboard shortcuts", &m_ui.show_help,
                   ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings |
                       ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoMove)) {
    if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
      for (const Shortcut& s : kShortcuts) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::PushFont(m_ui.fonts.bold);
        ImGui::TextUnformatted(s.keys);
        ImGui::PopFont();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(s.action);
      }
      ImGui::EndTable();
    }
    ImGui::TextDisabled("Press F1 or Esc to close.");
  }
  ImGui::End();
}

bool Dashboard::handle_window_keys(bool can_open) {
  const ImGuiIO& io = ImGui::GetIO();
  // Keys belong to a text field being typed in, or to an open modal dialog.
  if (io.WantTextInput || m_dialogs.any_open()) return false;
  if (platform_key(m_keys.help)) m_ui.show_help = !m_ui.show_help;
  if (m_ui.show_help && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false))
    m_ui.show_help = false;
  if (io.KeyCtrl && platform_key(m_keys.quit)) m_quit = true;
  if (io.KeyCtrl && can_open && platform_key(m_keys.open)) m_dialogs.show_open();
  return true;
}

void Dashboard::handle_keys(ViewModel& vm, Session* session) {
  if (!handle_window_keys(session != nullptr)) return;
  const ImGuiIO& io = ImGui::GetIO();
  if (io.KeyCtrl && session != nullptr && platform_key(m_keys.export_run))
    m_dialogs.show_export(ExportKind::Transcript, vm.run().metadata);
  if (io.KeyCtrl) return;
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space), false))
    vm.execute(Command::PlayPause);
  if (key_pressed(ImGuiKey_RightArrow))
    vm.execute(io.KeyShift ? Command::PhaseNext : Command::StepForward);
  if (key_pressed(ImGuiKey_LeftArrow))
    vm.execute(io.KeyShift ? Command::PhasePrev : Command::StepBack);
  if (key_pressed(ImGuiKey_DownArrow)) vm.execute(Command::LayerForward);
  if (key_pressed(ImGuiKey_UpArrow)) vm.execute(Command::LayerBack);
  if (key_pressed(ImGuiKey_PageDown)) vm.execute(Command::MessageNext);
  if (key_pressed(ImGuiKey_PageUp)) vm.execute(Command::MessagePrev);
  if (key_pressed(ImGuiKey_Home)) vm.execute(Command::Home);
  if (key_pressed(ImGuiKey_End)) vm.execute(Command::End);
}

}  // namespace mailscope::gui
