#pragma once
// DnsListener: the network side of a DNS server — UDP port 53 and TCP port 53 with the two-octet
// length framing (RFC 1035 §4.2, RFC 7766) — shared by the authoritative server and the
// recursive resolver. It records every query received and every response sent, answers what
// check_query() rejects (FORMERR, NOTIMP, ...), and hands each valid query to the service with a
// function to call, now or later, with the response. The response is sized for the transport
// it goes back on (TC when it does not fit in the client's UDP size).

#include <cstdint>
#include <functional>
#include <map>
#include <memory>

#include "core/time.h"
#include "net/host.h"
#include "net/tcp_stack.h"
#include "net/udp_socket.h"
#include "services/dns_server_rules.h"
#include "wire/dns_tcp.h"

namespace mailscope::services {

struct DnsServerQuery {
  wire::DnsMessage message;  // passed check_query(): one question, class IN, opcode QUERY
  wire::Ipv4Addr client;
  std::uint16_t client_port = 0;
  DnsTransport transport = DnsTransport::Udp;
  EventId event = kNoEvent;  // the L7 Receive event of the query
  FlowId flow = kNoFlow;
};

// A failure a lesson switches on to show what clients and resolvers do then. The server still
// receives and records each query; only its answer changes.
enum class DnsServerFault {
  None,      // answers normally
  ServFail,  // every query is answered SERVFAIL
  Refused,   // every query is answered REFUSED
  NxDomain,  // every name is claimed not to exist
  Silent,    // queries are dropped: the client times out
};
std::string_view to_string(DnsServerFault fault);  // "none", "servfail", ...

class DnsListener {
 public:
  static constexpr std::uint16_t kDnsPort = 53;
  // Open TCP connections at once; a client beyond them is reset.
  static constexpr std::size_t kTcpConnectionsMax = 64;
  // Octets one TCP client may have sent and we not yet read (one largest message and a bit).
  static constexpr std::size_t kTcpBufferMax = wire::kDnsTcpMessageSizeMax + 2 + 1024;

  // Call with the response to the query (at most once); safe to call after the listener or the
  // connection is gone (the response is then dropped).
  using Respond = std::function<void(wire::DnsMessage response)>;
  using Handler = std::function<void(const DnsServerQuery& query, Respond respond)>;

  DnsListener(net::Host& host, Handler handler, std::uint16_t port = kDnsPort);
  ~DnsListener();
  DnsListener(const DnsListener&) = delete;
  DnsListener& operator=(const DnsListener&) = delete;

  // False when the host already had something on the port.
  bool listening() const { return m_udp != nullptr && m_tcp != nullptr; }
  net::Host& host() { return m_host; }
  std::size_t tcp_connection_count() const { return m_connections.size(); }
  void set_fault(DnsServerFault fault) { m_fault = fault; }
  DnsServerFault fault() const { return m_fault; }

 private:
  struct Connection {
    std::shared_ptr<net::TcpStream> stream;
    wire::DnsTcpReader reader{kTcpBufferMax};
  };

  void on_datagram(const net::UdpDatagram& datagram);
  void on_accept(std::shared_ptr<net::TcpStream> stream);
  void on_tcp_data(std::uint64_t id, wire::ByteView bytes, EventId l4_event);
  // Records one received message, then answers it, ignores it or hands it to the handler.
  // `connection` is 0 for UDP.
  void on_message(wire::ByteView bytes, EventId l4_event, DnsServerQuery origin,
                  std::uint64_t connection);
  // Sends `response` to `query`'s sender over the transport the query came on.
  void send(const wire::DnsMessage& query, wire::DnsMessage response, const DnsServerQuery& to,
            std::uint64_t connection);
  // Answers (or drops) a query as the fault in effect says.
  void answer_with_fault(const DnsServerQuery& query, std::uint64_t connection);
  void forget_closed_connections();

  net::Host& m_host;
  Handler m_handler;
  std::unique_ptr<net::UdpSocket> m_udp;
  std::unique_ptr<net::TcpListener> m_tcp;
  std::map<std::uint64_t, Connection> m_connections;  // by a number that is never reused
  std::uint64_t m_next_connection = 1;
  DnsServerFault m_fault = DnsServerFault::None;
  // Responders hold a weak reference: once the listener is gone they do nothing.
  std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

}  // namespace mailscope::services
