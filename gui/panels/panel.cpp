#include "gui/panels/panel.h"

namespace mailscope::gui {

void Panel::draw(ViewModel& vm, const PanelRect& rect) {
  ImGui::SetNextWindowPos(rect.pos, ImGuiCond_Always);
  ImGui::SetNextWindowSize(rect.size, ImGuiCond_Always);
  // The dashboard owns placement: panels do not move, resize, collapse or save settings.
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                 ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus | extra_flags();
  if (ImGui::Begin(m_title.c_str(), nullptr, flags)) draw_content(vm);
  ImGui::End();
}

}  // namespace mailscope::gui
