#pragma once
// Host: a node with an IPv4 stack — interfaces, ARP, a routing table, ICMP, UDP and TCP.
// A router is a Host with forwarding switched on (as in Linux): it decrements TTL, answers with
// ICMP time exceeded or unreachable, and forwards between its interfaces.
//
// Sending builds the whole frame at once (Ethernet + IPv4 + transport) and stores it in the
// trace once; the L4, L3 and L2 send events are slices of that one copy. When ARP has not
// resolved the next hop yet, the packet waits in a bounded queue and the frame is built later.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/rng.h"
#include "net/node.h"
#include "net/routing_table.h"
#include "net/tcp_config.h"
#include "wire/address.h"
#include "wire/bytes.h"
#include "wire/ethernet.h"
#include "wire/icmp.h"
#include "wire/ipv4.h"

namespace mailscope::net {

class Network;
class TcpStack;
class UdpSocket;

struct Interface {
  std::string name;  // "eth0"
  Port port;
  wire::MacAddr mac;
  std::optional<wire::Ipv4Cidr> address;
};

struct PingResult {
  enum class Outcome { Reply, TimeExceeded, Unreachable, Timeout };
  Outcome outcome = Outcome::Timeout;
  wire::Ipv4Addr from;  // who answered
  std::uint16_t sequence = 0;
  TimeNs rtt = 0;
};

// Which transport-layer event send_ip records in front of the L3 one.
enum class L4Event { None, Send };

class Host : public Node {
 public:
  // ARP: how long an entry stays valid, how often to ask, how many packets may wait.
  static constexpr TimeNs kArpEntryLifetime = 60 * kSecond;
  static constexpr TimeNs kArpRetryInterval = 1 * kSecond;
  static constexpr int kArpAttemptsMax = 3;
  static constexpr std::size_t kArpPendingPacketsMax = 64;
  static constexpr std::uint8_t kDefaultTtl = 64;

  Host(Network& network, std::string name, std::string kind, bool forwarding);
  ~Host() override;

  Network& network() { return m_network; }
  bool forwarding() const { return m_forwarding; }

  // Interfaces and routes. An interface with an address adds its connected route.
  Interface& add_interface(std::optional<wire::Ipv4Cidr> address);
  Interface& interface(std::uint32_t index) { return *m_interfaces.at(index); }
  std::size_t interface_count() const { return m_interfaces.size(); }
  RoutingTable& routes() { return m_routes; }
  const RoutingTable& routes() const { return m_routes; }
  void set_default_gateway(wire::Ipv4Addr gateway);
  // The address of the first interface that has one (0.0.0.0 if none).
  wire::Ipv4Addr address() const;
  bool owns_address(wire::Ipv4Addr address) const;
  // The source address this host uses towards dst (its outgoing interface's), if routable.
  std::optional<wire::Ipv4Addr> source_for(wire::Ipv4Addr dst) const;

  // Sends an IPv4 packet whose payload (a whole transport PDU or ICMP message) is `payload`.
  // `parent` is the event that caused it (an L7 write, or the packet an ICMP error answers).
  // Returns false (after recording the drop) when there is no route.
  bool send_ip(wire::Ipv4Addr src, wire::Ipv4Addr dst, wire::IpProtocol protocol,
               wire::ByteView payload, EventId parent, FlowId flow, L4Event l4 = L4Event::Send,
               std::uint8_t ttl = kDefaultTtl);

  // ICMP echo: one request; `done` is called once with the reply, an error or a timeout.
  void ping(wire::Ipv4Addr dst, std::uint16_t sequence, std::function<void(const PingResult&)> done,
            TimeNs timeout = 2 * kSecond, std::uint8_t ttl = kDefaultTtl);

  // UDP: bind a port (0 picks an ephemeral one); null when the port is taken.
  std::unique_ptr<UdpSocket> udp_bind(std::uint16_t port);
  TcpStack& tcp() { return *m_tcp; }

