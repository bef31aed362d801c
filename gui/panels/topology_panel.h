#pragma once
// Topology: the network as a diagram — hosts, servers, routers and switches with their own
// icons, domains as labelled regions, links — with the current step's packet moving along its
// link in its protocol's colour and its layer written next to it. The links the packet has
// already crossed stay coloured, so the path of one message reads at a glance.
// Mouse: wheel zooms, drag pans, double-click resets the view, click selects a node.

#include <string>
#include <vector>

#include "gui/core/layout.h"
#include "gui/panels/panel.h"

namespace mailscope::gui {

class TopologyPanel final : public Panel {
 public:
  explicit TopologyPanel(UiShared& ui, std::string title = "Topology")
      : Panel(std::move(title), ui) {}
  // A line written above the phase in the top-left corner (compare mode names the run); empty
  // for none.
  void set_caption(std::string caption) { m_caption = std::move(caption); }

 protected:
  void draw_content(ViewModel& vm) override;
  ImGuiWindowFlags extra_flags() const override {
    return ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
  }

 private:
  struct View {
    ImVec2 origin;  // screen position of world (0, 0)
    float scale;    // pixels per world unit
    ImVec2 to_screen(Vec2 p) const {
      return ImVec2(origin.x + p.x * scale, origin.y + p.y * scale);
    }
  };
  void ensure_layout(const ViewModel& vm);
  View fit(ImVec2 canvas_pos, ImVec2 canvas_size) const;

  const TopologySnapshot* m_laid_out = nullptr;  // the snapshot m_layout was made for
  TopologyLayout m_layout;
  std::vector<Protocol> m_protocols_present;  // for the legend, in enum order
  std::string m_caption;
  std::vector<ImVec2> m_positions;  // screen position of each node this frame; reused
  float m_zoom = 1.0f;
  ImVec2 m_pan{0, 0};  // pixels, added after fitting
};

}  // namespace mailscope::gui
