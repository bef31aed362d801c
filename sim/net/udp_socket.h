#pragma once
// UdpSocket: a bound UDP port on a Host. The application owns the socket; destroying it unbinds.

#include <cstdint>
#include <functional>

#include "core/trace.h"
#include "wire/address.h"
#include "wire/bytes.h"
#include "wire/icmp.h"

namespace mailscope::net {

class Host;

struct UdpDatagram {
  wire::Ipv4Addr src;
  std::uint16_t src_port = 0;
  wire::Ipv4Addr dst;
  std::uint16_t dst_port = 0;
  wire::ByteView payload;  // valid during the callback only
  EventId l4_event = kNoEvent;
  FlowId flow = kNoFlow;
};

class UdpSocket {
 public:
  using ReceiveFn = std::function<void(const UdpDatagram&)>;
  // An ICMP error came back for something we sent to (dst, dst_port).
  using ErrorFn = std::function<void(wire::Ipv4Addr dst, std::uint16_t dst_port, wire::IcmpType,
                                     std::uint8_t code)>;

  UdpSocket(Host& host, std::uint16_t port);
  ~UdpSocket();
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;

  std::uint16_t port() const { return m_port; }
  Host& host() { return m_host; }
  void on_receive(ReceiveFn fn) { m_receive = std::move(fn); }
  void on_error(ErrorFn fn) { m_error = std::move(fn); }

  // Sends one datagram; `parent` is the application event it carries. Returns the flow used, or
  // kNoFlow when there is no route.
  FlowId send_to(wire::Ipv4Addr dst, std::uint16_t dst_port, wire::ByteView payload,
                 EventId parent = kNoEvent);

  // Called by the host.
  void deliver(const UdpDatagram& datagram) {
    if (m_receive) m_receive(datagram);
  }
  void report_error(wire::Ipv4Addr dst, std::uint16_t dst_port, wire::IcmpType type,
                    std::uint8_t code) {
    if (m_error) m_error(dst, dst_port, type, code);
  }

 private:
  Host& m_host;
  std::uint16_t m_port;
  ReceiveFn m_receive;
  ErrorFn m_error;
  wire::Bytes m_datagram;  // reused buffer for the datagram being sent
};

}  // namespace mailscope::net
