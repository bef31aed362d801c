#include "gui/panels/narration_panel.h"

#include <algorithm>
#include <string>

#include "gui/core/describe.h"

namespace mailscope::gui {

EventId narration_for(const RunIndex& index, std::span<const EventId> narrations, EventId event) {
  const auto it = std::upper_bound(narrations.begin(), narrations.end(), event);
  if (it == narrations.begin()) return kNoEvent;
  const EventId candidate = *(it - 1);
  if (index.phase_of(candidate) != index.phase_of(event)) return kNoEvent;
  return candidate;
}

const Lesson* lesson_for(const ViewModel& vm, const LessonBook& lessons, EventId event) {
  if (event == kNoEvent) return nullptr;
  const Trace& trace = vm.trace();
  const TraceEvent& e = trace.event(event);
  LessonQuery q;
  q.protocol = vm.index().protocol(event);
  q.layer = e.layer;
  q.kind = e.kind;
  if (const auto phase = vm.index().phase_of(event)) q.phase = vm.index().phases()[*phase].kind;
  std::string text;
  if (e.layer == Layer::Application && !trace.data_ref(e).empty() && q.protocol != Protocol::Dns) {
    const auto bytes = trace.message(e);
    text.assign(reinterpret_cast<const char*>(bytes.data()),
                std::min<std::size_t>(bytes.size(), 256));
  } else {
    text = std::string(trace.text(e));
  }
  const std::string description = describe_step(vm.index(), event);
  q.text = text;
  q.description = description;
  return lessons.match(q);
}

void NarrationPanel::draw_content(ViewModel& vm) {
  const Trace& trace = vm.trace();
  if (m_for != &vm) {
    m_narrations.clear();
    for (EventId id = 0; id < trace.size(); ++id) {
      if (trace.event(id).kind == EventKind::Narration) m_narrations.push_back(id);
    }
    m_for = &vm;
    m_event = kNoEvent;
  }
  const EventId cur = vm.current_event();
  if (cur == kNoEvent) {
    ImGui::TextWrapped("%s", vm.run().metadata.description.c_str());
    return;
  }
  if (cur != m_event) {
    m_event = cur;
    m_lesson = lesson_for(vm, ui().lessons, cur);
    m_description = ellipsize(describe_step(vm.index(), cur), 240);
  }
  const TraceEvent& e = trace.event(cur);
  const float wrap = ImGui::GetContentRegionAvail().x;

  // What happens, in one line.
  ImGui::PushFont(ui().fonts.bold);
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(layer_colour(e.layer)), "%s %s",
                     std::string(to_string(e.layer)).c_str(),
                     std::string(to_string(e.kind)).c_str());
  ImGui::PopFont();
  ImGui::SameLine();
  ImGui::TextColored(ImVec4(0.85f, 0.88f, 0.95f, 1.0f), "at %s", trace.node(e.node).name.c_str());
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
  ImGui::PushFont(ui().fonts.mono);
  ImGui::TextUnformatted(m_description.c_str());
  ImGui::PopFont();
  ImGui::Separator();

  // The scenario's words for this moment.
  const EventId narration = narration_for(vm.index(), m_narrations, cur);
  if (narration != kNoEvent) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.93f, 0.70f, 1.0f));
    ImGui::TextUnformatted(std::string(trace.text(trace.event(narration))).c_str());
    ImGui::PopStyleColor();
    ImGui::Spacing();
  }

  // The built-in explanation of this kind of step.
  if (const Lesson* lesson = m_lesson) {
    if (!lesson->title.empty()) {
      ImGui::PushFont(ui().fonts.bold);
      ImGui::TextUnformatted(lesson->title.c_str());
      ImGui::PopFont();
    }
    ImGui::TextUnformatted(lesson->text.c_str());
  } else if (narration == kNoEvent) {
    ImGui::TextDisabled("Step through the run with → and ←; F1 lists every key.");
  }
  ImGui::PopTextWrapPos();
}

}  // namespace mailscope::gui
