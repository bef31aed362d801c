#include "gui/panels/conversation_panel.h"

#include <string>

namespace mailscope::gui {

void ConversationPanel::draw_content(ViewModel& vm) {
  // Rebuilt only when the protocols shown or the credential option change.
  if (m_for != &vm || m_conversation.filter().protocols != vm.filter().protocols ||
      m_built_with != ui().credentials) {
    Filter f;
    f.protocols = vm.filter().protocols;
    m_conversation = Conversation(vm.index(), f, ConversationOptions{ui().credentials});
    m_for = &vm;
    m_built_with = ui().credentials;
    m_scrolled_to = kNoEvent;
  }
  const auto rows = m_conversation.rows();
  if (rows.empty()) {
    ImGui::TextDisabled("No application messages (for the protocols shown).");
    return;
  }
  const EventId current = vm.current_message();
  const auto [first, last] = m_conversation.rows_of(current);

  ImGui::BeginChild("##lines", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  ImGui::PushFont(ui().fonts.mono);
  const float line_h = ImGui::GetTextLineHeightWithSpacing();
  // Keep the current message in view when the cursor moves to another message.
  if (current != m_scrolled_to && first < last) {
    const float y = static_cast<float>(first) * line_h;
    const float top = ImGui::GetScrollY();
    const float bottom = top + ImGui::GetWindowHeight() - line_h * 2;
    if (y < top || y > bottom)
      ImGui::SetScrollY(std::max(0.0f, y - ImGui::GetWindowHeight() * 0.3f));
    m_scrolled_to = current;
  }
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(rows.size()), line_h);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const ConversationRow& row = rows[static_cast<std::size_t>(i)];
      const auto index = static_cast<std::size_t>(i);
      const bool is_current = index >= first && index < last;
      const bool is_past = row.event <= vm.current_event();
      ImGui::PushID(i);
      const ImVec2 p = ImGui::GetCursorScreenPos();
      if (row.kind == RowKind::FlowHeader) {
        dl->AddRectFilled(p, ImVec2(p.x + ImGui::GetContentRegionAvail().x, p.y + line_h),
                          protocol_colour(row.protocol, 0.14f));
        ImGui::PushStyleColor(ImGuiCol_Text,
                              ImGui::ColorConvertU32ToFloat4(protocol_colour(row.protocol)));
        ImGui::TextUnformatted(row.text.c_str());
        ImGui::PopStyleColor();
        ImGui::PopID();
        continue;
      }
      const char* who = row.kind == RowKind::Client ? "C: " : "S: ";
      m_line.assign(who);
      m_line += row.text;
      const std::string& line = m_line;
      if (is_current) {
        dl->AddRectFilled(p, ImVec2(p.x + ImGui::GetContentRegionAvail().x, p.y + line_h),
                          protocol_colour(row.protocol, 0.30f));
      }
      ImU32 colour =
          row.kind == RowKind::Client ? IM_COL32(150, 200, 255, 255) : IM_COL32(180, 236, 180, 255);
      if (!is_past && !is_current) colour = IM_COL32(120, 126, 140, 255);  // not happened yet
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colour));
      if (ImGui::Selectable(line.c_str(), false, ImGuiSelectableFlags_None))
        vm.seek_event(row.event);
      ImGui::PopStyleColor();
      if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("%s at %s — click to jump here",
                          vm.trace().node(vm.trace().event(row.event).node).name.c_str(),
                          format_time(vm.trace().event(row.event).time).c_str());
      }
      ImGui::PopID();
    }
  }
  clipper.End();
  ImGui::PopFont();
  ImGui::EndChild();
}

}  // namespace mailscope::gui
