#pragma once
// DnsClient: sends one DNS query to one server and waits for the matching response — the
// transport part of every DNS client here (the stub resolver, the recursive resolver's
// upstream queries). Retrying and choosing servers is the caller's job.
//
// Each query leaves from a fresh UDP port and carries a fresh id, both drawn from the caller's
// seeded Rng (RFC 5452: an off-path attacker must guess both). A response is accepted only from
// the server's address and port 53, with the query's id and question; anything else is
// recorded and ignored. A response with TC set is asked again over TCP (RFC 7766 §5), with the
// two-octet length framing.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.h"
#include "core/time.h"
#include "net/host.h"
#include "net/tcp_stack.h"
#include "net/udp_socket.h"
#include "services/dns_server_rules.h"
#include "wire/dns_tcp.h"

namespace mailscope::services {

enum class DnsExchangeStatus {
  Response,     // a matching response arrived (whatever its rcode)
  Timeout,      // nothing matching arrived in time
  Unreachable,  // no route, or an ICMP error came back (nobody listens on port 53)
  Failed,       // the TCP retry failed (refused, reset, closed without an answer)
};
std::string_view to_string(DnsExchangeStatus status);

struct DnsExchangeResult {
  DnsExchangeStatus status = DnsExchangeStatus::Timeout;
  wire::DnsMessage response;                   // meaningful for Response only
  DnsTransport transport = DnsTransport::Udp;  // what the response (or failure) came over
  EventId event = kNoEvent;  // the L7 Receive event of the response, when there is one
  FlowId flow = kNoFlow;
  std::string detail;  // for failures: what happened, in words
};

struct DnsClientConfig {
  TimeNs tcp_timeout = 4 * kSecond;  // connect, send and answer over TCP
  std::size_t pending_max = 256;     // queries in flight at once
};

class DnsClient {
 public:
  using Done = std::function<void(const DnsExchangeResult&)>;

  DnsClient(net::Host& host, Rng rng, DnsClientConfig config = {});
  ~DnsClient();
  DnsClient(const DnsClient&) = delete;
  DnsClient& operator=(const DnsClient&) = delete;

  // Sends `query` (its id replaced by a random one) to server:53 over UDP, waits `timeout`,
  // and calls `done` exactly once, never from inside this call. `parent` is the event that
  // caused the query (the client's question at a resolver); the L7 Request event hangs below it.
  void exchange(wire::Ipv4Addr server, wire::DnsMessage query, TimeNs timeout, EventId parent,
                Done done);

  std::size_t pending() const { return m_pending.size(); }
  net::Host& host() { return m_host; }
  Rng& rng() { return m_rng; }

 private:
  struct Pending {
    wire::Ipv4Addr server;
    wire::DnsMessage query;
    Done done;
    EventId parent = kNoEvent;
    EventId query_event = kNoEvent;
    FlowId flow = kNoFlow;
    DnsTransport transport = DnsTransport::Udp;
    std::unique_ptr<net::UdpSocket> socket;
    std::shared_ptr<net::TcpStream> stream;
    wire::DnsTcpReader reader{wire::kDnsTcpMessageSizeMax + 2};
    TimerId timer;
  };

  std::unique_ptr<net::UdpSocket> bind_random_port();
  void on_datagram(std::uint64_t key, const net::UdpDatagram& datagram);
  void start_tcp(std::uint64_t key);
  void on_tcp_connected(std::uint64_t key);
  void on_tcp_data(std::uint64_t key, wire::ByteView bytes, EventId l4_event);
  // Checks a received message against the pending query; records it either way.
  bool matches(const Pending& p, const wire::DnsMessage& response) const;
  void finish(std::uint64_t key, DnsExchangeResult result);
  // Sockets and streams cannot be destroyed from inside their own callbacks: they wait here
  // until an event of their own clears them.
  void retire(Pending& p);

  net::Host& m_host;
  Rng m_rng;  // query ids and source ports
  DnsClientConfig m_config;
  std::map<std::uint64_t, Pending> m_pending;  // by a number that is never reused
  std::uint64_t m_next_key = 1;
  std::vector<std::unique_ptr<net::UdpSocket>> m_retired_sockets;
  std::vector<std::shared_ptr<net::TcpStream>> m_retired_streams;
  TimerId m_cleanup;  // pending clear of m_retired_sockets
};

}  // namespace mailscope::services
