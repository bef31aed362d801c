// Host: ICMP (RFC 792) — answering pings, reporting errors, and the ping client.

#include <algorithm>
#include <cstring>

#include "net/host.h"
#include "net/network.h"
#include "net/udp_socket.h"
#include "wire/icmp.h"

namespace mailscope::net {
namespace {

// The payload Windows' ping sends; any fixed pattern would do.
constexpr std::string_view kPingPayload = "abcdefghijklmnopqrstuvwabcdefghi";

wire::Bytes emit_icmp(const wire::IcmpMessage& message) {
  wire::Bytes bytes(message.length());
  message.emit(bytes);
  return bytes;
}

}  // namespace

void Host::on_icmp(const wire::Ipv4Header& ip, wire::ByteView payload, EventId l3_event,
                   FlowId flow) {
  const auto icmp = wire::IcmpMessage::parse(payload);
  if (!icmp) {
    const bool checksum = icmp.error().where == "icmp.checksum";
    record_drop(Layer::Network, checksum ? DropReason::BadChecksum : DropReason::Malformed, {},
                l3_event, flow);
    return;
  }
  switch (icmp->type) {
    case wire::IcmpType::EchoRequest: {
      wire::IcmpMessage reply = *icmp;
      reply.type = wire::IcmpType::EchoReply;
      reply.code = 0;
      const wire::Ipv4Addr src = owns_address(ip.dst) ? ip.dst : address();
      send_ip(src, ip.src, wire::IpProtocol::Icmp, emit_icmp(reply), l3_event, flow, L4Event::None);
      return;
    }
    case wire::IcmpType::EchoReply: {
      if (icmp->identifier != m_ping_identifier) return;
      const auto it = m_pings.find(icmp->sequence);
      if (it == m_pings.end()) return;
      PingPending ping = std::move(it->second);
      m_pings.erase(it);
      sim().cancel(ping.timeout);
      ping.done(
          PingResult{PingResult::Outcome::Reply, ip.src, icmp->sequence, sim().now() - ping.sent});
      return;
    }
    case wire::IcmpType::TimeExceeded:
    case wire::IcmpType::DestinationUnreachable: {
      const wire::ByteView quoted = icmp->payload;
      if (quoted.size() < 28 || (quoted[0] >> 4) != 4) return;
      const std::size_t ihl = (quoted[0] & 0x0fu) * 4u;
      if (quoted.size() < ihl + 8) return;
      const auto inner = static_cast<wire::IpProtocol>(quoted[9]);
      const auto outcome = icmp->type == wire::IcmpType::TimeExceeded
                               ? PingResult::Outcome::TimeExceeded
                               : PingResult::Outcome::Unreachable;
      if (inner == wire::IpProtocol::Icmp && wire::read_u16(quoted, ihl + 4) == m_ping_identifier) {
        const auto it = m_pings.find(wire::read_u16(quoted, ihl + 6));
        if (it == m_pings.end()) return;
        PingPending ping = std::move(it->second);
        const std::uint16_t sequence = it->first;
        m_pings.erase(it);
        sim().cancel(ping.timeout);
        ping.done(PingResult{outcome, ip.src, sequence, sim().now() - ping.sent});
      } else if (inner == wire::IpProtocol::Udp) {
        const auto socket = m_udp_sockets.find(wire::read_u16(quoted, ihl));
        if (socket != m_udp_sockets.end()) {
          socket->second->report_error(wire::Ipv4Addr{wire::read_u32(quoted, 16)},
                                       wire::read_u16(quoted, ihl + 2), icmp->type, icmp->code);
        }
      }
      // TCP treats ICMP errors as soft (RFC 1122 4.2.3.9): its own timers decide.
      return;
    }
  }
}

void Host::send_icmp_error(wire::IcmpType type, std::uint8_t code, wire::ByteView offending,
                           EventId parent, FlowId flow, std::optional<std::uint32_t> via_iface) {
  if (offending.size() < wire::Ipv4Header::kMinLength) return;
  const std::size_t ihl = (offending[0] & 0x0fu) * 4u;
  const wire::Ipv4Addr dst{wire::read_u32(offending, 12)};
  if (dst.is_unspecified() || dst == wire::Ipv4Addr::broadcast()) return;
  // RFC 1122 3.2.2: never answer an ICMP error with another one.
  if (offending[9] == static_cast<std::uint8_t>(wire::IpProtocol::Icmp) && offending.size() > ihl) {
    const auto inner_type = static_cast<wire::IcmpType>(offending[ihl]);
    if (inner_type != wire::IcmpType::EchoRequest && inner_type != wire::IcmpType::EchoReply)
      return;
  }
  std::optional<wire::Ipv4Addr> src;
  if (via_iface && m_interfaces.at(*via_iface)->address)
    src = m_interfaces[*via_iface]->address->address;
  if (!src) src = source_for(dst);
  if (!src) return;
  wire::IcmpMessage message;
  message.type = type;
  message.code = code;
  message.payload = offending.first(std::min(offending.size(), ihl + 8));
  if (type == wire::IcmpType::DestinationUnreachable &&
      code == static_cast<std::uint8_t>(wire::IcmpUnreachable::FragmentationNeeded) && via_iface) {
    message.sequence = 1500;  // next-hop MTU (RFC 1191); our links all carry 1500 by default
  }
  send_ip(*src, dst, wire::IpProtocol::Icmp, emit_icmp(message), parent, flow, L4Event::None);
}

void Host::ping(wire::Ipv4Addr dst, std::uint16_t sequence,
                std::function<void(const PingResult&)> done, TimeNs timeout, std::uint8_t ttl) {
  const auto src = source_for(dst);
  if (!src) {
    done(PingResult{PingResult::Outcome::Unreachable, address(), sequence, 0});
    return;
  }
  wire::IcmpMessage request;
  request.type = wire::IcmpType::EchoRequest;
  request.identifier = m_ping_identifier;
  request.sequence = sequence;
  request.payload = wire::as_bytes(kPingPayload);
  const FlowId flow =
      m_network.flows().lookup(static_cast<std::uint8_t>(wire::IpProtocol::Icmp), *src,
                               m_ping_identifier, dst, m_ping_identifier, id());
  if (const auto old = m_pings.find(sequence); old != m_pings.end())
    sim().cancel(old->second.timeout);
  PingPending& pending = m_pings[sequence];
  pending.sent = sim().now();
  pending.done = std::move(done);
  pending.timeout = sim().schedule_after(timeout, [this, sequence] {
    const auto it = m_pings.find(sequence);
    if (it == m_pings.end()) return;
    PingPending ping = std::move(it->second);
    m_pings.erase(it);
    ping.done(PingResult{PingResult::Outcome::Timeout, wire::Ipv4Addr::any(), sequence, 0});
  });
  send_ip(*src, dst, wire::IpProtocol::Icmp, emit_icmp(request), kNoEvent, flow, L4Event::None,
          ttl);
}

}  // namespace mailscope::net
