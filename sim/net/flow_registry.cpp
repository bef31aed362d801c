#include "net/flow_registry.h"

#include <string>

#include "wire/icmp.h"
#include "wire/ipv4.h"

namespace mailscope::net {
namespace {

const char* protocol_name(std::uint8_t protocol) {
  switch (static_cast<wire::IpProtocol>(protocol)) {
    case wire::IpProtocol::Tcp:
      return "tcp";
    case wire::IpProtocol::Udp:
      return "udp";
    case wire::IpProtocol::Icmp:
      return "icmp";
  }
  return "ip";
}

}  // namespace

FlowRegistry::Key FlowRegistry::make_key(std::uint8_t protocol, wire::Ipv4Addr a,
                                         std::uint16_t a_port, wire::Ipv4Addr b,
                                         std::uint16_t b_port) {
  const std::uint64_t ea = (std::uint64_t{a.value} << 16) | a_port;
  const std::uint64_t eb = (std::uint64_t{b.value} << 16) | b_port;
  return ea < eb ? Key{ea, eb, protocol} : Key{eb, ea, protocol};
}

FlowId FlowRegistry::lookup(std::uint8_t protocol, wire::Ipv4Addr src, std::uint16_t src_port,
                            wire::Ipv4Addr dst, std::uint16_t dst_port, NodeId initiator) {
  const Key key = make_key(protocol, src, src_port, dst, dst_port);
  const auto [it, inserted] = m_flows.try_emplace(key, kNoFlow);
  if (inserted) {
    FlowInfo info;
    info.client = initiator;
    info.transport = protocol_name(protocol);
    info.label = src.to_string() + ":" + std::to_string(src_port) + " -> " + dst.to_string() + ":" +
                 std::to_string(dst_port);
    it->second = m_trace.add_flow(std::move(info));
  }
  return it->second;
}

void FlowRegistry::forget(std::uint8_t protocol, wire::Ipv4Addr a, std::uint16_t a_port,
                          wire::Ipv4Addr b, std::uint16_t b_port) {
  m_flows.erase(make_key(protocol, a, a_port, b, b_port));
}

FlowId FlowRegistry::classify(const wire::Ipv4Header& ip, wire::ByteView payload,
                              NodeId initiator) {
  const auto protocol = static_cast<std::uint8_t>(ip.protocol);
  switch (ip.protocol) {
    case wire::IpProtocol::Tcp:
    case wire::IpProtocol::Udp:
      if (payload.size() < 4) return kNoFlow;
      return lookup(protocol, ip.src, wire::read_u16(payload, 0), ip.dst,
                    wire::read_u16(payload, 2), initiator);
    case wire::IpProtocol::Icmp: {
      const auto icmp = wire::IcmpMessage::parse(payload);
      if (!icmp) return kNoFlow;
      if (icmp->type == wire::IcmpType::EchoRequest || icmp->type == wire::IcmpType::EchoReply) {
        return lookup(protocol, ip.src, icmp->identifier, ip.dst, icmp->identifier, initiator);
      }
      // An error quotes the offending header; it belongs to that conversation. The quote holds
      // only 8 payload bytes, so parse the header fields directly rather than the whole packet.
      const wire::ByteView quoted = icmp->payload;
      if (quoted.size() < 28 || (quoted[0] >> 4) != 4) return kNoFlow;
      const std::size_t ihl = (quoted[0] & 0x0f) * 4u;
      if (quoted.size() < ihl + 4) return kNoFlow;
      const std::uint8_t inner = quoted[9];
      const wire::Ipv4Addr src{wire::read_u32(quoted, 12)};
      const wire::Ipv4Addr dst{wire::read_u32(quoted, 16)};
      if (inner == static_cast<std::uint8_t>(wire::IpProtocol::Icmp)) {
        const std::uint16_t id = wire::read_u16(quoted, ihl + 4);
        return lookup(inner, src, id, dst, id, initiator);
      }
      return lookup(inner, src, wire::read_u16(quoted, ihl), dst, wire::read_u16(quoted, ihl + 2),
                    initiator);
    }
  }
  return kNoFlow;
}

}  // namespace mailscope::net
