#pragma once
// Packet inspector: the selected event's bytes as Wireshark shows them — a tree of decoded
// fields over a hex dump. The bytes of the event's own layer are tinted in the dump; the field
// picked in the tree is highlighted.

#include <cstdint>
#include <vector>

#include "gui/panels/panel.h"
#include "wire/field.h"

namespace mailscope::gui {

// What the inspector shows for one event: the bytes (a whole frame when the event travelled in
// one), their fields, and which bytes belong to the event's own layer. Built without ImGui so
// tests can check it.
struct Inspection {
  EventId event = kNoEvent;
  EventId bytes_event = kNoEvent;  // the event whose bytes are dumped (the frame's L2 event)
  std::vector<std::uint8_t> bytes;
  std::vector<wire::Field> fields;
  std::string summary;
  std::uint32_t layer_offset = 0;  // the event's own layer within `bytes`
  std::uint32_t layer_length = 0;
};
Inspection inspect_event(const ViewModel& vm, EventId id);

class InspectorPanel final : public Panel {
 public:
  explicit InspectorPanel(UiShared& ui) : Panel("Packet inspector", ui) {}

 protected:
  void draw_content(ViewModel& vm) override;

 private:
  void draw_tree();
  std::size_t draw_field(std::size_t i);  // returns the index after i's subtree
  void draw_hex();

  const ViewModel* m_for = nullptr;
  EventId m_event = kNoEvent;
  Inspection m_inspection;
  int m_selected_field = -1;  // index into m_inspection.fields, or -1
};

}  // namespace mailscope::gui
