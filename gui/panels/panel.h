#pragma once
// Panel: one window of the dashboard. The base class's final draw() places the window where the
// dashboard's layout says and handles its chrome; each panel only overrides draw_content().
// Panels read the view-model and draw; they own no simulation state, only caches of what they
// computed from it (keyed by the view-model's revision).

#include <cstdint>
#include <filesystem>
#include <string>

#include <imgui.h>

#include "gui/core/conversation.h"
#include "gui/core/lessons.h"
#include "gui/core/view_model.h"
#include "gui/panels/theme.h"

namespace mailscope::gui {

// What every panel may read besides the view-model: fonts, lessons, user options.
struct UiShared {
  Fonts fonts;
  LessonBook lessons;
  float scale = 1.0f;  // content scale: 2 on a high-DPI screen
  bool show_help = false;
  Credentials credentials = Credentials::Mask;
  bool reset_topology_view = false;  // set by the menu, consumed by the topology panel
  // Where bundled lessons are (the scenario browser, names on the command line), and the seed
  // runs opened from the GUI use.
  std::filesystem::path scenario_dir;
  std::uint64_t seed = 1;
  // The last export's outcome for the menu bar ("wrote run.pcap (12 345 bytes)"); empty for none.
  std::string status;
};

struct PanelRect {
  ImVec2 pos;
  ImVec2 size;
};

class Panel {
 public:
  Panel(std::string title, UiShared& ui) : m_title(std::move(title)), m_ui(ui) {}
  virtual ~Panel() = default;
  Panel(const Panel&) = delete;
  Panel& operator=(const Panel&) = delete;

  const std::string& title() const { return m_title; }
  // Draws the window at `rect` with the panel's content.
  virtual void draw(ViewModel& vm, const PanelRect& rect) final;

 protected:
  virtual void draw_content(ViewModel& vm) = 0;
  virtual ImGuiWindowFlags extra_flags() const { return 0; }
  UiShared& ui() { return m_ui; }
  const UiShared& ui() const { return m_ui; }

 private:
  std::string m_title;
  UiShared& m_ui;
};

}  // namespace mailscope::gui
