#include "gui/panels/topology_panel.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <string>

#include "core/time.h"
#include "gui/panels/frame_layers.h"

namespace mailscope::gui {

namespace {

constexpr float kZoomMin = 0.3f;
constexpr float kZoomMax = 5.0f;

ImVec2 operator+(ImVec2 a, ImVec2 b) {
  return ImVec2(a.x + b.x, a.y + b.y);
}
ImVec2 operator-(ImVec2 a, ImVec2 b) {
  return ImVec2(a.x - b.x, a.y - b.y);
}
ImVec2 operator*(ImVec2 a, float s) {
  return ImVec2(a.x * s, a.y * s);
}
float length(ImVec2 v) {
  return std::sqrt(v.x * v.x + v.y * v.y);
}
ImVec2 lerp(ImVec2 a, ImVec2 b, float t) {
  return a + (b - a) * t;
}
float smooth(float t) {
  return t * t * (3.0f - 2.0f * t);
}

float distance_to_segment(ImVec2 p, ImVec2 a, ImVec2 b) {
  const ImVec2 ab = b - a;
  const float len2 = ab.x * ab.x + ab.y * ab.y;
  float t = len2 > 0 ? ((p.x - a.x) * ab.x + (p.y - a.y) * ab.y) / len2 : 0.0f;
  t = std::clamp(t, 0.0f, 1.0f);
  return length(p - (a + ab * t));
}

constexpr std::array<ImU32, 4> kDomainColours{
    IM_COL32(86, 164, 255, 255), IM_COL32(255, 150, 64, 255), IM_COL32(96, 206, 124, 255),
    IM_COL32(176, 128, 255, 255)};

ImU32 with_alpha(ImU32 colour, float alpha) {
  return (colour & 0x00FFFFFFu) | (static_cast<ImU32>(alpha * 255.0f) << IM_COL32_A_SHIFT);
}

void arrow(ImDrawList* dl, ImVec2 from, ImVec2 to, ImU32 colour, float thickness, float head) {
  dl->AddLine(from, to, colour, thickness);
  const ImVec2 d = to - from;
  const float len = length(d);
  if (len <= 0) return;
  const ImVec2 u = d * (1.0f / len);
  const ImVec2 n(-u.y, u.x);
  dl->AddTriangleFilled(to + u * (head * 0.4f), to - u * head + n * (head * 0.6f),
                        to - u * head - n * (head * 0.6f), colour);
}

// The icons, drawn around centre c with size r (about the icon's half width).
void draw_icon(ImDrawList* dl, NodeIcon icon, ImVec2 c, float r) {
  const ImU32 edge = IM_COL32(200, 210, 230, 255);
  const ImU32 white = IM_COL32(245, 248, 255, 255);
  const float t = std::max(1.0f, r * 0.08f);
  switch (icon) {
    case NodeIcon::Host: {
      // A monitor on a stand.
      const ImVec2 a(c.x - r, c.y - r * 0.78f), b(c.x + r, c.y + r * 0.36f);
      dl->AddRectFilled(a, b, IM_COL32(52, 62, 84, 255), r * 0.12f);
      dl->AddRectFilled(a + ImVec2(r * 0.14f, r * 0.14f), b - ImVec2(r * 0.14f, r * 0.14f),
                        IM_COL32(70, 140, 210, 255), r * 0.06f);
      dl->AddRect(a, b, edge, r * 0.12f, 0, t);
      dl->AddRectFilled(ImVec2(c.x - r * 0.18f, b.y), ImVec2(c.x + r * 0.18f, b.y + r * 0.26f),
                        edge);
      dl->AddRectFilled(ImVec2(c.x - r * 0.6f, b.y + r * 0.26f),
                        ImVec2(c.x + r * 0.6f, b.y + r * 0.4f), edge, r * 0.05f);
      break;
    }
    case NodeIcon::Server: {
      // A tower with three drive bays and their lights.
      const ImVec2 a(c.x - r * 0.62f, c.y - r), b(c.x + r * 0.62f, c.y + r);
      dl->AddRectFilled(a, b, IM_COL32(58, 64, 82, 255), r * 0.1f);
      dl->AddRect(a, b, edge, r * 0.1f, 0, t);
      for (int i = 0; i < 3; ++i) {
        const float y = c.y - r * 0.62f + static_cast<float>(i) * r * 0.48f;
        dl->AddRectFilled(ImVec2(a.x + r * 0.16f, y), ImVec2(b.x - r * 0.16f, y + r * 0.3f),
                          IM_COL32(34, 38, 50, 255), r * 0.04f);
        dl->AddCircleFilled(ImVec2(b.x - r * 0.3f, y + r * 0.15f), r * 0.07f,
                            IM_COL32(110, 230, 130, 255));
      }
      break;
    }
    case NodeIcon::Router: {
      // The classic router symbol: a disc with arrows in and out.
      dl->AddCircleFilled(c, r * 0.9f, IM_COL32(44, 108, 168, 255), 32);
      dl->AddCircle(c, r * 0.9f, edge, 32, t);
      const float in = r * 0.16f, out = r * 0.62f, head = r * 0.2f;
      arrow(dl, c + ImVec2(-out, -out) * 0.72f, c + ImVec2(-in, -in), white, t * 1.4f, head);
      arrow(dl, c + ImVec2(out, out) * 0.72f, c + ImVec2(in, in), white, t * 1.4f, head);
      arrow(dl, c + ImVec2(in, -in), c + ImVec2(out, -out) * 0.72f, white, t * 1.4f, head);
      arrow(dl, c + ImVec2(-in, in), c + ImVec2(-out, out) * 0.72f, white, t * 1.4f, head);
      break;
    }
    case NodeIcon::Switch: {
      // A flat box with arrows both ways.
      const ImVec2 a(c.x - r * 1.05f, c.y - r * 0.5f), b(c.x + r * 1.05f, c.y + r * 0.5f);
      dl->AddRectFilled(a, b, IM_COL32(34, 128, 128, 255), r * 0.12f);
      dl->AddRect(a, b, edge, r * 0.12f, 0, t);
      const float head = r * 0.2f;
      arrow(dl, ImVec2(c.x - r * 0.7f, c.y - r * 0.2f), ImVec2(c.x + r * 0.7f, c.y - r * 0.2f),
            white, t * 1.3f, head);
      arrow(dl, ImVec2(c.x + r * 0.7f, c.y + r * 0.2f), ImVec2(c.x - r * 0.7f, c.y + r * 0.2f),
            white, t * 1.3f, head);
      break;
    }
    case NodeIcon::Other:
    case NodeIcon::Count:
      dl->AddCircleFilled(c, r * 0.8f, IM_COL32(90, 96, 110, 255), 24);
      dl->AddCircle(c, r * 0.8f, edge, 24, t);
      break;
  }
}

// An envelope: the packet, in its protocol's colour.
void draw_packet(ImDrawList* dl, ImVec2 c, float h, ImU32 fill) {
  const float w = h * 1.45f;
  const ImVec2 a(c.x - w / 2, c.y - h / 2), b(c.x + w / 2, c.y + h / 2);
  dl->AddRectFilled(a + ImVec2(2, 3), b + ImVec2(2, 3), IM_COL32(0, 0, 0, 90), h * 0.12f);
  dl->AddRectFilled(a, b, fill, h * 0.12f);
  dl->AddRect(a, b, IM_COL32(20, 24, 32, 255), h * 0.12f, 0, 1.5f);
  dl->AddLine(a, ImVec2(c.x, c.y + h * 0.08f), IM_COL32(20, 24, 32, 220), 1.5f);
  dl->AddLine(ImVec2(b.x, a.y), ImVec2(c.x, c.y + h * 0.08f), IM_COL32(20, 24, 32, 220), 1.5f);
}

// Text on a dark rounded pill, anchored at its left-centre; flipped to end at `flip_x` instead
// when it would cross `right`.
void label_pill(ImDrawList* dl, ImFont* font, ImVec2 left_centre, const std::string& text,
                ImU32 border, float right, float flip_x) {
  const ImVec2 size = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, text.c_str());
  const ImVec2 pad(6, 3);
  if (left_centre.x + size.x + pad.x * 2 > right) left_centre.x = flip_x - size.x - pad.x * 2;
  const ImVec2 a(left_centre.x, left_centre.y - size.y / 2 - pad.y);
  const ImVec2 b(left_centre.x + size.x + pad.x * 2, left_centre.y + size.y / 2 + pad.y);
  dl->AddRectFilled(a, b, IM_COL32(16, 20, 28, 235), 4.0f);
  dl->AddRect(a, b, border, 4.0f, 0, 1.5f);
  dl->AddText(font, font->FontSize, a + pad, IM_COL32(240, 244, 250, 255), text.c_str());
}

std::string first_address(const TopoNode& node) {
  for (const InterfaceInfo& i : node.interfaces) {
    if (!i.address.empty()) return i.address.substr(0, i.address.find('/'));
  }
  return {};
}

// Hosts and servers show their address under their name; routers and switches have several.
bool has_address_line(const TopoNode& node) {
  return node.icon != NodeIcon::Switch && node.icon != NodeIcon::Router;
}

std::string format_bandwidth(std::uint64_t bps) {
  if (bps == 0) return "unlimited";
  if (bps >= 1'000'000'000 && bps % 1'000'000'000 == 0)
    return std::to_string(bps / 1'000'000'000) + " Gbit/s";
  if (bps >= 1'000'000) return std::to_string(bps / 1'000'000) + " Mbit/s";
  return std::to_string(bps / 1000) + " kbit/s";
}

}  // namespace

void TopologyPanel::ensure_layout(const ViewModel& vm) {
  if (m_laid_out == &vm.topology()) return;
  m_laid_out = &vm.topology();
  m_layout = layout_topology(vm.topology());
  std::set<Protocol> present;
  for (EventId id = 0; id < vm.trace().size(); ++id)
    present.insert(vm.index().protocol(id));
  present.erase(Protocol::None);
  m_protocols_present.assign(present.begin(), present.end());
  m_zoom = 1.0f;
  m_pan = ImVec2(0, 0);
}

TopologyPanel::View TopologyPanel::fit(ImVec2 canvas_pos, ImVec2 canvas_size) const {
  const Bounds& b = m_layout.bounds;
  // Room around the nodes for their icons, labels and domain frames.
  // A caption (compare mode) adds a line of text over the network.
  const float margin_x = 1.15f, margin_bottom = 1.25f;
  const float margin_top = m_caption.empty() ? 1.35f : 2.1f;
  const float w = std::max(b.max.x - b.min.x, 0.0f) + 2 * margin_x;
  const float h = std::max(b.max.y - b.min.y, 0.0f) + margin_top + margin_bottom;
  const float s0 = std::min(canvas_size.x / w, canvas_size.y / h);
  const float s = s0 * m_zoom;
  const Vec2 centre{(b.min.x + b.max.x) / 2,
                    (b.min.y + b.max.y) / 2 + (margin_bottom - margin_top) / 2};
  const ImVec2 canvas_centre = canvas_pos + canvas_size * 0.5f;
  return View{
      ImVec2(canvas_centre.x + m_pan.x - centre.x * s, canvas_centre.y + m_pan.y - centre.y * s),
      s};
}

void TopologyPanel::draw_content(ViewModel& vm) {
  ensure_layout(vm);
  const TopologySnapshot& topo = vm.topology();
  const Trace& trace = vm.trace();
  const RunIndex& index = vm.index();
  const float ui_scale = ui().scale;
  ImGuiIO& io = ImGui::GetIO();

  const ImVec2 canvas_pos = ImGui::GetCursorScreenPos();
  ImVec2 canvas_size = ImGui::GetContentRegionAvail();
  canvas_size.x = std::max(canvas_size.x, 64.0f);
  canvas_size.y = std::max(canvas_size.y, 64.0f);
  ImGui::InvisibleButton("##canvas", canvas_size,
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight |
                             ImGuiButtonFlags_MouseButtonMiddle);
  const bool hovered = ImGui::IsItemHovered();
  const bool active = ImGui::IsItemActive();

  if (ui().reset_topology_view || (hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left))) {
    m_zoom = 1.0f;
    m_pan = ImVec2(0, 0);
    ui().reset_topology_view = false;
  }
  if (hovered && io.MouseWheel != 0.0f) {
    const View before = fit(canvas_pos, canvas_size);
    const ImVec2 m = io.MousePos;
    const Vec2 w{(m.x - before.origin.x) / before.scale, (m.y - before.origin.y) / before.scale};
    m_zoom = std::clamp(m_zoom * std::pow(1.15f, io.MouseWheel), kZoomMin, kZoomMax);
    const View after = fit(canvas_pos, canvas_size);
    // Keep the world point under the mouse where it was.
    m_pan = m_pan + (m - after.to_screen(w));
  }
  if (active && (ImGui::IsMouseDragging(ImGuiMouseButton_Left) ||
                 ImGui::IsMouseDragging(ImGuiMouseButton_Right) ||
                 ImGui::IsMouseDragging(ImGuiMouseButton_Middle))) {
    m_pan = m_pan + io.MouseDelta;
  }
  const View view = fit(canvas_pos, canvas_size);
  const float r = std::clamp(0.24f * view.scale, 11.0f * ui_scale, 34.0f * ui_scale);

  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(canvas_pos, canvas_pos + canvas_size, true);
  dl->AddRectFilled(canvas_pos, canvas_pos + canvas_size, IM_COL32(20, 23, 30, 255));

