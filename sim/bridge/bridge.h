#pragma once
// Bridge: exposes simulated services on real sockets, so that telnet, swaks, curl, Python's
// smtplib/imaplib/poplib and dig talk to the simulated servers.
//
//   Bridge::create(io, driver, network, lan, options)  one "external-client" host joins `lan`
//   bridge.expose(mail_host, 587, 2587)                 127.0.0.1:2587 -> mail_host:587
//   bridge.expose_dns(resolver_address, 5353)           127.0.0.1:5353 (UDP and TCP) -> :53
//   puts(bridge.ready_line())                           READY {"mail.a.test:587": 2587, ...}
//
// Every accepted connection becomes a virtual TCP connection from the external-client host (see
// tcp_splice.h); every UDP query is relayed from it (see dns_relay.h). The real client's bytes
// therefore cross the virtual LAN, routers and links like any simulated packet, and the trace,
// the transcript and the pcap record them.
//
// Threading: all of it runs on the io_context's thread, with the RealTimeDriver.
// Lifetime: destroy the Bridge before the Network (it resets what is still open) and keep the
// io_context alive until the Bridge is gone.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bridge/dns_relay.h"
#include "bridge/real_time_driver.h"
#include "bridge/tcp_splice.h"
#include "core/result.h"
#include "net/network.h"

namespace mailscope::bridge {

struct BridgeOptions {
  std::string bind_address = "127.0.0.1";  // anything else earns a warning
  std::string client_name = "external-client";
  wire::Ipv4Cidr client_address;  // the external-client host's address on the LAN
  wire::Ipv4Addr gateway;         // its default gateway: the LAN's router
  net::LinkConfig client_link;    // the cable from the external client to the LAN's switch
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(10)};
  std::size_t connections_max = 1024;  // spliced connections at once; more are reset
  std::size_t to_client_bytes_max = 8 * 1024 * 1024;
  std::chrono::milliseconds dns_timeout{5000};
  std::size_t dns_queries_max = 256;
};

// One listening port.
struct ExposedPort {
  std::string label;       // "mail.a.test:587", or "dns" for the DNS relay
  wire::Ipv4Addr address;  // the virtual server
  std::uint16_t virtual_port = 0;
  std::uint16_t local_port = 0;  // the real port chosen
  std::string application;       // "smtp", "imap", "pop3", "dns" or empty
};

struct BridgeStats {
  std::uint64_t accepted = 0;  // real connections spliced in
  std::uint64_t refused = 0;   // real connections reset because connections_max were open
  std::uint64_t ended = 0;     // spliced connections finished
};

class Bridge {
 public:
  // Creates the external-client host on `lan`. An error when the bind address is not an IP
  // address.
  static Result<std::unique_ptr<Bridge>> create(boost::asio::io_context& io, RealTimeDriver& driver,
                                                net::Network& network, net::Switch& lan,
                                                BridgeOptions options);
  ~Bridge();
  Bridge(const Bridge&) = delete;
  Bridge& operator=(const Bridge&) = delete;

  // Listens on bind_address:local_port (0: any free port) for vhost:vport. Returns the real
  // port, or an error naming the port when it is in use.
  Result<std::uint16_t> expose(net::Host& vhost, std::uint16_t vport, std::uint16_t local_port);
  Result<std::uint16_t> expose(std::string label, wire::Ipv4Addr address, std::uint16_t vport,
                               std::uint16_t local_port, std::string application);
  // UDP and TCP on bind_address:local_port (0: any port free for both), relayed to
  // resolver:53 (UDP) and spliced to it (TCP).
  Result<std::uint16_t> expose_dns(wire::Ipv4Addr resolver, std::uint16_t local_port);

  // `READY {"mail.a.test:587": 2587, "dns": 5353}` (valid JSON after "READY ") in the order the
  // ports were exposed.
  std::string ready_line() const;
  // The same as a table for people.
  std::string table() const;
  // Set when the bind address is not a loopback address: the caller prints it.
  const std::optional<std::string>& bind_warning() const { return m_bind_warning; }

  // Stops accepting, closes every connection politely (FIN to the server, the real socket closed
  // after the virtual connection has closed), and calls `done` once all have ended or `grace`
  // has passed (the rest are reset). The driver must keep running meanwhile.
  void shut_down(std::chrono::milliseconds grace, std::function<void()> done);

  net::Host& client_host() { return m_client; }
  const std::vector<ExposedPort>& exposed() const { return m_exposed; }
  std::size_t connection_count() const { return m_splices.size(); }
  const BridgeStats& stats() const { return m_stats; }
  const DnsRelay* dns_relay() const { return m_dns.get(); }

 private:
  struct Listener {
    ExposedPort port;
    std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor;
  };

  Bridge(boost::asio::io_context& io, RealTimeDriver& driver, net::Host& client,
         boost::asio::ip::address bind, BridgeOptions options);
  Result<std::unique_ptr<boost::asio::ip::tcp::acceptor>> listen(std::uint16_t local_port);
  void accept(std::size_t listener);
  void on_accept(std::size_t listener, boost::asio::ip::tcp::socket socket);
  void on_ended(TcpSplice& splice);
  void finish_shut_down();

  boost::asio::io_context& m_io;
  RealTimeDriver& m_driver;
  net::Host& m_client;
  boost::asio::ip::address m_bind;
  BridgeOptions m_options;
  std::optional<std::string> m_bind_warning;
  std::vector<Listener> m_listeners;   // stable indices: accept handlers name them
  std::vector<ExposedPort> m_exposed;  // every port, DNS included, in the order exposed
  std::unique_ptr<DnsRelay> m_dns;
  std::map<const TcpSplice*, std::shared_ptr<TcpSplice>> m_splices;  // live connections
  BridgeStats m_stats;
  bool m_stopping = false;
  std::function<void()> m_done;  // called once when shut_down() has finished
  std::unique_ptr<boost::asio::steady_timer> m_grace_timer;
  std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

}  // namespace mailscope::bridge
