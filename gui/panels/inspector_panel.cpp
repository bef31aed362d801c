#include "gui/panels/inspector_panel.h"

#include <algorithm>
#include <cstdio>

#include "gui/core/describe.h"
#include "wire/dissect.h"
#include "wire/dns_dissect.h"

namespace mailscope::gui {

namespace {

constexpr std::size_t kDumpBytesMax = 64 * 1024;  // larger PDUs are cut in the hex view

// The L2 event of the frame that carried `id` on its node, or kNoEvent.
EventId carrying_frame(const ViewModel& vm, EventId id) {
  const Trace& trace = vm.trace();
  const TraceEvent& e = trace.event(id);
  if (e.layer == Layer::Physical || e.layer == Layer::Link) return id;
  if (e.layer != Layer::Network && e.layer != Layer::Transport) return kNoEvent;
  if (e.kind != EventKind::Send) {
    for (EventId cur = e.parent; cur != kNoEvent && cur < id;) {
      const TraceEvent& c = trace.event(cur);
      if (c.node != e.node) break;
      if (c.layer == Layer::Link) return cur;
      cur = c.parent;
      if (cur != kNoEvent && cur >= id) break;
    }
    return kNoEvent;
  }
  std::vector<EventId> frontier{id};
  for (int depth = 0; depth < 8 && !frontier.empty(); ++depth) {
    std::vector<EventId> next;
    for (EventId f : frontier) {
      for (EventId c : vm.index().children(f)) {
        const TraceEvent& ce = trace.event(c);
        if (ce.node != e.node || !continues_parent(ce, trace.event(f))) continue;
        if (ce.layer == Layer::Link) return c;
        next.push_back(c);
      }
    }
    frontier = std::move(next);
  }
  return kNoEvent;
}

const char* layer_protocol_names(Layer layer, std::size_t i) {
  static const char* const kL2[] = {"Ethernet II", "Address Resolution Protocol"};
  static const char* const kL3[] = {"Internet Protocol Version 4",
                                    "Internet Control Message Protocol"};
  static const char* const kL4[] = {"Transmission Control Protocol", "User Datagram Protocol"};
  if (i >= 2) return nullptr;
  switch (layer) {
    case Layer::Link:
      return kL2[i];
    case Layer::Network:
      return kL3[i];
    case Layer::Transport:
      return kL4[i];
    default:
      return nullptr;
  }
}

}  // namespace

Inspection inspect_event(const ViewModel& vm, EventId id) {
  Inspection out;
  out.event = id;
  if (id == kNoEvent || id >= vm.trace().size()) return out;
  const Trace& trace = vm.trace();
  const TraceEvent& e = trace.event(id);
  out.summary = describe_step(vm.index(), id);
  const Protocol protocol = vm.index().protocol(id);
  const EventId frame = carrying_frame(vm, id);
  Trace::Scratch scratch;
  if (frame != kNoEvent && !trace.data_ref(trace.event(frame)).empty()) {
    out.bytes_event = frame;
    const auto bytes = trace.data(trace.event(frame), scratch);
    out.bytes.assign(bytes.begin(), bytes.end());
    wire::Dissection d = wire::dissect_frame(bytes);
    // DNS inside UDP: decode the payload with the DNS dissector instead of a "Data" line.
    if (protocol == Protocol::Dns) {
      const auto data = std::find_if(d.fields.begin(), d.fields.end(), [](const wire::Field& f) {
        return f.depth == 0 && f.name.starts_with("Data");
      });
      if (data != d.fields.end() && data->offset + data->length <= bytes.size()) {
        const std::uint32_t offset = data->offset, length = data->length;
        d.fields.erase(data, d.fields.end());
        wire::dissect_dns(bytes.subspan(offset, length), offset, 0, d.fields);
      }
    }
    out.fields = std::move(d.fields);
    if (e.layer == Layer::Physical) {
      out.layer_offset = 0;
      out.layer_length = static_cast<std::uint32_t>(out.bytes.size());
    }
    for (const wire::Field& f : out.fields) {
      if (f.depth != 0) continue;
      for (std::size_t i = 0; const char* name = layer_protocol_names(e.layer, i); ++i) {
        if (f.name == name && out.layer_length == 0) {
          out.layer_offset = f.offset;
          out.layer_length = f.length;
        }
      }
    }
    return out;
  }
  // An application or TLS event, or a PDU whose frame was never built: its own bytes.
  const auto bytes = trace.data(e, scratch);
  out.bytes_event = id;
  out.bytes.assign(bytes.begin(), std::min(bytes.end(), bytes.begin() + kDumpBytesMax));
  out.layer_offset = 0;
  out.layer_length = static_cast<std::uint32_t>(out.bytes.size());
  if (bytes.empty()) {
    const std::string_view text = trace.text(e);
    if (!text.empty()) out.fields.push_back(wire::Field{0, "Text", std::string(text), 0, 0});
    return out;
  }
  if (protocol == Protocol::Dns && e.layer == Layer::Application) {
    wire::dissect_dns(bytes, 0, 0, out.fields);
    return out;
  }
  const auto lines = message_lines(trace, e, protocol, Credentials::Show, 64);
  out.fields.push_back(wire::Field{
      0, std::string(to_string(protocol)) + " " + std::string(to_string(e.kind)),
      std::to_string(bytes.size()) + " bytes", 0, static_cast<std::uint32_t>(bytes.size())});
  std::uint32_t at = 0;
  for (std::size_t i = 0; i < lines.size() && at < bytes.size(); ++i) {
    std::uint32_t end = at;
    while (end < bytes.size() && bytes[end] != '\n')
      ++end;
    if (end < bytes.size()) ++end;
    out.fields.push_back(wire::Field{1, "Line", lines[i], at, end - at});
    at = end;
  }
  return out;
}

std::size_t InspectorPanel::draw_field(std::size_t i) {
  const auto& fields = m_inspection.fields;
  const wire::Field& f = fields[i];
  const bool has_children = i + 1 < fields.size() && fields[i + 1].depth > f.depth;
  ImGuiTreeNodeFlags flags = ImGuiTreeNodeFlags_SpanAvailWidth | ImGuiTreeNodeFlags_OpenOnArrow;
  if (!has_children) flags |= ImGuiTreeNodeFlags_Leaf | ImGuiTreeNodeFlags_NoTreePushOnOpen;
  if (f.depth == 0 && has_children) flags |= ImGuiTreeNodeFlags_DefaultOpen;
  if (static_cast<int>(i) == m_selected_field) flags |= ImGuiTreeNodeFlags_Selected;
  ImGui::PushID(static_cast<int>(i));
  const bool open =
      f.value.empty() ? ImGui::TreeNodeEx("##f", flags, "%s", f.name.c_str())
                      : ImGui::TreeNodeEx("##f", flags, "%s: %s", f.name.c_str(), f.value.c_str());
  if (ImGui::IsItemClicked()) m_selected_field = static_cast<int>(i);
  ImGui::PopID();
  std::size_t next = i + 1;
  if (!has_children) return next;
  // Children are the following fields deeper than this one; the recursion is as deep as the
  // tree (a few levels).
  while (next < fields.size() && fields[next].depth > f.depth)
    next = open ? draw_field(next) : next + 1;
  if (open) ImGui::TreePop();
  return next;
}

void InspectorPanel::draw_tree() {
  for (std::size_t i = 0; i < m_inspection.fields.size();)
    i = draw_field(i);
}

void InspectorPanel::draw_hex() {
  const auto& bytes = m_inspection.bytes;
  if (bytes.empty()) {
    ImGui::TextDisabled("No bytes: this step is a note about the moment.");
    return;
  }
  std::uint32_t sel_begin = 0, sel_end = 0;
  if (m_selected_field >= 0 &&
      static_cast<std::size_t>(m_selected_field) < m_inspection.fields.size()) {
    const wire::Field& f = m_inspection.fields[static_cast<std::size_t>(m_selected_field)];
    sel_begin = f.offset;
    sel_end = f.offset + f.length;
  }
  const std::uint32_t layer_begin = m_inspection.layer_offset;
  const std::uint32_t layer_end = layer_begin + m_inspection.layer_length;
  ImGui::PushFont(ui().fonts.mono);
  const float char_w = ImGui::CalcTextSize("0").x;
  const float line_h = ImGui::GetTextLineHeightWithSpacing();
  // 16 bytes a row when the panel is wide enough for them and their ASCII, else 8.
  const std::size_t per_row = ImGui::GetContentRegionAvail().x >= char_w * 74 ? 16 : 8;
  const std::size_t half = per_row / 2;
  const float ascii_start = 6.0f + 3.0f * static_cast<float>(per_row) + 2.0f;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const int rows = static_cast<int>((bytes.size() + per_row - 1) / per_row);
  ImGuiListClipper clipper;
  clipper.Begin(rows, line_h);
  char line[128];
  while (clipper.Step()) {
    for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
      const std::size_t base = static_cast<std::size_t>(row) * per_row;
      const ImVec2 p = ImGui::GetCursorScreenPos();
      // Tints first, text over them: byte i's column is 6 + 3i, one more after the middle.
      for (std::size_t i = 0; i < per_row && base + i < bytes.size(); ++i) {
        const auto at = static_cast<std::uint32_t>(base + i);
        const float col = 6.0f + 3.0f * static_cast<float>(i) + (i >= half ? 1.0f : 0.0f);
        const float ascii_col = ascii_start + static_cast<float>(i);
        ImU32 tint = 0;
        if (at >= sel_begin && at < sel_end)
          tint = IM_COL32(90, 150, 255, 150);
        else if (at >= layer_begin && at < layer_end)
          tint = IM_COL32(255, 255, 255, 24);
        if (tint != 0) {
          dl->AddRectFilled(ImVec2(p.x + (col - 0.5f) * char_w, p.y),
                            ImVec2(p.x + (col + 2.5f) * char_w, p.y + line_h - 1), tint);
          dl->AddRectFilled(ImVec2(p.x + ascii_col * char_w, p.y),
                            ImVec2(p.x + (ascii_col + 1) * char_w, p.y + line_h - 1), tint);
        }
      }
      int n = std::snprintf(line, sizeof line, "%04zx  ", base);
      for (std::size_t i = 0; i < per_row; ++i) {
        if (i == half) line[n++] = ' ';
        if (base + i < bytes.size())
          n += std::snprintf(line + n, sizeof line - static_cast<std::size_t>(n), "%02x ",
                             bytes[base + i]);
        else
          n += std::snprintf(line + n, sizeof line - static_cast<std::size_t>(n), "   ");
      }
      line[n++] = ' ';
      for (std::size_t i = 0; i < per_row && base + i < bytes.size(); ++i) {
        const std::uint8_t b = bytes[base + i];
        line[n++] = b >= 0x20 && b < 0x7f ? static_cast<char>(b) : '.';
      }
      line[n] = '\0';
      ImGui::TextUnformatted(line);
    }
  }
  clipper.End();
  ImGui::PopFont();
}

