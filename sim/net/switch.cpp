#include "net/switch.h"

#include "net/link.h"
#include "wire/ethernet.h"

namespace mailscope::net {

Switch::Switch(Simulator& sim, std::string name) : Node(sim, std::move(name), "switch") {}

Port& Switch::add_port() {
  auto port = std::make_unique<Port>();
  port->node = this;
  port->index = static_cast<std::uint32_t>(m_ports.size());
  m_ports.push_back(std::move(port));
  return *m_ports.back();
}

void Switch::on_frame(std::uint32_t in_port, BlobRef frame, EventId l1_event, FlowId flow) {
  // The Ethernet header is always in the frame's first stored piece, spliced or not.
  const auto header = wire::EthernetHeader::parse(sim().trace().prefix(frame));
  if (!header) {
    record_drop(Layer::Link, DropReason::Malformed, frame, l1_event, flow);
    return;
  }
  if (!header->src.is_multicast()) m_mac_table[header->src] = in_port;
  const EventId forward = record(Layer::Link, EventKind::Forward, frame, l1_event, flow,
                                 static_cast<std::uint16_t>(header->ethertype));
  const auto known = header->dst.is_multicast() ? m_mac_table.end() : m_mac_table.find(header->dst);
  if (known != m_mac_table.end()) {
    // A frame for a host on the port it came from needs no forwarding (the segment has it).
    if (known->second != in_port) send_out(known->second, frame, forward, flow);
    return;
  }
  for (std::uint32_t p = 0; p < m_ports.size(); ++p) {
    if (p != in_port) send_out(p, frame, forward, flow);
  }
}

void Switch::send_out(std::uint32_t port, BlobRef frame, EventId parent, FlowId flow) {
  Port& out = *m_ports[port];
  if (out.link != nullptr) out.link->transmit(out, frame, parent, flow);
}

}  // namespace mailscope::net
