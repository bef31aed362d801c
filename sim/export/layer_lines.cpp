#include "export/layer_lines.h"

namespace mailscope::exporter {
namespace {

bool is(const TraceEvent& e, Layer layer, EventKind kind) {
  return e.layer == layer && e.kind == kind;
}

bool is_message(const TraceEvent& e) {
  return e.layer == Layer::Application &&
         (e.kind == EventKind::Request || e.kind == EventKind::Response);
}

// What role a child plays below its parent in the walk.
enum class Role {
  Skip,     // not part of this message's path (a reply, a state change, an ICMP error)
  Chain,    // the sender's next layer down
  Hop,      // a forward or receive further along the path
  Arrival,  // the receiver's L4 receive: shown as a hop, not walked further
  Drop,
};

Role role_of(const Trace& trace, const TraceEvent& parent, EventId child_id) {
  const TraceEvent& c = trace.event(child_id);
  if (c.kind == EventKind::Drop) return Role::Drop;
  if (chain_parent(trace, child_id) != kNoEvent) return Role::Chain;
  switch (c.layer) {
    case Layer::Physical:
      // The first bit of the sender's own frame is part of its chain; a frame that a switch or
      // router passes on is a hop.
      if (c.kind == EventKind::Send) {
        const bool own_frame =
            is(parent, Layer::Link, EventKind::Send) &&
            !(parent.parent < trace.size() &&
              is(trace.event(parent.parent), Layer::Network, EventKind::Forward));
        return own_frame ? Role::Chain : Role::Hop;
      }
      if (c.kind == EventKind::Receive) return Role::Hop;
      return Role::Skip;
    case Layer::Link:
      if (c.kind == EventKind::Receive || c.kind == EventKind::Forward) return Role::Hop;
      // A router's frame for a forwarded packet.
      if (c.kind == EventKind::Send && is(parent, Layer::Network, EventKind::Forward))
        return Role::Hop;
      return Role::Skip;
    case Layer::Network:
      if (c.kind == EventKind::Receive || c.kind == EventKind::Forward) return Role::Hop;
      return Role::Skip;
    case Layer::Transport:
      if (c.kind == EventKind::Receive) return Role::Arrival;
      return Role::Skip;
    default:
      return Role::Skip;
  }
}

bool shown(const LayerSet& layers, Hops hops, const TraceEvent& e, Role role) {
  switch (role) {
    case Role::Drop:
      return true;
    case Role::Chain:
      return has_layer(layers, e.layer);
    case Role::Hop:
    case Role::Arrival:
      return hops == Hops::All && has_layer(layers, e.layer);
    case Role::Skip:
      return false;
  }
  return false;
}

}  // namespace

bool has_lower_layer(const LayerSet& set) {
  return has_layer(set, Layer::Physical) || has_layer(set, Layer::Link) ||
         has_layer(set, Layer::Network) || has_layer(set, Layer::Transport);
}

EventId chain_parent(const Trace& trace, EventId id) {
  const TraceEvent& e = trace.event(id);
  if (e.parent == kNoEvent || e.parent >= trace.size() || e.kind != EventKind::Send)
    return kNoEvent;
  const TraceEvent& p = trace.event(e.parent);
  if (p.node != e.node) return kNoEvent;
  switch (e.layer) {
    case Layer::Tls:
      return is_message(p) ? e.parent : kNoEvent;
    case Layer::Transport:
      return is_message(p) || is(p, Layer::Tls, EventKind::Send) ? e.parent : kNoEvent;
    case Layer::Network:
      return is(p, Layer::Transport, EventKind::Send) ? e.parent : kNoEvent;
    case Layer::Link:
      return is(p, Layer::Network, EventKind::Send) ? e.parent : kNoEvent;
    default:
      return kNoEvent;
  }
}

LayerLines collect_layer_lines(const Trace& trace, const TraceIndex& index, EventId top,
                               const LayerSet& layers, Hops hops, std::size_t lines_max) {
  LayerLines result;
  // An explicit stack rather than recursion: a path is short, but a message of many segments
  // has many children, and the depth must not depend on the data.
  std::vector<EventId> stack;
  auto push_children = [&](EventId parent) {
    const auto children = index.children(parent);
    // Reverse, so that the oldest child is visited first.
    for (std::size_t i = children.size(); i-- > 0;)
      stack.push_back(children[i]);
  };
  push_children(top);
  while (!stack.empty()) {
    const EventId id = stack.back();
    stack.pop_back();
    const TraceEvent& e = trace.event(id);
    const Role role = role_of(trace, trace.event(e.parent), id);
    if (role == Role::Skip) continue;
    if (shown(layers, hops, e, role)) {
      if (result.lines.size() < lines_max)
        result.lines.push_back(id);
      else
        ++result.omitted;
    }
    if (role == Role::Chain || role == Role::Hop) push_children(id);
  }
  return result;
}

}  // namespace mailscope::exporter
