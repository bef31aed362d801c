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
// Compare mode (two runs of a Session) replaces the layer stack, inspector and narration:
//
//   ┌──────────────── menu bar ─────────────────────────────┐
//   │ Topology · A               │ Topology · B              │
//   ├──────────────┬─────────────┴─┬───────────────────────┤
//   │ Conversation · A │ Differences │ Conversation · B      │
//   ├──────────────┴───────────────┴───────────────────────┤
//   │ Timeline (drives A; B follows)                        │
//   └───────────────────────────────────────────────────────┘
//
// The File menu opens scenario files, the scenario browser and the exports (dialogs.h).

#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "gui/panels/compare_panel.h"
#include "gui/panels/conversation_panel.h"
#include "gui/panels/dialogs.h"
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

struct CompareLayout {
  PanelRect topology_a, topology_b, conversation_a, differences, conversation_b, timeline;
};
CompareLayout layout_compare(ImVec2 display, float menu_height, float timeline_height);

// Key indices in ImGui's KeysDown for keys ImGui 1.86 does not name (the platform backend's key
// codes); -1 for none.
struct PlatformKeys {
  int help = -1;        // F1: shortcuts help
  int quit = -1;        // Ctrl+Q
  int open = -1;        // Ctrl+O: open a scenario file
  int export_run = -1;  // Ctrl+E: export
};

// The keyboard shortcuts, for the help window and the docs: key name, what it does.
struct Shortcut {
  const char* keys;
  const char* action;
};
std::span<const Shortcut> shortcuts();

class Dashboard {
 public:
  explicit Dashboard(UiShared& ui);

  // Draws one frame of the whole window for one run with no session (no opening, exporting or
  // comparing), and applies the keys pressed in it.
  void draw(ViewModel& vm, ImVec2 display_size);
  // Draws one frame of `session`: its run, or its two runs in compare mode, with the File
  // menu's dialogs; carries out what the user asked (open, compare, export).
  void draw(Session& session, ImVec2 display_size);
  bool quit_requested() const { return m_quit; }
  // What the last frame showed: nothing but the menus (no run, e.g. the first open failed), the
  // "Simulating …" card of a session whose run is still being prepared, one run, or two.
  enum class Drawn : std::uint8_t { MenusOnly, Preparing, Single, Compare };
  Drawn drawn() const { return m_drawn; }
  // A screenshot the user asked for through Export; the window takes it (it needs the pixels).
  std::optional<std::filesystem::path> take_screenshot_request() {
    return std::exchange(m_screenshot_request, std::nullopt);
  }
  Dialogs& dialogs() { return m_dialogs; }
  // Carries out a dialog's request (public for tests).
  void apply(const DialogRequest& request, Session& session);
  // Starts compare mode with the natural partner of the open run (the same-domain demo or
  // lesson for a cross-domain one and back); opens the browser to choose when there is none.
  void compare_with_partner(Session& session);
  // The titles of the tiled panel windows of the last frame, which never overlap
  // (frame_layers.h).
  std::span<const std::string> tile_windows() const {
    return m_drawn == Drawn::Compare ? std::span<const std::string>(m_compare_tiles)
                                     : std::span<const std::string>(m_tile_windows);
  }
  void set_platform_keys(const PlatformKeys& keys) { m_keys = keys; }

 private:
  void draw_single(ViewModel& vm, Session* session, ImVec2 display_size);
  // A session with no run: the menus that need none, and the preparing card when one is coming.
  void draw_without_run(Session& session, ImVec2 display_size);
  void draw_compare(Session& session, ImVec2 display_size);
  float draw_menu_bar(ViewModel& vm, Session* session);
  void draw_menu(ViewModel& vm, Session* session);
  void draw_help();
  void draw_about(ViewModel& vm, ImVec2 display_size);
  // The keys that work whatever is shown (F1 and Esc for the shortcuts, Ctrl+Q, and Ctrl+O when
  // `can_open`); false while keys belong to a text field or a dialog.
  bool handle_window_keys(bool can_open);
  void handle_keys(ViewModel& vm, Session* session);
  float timeline_height() const;

  UiShared& m_ui;
  TopologyPanel m_topology;
  LayerStackPanel m_layers;
  NarrationPanel m_narration;
  ConversationPanel m_conversation;
  InspectorPanel m_inspector;
  TimelinePanel m_timeline;
  TopologyPanel m_topology_b;
  ConversationPanel m_conversation_a;
  ConversationPanel m_conversation_b;
  DifferencesPanel m_differences;
  Dialogs m_dialogs;
  std::optional<std::filesystem::path> m_screenshot_request;
  bool m_quit = false;
  bool m_show_about = false;
  Drawn m_drawn = Drawn::MenusOnly;
  std::vector<std::string> m_tile_windows;
  std::vector<std::string> m_compare_tiles;
  PlatformKeys m_keys;
};

}  // namespace mailscope::gui
