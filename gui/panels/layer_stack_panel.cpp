#include "gui/panels/layer_stack_panel.h"

#include <algorithm>
#include <cstdio>

#include "export/event_text.h"
#include "wire/dissect.h"

namespace mailscope::gui {

namespace {

constexpr std::uint64_t kEthernetOverheadBytes = 24;  // preamble, FCS, inter-frame gap

// The depth-0 protocol of a dissection that belongs to `layer`.
bool protocol_is_layer(const std::string& name, Layer layer) {
  switch (layer) {
    case Layer::Link:
      return name == "Ethernet II" || name == "Address Resolution Protocol";
    case Layer::Network:
      return name == "Internet Protocol Version 4" || name == "Internet Control Message Protocol";
    case Layer::Transport:
      return name == "Transmission Control Protocol" || name == "User Datagram Protocol";
    default:
      return false;
  }
}

std::vector<std::string> fields_of_layer(const wire::Dissection& d, Layer layer) {
  std::vector<std::string> out;
  bool in = false;
  for (const wire::Field& f : d.fields) {
    if (f.depth == 0) in = protocol_is_layer(f.name, layer);
    if (!in) continue;
    std::string line(f.depth, ' ');
    line += f.depth == 0 ? f.name : f.name + ": " + f.value;
    out.push_back(std::move(line));
    if (out.size() > 40) break;
  }
  return out;
}

// The frame an L2..L4 event travelled in on its node: the L2 event below it in the journey.
EventId frame_event(const ViewModel& vm, EventId id) {
  const Trace& trace = vm.trace();
  const TraceEvent& e = trace.event(id);
  if (e.layer <= Layer::Link) return id;
  if (e.kind == EventKind::Receive || e.kind == EventKind::Forward) {
    EventId cur = id;
    for (int i = 0; i < 8 && cur != kNoEvent; ++i) {
      const TraceEvent& c = trace.event(cur);
      if (c.layer == Layer::Link && c.node == e.node) return cur;
      cur = c.parent;
    }
    return kNoEvent;
  }
  // A send: the frame is built below it, maybe after ARP; search its descendants on this node.
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

}  // namespace

void LayerStackPanel::rebuild(const ViewModel& vm) {
  m_sender = Side{};
  m_receiver = Side{};
  m_hops.clear();
  m_summary.clear();
  const Trace& trace = vm.trace();
  const EventId cur = vm.current_event();
  if (cur == kNoEvent) return;
  const Journey& j = vm.current_journey();
  const TraceEvent& origin = trace.event(j.origin);
  const bool is_pdu = j.events.size() > 1 || origin.kind == EventKind::Request ||
                      origin.kind == EventKind::Response || origin.kind == EventKind::Send;
  if (!is_pdu) {
    m_summary = "This step carries no data: " + exporter::describe_event(trace, trace.event(cur));
    return;
  }

  // The receiving side shown: the node of the current step when it is one the PDU reached,
  // else the addressee.
  const TraceEvent& ce = trace.event(cur);
  // At a switch or router, that node: it shows how far up its stack the frame went.
  const NodeId receiver = ce.node != j.sender ? ce.node : j.destination;
  m_sender.node = j.sender;
  m_receiver.node = receiver;

  auto fill = [&](Side& side, EventId id) {
    const TraceEvent& e = trace.event(id);
    Cell& cell = side.cells[static_cast<std::size_t>(e.layer)];
    if (cell.event != kNoEvent) return;  // the first one at each layer
    cell.event = id;
    Trace::Scratch scratch;
    const auto data = trace.data(e, scratch);
    switch (e.layer) {
      case Layer::Application: {
        const auto lines = message_lines(trace, e, vm.index().protocol(id), ui().credentials, 2);
        cell.text = lines.empty() ? std::string() : lines.front();
        if (cell.text.empty()) cell.text = std::string(trace.text(e));
        break;
      }
      case Layer::Tls:
        cell.text = !trace.text(e).empty()
                        ? std::string(trace.text(e))
                        : "TLS record, " + std::to_string(data.size()) + " bytes";
        break;
      case Layer::Physical: {
        const std::uint64_t bits = (data.size() + kEthernetOverheadBytes) * 8;
        cell.text = std::to_string(data.size()) +
                    " B + 24 B preamble/FCS/gap = " + std::to_string(bits) + " bits";
        if (const auto link = vm.index().link_of(id)) {
          const TopoLink& l = vm.topology().links[*link];
          if (l.bandwidth_bps > 0) {
            const auto ns = static_cast<TimeNs>(bits * kSecond / l.bandwidth_bps);
            char buf[48];
            std::snprintf(buf, sizeof buf, ", %.1f µs to send", static_cast<double>(ns) / 1000.0);
            cell.text += buf;
          }
        }
        break;
      }
      default:
        cell.text = wire::summarize_pdu(e.layer, e.detail, data);
        break;
    }
    if (e.kind == EventKind::Drop)
      cell.text = "DROPPED (" + std::string(to_string(static_cast<DropReason>(e.detail))) +
                  "): " + cell.text;
    if (e.layer >= Layer::Link && e.layer <= Layer::Transport) {
      const EventId frame = frame_event(vm, id);
      if (frame != kNoEvent) {
        Trace::Scratch frame_bytes;
        const wire::Dissection d = wire::dissect_frame(trace.data(trace.event(frame), frame_bytes));
        cell.fields = fields_of_layer(d, e.layer);
      }
    }
  };
  for (EventId id : j.events) {
    const TraceEvent& e = trace.event(id);
    if (e.node == j.sender && (e.kind != EventKind::Receive)) fill(m_sender, id);
  }
  if (receiver != kNoNode) {
    for (EventId id : j.events) {
      const TraceEvent& e = trace.event(id);
      if (e.node == receiver && e.kind != EventKind::Send) fill(m_receiver, id);
    }
    // The addressee hands the bytes to its application: show them at L7 on its side.
    const Cell& l4 = m_receiver.cells[static_cast<std::size_t>(Layer::Transport)];
    Cell& l7 = m_receiver.cells[static_cast<std::size_t>(Layer::Application)];
    const Cell& sent_l7 = m_sender.cells[static_cast<std::size_t>(Layer::Application)];
    if (l7.event == kNoEvent && l4.event != kNoEvent && sent_l7.event != kNoEvent &&
        trace.event(l4.event).kind == EventKind::Receive) {
      l7.text = "delivered to the application: " + sent_l7.text;
      l7.event = sent_l7.event;
    }
    // The hops: from the receiver's first event back up the parent links to the sender.
    EventId first_at_receiver = kNoEvent;
    for (EventId id : j.events) {
      if (trace.event(id).node == receiver) {
        first_at_receiver = id;
        break;
      }
    }
    for (EventId id = first_at_receiver; id != kNoEvent && m_hops.size() < 64;) {
      const TraceEvent& e = trace.event(id);
      if (m_hops.empty() || m_hops.back() != e.node) m_hops.push_back(e.node);
      if (id == j.origin || e.parent == kNoEvent || e.parent >= id) break;
      id = e.parent;
    }
    std::reverse(m_hops.begin(), m_hops.end());
  }
}

void LayerStackPanel::draw_side(ViewModel& vm, const Side& side, const char* heading, float width,
                                bool up) {
  const Trace& trace = vm.trace();
  const EventId cur = vm.current_event();
  const EventId selected = vm.selected_event();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float scale = ui().scale;
  ImGui::PushFont(ui().fonts.bold);
  const std::string node = side.node < trace.node_count() ? trace.node(side.node).name : "—";
  ImGui::TextUnformatted(heading);
  ImGui::PopFont();
  ImGui::SameLine();
  ImGui::TextUnformatted(node.c_str());
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(up ? "The receiver unwraps the layers, bottom to top"
                         : "The sender wraps the data in one header per layer, top to bottom");

  // Top to bottom: L7, TLS, L4, L3, L2, L1.
  for (std::size_t k = kLayers; k-- > 0;) {
    const auto layer = static_cast<Layer>(k);
    const Cell& cell = side.cells[k];
    const bool used = cell.event != kNoEvent;
    if (layer == Layer::Tls && !used) continue;  // most PDUs have no TLS: no empty band for it
    ImGui::PushID(static_cast<int>(k));
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float text_x = 46.0f * scale;
    const float wrap = std::max(width - text_x - 8.0f * scale, 40.0f);
    const std::string text = used ? cell.text : "—";
    ImFont* small = ui().fonts.small;
    const ImVec2 ts = small->CalcTextSizeA(small->FontSize, FLT_MAX, wrap, text.c_str());
    const float h = used ? std::max(ts.y + 8.0f * scale + small->FontSize, 34.0f * scale)
                         : small->FontSize + 8.0f * scale;
    ImGui::InvisibleButton("band", ImVec2(width, h));
    if (used && ImGui::IsItemClicked()) vm.select_event(cell.event);
    const bool is_current = used && cell.event == cur;
    const bool is_selected = used && cell.event == selected;
    const ImU32 colour = layer_colour(layer, used ? 1.0f : 0.35f);
    dl->AddRectFilled(p, ImVec2(p.x + width, p.y + h), layer_colour(layer, used ? 0.16f : 0.05f),
                      4.0f);
    dl->AddRectFilled(p, ImVec2(p.x + 6.0f * scale, p.y + h), colour, 4.0f);
    if (is_current || is_selected) {
      dl->AddRect(p, ImVec2(p.x + width, p.y + h),
                  is_current ? IM_COL32(255, 255, 255, 230) : IM_COL32(255, 255, 255, 120), 4.0f, 0,
                  is_current ? 2.5f : 1.5f);
    }
    const std::string tag(to_string(layer));
    dl->AddText(ui().fonts.bold, ui().fonts.bold->FontSize,
                ImVec2(p.x + 12.0f * scale, p.y + (used ? 4.0f : 2.0f) * scale), colour,
                tag.c_str());
    const std::string title = std::string(layer_title(layer)) + " — " +
                              (used ? std::string(pdu_name(layer)) : std::string("not used"));
    dl->AddText(small, small->FontSize, ImVec2(p.x + text_x, p.y + (used ? 3.0f : 4.0f) * scale),
                layer_colour(layer, used ? 0.95f : 0.4f), title.c_str());
    if (used) {
      dl->AddText(small, small->FontSize,
                  ImVec2(p.x + text_x, p.y + 4.0f * scale + small->FontSize),
                  IM_COL32(232, 236, 244, 255), text.c_str(), nullptr, wrap);
    }
    if (used && ImGui::IsItemHovered() && !cell.fields.empty()) {
      ImGui::BeginTooltip();
      ImGui::PushFont(ui().fonts.mono);
      for (const std::string& f : cell.fields)
        ImGui::TextUnformatted(f.c_str());
      ImGui::PopFont();
      ImGui::TextDisabled("click to open it in the packet inspector");
      ImGui::EndTooltip();
    }
    ImGui::PopID();
  }
}

void LayerStackPanel::draw_content(ViewModel& vm) {
  if (m_for != &vm || m_revision != vm.revision()) {
    rebuild(vm);
    m_for = &vm;
    m_revision = vm.revision();
  }
  if (vm.current_event() == kNoEvent) {
    ImGui::TextDisabled("Nothing to show: the filter hides every event.");
    return;
  }
  if (!m_summary.empty()) {
    ImGui::TextWrapped("%s", m_summary.c_str());
    ImGui::TextDisabled("Step forward to the next packet to see its layers.");
    return;
  }
  // The hops between the two stacks, the current node marked.
  const Trace& trace = vm.trace();
  const NodeId cur_node = trace.event(vm.current_event()).node;
  ImGui::PushFont(ui().fonts.small);
  for (std::size_t i = 0; i < m_hops.size(); ++i) {
    if (i > 0) {
      ImGui::SameLine(0, 4);
      ImGui::TextDisabled("›");
      ImGui::SameLine(0, 4);
    }
    const std::string& name = trace.node(m_hops[i]).name;
    if (m_hops[i] == cur_node)
      ImGui::TextColored(ImVec4(1, 1, 1, 1), "[%s]", name.c_str());
    else
      ImGui::TextDisabled("%s", name.c_str());
  }
  ImGui::PopFont();
  ImGui::Separator();

  const float avail = ImGui::GetContentRegionAvail().x;
  const float gap = 10.0f * ui().scale;
  const float col = (avail - gap) / 2;
  ImGui::BeginGroup();
  draw_side(vm, m_sender, "Sender ↓", col, false);
  ImGui::EndGroup();
  ImGui::SameLine(0, gap);
  ImGui::BeginGroup();
  if (m_receiver.node == kNoNode) {
    ImGui::TextDisabled("It has not arrived anywhere (yet).");
  } else {
    draw_side(vm, m_receiver, "Receiver ↑", col, true);
  }
  ImGui::EndGroup();
}

}  // namespace mailscope::gui
