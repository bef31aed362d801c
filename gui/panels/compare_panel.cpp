#include "gui/panels/compare_panel.h"

#include <cinttypes>
#include <cstdio>

namespace mailscope::gui {

std::string format_duration(std::uint64_t ns) {
  char buffer[32];
  if (ns >= 1'000'000'000)
    std::snprintf(buffer, sizeof buffer, "%.3f s", static_cast<double>(ns) / 1e9);
  else if (ns >= 1'000'000)
    std::snprintf(buffer, sizeof buffer, "%.1f ms", static_cast<double>(ns) / 1e6);
  else
    std::snprintf(buffer, sizeof buffer, "%.0f µs", static_cast<double>(ns) / 1e3);
  return buffer;
}

void DifferencesPanel::draw_content(ViewModel& vm) {
  if (m_session == nullptr || !m_session->comparing()) {
    ImGui::TextDisabled("Not comparing.");
    return;
  }
  Session& s = *m_session;
  CompareSync& sync = s.sync();
  ViewModel& right = s.compare_vm();
  const RunStats a_now = s.stats_main().at(vm.current_event());
  const RunStats a_all = s.stats_main().total();
  const RunStats b_now = s.stats_compare().at(right.current_event());
  const RunStats b_all = s.stats_compare().total();

  ImGui::TextDisabled("A: %s", vm.run().metadata.id.c_str());
  ImGui::SameLine();
  ImGui::TextDisabled("·  B: %s", right.run().metadata.id.c_str());
  if (ImGui::BeginTable("##diff", 3,
                        ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_BordersOuterH |
                            ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("so far / total", ImGuiTableColumnFlags_WidthStretch, 1.3f);
    ImGui::TableSetupColumn("A", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("B", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableHeadersRow();
    char a_text[48], b_text[48];
    for (int m = 0; m < static_cast<int>(Metric::Count); ++m) {
      const auto metric = static_cast<Metric>(m);
      const bool differs = a_all[metric] != b_all[metric];
      if (metric == Metric::ElapsedNs) {
        std::snprintf(a_text, sizeof a_text, "%s", format_duration(a_now[metric]).c_str());
        std::snprintf(b_text, sizeof b_text, "%s", format_duration(b_now[metric]).c_str());
      } else {
        std::snprintf(a_text, sizeof a_text, "%" PRIu64 " / %" PRIu64, a_now[metric],
                      a_all[metric]);
        std::snprintf(b_text, sizeof b_text, "%" PRIu64 " / %" PRIu64, b_now[metric],
                      b_all[metric]);
      }
      ImGui::TableNextRow();
      // Rows whose totals differ are what the comparison is about.
      if (differs) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, IM_COL32(140, 100, 30, 80));
      ImGui::TableNextColumn();
      const std::string_view name = to_string(metric);
      ImGui::TextUnformatted(name.data(), name.data() + name.size());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(a_text);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(b_text);
    }
    ImGui::EndTable();
  }
  ImGui::Spacing();
  int mode = sync.mode() == SyncMode::ByPhase ? 0 : 1;
  ImGui::TextUnformatted("B follows A");
  ImGui::SameLine();
  if (ImGui::RadioButton("by phase", &mode, 0)) sync.set_mode(SyncMode::ByPhase);
  ImGui::SameLine();
  if (ImGui::RadioButton("by time", &mode, 1)) sync.set_mode(SyncMode::ByTime);
  if (sync.right_waiting()) {
    if (const auto p = vm.current_phase()) {
      ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.4f, 1.0f), "B has no %s phase here: it waits.",
                         std::string(to_string(vm.index().phases()[*p].kind)).c_str());
    }
  }
  // The phases of A, each with its counterpart in B (or none).
  const auto phases = vm.index().phases();
  const auto right_phases = right.index().phases();
  const auto current = vm.current_phase();
  const auto alignment = sync.alignment();
  if (phases.size() <= 24) {
    for (std::size_t i = 0; i < phases.size(); ++i) {
      const bool here = current && *current == i;
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(
                                               phase_colour(phases[i].kind, here ? 1.0f : 0.65f)));
      if (alignment[i]) {
        ImGui::Text("%s%zu %s  ↔  B%zu", here ? "▶ A" : "   A", i + 1,
                    std::string(to_string(phases[i].kind)).c_str(), *alignment[i] + 1);
      } else {
        ImGui::Text("%s%zu %s  ↔  —", here ? "▶ A" : "   A", i + 1,
                    std::string(to_string(phases[i].kind)).c_str());
      }
      ImGui::PopStyleColor();
    }
    (void)right_phases;
  } else {
    ImGui::TextDisabled("%zu phases in A, %zu in B", phases.size(), right_phases.size());
  }
}

}  // namespace mailscope::gui
