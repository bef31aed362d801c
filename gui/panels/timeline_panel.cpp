#include "gui/panels/timeline_panel.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string>

namespace mailscope::gui {

namespace {

bool icon_button(const char* label, const char* tip, ImVec2 size) {
  const bool pressed = ImGui::Button(label, size);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
  return pressed;
}

}  // namespace

std::string describe_filter(const Filter& f) {
  if (f.is_everything()) return "everything";
  if (f == Filter::messages_only()) return "messages only";
  if (f == Filter::wire_and_messages()) return "wire + messages";
  if (f == Filter::mail_protocols()) return "mail protocols";
  const int protocols = std::popcount(f.protocols & (Filter::kAllProtocols & ~bit(Protocol::None)));
  const int layers = std::popcount(f.layers);
  return std::to_string(protocols) + "/" + std::to_string(static_cast<int>(Protocol::Count) - 1) +
         " protocols, " + std::to_string(layers) + "/" +
         std::to_string(static_cast<int>(Layer::Count)) + " layers";
}

void TimelinePanel::draw_controls(ViewModel& vm) {
  const float s = ui().scale;
  const ImVec2 button(34.0f * s, 0);
  if (icon_button("⇤", "First step (Home)", button)) vm.execute(Command::Home);
  ImGui::SameLine();
  if (icon_button("◀◀", "Previous phase (Shift+←)", button)) vm.execute(Command::PhasePrev);
  ImGui::SameLine();
  if (icon_button("◀", "Step back (←)", button)) vm.execute(Command::StepBack);
  ImGui::SameLine();
  if (icon_button(vm.playing() ? "❚❚" : "▶", vm.playing() ? "Pause (Space)" : "Play (Space)",
                  ImVec2(48.0f * s, 0)))
    vm.execute(Command::PlayPause);
  ImGui::SameLine();
  if (icon_button("▶##step", "Step forward (→)", button)) vm.execute(Command::StepForward);
  ImGui::SameLine();
  if (icon_button("▶▶", "Next phase (Shift+→)", button)) vm.execute(Command::PhaseNext);
  ImGui::SameLine();
  if (icon_button("⇥", "Last step (End)", button)) vm.execute(Command::End);
  ImGui::SameLine(0, 18.0f * s);

  float speed = static_cast<float>(vm.speed());
  ImGui::SetNextItemWidth(150.0f * s);
  if (ImGui::SliderFloat("##speed", &speed, 0.1f, 10.0f, "speed %.1f×",
                         ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp))
    vm.set_speed(speed);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Playback speed: 0.1× to 10× (Ctrl+click to type)");
  ImGui::SameLine(0, 18.0f * s);

  const std::string filter_label = "Filter: " + describe_filter(vm.filter()) + " ▾";
  if (ImGui::Button(filter_label.c_str())) ImGui::OpenPopup("filters");
  draw_filter_popup(vm);
  ImGui::SameLine(0, 18.0f * s);

  const EventId cur = vm.current_event();
  if (cur != kNoEvent) {
    const TraceEvent& e = vm.trace().event(cur);
    ImGui::Text("step %zu / %zu", vm.step() + 1, vm.step_count());
    ImGui::SameLine();
    ImGui::TextDisabled("·  t = %s  ·  event #%u", format_time(e.time).c_str(), cur);
  } else {
    ImGui::TextDisabled("no steps: the filter hides everything");
  }
  const float help_w = ImGui::CalcTextSize("? Keys (F1)").x + 16.0f * s;
  ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - help_w));
  if (ImGui::Button("? Keys (F1)")) ui().show_help = !ui().show_help;
}

void TimelinePanel::draw_filter_popup(ViewModel& vm) {
  if (!ImGui::BeginPopup("filters")) return;
  Filter f = vm.filter();
  ImGui::TextDisabled("Presets");
  if (ImGui::Button("Everything")) f = Filter::everything();
  ImGui::SameLine();
  if (ImGui::Button("Messages only")) f = Filter::messages_only();
  ImGui::SameLine();
  if (ImGui::Button("Wire + messages")) f = Filter::wire_and_messages();
  ImGui::SameLine();
  if (ImGui::Button("Mail protocols")) f = Filter::mail_protocols();
  ImGui::Separator();
  ImGui::TextDisabled("Protocols");
  for (int i = 0; i < static_cast<int>(Protocol::None); ++i) {
    const auto p = static_cast<Protocol>(i);
    bool on = (f.protocols & bit(p)) != 0;
    ImGui::PushStyleColor(ImGuiCol_CheckMark, ImGui::ColorConvertU32ToFloat4(protocol_colour(p)));
    if (ImGui::Checkbox(std::string(to_string(p)).c_str(), &on))
      f.protocols = on ? f.protocols | bit(p) : f.protocols & ~bit(p);
    ImGui::PopStyleColor();
    if (i % 5 != 4) ImGui::SameLine();
  }
  ImGui::NewLine();
  ImGui::TextDisabled("Layers");
  for (int i = static_cast<int>(Layer::Count); i-- > 0;) {
    const auto l = static_cast<Layer>(i);
    bool on = (f.layers & bit(l)) != 0;
    ImGui::PushStyleColor(ImGuiCol_CheckMark, ImGui::ColorConvertU32ToFloat4(layer_colour(l)));
    if (ImGui::Checkbox((std::string(to_string(l)) + " " + std::string(layer_title(l))).c_str(),
                        &on))
      f.layers = on ? f.layers | bit(l) : f.layers & ~bit(l);
    ImGui::PopStyleColor();
    if (i != 0) ImGui::SameLine();
  }
  vm.set_filter(f);
  ImGui::EndPopup();
}

