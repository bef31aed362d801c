#include "gui/panels/dashboard.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace mailscope::gui {

namespace {

constexpr std::array<Shortcut, 12> kShortcuts{{
    {"Space", "play / pause"},
    {"→  /  ←", "one step forward / back"},
    {"Shift+→  /  Shift+←", "next / previous phase (DNS, submission, relay, retrieval)"},
    {"↓  /  ↑", "follow the packet one layer / hop further, or back"},
    {"Page Down  /  Page Up", "next / previous application message"},
    {"Home  /  End", "first / last step"},
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

Dashboard::Dashboard(UiShared& ui)
    : m_ui(ui),
      m_topology(ui),
      m_layers(ui),
      m_narration(ui),
      m_conversation(ui),
      m_inspector(ui),
      m_timeline(ui) {
  m_tile_windows = {m_topology.title(),     m_layers.title(),    m_narration.title(),
                    m_conversation.title(), m_inspector.title(), m_timeline.title()};
}

void Dashboard::draw(ViewModel& vm, ImVec2 display_size) {
  float menu_height = 0;
  if (ImGui::BeginMainMenuBar()) {
    draw_menu(vm);
    menu_height = ImGui::GetWindowSize().y;
    ImGui::EndMainMenuBar();
  }
  const ImGuiStyle& style = ImGui::GetStyle();
  const float timeline_height = ImGui::GetFrameHeight() + ImGui::GetFrameHeightWithSpacing() +
                                30.0f * m_ui.scale + style.WindowPadding.y * 2 + 4.0f;
  const DashboardLayout l = layout_dashboard(display_size, menu_height, timeline_height);
  m_topology.draw(vm, l.topology);
  m_layers.draw(vm, l.layers);
  m_narration.draw(vm, l.narration);
  m_conversation.draw(vm, l.conversation);
  m_inspector.draw(vm, l.inspector);
  m_timeline.draw(vm, l.timeline);
  handle_keys(vm);
  if (m_ui.show_help) draw_help();
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

void Dashboard::draw_menu(ViewModel& vm) {
  auto later = [](const char* what) {
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", what);
  };
  if (ImGui::BeginMenu("File")) {
    ImGui::MenuItem("Open scenario…", "Ctrl+O", false, false);
    later("Opening scenario files comes with the scenario format.");
    ImGui::MenuItem("Scenario browser…", nullptr, false, false);
    later("Browsing the bundled scenarios comes with the scenario format.");
    if (ImGui::BeginMenu("Export", false)) ImGui::EndMenu();
    later("Exports (transcript, pcap, HTML report) will be offered here.");
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
    ImGui::MenuItem("Compare same-domain / cross-domain", nullptr, false, false);
    later("Side-by-side comparison comes with the scenarios.");
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    if (ImGui::MenuItem("Keyboard shortcuts", "F1")) m_ui.show_help = true;
    if (ImGui::MenuItem("About this run")) m_show_about = true;
    ImGui::EndMenu();
  }
  const std::string& title = vm.run().metadata.title;
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

void Dashboard::handle_keys(ViewModel& vm) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  if (m_help_key >= 0 && ImGui::IsKeyPressed(m_help_key, false)) m_ui.show_help = !m_ui.show_help;
  if (m_ui.show_help && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false))
    m_ui.show_help = false;
  if (io.KeyCtrl && m_quit_key >= 0 && ImGui::IsKeyPressed(m_quit_key, false)) m_quit = true;
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
