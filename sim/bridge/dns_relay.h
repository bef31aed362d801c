#pragma once
// DnsRelay: real DNS queries over UDP (dig, host, a stub resolver) relayed into the simulation.
//
// Each datagram that arrives on the real socket is sent from the external-client host, from a
// fresh virtual UDP port, to the scenario's resolver on port 53; the first answer that comes
// back to that port is sent to the real client, and the virtual port is closed. The query and
// the answer are recorded like those of a simulated stub resolver (L7 Request on the external
// client, L7 Receive when the answer arrives), so transcripts show them. DNS over TCP needs no
// relay of its own: the bridge splices it like any TCP service.

#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "bridge/real_time_driver.h"
#include "net/host.h"
#include "net/udp_socket.h"

namespace mailscope::bridge {

struct DnsRelayOptions {
  wire::Ipv4Addr resolver;  // the scenario's resolver
  std::uint16_t resolver_port = 53;
  std::chrono::milliseconds timeout{5000};  // a query with no answer by then is forgotten
  std::size_t queries_max = 256;            // outstanding at once; more are dropped
};

class DnsRelay {
 public:
  DnsRelay(boost::asio::ip::udp::socket socket, RealTimeDriver& driver, net::Host& client,
           DnsRelayOptions options);
  ~DnsRelay();
  DnsRelay(const DnsRelay&) = delete;
  DnsRelay& operator=(const DnsRelay&) = delete;

  void start();
  // Closes the real socket and forgets every outstanding query.
  void stop();

  std::uint64_t queries_relayed() const { return m_relayed; }
  std::uint64_t answers_relayed() const { return m_answered; }
  std::size_t outstanding() const { return m_queries.size(); }

 private:
  struct Query {
    std::unique_ptr<net::UdpSocket> socket;  // the virtual port the answer comes back to
    boost::asio::ip::udp::endpoint client;   // the real sender
    std::unique_ptr<boost::asio::steady_timer> timer;
    FlowId flow = kNoFlow;
    bool answered = false;  // only the first answer goes back
  };

  void receive();
  void on_query(std::size_t size);
  void on_answer(std::uint64_t id, const net::UdpDatagram& datagram);
  // Forgets a query later on the io_context: it may be called from the virtual socket's callback.
  void forget(std::uint64_t id);

  boost::asio::ip::udp::socket m_socket;
  RealTimeDriver& m_driver;
  net::Host& m_client;
  DnsRelayOptions m_options;
  std::vector<std::uint8_t> m_buffer;  // one datagram: 65535 bytes at most
  boost::asio::ip::udp::endpoint m_sender;
  std::map<std::uint64_t, Query> m_queries;  // outstanding, by a number never reused
  std::uint64_t m_next_id = 1;
  std::uint64_t m_relayed = 0;
  std::uint64_t m_answered = 0;
  bool m_stopped = false;
  std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

}  // namespace mailscope::bridge
