#pragma once
// FlowRegistry: gives every conversation (a TCP connection, a UDP exchange, a ping) one flow id
// shared by all nodes that see its packets, so that views can follow it across the network.
// The simulation can do what no real network can: every node asks the same registry.

#include <cstdint>
#include <unordered_map>

#include "core/trace.h"
#include "wire/address.h"
#include "wire/bytes.h"
#include "wire/ipv4.h"

namespace mailscope::net {

class FlowRegistry {
 public:
  explicit FlowRegistry(Trace& trace) : m_trace(trace) {}

  // The flow of a conversation between two endpoints, created on first sight with `initiator`
  // as its client. Direction does not matter: A->B and B->A give the same flow.
  FlowId lookup(std::uint8_t protocol, wire::Ipv4Addr src, std::uint16_t src_port,
                wire::Ipv4Addr dst, std::uint16_t dst_port, NodeId initiator);
  // The flow of a parsed IPv4 packet, or kNoFlow when it has no ports to key on.
  // ICMP errors belong to the flow of the packet they quote.
  FlowId classify(const wire::Ipv4Header& ip, wire::ByteView payload, NodeId initiator);
  // Forgets a conversation so that a later one on the same ports becomes a new flow.
  void forget(std::uint8_t protocol, wire::Ipv4Addr a, std::uint16_t a_port, wire::Ipv4Addr b,
              std::uint16_t b_port);

 private:
  struct Key {
    std::uint64_t low;   // the endpoint that sorts first: address << 16 | port
    std::uint64_t high;  // the other endpoint
    std::uint8_t protocol;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      return static_cast<std::size_t>((k.low * 0x9e3779b97f4a7c15ULL) ^
                                      (k.high + k.protocol) * 0xc2b2ae3d27d4eb4fULL);
    }
  };
  static Key make_key(std::uint8_t protocol, wire::Ipv4Addr a, std::uint16_t a_port,
                      wire::Ipv4Addr b, std::uint16_t b_port);

  Trace& m_trace;
  std::unordered_map<Key, FlowId, KeyHash> m_flows;
};

}  // namespace mailscope::net
