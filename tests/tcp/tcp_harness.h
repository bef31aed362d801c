#pragma once
// Test fixtures for the TCP connection: a pair of connections joined by a simulated channel
// (latency, seeded loss, partition, a drop rule), and a scripted peer that lets a test play
// the other side segment by segment.

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/rng.h"
#include "core/simulator.h"
#include "net/tcp_connection.h"

namespace mailscope::net::testing {

constexpr std::uint8_t kSyn = wire::tcp_flags::kSyn;
constexpr std::uint8_t kAck = wire::tcp_flags::kAck;
constexpr std::uint8_t kFin = wire::tcp_flags::kFin;
constexpr std::uint8_t kRst = wire::tcp_flags::kRst;
constexpr std::uint8_t kPsh = wire::tcp_flags::kPsh;

constexpr TcpEndpoint kClient{wire::Ipv4Addr::from_octets(10, 0, 1, 10), 49152};
constexpr TcpEndpoint kServer{wire::Ipv4Addr::from_octets(10, 0, 2, 25), 25};

// One segment as it left a connection.
struct Segment {
  TimeNs time = 0;
  int from = 0;  // 0: side A (the client), 1: side B (the server)
  wire::TcpHeader header;
  wire::Bytes payload;
  bool dropped = false;  // the channel lost it

  bool is(std::uint8_t flags) const { return header.flags == flags; }
  bool pure_ack() const { return header.flags == kAck && payload.empty(); }
};

// "SYN,ACK" in the order tshark prints them.
std::string flag_names(std::uint8_t flags);
// "A>B 0.010000s SYN,ACK seq=5000 ack=1001 win=65535 mss=1460 len=0": one line per segment.
std::string describe(const Segment& segment);

// What one side's application saw.
struct SideLog {
  std::vector<std::string> states;  // the first transition's source, then every target
  std::vector<TimeNs> state_times;  // when each entry of `states` after the first was entered
  wire::Bytes received;
  std::optional<TcpError> error;
  TimeNs error_time = -1;
  int connected = 0;
  int peer_closed = 0;
  int closed = 0;
  int retransmitted = 0;
};

class TcpPair {
 public:
  struct Options {
    TcpConfig a_config;
    TcpConfig b_config;
    std::uint32_t a_isn = 1000;
    std::uint32_t b_isn = 500000;
    TimeNs latency = 10 * kMillisecond;
    double loss = 0.0;  // per segment, both directions
    std::uint64_t seed = 1;
  };

  explicit TcpPair(Options options);

  TcpConnection& a() { return *m_connections[0]; }
  TcpConnection& b() { return *m_connections[1]; }
  TcpConnection& side(int i) { return *m_connections[static_cast<std::size_t>(i)]; }
  SideLog& log_of(int i) { return m_logs[static_cast<std::size_t>(i)]; }

  // A connects to B (B answers its first SYN as a listener would) and the simulator runs until
  // both are ESTABLISHED or the queue is empty.
  void connect();

  Simulator sim;
  bool partitioned = false;                       // drops everything while true
  std::function<bool(const Segment&)> drop_rule;  // extra drops, after the seeded loss
  std::vector<Segment> segments;                  // every segment sent, in order
  // Application behaviour per side, called from the connection's hooks.
  std::array<std::function<void(wire::ByteView)>, 2> on_data;
  std::array<std::function<void()>, 2> on_connected;
  std::array<std::function<void()>, 2> on_peer_closed;
  std::array<std::function<void()>, 2> on_writable;
  // Called for every segment a side sends, before the channel decides whether to lose it.
  std::function<void(const Segment&)> on_transmit;
  // Called for every segment delivered to a side, before the connection sees it.
  std::function<void(int to, const Segment&)> on_deliver;

 private:
  TcpConnection::Hooks hooks_for(int i);
  void transmit(int from, const wire::TcpHeader& header, wire::ByteView payload);

  Options m_options;
  Rng m_loss_rng;
  std::array<SideLog, 2> m_logs;
  std::array<std::unique_ptr<TcpConnection>, 2> m_connections;
  bool m_b_opened = false;
};

// A connection whose peer is the test itself: the test feeds segments with deliver() and reads
// what the connection sent from `sent`.
class ScriptedPeer {
 public:
  explicit ScriptedPeer(TcpConfig config = {}, std::uint32_t isn = 1000);

  // Our connection is the client; completes the handshake with a SYN-ACK from `peer_isn`.
  void establish_active(std::uint32_t peer_isn = 7000, std::optional<std::uint16_t> mss = 1460,
                        std::uint16_t window = 65535);
  // Our connection is the server; the peer's SYN has `peer_isn`.
  void establish_passive(std::uint32_t peer_isn = 7000, std::uint16_t window = 65535);

  // A segment from the peer to our connection.
  wire::TcpHeader segment(std::uint32_t seq, std::uint32_t ack, std::uint8_t flags,
                          std::uint16_t window = 65535) const;
  void deliver(const wire::TcpHeader& header, wire::ByteView payload = {});
  void deliver(const wire::TcpHeader& header, std::string_view text);

  // Segments sent since the last call.
  std::vector<Segment> take_sent();
  std::string received_text() const {
    return std::string(log.received.begin(), log.received.end());
  }

  Simulator sim{7};
  std::unique_ptr<TcpConnection> connection;
  std::vector<Segment> sent;
  SideLog log;
  std::function<void(wire::ByteView)> on_data;
  std::function<void()> on_peer_closed;
  std::uint32_t peer_next = 0;  // the peer's next sequence number after establish_*()

 private:
  std::size_t m_taken = 0;
};

}  // namespace mailscope::net::testing
