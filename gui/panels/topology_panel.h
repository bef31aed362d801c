#pragma once
// Topology: the network as a diagram — hosts, servers, routers and switches with their own
// icons, domains as labelled regions, links — with the current step's packet moving along its
// link in its protocol's colour and its layer written next to it. The links the packet has
// already crossed stay coloured, so the path of one message reads at a glance.
// Mouse: wheel zooms, drag pans, double-click resets the view, click selects a node.

#include <span>
#include <string>
#include <vector>

#include "gui/core/layout.h"
#include "gui/panels/label_placement.h"
#include "gui/panels/panel.h"

namespace mailscope::gui {

class TopologyPanel final : public Panel {
 public:
  explicit TopologyPanel(UiShared& ui, std::string title = "Topology")
      : Panel(std::move(title), ui) {}
  // A line written above the phase in the top-left corner (compare mode names the run); empty
  // for none.
  void set_caption(std::string caption) { m_caption = std::move(caption); }
  // What the last frame drew on the canvas, in screen pixels: each node's icon, name and address,
  // and each domain's name (tests check that a domain's name covers none of the others).
  std::span<const LabelBox> node_boxes() const { return m_node_boxes; }
  std::span<const LabelBox> domain_label_boxes() const { return m_domain_labels; }

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
  std::vector<ImVec2> m_positions;        // screen position of each node this frame; reused
  std::vector<LabelBox> m_node_boxes;     // this frame's; reused
  std::vector<LabelBox> m_domain_labels;  // this frame's, one per domain drawn
  float m_zoom = 1.0f;
  ImVec2 m_pan{0, 0};  // pixels, added after fitting
};

}  // namespace mailscope::gui
