#include "gui/panels/preparing_view.h"

#include <algorithm>
#include <cmath>

namespace mailscope::gui {

namespace {

constexpr float kPi = 3.14159265f;

// Three quarters of a ring, turning once a second.
void turning_mark(ImDrawList* dl, ImVec2 centre, float radius, ImU32 colour, float thickness) {
  const float start = static_cast<float>(std::fmod(ImGui::GetTime(), 1.0)) * 2.0f * kPi;
  dl->PathArcTo(centre, radius, start, start + 1.5f * kPi, 24);
  dl->PathStroke(colour, 0, thickness);
}

}  // namespace

void draw_preparing(const UiShared& ui, const std::string& status, ImVec2 display_size) {
  static constexpr const char* kExplanation =
      "Every frame, segment and message of the run is computed before it is shown. The "
      "topology, the layers and the timeline appear here as soon as it is ready.";
  const float s = ui.scale;
  const ImGuiStyle& style = ImGui::GetStyle();
  ImFont* bold = ui.fonts.bold != nullptr ? ui.fonts.bold : ImGui::GetFont();
  const ImVec2 padding(20.0f * s, 16.0f * s);
  const float width = std::min(460.0f * s, std::max(display_size.x - 40.0f * s, 200.0f));
  // The size is set, not fitted to the contents: ImGui hides a window that fits itself during its
  // first frame, and this one is the first frame.
  const float wrapped = ImGui::CalcTextSize(kExplanation, nullptr, false, width - padding.x * 2).y;
  const float height = padding.y * 2 + bold->FontSize + style.ItemSpacing.y * 2 + wrapped;
  ImGui::SetNextWindowPos(ImVec2(display_size.x / 2, display_size.y / 2), ImGuiCond_Always,
                          ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(width, height), ImGuiCond_Always);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, padding);
  if (ImGui::Begin(kPreparingWindow, nullptr, flags)) {
    const float line = bold->FontSize;
    const ImVec2 at = ImGui::GetCursorScreenPos();
    turning_mark(ImGui::GetWindowDrawList(), ImVec2(at.x + line * 0.5f, at.y + line * 0.55f),
                 line * 0.42f, ImGui::GetColorU32(ImGuiCol_PlotHistogram), 2.5f * s);
    ImGui::Dummy(ImVec2(line * 1.2f, line));
    ImGui::SameLine();
    ImGui::PushFont(bold);
    ImGui::TextUnformatted(status.c_str());
    ImGui::PopFont();
    ImGui::Spacing();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%s", kExplanation);
    ImGui::PopTextWrapPos();
  }
  ImGui::End();
  ImGui::PopStyleVar();
}

}  // namespace mailscope::gui
