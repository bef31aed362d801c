// Host: address resolution (RFC 826) — the cache, requests with retries, and the packets that
// wait for an answer.

#include <array>

#include "net/host.h"
#include "net/link.h"
#include "wire/arp.h"
#include "wire/ethernet.h"
#include "wire/icmp.h"

namespace mailscope::net {

const wire::MacAddr* Host::arp_lookup(std::uint32_t iface, wire::Ipv4Addr ip) const {
  const auto it = m_arp_cache.find(ArpKey{iface, ip.value});
  if (it == m_arp_cache.end() || it->second.expires <= const_cast<Host*>(this)->sim().now())
    return nullptr;
  return &it->second.mac;
}

void Host::arp_request(std::uint32_t iface_index, wire::Ipv4Addr target, EventId parent) {
  const Interface& iface = *m_interfaces[iface_index];
  wire::ArpPacket request;
  request.operation = wire::ArpOperation::Request;
  request.sender_mac = iface.mac;
  request.sender_ip = iface.address ? iface.address->address : wire::Ipv4Addr::any();
  request.target_ip = target;
  std::array<std::uint8_t, wire::ArpPacket::kLength> bytes{};
  request.emit(bytes);
  transmit_frame(iface_index, wire::MacAddr::broadcast(), wire::EtherType::Arp, bytes, parent,
                 kNoFlow);
}

void Host::arp_retry(ArpKey key) {
  const auto it = m_arp_pending.find(key);
  if (it == m_arp_pending.end()) return;
  ArpPending& pending = it->second;
  if (pending.attempts >= kArpAttemptsMax) {
    // Nobody answered: the waiting packets are lost. A router tells their senders.
    std::vector<PendingPacket> packets = std::move(pending.packets);
    m_arp_pending.erase(it);
    Trace::Scratch scratch;
    for (const PendingPacket& p : packets) {
      const EventId drop =
          record_drop(Layer::Network, DropReason::ArpTimeout, p.packet, p.l3_event, p.flow);
      const wire::ByteView bytes = sim().trace().bytes(p.packet, scratch);
      const bool ours =
          bytes.size() >= 20 && owns_address(wire::Ipv4Addr{wire::read_u32(bytes, 12)});
      if (m_forwarding && !ours) {
        send_icmp_error(wire::IcmpType::DestinationUnreachable,
                        static_cast<std::uint8_t>(wire::IcmpUnreachable::Host), bytes, drop,
                        p.flow);
      }
    }
    return;
  }
  ++pending.attempts;
  const EventId parent = pending.packets.empty() ? kNoEvent : pending.packets.front().l3_event;
  arp_request(key.first, wire::Ipv4Addr{key.second}, parent);
  pending.timer = sim().schedule_after(kArpRetryInterval, [this, key] { arp_retry(key); });
}

void Host::arp_learned(std::uint32_t iface_index, wire::Ipv4Addr ip, const wire::MacAddr& mac,
                       EventId l2_event) {
  const ArpKey key{iface_index, ip.value};
  m_arp_cache[key] = ArpEntry{mac, sim().now() + kArpEntryLifetime};
  const auto it = m_arp_pending.find(key);
  if (it == m_arp_pending.end()) return;
  sim().cancel(it->second.timer);
  std::vector<PendingPacket> packets = std::move(it->second.packets);
  m_arp_pending.erase(it);
  (void)l2_event;
  Trace::Scratch scratch;
  for (const PendingPacket& p : packets) {
    transmit_frame(iface_index, mac, wire::EtherType::Ipv4, sim().trace().bytes(p.packet, scratch),
                   p.l3_event, p.flow);
  }
}

void Host::on_arp(std::uint32_t iface_index, BlobRef frame, EventId l2_event) {
  const BlobRef body = sim().trace().slice(frame, wire::EthernetHeader::kLength);
  const auto arp = wire::ArpPacket::parse(sim().trace().bytes(body, m_received));
  if (!arp) {
    record_drop(Layer::Link, DropReason::Malformed, body, l2_event, kNoFlow);
    return;
  }
  const Interface& iface = *m_interfaces[iface_index];
  const bool for_us = iface.address && arp->target_ip == iface.address->address;
  const bool known = m_arp_cache.contains(ArpKey{iface_index, arp->sender_ip.value}) ||
                     m_arp_pending.contains(ArpKey{iface_index, arp->sender_ip.value});
  // RFC 826: update an entry we have; add one only when the packet is addressed to us.
  if ((known || for_us) && !arp->sender_ip.is_unspecified()) {
    arp_learned(iface_index, arp->sender_ip, arp->sender_mac, l2_event);
  }
  if (for_us && arp->operation == wire::ArpOperation::Request) {
    wire::ArpPacket reply;
    reply.operation = wire::ArpOperation::Reply;
    reply.sender_mac = iface.mac;
    reply.sender_ip = iface.address->address;
    reply.target_mac = arp->sender_mac;
    reply.target_ip = arp->sender_ip;
    std::array<std::uint8_t, wire::ArpPacket::kLength> bytes{};
    reply.emit(bytes);
    transmit_frame(iface_index, arp->sender_mac, wire::EtherType::Arp, bytes, l2_event, kNoFlow);
  }
}

}  // namespace mailscope::net
