#pragma once
// TcpSplice: one real TCP connection (a student's client on a loopback socket) joined to one
// virtual TCP connection from the external-client host to a simulated server.
//
//   real client ──loopback──► asio socket ══ TcpSplice ══ net::TcpStream ──virtual network──►
//   server
//
// Bytes are copied both ways as they come; the bridge does not parse them. Plaintext the client
// sends is recorded as L7 Request events on the external-client host (one per read), so that
// transcripts show the dialogue; once the client's bytes look like TLS records, only the server
// can see the plaintext and the bridge records nothing more at L7.
//
// Closing maps both ways: the real client's FIN becomes a virtual FIN once everything it sent
// has been handed over, and the server's FIN reaches the real client once everything the
// server sent has been written; a reset on either side resets the other.
//
// Backpressure: at most one read chunk waits for room in the virtual send buffer; while it waits
// nothing more is read from the real socket, so a fast client is held back by real TCP flow
// control. The other way, bytes waiting for a slow real client are capped; beyond the cap the
// connection is reset. A silent client is closed after the idle timeout. Each splice waits on
// its own socket, so no client can stall another.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bridge/real_time_driver.h"
#include "net/host.h"
#include "net/tcp_stack.h"

namespace mailscope::bridge {

struct SpliceOptions {
  std::string application;  // named on the flow: "smtp", "imap", "pop3", "dns" or empty
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(10)};
  std::size_t read_chunk_bytes = 16 * 1024;           // one real read at most
  std::size_t to_client_bytes_max = 8 * 1024 * 1024;  // waiting for a slow real client
  // Record the client's plaintext as L7 Request events (off for DNS over TCP, whose framed
  // messages the resolver records itself).
  bool record_requests = true;
};

class TcpSplice : public std::enable_shared_from_this<TcpSplice> {
 public:
  using EndedFn = std::function<void(TcpSplice&)>;

  TcpSplice(boost::asio::ip::tcp::socket socket, RealTimeDriver& driver, net::Host& client,
            SpliceOptions options, EndedFn ended);
  ~TcpSplice();
  TcpSplice(const TcpSplice&) = delete;
  TcpSplice& operator=(const TcpSplice&) = delete;

  // Opens the virtual connection to dst:port; the real socket is read once it is established.
  void start(wire::Ipv4Addr dst, std::uint16_t port);
  // A polite end: reads no more from the real client, sends FIN to the server, and closes the
  // real socket after the virtual connection has closed and what the server said is written.
  void shut_down();
  // A hard end: resets both sides now.
  void reset(std::string_view reason);

  bool ended() const { return m_ended; }
  FlowId flow() const { return m_stream ? m_stream->flow() : kNoFlow; }
  std::uint64_t bytes_to_server() const { return m_bytes_to_server; }
  std::uint64_t bytes_to_client() const { return m_bytes_to_client; }

 private:
  // Real side.
  void read_real();
  void on_real_read(const boost::system::error_code& error, std::size_t size);
  void write_real();
  void on_real_written(const boost::system::error_code& error);
  void after_flush();
  void close_real(bool with_reset);
  using IdleClock = std::chrono::steady_clock;
  // Notes traffic: the idle deadline moves to now + idle_timeout.
  void restart_idle_timer();
  void arm_idle_timer(IdleClock::time_point deadline);

  // Virtual side.
  void offer_pending();
  void on_connected();
  void on_virtual_data(wire::ByteView bytes);
  void on_peer_closed();
  void on_virtual_closed();
  void on_virtual_failed(net::TcpError error);
  EventId record_request(wire::ByteView bytes);

  void maybe_end();
  EventId note(std::string_view text);

  boost::asio::ip::tcp::socket m_socket;
  RealTimeDriver& m_driver;
  net::Host& m_client;
  SpliceOptions m_options;
  EndedFn m_ended_fn;
  // Invariant: while the splice has not ended and has seen traffic, one wait is outstanding
  // (m_idle_timer_armed), due at or before m_last_activity + idle_timeout; when it fires early it
  // is armed again for the rest.
  boost::asio::steady_timer m_idle_timer;
  IdleClock::time_point m_last_activity{};
  bool m_idle_timer_armed = false;
  std::shared_ptr<net::TcpStream> m_stream;  // null until start()

  // Real -> virtual. Invariant: bytes are read from the real socket only while m_pending is
  // empty, so at most one chunk is held here.
  std::vector<std::uint8_t> m_read_buffer;
  std::vector<std::uint8_t> m_pending;  // read, not yet accepted by the virtual stream
  std::size_t m_pending_offset = 0;
  EventId m_pending_event = kNoEvent;  // the L7 event the pending bytes belong to
  bool m_reading = false;              // an async read is outstanding
  bool m_real_eof = false;             // the real client sent FIN
  bool m_tls_seen = false;             // the client's bytes turned into TLS records

  // Virtual -> real. Invariant: m_to_client.size() + m_in_flight.size() <= to_client_bytes_max.
  std::string m_to_client;  // received from the server, not yet handed to the socket
  std::string m_in_flight;  // handed to an outstanding async write
  bool m_writing = false;

  bool m_connected = false;      // the virtual connection was established
  bool m_server_fin = false;     // the server sent FIN
  bool m_real_fin_sent = false;  // we shut down the real socket's sending side
  bool m_virtual_done = false;   // the virtual connection is closed, failed or aborted
  bool m_real_closed = false;    // the real socket is closed
  bool m_shutting_down = false;  // shut_down() was called
  bool m_ended = false;          // the ended callback has run
  std::uint64_t m_bytes_to_server = 0;
  std::uint64_t m_bytes_to_client = 0;
};

// The application a virtual port usually carries: 25/465/587 "smtp", 143/993 "imap",
// 110/995 "pop3", 53 "dns", otherwise empty.
std::string application_for_port(std::uint16_t port);

}  // namespace mailscope::bridge
