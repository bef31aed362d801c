#pragma once
// Layer stack: how the current PDU was wrapped and unwrapped. On the left the sender's stack,
// from the application message down to bits on the wire (each layer adds its header); on the
// right the stack of the node it reached, from bits back up to the application. Each band shows
// what its layer's header says; hovering lists every field, clicking opens it in the inspector.
// Between them, the hops the frame crossed.

#include <array>
#include <string>
#include <vector>

#include "gui/panels/panel.h"

namespace mailscope::gui {

class LayerStackPanel final : public Panel {
 public:
  explicit LayerStackPanel(UiShared& ui) : Panel("Layer stack", ui) {}

 protected:
  void draw_content(ViewModel& vm) override;

 private:
  static constexpr std::size_t kLayers = static_cast<std::size_t>(Layer::Count);
  struct Cell {
    EventId event = kNoEvent;
    std::string text;                 // what the layer's header says, one or two lines
    std::vector<std::string> fields;  // the tooltip: every field of that layer's header
  };
  struct Side {
    NodeId node = kNoNode;
    std::array<Cell, kLayers> cells;  // indexed by Layer
  };
  void rebuild(const ViewModel& vm);
  void draw_side(ViewModel& vm, const Side& side, const char* heading, float width, bool up);

  std::uint64_t m_revision = UINT64_MAX;
  const ViewModel* m_for = nullptr;
  Side m_sender;
  Side m_receiver;
  std::vector<NodeId> m_hops;  // sender .. receiver, the nodes the frame went through
  std::string m_summary;       // one line above the stacks
};

}  // namespace mailscope::gui
