#include "net/node.h"

namespace mailscope::net {

Node::Node(Simulator& sim, std::string name, std::string kind)
    : m_sim(sim), m_name(std::move(name)), m_id(sim.trace().add_node(m_name, std::move(kind))) {}

EventId Node::record(Layer layer, EventKind kind, BlobRef data, EventId parent, FlowId flow,
                     std::uint16_t detail, BlobRef text) {
  TraceEvent e;
  e.time = m_sim.now();
  e.parent = parent;
  e.node = m_id;
  e.flow = flow;
  e.layer = layer;
  e.kind = kind;
  e.detail = detail;
  return m_sim.trace().record(e, data, text);
}

EventId Node::record_drop(Layer layer, DropReason reason, BlobRef data, EventId parent,
                          FlowId flow) {
  return record(layer, EventKind::Drop, data, parent, flow, static_cast<std::uint16_t>(reason));
}

EventId Node::note(Layer layer, std::string_view text, EventId parent, FlowId flow) {
  return record(layer, EventKind::Note, {}, parent, flow, 0, m_sim.trace().store(text));
}

}  // namespace mailscope::net
