#pragma once
// TcpStack: a host's TCP demultiplexer. It owns the connections (TcpConnection, the state
// machine), hands applications a TcpStream, accepts connections for listeners, picks ISNs and
// ephemeral ports from the host's seeded stream, answers segments for no connection with RST, and
// records the L4 trace events — linking each data segment to the application write it carries.

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>

#include "core/rng.h"
#include "core/trace.h"
#include "net/tcp_config.h"
#include "net/tcp_connection.h"
#include "wire/bytes.h"
#include "wire/ipv4.h"
#include "wire/tcp.h"

namespace mailscope::net {

class Host;
class TcpStack;
class TcpListener;

// The application's handle on one connection. Callbacks run inside the simulation; the stream
// stays valid as long as someone holds it, even after the connection is gone.
class TcpStream : public std::enable_shared_from_this<TcpStream> {
 public:
  struct Callbacks {
    std::function<void()> connected = {};
    std::function<void(wire::ByteView data, EventId l4_event)> data = {};  // in-order bytes
    std::function<void()> peer_closed = {};                                // the peer sent FIN
    std::function<void()> closed = {};                                     // fully closed
    std::function<void(TcpError)> failed = {};  // refused, reset, timed out
    // A send() that was cut short (the send buffer was full) can now queue more bytes.
    std::function<void()> writable = {};
  };

  TcpStream(TcpStack& stack, TcpEndpoint local, TcpEndpoint remote, FlowId flow, std::uint32_t isn);
  ~TcpStream();
  TcpStream(const TcpStream&) = delete;
  TcpStream& operator=(const TcpStream&) = delete;

  void set_callbacks(Callbacks callbacks) { m_callbacks = std::move(callbacks); }
  // Queues bytes; `parent` is the L7 event they carry, so the segments link back to it.
  // Returns how many bytes were accepted (0 once the connection is gone); when fewer than given,
  // callbacks.writable fires once there is room again.
  std::size_t send(wire::ByteView bytes, EventId parent = kNoEvent);
  void close();
  void abort();

  TcpState state() const { return m_connection ? m_connection->state() : TcpState::Closed; }
  bool is_open() const { return m_connection != nullptr; }
  TcpEndpoint local() const { return m_local; }
  TcpEndpoint remote() const { return m_remote; }
  FlowId flow() const { return m_flow; }
  Host& host();
  // The L4 event of the segment being processed, for events the application records meanwhile.
  EventId current_segment_event() const { return m_rx_event; }

 private:
  friend class TcpStack;
  friend class TcpListener;
  struct Mark {  // application bytes [start, end) in sequence space came from event `parent`
    std::uint32_t start;
    std::uint32_t end;
    EventId parent;
  };
  EventId parent_for(std::uint32_t seq, std::size_t length) const;

  TcpStack& m_stack;
  TcpEndpoint m_local;
  TcpEndpoint m_remote;
  FlowId m_flow;
  std::unique_ptr<TcpConnection> m_connection;  // null once closed or reset
  Callbacks m_callbacks;
  std::deque<Mark> m_marks;      // bounded: old marks are dropped once far behind
  std::uint32_t m_next_app_seq;  // sequence number of the next byte the application queues
  EventId m_rx_event = kNoEvent;
  TcpListener* m_listener = nullptr;  // set until a passive connection has been handed over
};

class TcpListener {
 public:
  using AcceptFn = std::function<void(std::shared_ptr<TcpStream>)>;

  TcpListener(TcpStack& stack, std::uint16_t port, AcceptFn accept);
  ~TcpListener();
  TcpListener(const TcpListener&) = delete;
  TcpListener& operator=(const TcpListener&) = delete;
  std::uint16_t port() const { return m_port; }

 private:
  friend class TcpStack;
  TcpStack& m_stack;
  std::uint16_t m_port;
  AcceptFn m_accept;
  std::size_t m_half_open = 0;
};

class TcpStack {
 public:
  explicit TcpStack(Host& host);
  ~TcpStack();

  Host& host() { return m_host; }
  TcpConfig& config() { return m_config; }

  // Active open. Failures (refused, timed out) arrive through callbacks.failed.
  std::shared_ptr<TcpStream> connect(wire::Ipv4Addr dst, std::uint16_t port,
                                     TcpStream::Callbacks callbacks, std::uint16_t local_port = 0);
  // Passive open; null when the port already has a listener.
  std::unique_ptr<TcpListener> listen(std::uint16_t port, TcpListener::AcceptFn accept);

  void on_segment(const wire::Ipv4Header& ip, BlobRef segment, EventId l3_event, FlowId flow);
  // Forgets every connection without sending anything (the host lost power).
  void reset_all();
  std::size_t connection_count() const { return m_streams.size(); }

 private:
  friend class TcpStream;
  friend class TcpListener;
  struct Key {
    std::uint32_t local_address;
    std::uint16_t local_port;
    std::uint32_t remote_address;
    std::uint16_t remote_port;
    auto operator<=>(const Key&) const = default;
  };
  static Key key_of(const TcpStream& s) {
    return Key{s.m_local.address.value, s.m_local.port, s.m_remote.address.value, s.m_remote.port};
  }

  std::shared_ptr<TcpStream> create(TcpEndpoint local, TcpEndpoint remote);
  void transmit(TcpStream& stream, const wire::TcpHeader& header, wire::ByteView payload);
  void send_reset(const wire::Ipv4Header& ip, const wire::TcpHeader& segment,
                  std::size_t payload_len, EventId parent, FlowId flow);
  void retire(TcpStream& stream);
  std::uint16_t ephemeral_port(wire::Ipv4Addr remote, std::uint16_t remote_port);

  Host& m_host;
  TcpConfig m_config;
  Rng m_rng;  // initial sequence numbers and ephemeral ports
  std::map<Key, std::shared_ptr<TcpStream>> m_streams;
  std::map<std::uint16_t, TcpListener*> m_listeners;
  std::uint16_t m_next_ephemeral;
  wire::Bytes m_segment;      // reused buffer for the segment being sent
  Trace::Scratch m_received;  // a received segment, when it had to be gathered
};

}  // namespace mailscope::net