void TimelinePanel::draw_scrubber(ViewModel& vm) {
  const float s = ui().scale;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float w = std::max(ImGui::GetContentRegionAvail().x, 50.0f);
  const float h = std::max(ImGui::GetContentRegionAvail().y, 24.0f * s);
  ImGui::InvisibleButton("##scrub", ImVec2(w, h));
  const std::size_t count = vm.step_count();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), IM_COL32(26, 30, 40, 255), 4.0f);
  if (count == 0) return;
  const float per_step = w / static_cast<float>(count);
  auto x_of = [&](std::size_t step) { return p.x + per_step * static_cast<float>(step); };

  // Phase bands, labelled when they are wide enough.
  const auto phases = vm.index().phases();
  ImFont* small = ui().fonts.small;
  for (std::size_t i = 0; i < phases.size(); ++i) {
    const std::size_t s0 = vm.step_at_or_after(phases[i].first);
    const std::size_t s1 = vm.step_at_or_after(phases[i].last + 1);
    if (s0 >= s1) continue;
    const float x0 = x_of(s0), x1 = x_of(s1);
    dl->AddRectFilled(ImVec2(x0, p.y), ImVec2(x1, p.y + h), phase_colour(phases[i].kind, 0.42f));
    dl->AddLine(ImVec2(x0, p.y), ImVec2(x0, p.y + h), phase_colour(phases[i].kind), 2.0f);
    const std::string name(to_string(phases[i].kind));
    const ImVec2 ts = small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, name.c_str());
    if (ts.x + 8 < x1 - x0)
      dl->AddText(small, small->FontSize, ImVec2(x0 + 5, p.y + (h - ts.y) / 2),
                  IM_COL32(240, 242, 248, 255), name.c_str());
  }
  // Application messages as ticks along the top edge.
  std::size_t drawn = 0;
  for (EventId m : vm.index().messages()) {
    if (++drawn > 4000) break;
    const std::size_t st = vm.step_at_or_after(m);
    if (st >= count) break;
    const float x = x_of(st) + per_step / 2;
    dl->AddLine(ImVec2(x, p.y), ImVec2(x, p.y + h * 0.28f), IM_COL32(255, 255, 255, 150), 1.0f);
  }
  // The cursor.
  const float cx = x_of(vm.step()) + per_step / 2;
  dl->AddLine(ImVec2(cx, p.y - 2), ImVec2(cx, p.y + h + 2), IM_COL32(255, 255, 255, 255), 2.5f * s);
  dl->AddTriangleFilled(ImVec2(cx - 6 * s, p.y - 3), ImVec2(cx + 6 * s, p.y - 3),
                        ImVec2(cx, p.y + 6 * s), IM_COL32(255, 255, 255, 255));

  auto step_at = [&](float mouse_x) {
    const float t = std::clamp((mouse_x - p.x) / w, 0.0f, 1.0f);
    return std::min(count - 1, static_cast<std::size_t>(t * static_cast<float>(count)));
  };
  if (ImGui::IsItemActive() && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
    const std::size_t target = step_at(ImGui::GetIO().MousePos.x);
    if (target != vm.step()) {
      vm.seek_step(target);
      vm.settle();
    }
  }
  if (ImGui::IsItemHovered()) {
    const std::size_t target = step_at(ImGui::GetIO().MousePos.x);
    const EventId e = vm.visible_events()[target];
    const auto phase = vm.index().phase_of(e);
    ImGui::SetTooltip("step %zu — %s\n%s", target + 1,
                      format_time(vm.trace().event(e).time).c_str(),
                      phase ? phases[*phase].label.c_str() : "");
  }
}

void TimelinePanel::draw_content(ViewModel& vm) {
  draw_controls(vm);
  draw_scrubber(vm);
}

}  // namespace mailscope::gui
