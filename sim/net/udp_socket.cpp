#include "net/udp_socket.h"

#include <cstring>

#include "net/host.h"
#include "net/network.h"
#include "wire/udp.h"

namespace mailscope::net {

UdpSocket::UdpSocket(Host& host, std::uint16_t port) : m_host(host), m_port(port) {}

UdpSocket::~UdpSocket() {
  const auto it = m_host.m_udp_sockets.find(m_port);
  if (it != m_host.m_udp_sockets.end() && it->second == this) m_host.m_udp_sockets.erase(it);
}

FlowId UdpSocket::send_to(wire::Ipv4Addr dst, std::uint16_t dst_port, wire::ByteView payload,
                          EventId parent) {
  const auto src = m_host.source_for(dst);
  if (!src) {
    m_host.record_drop(Layer::Transport, DropReason::NoRoute, {}, parent, kNoFlow);
    return kNoFlow;
  }
  const FlowId flow = m_host.network().flows().lookup(
      static_cast<std::uint8_t>(wire::IpProtocol::Udp), *src, m_port, dst, dst_port, m_host.id());
  m_datagram.resize(wire::UdpHeader::kLength + payload.size());
  std::memcpy(m_datagram.data() + wire::UdpHeader::kLength, payload.data(), payload.size());
  wire::UdpHeader header;
  header.src_port = m_port;
  header.dst_port = dst_port;
  header.emit(m_datagram, *src, dst);
  m_host.send_ip(*src, dst, wire::IpProtocol::Udp, m_datagram, parent, flow);
  return flow;
}

std::unique_ptr<UdpSocket> Host::udp_bind(std::uint16_t port) {
  if (port == 0) {
    // Ephemeral range as Linux uses it; start at a seeded random point.
    constexpr std::uint16_t kFirst = 32768, kCount = 28232;
    const auto start = static_cast<std::uint16_t>(m_rng.below(kCount));
    for (std::uint16_t i = 0; i < kCount; ++i) {
      const auto candidate = static_cast<std::uint16_t>(kFirst + (start + i) % kCount);
      if (!m_udp_sockets.contains(candidate)) {
        port = candidate;
        break;
      }
    }
    if (port == 0) return nullptr;
  }
  if (m_udp_sockets.contains(port)) return nullptr;
  auto socket = std::make_unique<UdpSocket>(*this, port);
  m_udp_sockets[port] = socket.get();
  return socket;
}

}  // namespace mailscope::net
