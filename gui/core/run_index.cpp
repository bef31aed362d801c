#include "gui/core/run_index.h"

#include <algorithm>

namespace mailscope::gui {

namespace {

constexpr std::uint16_t kEtherTypeArp = 0x0806;

bool is_message(const TraceEvent& e) {
  return e.layer == Layer::Application &&
         (e.kind == EventKind::Request || e.kind == EventKind::Response);
}

// Frames (L1 and L2 events) carry their EtherType in bytes 12..13.
bool frame_is_arp(std::span<const std::uint8_t> frame) {
  return frame.size() >= 14 && frame[12] == 0x08 && frame[13] == 0x06;
}

}  // namespace

bool Journey::contains(EventId id) const {
  return std::binary_search(events.begin(), events.end(), id);
}

bool continues_parent(const TraceEvent& event, const TraceEvent& parent) {
  const auto layer = static_cast<int>(event.layer);
  const auto parent_layer = static_cast<int>(parent.layer);
  switch (event.kind) {
    case EventKind::Send:
      // Going down the same node's stack. An ARP frame sent for a waiting packet is its own PDU.
      if (event.layer == Layer::Link && event.detail == kEtherTypeArp) return false;
      return event.node == parent.node && parent_layer > layer &&
             (parent.kind == EventKind::Send || parent.kind == EventKind::Forward ||
              parent.kind == EventKind::Request || parent.kind == EventKind::Response);
    case EventKind::Receive:
      if (event.layer == Layer::Physical)
        return parent.layer == Layer::Physical && parent.kind == EventKind::Send;
      return event.node == parent.node && parent_layer < layer && parent.kind != EventKind::Send;
    case EventKind::Forward:
      return event.node == parent.node && parent_layer <= layer &&
             parent.kind == EventKind::Receive;
    case EventKind::Drop:
      return true;
    default:
      return false;
  }
}

RunIndex::RunIndex(const Trace& trace, const TopologySnapshot& topology)
    : m_trace(trace), m_topology(topology) {
  const std::size_t n = trace.size();
  m_child_begin.assign(n + 1, 0);
  for (const TraceEvent& e : trace.events()) {
    if (e.parent != kNoEvent && e.parent < n) ++m_child_begin[e.parent + 1];
  }
  for (std::size_t i = 0; i < n; ++i)
    m_child_begin[i + 1] += m_child_begin[i];
  m_children.resize(m_child_begin[n]);
  std::vector<std::uint32_t> fill(m_child_begin.begin(), m_child_begin.end() - 1);
  for (EventId id = 0; id < n; ++id) {
    const EventId parent = trace.event(id).parent;
    if (parent != kNoEvent && parent < n) m_children[fill[parent]++] = id;
  }

  m_protocol.resize(n, Protocol::None);
  for (EventId id = 0; id < n; ++id) {
    m_protocol[id] = classify(id);
    if (is_message(trace.event(id))) m_messages.push_back(id);
  }
  m_phases = derive_phases(trace);
}

Protocol RunIndex::classify(EventId id) const {
  const TraceEvent& e = m_trace.event(id);
  if ((e.layer == Layer::Physical || e.layer == Layer::Link) &&
      frame_is_arp(m_trace.prefix(m_trace.data_ref(e))))
    return Protocol::Arp;
  if (e.flow != kNoFlow && e.flow < m_trace.flow_count()) {
    const FlowInfo& info = m_trace.flow(e.flow);
    if (!info.application.empty()) {
      const Protocol p = protocol_from_name(info.application);
      if (p != Protocol::Other) return p;
    }
    if (!info.transport.empty()) return protocol_from_name(info.transport);
    return Protocol::Other;
  }
  // Parents are earlier events, already classified.
  if (e.parent != kNoEvent && e.parent < id) return m_protocol[e.parent];
  return Protocol::None;
}

std::span<const EventId> RunIndex::children(EventId id) const {
  if (id >= m_trace.size()) return {};
  return std::span<const EventId>(m_children)
      .subspan(m_child_begin[id], m_child_begin[id + 1] - m_child_begin[id]);
}

std::optional<std::size_t> RunIndex::phase_of(EventId id) const {
  if (m_phases.empty()) return std::nullopt;
  const auto it = std::upper_bound(m_phases.begin(), m_phases.end(), id,
                                   [](EventId v, const Phase& p) { return v < p.first; });
  if (it == m_phases.begin()) return 0;
  return static_cast<std::size_t>(it - m_phases.begin() - 1);
}

EventId RunIndex::crossing_end(EventId l1_send) const {
  if (l1_send >= m_trace.size()) return kNoEvent;
  const TraceEvent& send = m_trace.event(l1_send);
  if (send.layer != Layer::Physical || send.kind != EventKind::Send) return kNoEvent;
  for (EventId child : children(l1_send)) {
    const TraceEvent& c = m_trace.event(child);
    if (c.layer == Layer::Physical && (c.kind == EventKind::Receive || c.kind == EventKind::Drop))
      return child;
  }
  return kNoEvent;
}

std::optional<std::size_t> RunIndex::link_of(EventId id) const {
  if (id >= m_trace.size()) return std::nullopt;
  const TraceEvent& e = m_trace.event(id);
  if (e.layer != Layer::Physical) return std::nullopt;
  if (e.kind == EventKind::Send) {
    const EventId end = crossing_end(id);
    if (end == kNoEvent) return std::nullopt;
    return m_topology.link_between(e.node, m_trace.event(end).node);
  }
  if ((e.kind == EventKind::Receive || e.kind == EventKind::Drop) && e.parent != kNoEvent) {
    const TraceEvent& send = m_trace.event(e.parent);
    if (send.layer == Layer::Physical && send.kind == EventKind::Send)
      return m_topology.link_between(send.node, e.node);
  }
  return std::nullopt;
}

Journey RunIndex::journey(EventId id) const {
  Journey j;
  if (id >= m_trace.size()) return j;
  // Up to the event that created the PDU; the hop limit guards against malformed traces.
  EventId origin = id;
  for (int hops = 0; hops < 4096; ++hops) {
    const TraceEvent& e = m_trace.event(origin);
    if (e.parent == kNoEvent || e.parent >= origin) break;
    if (!continues_parent(e, m_trace.event(e.parent))) break;
    origin = e.parent;
  }
  j.origin = origin;
  j.sender = m_trace.event(origin).node;
  // Down through every event that continues it. Bounded: a journey is at most the whole trace.
  std::vector<EventId> stack{origin};
  while (!stack.empty() && j.events.size() < m_trace.size()) {
    const EventId cur = stack.back();
    stack.pop_back();
    j.events.push_back(cur);
    const TraceEvent& parent = m_trace.event(cur);
    for (EventId child : children(cur)) {
      if (continues_parent(m_trace.event(child), parent)) stack.push_back(child);
    }
  }
  std::sort(j.events.begin(), j.events.end());
  // The addressee: the receiving node that took it highest up its stack (first one on ties).
  int best_layer = -1;
  for (EventId e : j.events) {
    const TraceEvent& ev = m_trace.event(e);
    if (ev.kind != EventKind::Receive || ev.node == j.sender) continue;
    const int layer = static_cast<int>(ev.layer);
    if (layer > best_layer) {
      best_layer = layer;
      j.destination = ev.node;
    }
  }
  return j;
}

}  // namespace mailscope::gui