  std::vector<ImVec2>& pos = m_positions;
  pos.resize(topo.nodes.size());
  for (std::size_t i = 0; i < topo.nodes.size(); ++i)
    pos[i] = view.to_screen(m_layout.positions[i]);
  auto node_pos = [&](NodeId id) -> std::optional<ImVec2> {
    const auto i = topo.index_of(id);
    if (!i) return std::nullopt;
    return pos[*i];
  };
  ImFont* small = ui().fonts.small;
  ImFont* bold = ui().fonts.bold;

  // Where each node's icon and its two lines of text go; the domains' names keep clear of them.
  const float label_drop = r * 1.12f;  // from a node's centre down to its name
  m_node_boxes.clear();
  for (std::size_t i = 0; i < topo.nodes.size(); ++i) {
    const TopoNode& node = topo.nodes[i];
    const ImVec2 c = pos[i];
    m_node_boxes.push_back({c - ImVec2(r * 1.05f, r), c + ImVec2(r * 1.05f, r)});
    const float name_w = small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, node.name.c_str()).x;
    const ImVec2 name_at(c.x - name_w / 2, c.y + label_drop);
    m_node_boxes.push_back({name_at, name_at + ImVec2(name_w, small->FontSize)});
    if (has_address_line(node)) {
      const std::string ip = first_address(node);
      const float ip_w = small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, ip.c_str()).x;
      const ImVec2 ip_at(c.x - ip_w / 2, c.y + label_drop + small->FontSize);
      m_node_boxes.push_back({ip_at, ip_at + ImVec2(ip_w, small->FontSize)});
    }
  }

  // Domains: a tinted frame around their members, the name in a corner no other text is in.
  m_domain_labels.clear();
  std::vector<LabelBox> taken = m_node_boxes;
  for (std::size_t d = 0; d < topo.domains.size(); ++d) {
    const TopoDomain& domain = topo.domains[d];
    ImVec2 lo(FLT_MAX, FLT_MAX), hi(-FLT_MAX, -FLT_MAX);
    for (NodeId id : domain.nodes) {
      if (auto p = node_pos(id)) {
        lo = ImVec2(std::min(lo.x, p->x), std::min(lo.y, p->y));
        hi = ImVec2(std::max(hi.x, p->x), std::max(hi.y, p->y));
      }
    }
    if (lo.x > hi.x) continue;
    const ImU32 colour = kDomainColours[d % kDomainColours.size()];
    // The top band is kept for the name; the bottom takes the members' two lines of text.
    const ImVec2 a = lo - ImVec2(r * 2.6f, r * 2.0f + bold->FontSize * 1.3f);
    const ImVec2 b = hi + ImVec2(r * 2.6f, r * 1.4f + small->FontSize * 2.6f);
    dl->AddRectFilled(a, b, with_alpha(colour, 0.07f), 10.0f);
    dl->AddRect(a, b, with_alpha(colour, 0.45f), 10.0f, 0, 1.5f);
    const ImVec2 name_size = bold->CalcTextSizeA(bold->FontSize, FLT_MAX, 0, domain.name.c_str());
    const LabelBox label = place_corner_label({a, b}, name_size, ImVec2(10, 6), taken);
    dl->AddText(bold, bold->FontSize, label.min, with_alpha(colour, 0.95f), domain.name.c_str());
    m_domain_labels.push_back(label);
    taken.push_back(label);
  }

  // The current step and the path its PDU has travelled so far.
  const EventId cur = vm.current_event();
  const Protocol cur_protocol = cur != kNoEvent ? index.protocol(cur) : Protocol::None;
  const ImU32 cur_colour = protocol_colour(cur_protocol);
  std::set<std::size_t> crossed;
  for (EventId e : vm.current_journey().events) {
    if (e > cur) break;
    const TraceEvent& ev = trace.event(e);
    if (ev.layer == Layer::Physical && ev.kind == EventKind::Send) {
      if (auto link = index.link_of(e)) crossed.insert(*link);
    }
  }

  // Links.
  std::optional<std::size_t> hovered_link;
  for (std::size_t i = 0; i < topo.links.size(); ++i) {
    const TopoLink& link = topo.links[i];
    const auto a = node_pos(link.a);
    const auto b = node_pos(link.b);
    if (!a || !b) continue;
    const bool wan =
        topo.find(link.a)->icon == NodeIcon::Router && topo.find(link.b)->icon == NodeIcon::Router;
    const float thick = (wan ? 4.0f : 2.5f) * ui_scale;
    dl->AddLine(*a, *b, wan ? IM_COL32(120, 130, 160, 255) : IM_COL32(88, 98, 120, 255), thick);
    if (crossed.contains(i))
      dl->AddLine(*a, *b, with_alpha(cur_colour, 0.85f), thick + 3.0f * ui_scale);
    if (hovered && distance_to_segment(io.MousePos, *a, *b) < 5.0f * ui_scale) hovered_link = i;
  }

  // Nodes.
  std::optional<std::size_t> hovered_node;
  const NodeId cur_node = cur != kNoEvent ? trace.event(cur).node : kNoNode;
  for (std::size_t i = 0; i < topo.nodes.size(); ++i) {
    const TopoNode& node = topo.nodes[i];
    const ImVec2 c = pos[i];
    if (node.id == cur_node) {
      dl->AddCircleFilled(c, r * 1.55f, with_alpha(cur_colour, 0.16f), 40);
      dl->AddCircle(c, r * 1.55f, with_alpha(cur_colour, 0.9f), 40, 2.5f * ui_scale);
    }
    if (node.id == vm.selected_node())
      dl->AddCircle(c, r * 1.75f, IM_COL32(255, 255, 255, 200), 40, 1.5f * ui_scale);
    draw_icon(dl, node.icon, c, r);
    const float label_y = c.y + label_drop;
    const ImVec2 name_size = small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, node.name.c_str());
    dl->AddText(small, small->FontSize, ImVec2(c.x - name_size.x / 2, label_y),
                IM_COL32(230, 234, 242, 255), node.name.c_str());
    if (has_address_line(node)) {
      const std::string ip = first_address(node);
      const ImVec2 ip_size = small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, ip.c_str());
      dl->AddText(small, small->FontSize, ImVec2(c.x - ip_size.x / 2, label_y + small->FontSize),
                  IM_COL32(150, 160, 178, 255), ip.c_str());
    }
    if (hovered && length(io.MousePos - c) < r * 1.2f) hovered_node = i;
  }

  // Overlays: the phase in the top-left corner, the legend and mouse hints along the bottom.
  if (const auto phase = vm.current_phase()) {
    const Phase& p = index.phases()[*phase];
    const std::string text = "Phase " + std::to_string(*phase + 1) + " of " +
                             std::to_string(index.phases().size()) + " — " + p.label;
    ImVec2 at = canvas_pos + ImVec2(10, 8);
    if (!m_caption.empty()) {
      dl->AddText(bold, bold->FontSize, at, IM_COL32(235, 238, 245, 255), m_caption.c_str());
      at.y += bold->FontSize * 1.3f;
    }
    dl->AddCircleFilled(at + ImVec2(6, bold->FontSize * 0.55f), 5.0f * ui_scale,
                        phase_colour(p.kind), 16);
    dl->AddText(bold, bold->FontSize, at + ImVec2(18 * ui_scale, 0), phase_colour(p.kind),
                text.c_str());
  }
  {
    ImVec2 at = canvas_pos + ImVec2(10, canvas_size.y - small->FontSize - 8);
    for (Protocol p : m_protocols_present) {
      const std::string name(to_string(p));
      dl->AddRectFilled(at + ImVec2(0, 2), at + ImVec2(small->FontSize - 2, small->FontSize),
                        protocol_colour(p), 2.0f);
      dl->AddText(small, small->FontSize, at + ImVec2(small->FontSize + 2, 0),
                  IM_COL32(190, 196, 210, 255), name.c_str());
      at.x +=
          small->FontSize + 10 + small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, name.c_str()).x;
    }
    const char* hint = "wheel: zoom · drag: pan · double-click: fit";
    const ImVec2 hs = small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, hint);
    dl->AddText(small, small->FontSize,
                canvas_pos + ImVec2(canvas_size.x - hs.x - 10, canvas_size.y - hs.y - 8),
                IM_COL32(120, 128, 145, 255), hint);
  }
  dl->PopClipRect();

  // The packet moves every frame during playback; everything above changes only when the step
  // does. The packet gets a child window of its own so that it is the only draw list that
  // changes between frames and the renderer can keep the rest of the window (frame_layers.h).
  ImGui::SetCursorScreenPos(canvas_pos);
  ImGui::BeginChild(kLiveLayerName, canvas_size, false,
                    ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_NoBackground |
                        ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse |
                        ImGuiWindowFlags_NoSavedSettings);
  dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(canvas_pos, canvas_pos + canvas_size, true);
  // The packet of the current step.
  if (cur != kNoEvent) {
    const TraceEvent& ev = trace.event(cur);
    const float t = smooth(static_cast<float>(vm.step_progress()));
    const float ph = std::clamp(r * 0.72f, 11.0f * ui_scale, 22.0f * ui_scale);
    const std::string protocol_name(to_string(cur_protocol));
    std::string tag = std::string(to_string(ev.layer)) + " · " +
                      (cur_protocol == Protocol::None ? std::string() : protocol_name + " ") +
                      std::string(pdu_name(ev.layer));
    std::optional<ImVec2> at;
    const auto link = index.link_of(cur);
    if (ev.layer == Layer::Physical && link) {
      const TopoLink& l = topo.links[*link];
      const bool forward = ev.kind == EventKind::Send ? l.a == ev.node : l.b == ev.node;
      const ImVec2 from = *node_pos(forward ? l.a : l.b);
      const ImVec2 to = *node_pos(forward ? l.b : l.a);
      const float len = std::max(length(to - from), 1.0f);
      const float inset = std::min(r * 1.3f / len, 0.45f);
      const float along = ev.kind == EventKind::Send   ? inset + (1 - 2 * inset) * t
                          : ev.kind == EventKind::Drop ? 0.5f
                                                       : 1 - inset;
      at = lerp(from, to, along);
      if (ev.kind == EventKind::Send) tag = "L1 · " + protocol_name + " bits on the wire";
    } else if (ev.kind == EventKind::Send || ev.kind == EventKind::Receive ||
               ev.kind == EventKind::Forward || ev.kind == EventKind::Request ||
               ev.kind == EventKind::Response || ev.kind == EventKind::Drop) {
      if (auto c = node_pos(ev.node)) {
        // Beside the node, above its right shoulder: down the stack on a send (the envelope
        // sinks towards the node), up on a receive.
        const float rise = ev.kind == EventKind::Receive ? t : 1 - t;
        at = *c + ImVec2(r * 1.55f, -r * (0.9f + 0.5f * rise));
        const char* dir = ev.kind == EventKind::Receive   ? " ↑"
                          : ev.kind == EventKind::Forward ? " →"
                                                          : " ↓";
        tag += dir;
      }
    }
    if (at) {
      draw_packet(dl, *at, ph, cur_colour);
      if (ev.kind == EventKind::Drop) {
        const float k = ph * 0.7f;
        dl->AddLine(*at - ImVec2(k, k), *at + ImVec2(k, k), IM_COL32(255, 70, 70, 255), 4.0f);
        dl->AddLine(*at + ImVec2(-k, k), *at + ImVec2(k, -k), IM_COL32(255, 70, 70, 255), 4.0f);
        tag = "dropped: " + std::string(to_string(static_cast<DropReason>(ev.detail)));
      }
      label_pill(dl, small, *at + ImVec2(ph * 0.95f, 0), tag, cur_colour,
                 canvas_pos.x + canvas_size.x - 4, at->x - ph * 0.95f);
    } else if (auto c = node_pos(ev.node)) {
      // Not a PDU (a narration line, a state change): a speech mark over the node.
      const ImVec2 b = *c + ImVec2(r * 1.45f, -r * 1.2f);
      dl->AddCircleFilled(b, ph * 0.55f, IM_COL32(240, 240, 250, 255), 20);
      dl->AddText(bold, bold->FontSize, b - ImVec2(bold->FontSize * 0.16f, bold->FontSize * 0.5f),
                  IM_COL32(30, 34, 44, 255), "i");
    }
  }
  dl->PopClipRect();
  ImGui::EndChild();

  // Mouse: click selects (a press and release without dragging), hover explains.
  if (hovered && ImGui::IsMouseReleased(ImGuiMouseButton_Left) &&
      io.MouseDragMaxDistanceSqr[0] < 16.0f) {
    vm.select_node(hovered_node ? topo.nodes[*hovered_node].id : kNoNode);
  }
  if (hovered_node) {
    const TopoNode& node = topo.nodes[*hovered_node];
    ImGui::BeginTooltip();
    ImGui::PushFont(bold);
    ImGui::TextUnformatted(node.name.c_str());
    ImGui::PopFont();
    ImGui::TextDisabled("%s (%s)", node.kind.c_str(), std::string(to_string(node.icon)).c_str());
    for (const InterfaceInfo& i : node.interfaces) {
      if (i.address.empty() && i.mac.empty()) continue;
      ImGui::Text("%s  %s  %s", i.name.c_str(), i.address.c_str(), i.mac.c_str());
    }
    ImGui::EndTooltip();
  } else if (hovered_link) {
    const TopoLink& l = topo.links[*hovered_link];
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(l.name.c_str());
    ImGui::TextDisabled("latency %s, %s", format_time(l.latency).c_str(),
                        format_bandwidth(l.bandwidth_bps).c_str());
    ImGui::EndTooltip();
  }
}

}  // namespace mailscope::gui
