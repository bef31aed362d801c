#include "net/host.h"

#include <algorithm>
#include <cstring>

#include "net/link.h"
#include "net/network.h"
#include "net/tcp_stack.h"
#include "net/udp_socket.h"
#include "wire/checksum.h"
#include "wire/ethernet.h"
#include "wire/udp.h"

namespace mailscope::net {

Host::Host(Network& network, std::string name, std::string kind, bool forwarding)
    : Node(network.sim(), std::move(name), std::move(kind)),
      m_network(network),
      m_forwarding(forwarding),
      m_rng(network.sim().rng("host/" + this->name())),
      m_ping_identifier(m_rng.next_u16()),
      m_tcp(std::make_unique<TcpStack>(*this)) {}

Host::~Host() = default;

Interface& Host::add_interface(std::optional<wire::Ipv4Cidr> address) {
  auto iface = std::make_unique<Interface>();
  const auto index = static_cast<std::uint32_t>(m_interfaces.size());
  iface->name = "eth" + std::to_string(index);
  iface->port.node = this;
  iface->port.index = index;
  iface->mac = m_network.allocate_mac();
  iface->address = address;
  if (address) m_routes.add(Route{*address, wire::Ipv4Addr::any(), index});
  m_interfaces.push_back(std::move(iface));
  return *m_interfaces.back();
}

void Host::set_default_gateway(wire::Ipv4Addr gateway) {
  // The gateway must be on a connected network; the route leaves through that interface.
  const auto via = m_routes.lookup(gateway);
  m_routes.add(Route{wire::Ipv4Cidr{wire::Ipv4Addr::any(), 0}, gateway, via ? via->interface : 0});
}

wire::Ipv4Addr Host::address() const {
  for (const auto& iface : m_interfaces) {
    if (iface->address) return iface->address->address;
  }
  return wire::Ipv4Addr::any();
}

bool Host::owns_address(wire::Ipv4Addr address) const {
  return std::any_of(m_interfaces.begin(), m_interfaces.end(),
                     [&](const auto& i) { return i->address && i->address->address == address; });
}

std::optional<wire::Ipv4Addr> Host::source_for(wire::Ipv4Addr dst) const {
  const auto route = m_routes.lookup(dst);
  if (!route) return std::nullopt;
  const auto& iface = m_interfaces.at(route->interface);
  if (!iface->address) return std::nullopt;
  return iface->address->address;
}

bool Host::send_ip(wire::Ipv4Addr src, wire::Ipv4Addr dst, wire::IpProtocol protocol,
                   wire::ByteView payload, EventId parent, FlowId flow, L4Event l4,
                   std::uint8_t ttl) {
  const auto route = m_routes.lookup(dst);
  if (!route) {
    record_drop(Layer::Network, DropReason::NoRoute, {}, parent, flow);
    return false;
  }
  const Interface& iface = *m_interfaces[route->interface];
  const std::size_t total = wire::Ipv4Header::kMinLength + payload.size();
  if (iface.port.link != nullptr && total > iface.port.link->config().mtu) {
    record_drop(Layer::Network, DropReason::TooBig, {}, parent, flow);
    return false;
  }
  m_scratch.resize(wire::EthernetHeader::kLength + total);
  std::memcpy(m_scratch.data() + wire::EthernetHeader::kLength + wire::Ipv4Header::kMinLength,
              payload.data(), payload.size());
  wire::Ipv4Header ip;
  ip.total_length = static_cast<std::uint16_t>(total);
  ip.identification = m_rng.next_u16();
  ip.ttl = ttl;
  ip.protocol = protocol;
  ip.src = src;
  ip.dst = dst;
  ip.emit(wire::MutableByteView(m_scratch).subspan(wire::EthernetHeader::kLength));
  const wire::Ipv4Addr next_hop = route->gateway.is_unspecified() ? dst : route->gateway;
  output(route->interface, next_hop, wire::Ipv4Header::kMinLength, l4, EventKind::Send, parent,
         flow);
  return true;
}

void Host::output(std::uint32_t iface_index, wire::Ipv4Addr next_hop, std::size_t ip_header_len,
                  L4Event l4, EventKind l3_kind, EventId parent, FlowId flow, BlobRef tail) {
  Interface& iface = *m_interfaces[iface_index];
  Trace& trace = sim().trace();
  const wire::ByteView head = wire::ByteView(m_scratch).subspan(wire::EthernetHeader::kLength);
  const auto total = static_cast<std::uint32_t>(head.size() + trace.size(tail));
  const auto protocol = static_cast<std::uint16_t>(m_scratch[wire::EthernetHeader::kLength + 9]);
  const bool is_broadcast =
      next_hop == wire::Ipv4Addr::broadcast() ||
      (iface.address && iface.address->prefix_len < 31 && next_hop == iface.address->broadcast());
  const wire::MacAddr* mac = is_broadcast ? nullptr : arp_lookup(iface_index, next_hop);
  const wire::MacAddr broadcast = wire::MacAddr::broadcast();
  if (is_broadcast) mac = &broadcast;

  auto record_upper = [&](BlobRef packet) {
    EventId ev = parent;
    if (l4 == L4Event::Send) {
      ev = record(Layer::Transport, EventKind::Send, sim().trace().slice(packet, ip_header_len), ev,
                  flow, protocol);
    }
    return record(Layer::Network, l3_kind, packet, ev, flow, protocol);
  };

  if (mac == nullptr) {
    const BlobRef packet = trace.splice(head, tail);
    const EventId l3 = record_upper(packet);
    const ArpKey key{iface_index, next_hop.value};
    ArpPending& pending = m_arp_pending[key];
    if (pending.packets.size() >= kArpPendingPacketsMax) {
      record_drop(Layer::Network, DropReason::QueueFull, packet, l3, flow);
      return;
    }
    pending.packets.push_back(PendingPacket{packet, l3, flow});
    if (pending.attempts == 0) {
      pending.attempts = 1;
      arp_request(iface_index, next_hop, l3);
      pending.timer = sim().schedule_after(kArpRetryInterval, [this, key] { arp_retry(key); });
    }
    return;
  }

  wire::EthernetHeader{*mac, iface.mac, wire::EtherType::Ipv4}.emit(m_scratch);
  BlobRef frame;
  BlobRef packet;
  if (tail.empty()) {
    if (m_scratch.size() < wire::EthernetHeader::kMinFrame)
      m_scratch.resize(wire::EthernetHeader::kMinFrame, 0);
    frame = trace.store(m_scratch);
    packet = trace.slice(frame, wire::EthernetHeader::kLength, total);
  } else {
    // The caller keeps spliced tails long enough that the frame needs no padding.
    packet = trace.splice(head, tail);
    frame = trace.splice(wire::ByteView(m_scratch).first(wire::EthernetHeader::kLength), packet);
  }
  const EventId l3 = record_upper(packet);
  const EventId l2 = record(Layer::Link, EventKind::Send, frame, l3, flow, 0x0800);
  if (iface.port.link != nullptr) iface.port.link->transmit(iface.port, frame, l2, flow);
}

void Host::transmit_frame(std::uint32_t iface_index, const wire::MacAddr& dst, wire::EtherType type,
                          wire::ByteView payload, EventId parent, FlowId flow) {
  Interface& iface = *m_interfaces[iface_index];
  m_scratch.resize(
      std::max(wire::EthernetHeader::kLength + payload.size(), wire::EthernetHeader::kMinFrame));
  std::fill(m_scratch.begin(), m_scratch.end(), 0);
  wire::EthernetHeader{dst, iface.mac, type}.emit(m_scratch);
  std::memcpy(m_scratch.data() + wire::EthernetHeader::kLength, payload.data(), payload.size());
  const BlobRef frame = sim().trace().store(m_scratch);
  const EventId l2 =
      record(Layer::Link, EventKind::Send, frame, parent, flow, static_cast<std::uint16_t>(type));
  if (iface.port.link != nullptr) iface.port.link->transmit(iface.port, frame, l2, flow);
}

void Host::on_frame(std::uint32_t port, BlobRef frame, EventId l1_event, FlowId flow) {
  const auto eth = wire::EthernetHeader::parse(sim().trace().prefix(frame));
  if (!eth) {
    record_drop(Layer::Link, DropReason::Malformed, frame, l1_event, flow);
    return;
  }
  const Interface& iface = *m_interfaces.at(port);
  if (eth->dst != iface.mac && !eth->dst.is_broadcast()) {
    record_drop(Layer::Link, DropReason::NotForUs, frame, l1_event, flow);
    return;
  }
  const EventId l2 = record(Layer::Link, EventKind::Receive, frame, l1_event, flow,
                            static_cast<std::uint16_t>(eth->ethertype));
  switch (eth->ethertype) {
    case wire::EtherType::Arp:
      on_arp(port, frame, l2);
      return;
    case wire::EtherType::Ipv4:
      on_ipv4(port, frame, l2, flow);
      return;
    default:
      record_drop(Layer::Link, DropReason::NotForUs, frame, l2, flow);
      return;
  }
}

void Host::on_ipv4(std::uint32_t iface_index, BlobRef frame, EventId l2_event, FlowId link_flow) {
  const BlobRef after_ethernet = sim().trace().slice(frame, wire::EthernetHeader::kLength);
  wire::ByteView payload;
  const wire::ByteView received = sim().trace().bytes(after_ethernet, m_received);
  const auto ip = wire::Ipv4Header::parse(received, &payload);
  if (!ip) {
    const bool checksum = ip.error().where == "ipv4.checksum";
    record_drop(Layer::Network, checksum ? DropReason::BadChecksum : DropReason::Malformed,
                after_ethernet, l2_event, link_flow);
    return;
  }
  const BlobRef packet = sim().trace().slice(after_ethernet, 0, ip->total_length);
  const wire::ByteView packet_bytes = received.first(ip->total_length);
  // The sender named the flow when it built the packet; only packets that arrived without one
  // (from outside the simulation, say) need the registry.
  const FlowId flow =
      link_flow != kNoFlow ? link_flow : m_network.flows().classify(*ip, payload, id());
  const Interface& iface = *m_interfaces[iface_index];
  const bool local = owns_address(ip->dst) || ip->dst == wire::Ipv4Addr::broadcast() ||
                     (iface.address && ip->dst == iface.address->broadcast());
  if (local) {
    const EventId l3 = record(Layer::Network, EventKind::Receive, packet, l2_event, flow,
                              static_cast<std::uint16_t>(ip->protocol));
    deliver_local(*ip, packet, packet_bytes, payload, l3, flow);
  } else if (m_forwarding) {
    forward(iface_index, *ip, packet, packet_bytes, l2_event, flow);
  } else {
    record_drop(Layer::Network, DropReason::NotForUs, packet, l2_event, flow);
  }
}

void Host::deliver_local(const wire::Ipv4Header& ip, BlobRef packet, wire::ByteView packet_bytes,
                         wire::ByteView payload, EventId l3_event, FlowId flow) {
  const BlobRef segment = sim().trace().slice(packet, ip.header_length);
  switch (ip.protocol) {
    case wire::IpProtocol::Icmp:
      on_icmp(ip, payload, l3_event, flow);
      return;
    case wire::IpProtocol::Tcp:
      m_tcp->on_segment(ip, segment, l3_event, flow);
      return;
    case wire::IpProtocol::Udp: {
      wire::ByteView data;
      const auto udp = wire::UdpHeader::parse(payload, &data);
      if (!udp) {
        record_drop(Layer::Transport, DropReason::Malformed, segment, l3_event, flow);
        return;
      }
      if (!wire::UdpHeader::checksum_ok(payload.first(udp->length), ip.src, ip.dst)) {
        record_drop(Layer::Transport, DropReason::BadChecksum, segment, l3_event, flow);
        return;
      }
      const auto socket = m_udp_sockets.find(udp->dst_port);
      if (socket == m_udp_sockets.end()) {
        const EventId drop =
            record_drop(Layer::Transport, DropReason::PortUnreachable, segment, l3_event, flow);
        if (ip.dst != wire::Ipv4Addr::broadcast()) {
          send_icmp_error(wire::IcmpType::DestinationUnreachable,
                          static_cast<std::uint8_t>(wire::IcmpUnreachable::Port), packet_bytes,
                          drop, flow);
        }
        return;
      }
      const EventId l4 = record(Layer::Transport, EventKind::Receive, segment, l3_event, flow,
                                static_cast<std::uint16_t>(wire::IpProtocol::Udp));
      socket->second->deliver(
          UdpDatagram{ip.src, udp->src_port, ip.dst, udp->dst_port, data, l4, flow});
      return;
    }
  }
  record_drop(Layer::Network, DropReason::NotForUs, packet, l3_event, flow);
}

void Host::forward(std::uint32_t in_iface, const wire::Ipv4Header& ip, BlobRef packet,
                   wire::ByteView packet_bytes, EventId l2_event, FlowId flow) {
  Trace& trace = sim().trace();
  const auto icmp_error = [&](DropReason reason, wire::IcmpType type, std::uint8_t code) {
    const EventId drop = record_drop(Layer::Network, reason, packet, l2_event, flow);
    send_icmp_error(type, code, packet_bytes, drop, flow, in_iface);
  };
  if (ip.ttl <= 1) {
    icmp_error(DropReason::TtlExpired, wire::IcmpType::TimeExceeded, 0);
    return;
  }
  const auto route = m_routes.lookup(ip.dst);
  if (!route) {
    icmp_error(DropReason::NoRoute, wire::IcmpType::DestinationUnreachable,
               static_cast<std::uint8_t>(wire::IcmpUnreachable::Network));
    return;
  }
  const Interface& out = *m_interfaces[route->interface];
  if (out.port.link != nullptr && packet_bytes.size() > out.port.link->config().mtu) {
    icmp_error(DropReason::TooBig, wire::IcmpType::DestinationUnreachable,
               static_cast<std::uint8_t>(wire::IcmpUnreachable::FragmentationNeeded));
    return;
  }
  // Only the header changes, so the new frame is a new Ethernet and IPv4 header before the
  // segment as it came, which the trace already holds. A short segment is copied: its splice
  // record would be as large as the bytes it saves.
  constexpr std::size_t kShareFrom = 64;
  const bool share = packet_bytes.size() - ip.header_length >= kShareFrom;
  const wire::ByteView copied = packet_bytes.first(share ? ip.header_length : packet_bytes.size());
  m_scratch.resize(wire::EthernetHeader::kLength);
  m_scratch.insert(m_scratch.end(), copied.begin(), copied.end());
  // Decrement TTL and recompute the header checksum over the header as it came (options too).
  const wire::MutableByteView new_header(m_scratch.data() + wire::EthernetHeader::kLength,
                                         ip.header_length);
  new_header[8] = static_cast<std::uint8_t>(ip.ttl - 1);
  wire::write_u16(new_header, 10, 0);
  wire::write_u16(new_header, 10, wire::internet_checksum(new_header));
  const wire::Ipv4Addr next_hop = route->gateway.is_unspecified() ? ip.dst : route->gateway;
  output(route->interface, next_hop, ip.header_length, L4Event::None, EventKind::Forward, l2_event,
         flow, share ? trace.slice(packet, ip.header_length) : BlobRef{});
}

void Host::power_off() {
  if (!is_up()) return;
  set_up(false);
  for (auto& [key, pending] : m_arp_pending)
    sim().cancel(pending.timer);
  m_arp_pending.clear();
  m_arp_cache.clear();
  for (auto& [seq, ping] : m_pings)
    sim().cancel(ping.timeout);
  m_pings.clear();
  m_tcp->reset_all();
  note(Layer::Physical, "powered off");
}

void Host::power_on() {
  if (is_up()) return;
  set_up(true);
  note(Layer::Physical, "powered on");
}

}  // namespace mailscope::net