void InspectorPanel::draw_content(ViewModel& vm) {
  const EventId id = vm.selected_event();
  if (m_for != &vm || id != m_event) {
    m_inspection = inspect_event(vm, id);
    m_for = &vm;
    m_event = id;
    m_selected_field = -1;
  }
  if (id == kNoEvent) {
    ImGui::TextDisabled("No event selected.");
    return;
  }
  const TraceEvent& e = vm.trace().event(id);
  ImGui::PushFont(ui().fonts.bold);
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(layer_colour(e.layer)), "%s",
                     std::string(to_string(e.layer)).c_str());
  ImGui::PopFont();
  ImGui::SameLine();
  ImGui::TextWrapped("%s", m_inspection.summary.c_str());
  ImGui::TextDisabled("event #%u · %s · %s%s", id, vm.trace().node(e.node).name.c_str(),
                      format_time(e.time).c_str(),
                      m_inspection.bytes_event != id && m_inspection.bytes_event != kNoEvent
                          ? " · shown inside its frame"
                          : "");
  const float avail = ImGui::GetContentRegionAvail().y;
  ImGui::BeginChild("##tree", ImVec2(0, avail * 0.55f), true);
  draw_tree();
  ImGui::EndChild();
  ImGui::BeginChild("##hex", ImVec2(0, 0), true, ImGuiWindowFlags_HorizontalScrollbar);
  draw_hex();
  ImGui::EndChild();
}

}  // namespace mailscope::gui
