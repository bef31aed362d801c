#pragma once
// Dashboard: the whole window — menu bar, the six panels in a fixed arrangement that fits
// 1280×720 and up, the keyboard shortcuts and the shortcuts help. It draws between ImGui's
// NewFrame and Render and needs no window system, so tests run it headless.
//
//   ┌──────────────── menu bar ─────────────────────────────┐
//   │ Topology                         │ Layer stack        │
//   ├────────────────┬─────────────────┼────────────────────┤
//   │ Narration      │ Conversation    │ Packet inspector   │
//   ├────────────────┴─────────────────┴────────────────────┤
//   │ Timeline                                              │
//   └───────────────────────────────────────────────────────┘
//
// The File menu holds the places for opening scenarios, the scenario browser and exports, and
// the View menu the place for compare mode; they are disabled until those exist.

#include <memory>
#include <span>
#include <vector>

#include "gui/panels/conversation_panel.h"
#include "gui/panels/inspector_panel.h"
#include "gui/panels/layer_stack_panel.h"
#include "gui/panels/narration_panel.h"
#include "gui/panels/timeline_panel.h"
#include "gui/panels/topology_panel.h"

namespace mailscope::gui {

struct DashboardLayout {
  PanelRect topology, layers, narration, conversation, inspector, timeline;
};
// The panels' rectangles for a display of `display` pixels under a menu bar `menu_height` high;
// `timeline_height` fits the timeline's two rows.
DashboardLayout layout_dashboard(ImVec2 display, float menu_height, float timeline_height);

// The keyboard shortcuts, for the help window and the docs: key name, what it does.
struct Shortcut {
  const char* keys;
  const char* action;
};
std::span<const Shortcut> shortcuts();

class Dashboard {
 public:
  explicit Dashboard(UiShared& ui);

  // Draws one frame of the whole window and applies the keys pressed in it.
  void draw(ViewModel& vm, ImVec2 display_size);
  bool quit_requested() const { return m_quit; }
  // The titles of the tiled panel windows, which never overlap (frame_layers.h).
  std::span<const std::string> tile_windows() const { return m_tile_windows; }
  // Key indices in ImGui's KeysDown for keys ImGui 1.86 does not name (the platform backend's
  // key codes): F1 opens the help, Ctrl+Q quits. -1 for none.
  void set_platform_keys(int help_key, int quit_key) {
    m_help_key = help_key;
    m_quit_key = quit_key;
  }

 private:
  void draw_menu(ViewModel& vm);
  void draw_help();
  void handle_keys(ViewModel& vm);

  UiShared& m_ui;
  TopologyPanel m_topology;
  LayerStackPanel m_layers;
  NarrationPanel m_narration;
  ConversationPanel m_conversation;
  InspectorPanel m_inspector;
  TimelinePanel m_timeline;
  bool m_quit = false;
  bool m_show_about = false;
  std::vector<std::string> m_tile_windows;
  int m_help_key = -1;
  int m_quit_key = -1;
};

}  // namespace mailscope::gui
