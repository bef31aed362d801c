#pragma once
// Timeline: the transport controls (home, previous phase, step back, play/pause, step, next
// phase, end), the playback speed, the filters, and a scrubber coloured by phase on which a
// click or drag seeks.

#include "gui/panels/panel.h"

namespace mailscope::gui {

class TimelinePanel final : public Panel {
 public:
  explicit TimelinePanel(UiShared& ui) : Panel("Timeline", ui) {}

 protected:
  void draw_content(ViewModel& vm) override;
  ImGuiWindowFlags extra_flags() const override {
    return ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
  }

 private:
  void draw_controls(ViewModel& vm);
  void draw_filter_popup(ViewModel& vm);
  void draw_scrubber(ViewModel& vm);
};

// "everything", "L7 only", "4 of 9 protocols, 2 of 6 layers": the filter in a few words.
std::string describe_filter(const Filter& filter);

}  // namespace mailscope::gui