  // Switches the host off (frames to it are dropped, its sockets are gone) or back on.
  // Services decide themselves what to rebuild; the stack comes back empty.
  void power_off();
  void power_on();

  void on_frame(std::uint32_t port, BlobRef frame, EventId l1_event, FlowId flow) override;

 private:
  friend class UdpSocket;
  friend class TcpStack;

  struct PendingPacket {
    BlobRef packet;  // the IPv4 packet, stored when it was sent
    EventId l3_event;
    FlowId flow;
  };
  struct ArpEntry {
    wire::MacAddr mac;
    TimeNs expires = 0;
  };
  struct ArpPending {
    std::vector<PendingPacket> packets;
    int attempts = 0;
    TimerId timer;
  };
  struct PingPending {
    TimeNs sent = 0;
    std::function<void(const PingResult&)> done;
    TimerId timeout;
  };
  using ArpKey = std::pair<std::uint32_t, std::uint32_t>;  // interface, next-hop address

  // IPv4 output of the packet in m_scratch (after room for the Ethernet header) followed by
  // `tail`, bytes already in the trace that are shared rather than copied (a forwarded segment).
  void output(std::uint32_t iface, wire::Ipv4Addr next_hop, std::size_t ip_header_len, L4Event l4,
              EventKind l3_kind, EventId parent, FlowId flow, BlobRef tail = {});
  void transmit_frame(std::uint32_t iface, const wire::MacAddr& dst, wire::EtherType type,
                      wire::ByteView payload, EventId parent, FlowId flow);
  void on_ipv4(std::uint32_t iface, BlobRef frame, EventId l2_event, FlowId flow);
  // `packet_bytes` are the packet's bytes as received (gathered when it came spliced).
  void forward(std::uint32_t in_iface, const wire::Ipv4Header& ip, BlobRef packet,
               wire::ByteView packet_bytes, EventId l3_event, FlowId flow);
  void deliver_local(const wire::Ipv4Header& ip, BlobRef packet, wire::ByteView packet_bytes,
                     wire::ByteView payload, EventId l3_event, FlowId flow);

  // ARP
  void on_arp(std::uint32_t iface, BlobRef frame, EventId l2_event);
  void arp_request(std::uint32_t iface, wire::Ipv4Addr target, EventId parent);
  void arp_retry(ArpKey key);
  void arp_learned(std::uint32_t iface, wire::Ipv4Addr ip, const wire::MacAddr& mac,
                   EventId l2_event);
  const wire::MacAddr* arp_lookup(std::uint32_t iface, wire::Ipv4Addr ip) const;

  // ICMP
  void on_icmp(const wire::Ipv4Header& ip, wire::ByteView payload, EventId l3_event, FlowId flow);
  // Sends an ICMP error about `offending` (its IPv4 packet bytes) back to its source.
  void send_icmp_error(wire::IcmpType type, std::uint8_t code, wire::ByteView offending,
                       EventId parent, FlowId flow,
                       std::optional<std::uint32_t> via_iface = std::nullopt);

  Network& m_network;
  bool m_forwarding;
  std::vector<std::unique_ptr<Interface>> m_interfaces;  // stable addresses: links point at ports
  RoutingTable m_routes;
  std::map<ArpKey, ArpEntry> m_arp_cache;
  std::map<ArpKey, ArpPending> m_arp_pending;
  Rng m_rng;  // IPv4 identification, ICMP identifiers, ephemeral ports
  std::uint16_t m_ping_identifier;
  std::map<std::uint16_t, PingPending> m_pings;  // by sequence number
  std::map<std::uint16_t, UdpSocket*> m_udp_sockets;
  std::unique_ptr<TcpStack> m_tcp;
  wire::Bytes m_scratch;      // frame under construction; reused to avoid an allocation per packet
  Trace::Scratch m_received;  // a received forwarded (spliced) packet, gathered to be parsed
};

}  // namespace mailscope::net
