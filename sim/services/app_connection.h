#pragma once
// AppConnection: the glue between an application protocol engine and the virtual network — one
// TCP connection (net::TcpStream) with an optional TLS layer (tls::TlsEndpoint) on top. Every
// service and client (SMTP now; IMAP, POP3 and the bridge later) talks plaintext to it; it knows
// nothing about the protocol it carries.
//
// What it records in the trace (docs/trace-events.md):
//  - L7 request/response events for the units the owner names in send(), when their bytes leave
//    (a delayed write is recorded when the delay has passed). The sender records each unit once;
//    the receiver gets the L4 event that delivered the bytes as the parent for its own events.
//  - TLS: every handshake message sent or received (kind send/receive, text = its name), the
//    state events "TLS established: <version> <cipher>", "TLS failed: <reason>", "TLS closed",
//    alerts and the client's certificate verdict as notes, and every ciphertext record carrying
//    application bytes as a TLS send event whose parent is the L7 event; the TCP segments that
//    carry a record have that record's event as their parent.
//  - TLS key log lines go into the world's KeyLog.
//
// Ordering: writes, TLS starts and close are carried out in the order they were asked for. A write
// with a delay (an AUTH failure penalty) holds back everything asked for after it.
//
// Lifetime: the owner holds the shared_ptr; callbacks from the network hold only weak references,
// so dropping the last reference ends the object at once (an open connection is then aborted).
// Callbacks may call any method, and the owner may drop its reference from inside one.

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/simulator.h"
#include "net/host.h"
#include "net/tcp_stack.h"
#include "tls/crypto_context.h"
#include "tls/key_log.h"
#include "tls/tls_config.h"
#include "tls/tls_endpoint.h"

namespace mailscope::services {

// Bit 0 of an L7 event's detail: the bytes carry credentials (views may mask them).
constexpr std::uint16_t kDetailSecret = 1;

// One application unit inside a write (a command, a reply, a message body): the next `size`
// bytes of the write, recorded as one L7 event of this kind.
struct L7Unit {
  std::size_t size = 0;
  EventKind kind = EventKind::Request;
  std::uint16_t detail = 0;
};

struct AppConnectionOptions {
  std::string application;                     // "smtp", "imap", ...: named on the flow
  const tls::CryptoContext* crypto = nullptr;  // needed before any TLS can start
  tls::KeyLog* key_log = nullptr;              // null: secrets are not collected
};

enum class ConnectionRole { Client, Server };

class AppConnection : public std::enable_shared_from_this<AppConnection> {
 public:
  struct Callbacks {
    std::function<void()> connected = {};  // client: TCP is established
    // Plaintext in order; `cause` is the L4 receive event that delivered it, the parent for the
    // events the application records in response.
    std::function<void(std::string_view data, EventId cause)> data = {};
    std::function<void(const tls::TlsInfo& info)> tls_established = {};
    // The handshake or a record failed; the connection is being closed.
    std::function<void(const std::string& reason)> tls_failed = {};
    std::function<void()> peer_closed = {};  // the peer sent FIN: no more data will come
    std::function<void()> closed = {};       // the TCP connection has fully closed
    std::function<void(const std::string& reason)> failed = {};  // refused, reset, timed out
  };

  // Bound on operations waiting behind a delayed write.
  static constexpr std::size_t kPendingOperationsMax = 4096;

  // Active open from `host` to dst:port.
  static std::shared_ptr<AppConnection> connect(net::Host& host, wire::Ipv4Addr dst,
                                                std::uint16_t port, AppConnectionOptions options,
                                                Callbacks callbacks);
  // A connection a listener accepted.
  static std::shared_ptr<AppConnection> adopt(std::shared_ptr<net::TcpStream> stream,
                                              AppConnectionOptions options, Callbacks callbacks);

  AppConnection(std::shared_ptr<net::TcpStream> stream, ConnectionRole role,
                AppConnectionOptions options);
  ~AppConnection();
  AppConnection(const AppConnection&) = delete;
  AppConnection& operator=(const AppConnection&) = delete;

  void set_callbacks(Callbacks callbacks) { m_callbacks = std::move(callbacks); }

  // Sends bytes (through TLS when it is active). `units` split them into L7 events recorded with
  // parent `cause` when the bytes leave; units may be empty (no L7 event). A non-zero delay sends
  // them no earlier than now + delay_ns, and everything asked for later waits behind them.
  void send(std::string bytes, std::vector<L7Unit> units, EventId cause, TimeNs delay_ns = 0);
  // Starts TLS on this connection (STARTTLS, or implicit TLS before any byte).
  void start_tls_server(const tls::TlsServerConfig& config);
  void start_tls_client(const tls::TlsClientConfig& config);
  // Sends close_notify when TLS is up, then FIN — after everything asked for before.
  void close();
  // Sends RST now and forgets pending operations.
  void abort();

  // An event recorded in this connection's name (this host, this flow).
  EventId record(Layer layer, EventKind kind, EventId parent, std::string_view text = {},
                 std::uint16_t detail = 0);
  EventId note(std::string_view text, EventId parent = kNoEvent);

  net::Host& host() { return m_host; }
  Simulator& sim() { return m_host.sim(); }
  FlowId flow() const { return m_stream->flow(); }
  net::TcpEndpoint local() const { return m_stream->local(); }
  net::TcpEndpoint remote() const { return m_stream->remote(); }
  ConnectionRole role() const { return m_role; }
  bool tls_active() const;
  // The TLS layer's observations, once TLS has started.
  const tls::TlsInfo* tls_info() const;
  bool open() const { return m_stream->is_open() && !m_close_done; }

 private:
  enum class OpKind { Write, TlsServer, TlsClient, Close };
  struct Operation {
    OpKind kind = OpKind::Write;
    std::string bytes;
    std::vector<L7Unit> units;
    EventId cause = kNoEvent;
    TimeNs not_before = 0;
    std::optional<tls::TlsServerConfig> server_config;
    std::optional<tls::TlsClientConfig> client_config;
  };
  enum class TlsTransition { None, Established, Failed };

  void attach();
  void enqueue(Operation op);
  void run_operations();
  void execute(Operation& op);
  void write_now(const Operation& op);
  void begin_tls(Operation& op);
  void close_now();
  // Hands bytes to TCP; what its send buffer cannot take now waits in m_unsent, in order.
  void transmit(wire::ByteView bytes, EventId parent);
  void on_writable();

  // Network side.
  void on_connected();
  void on_tcp_data(wire::ByteView bytes, EventId l4_event);
  void on_peer_closed();
  void on_closed();
  void on_failed(net::TcpError error);

  // TLS side.
  tls::TlsHooks make_hooks();
  // Sends what the TLS layer has for the wire: records of application data (one TLS event each,
  // parent l7_event) or handshake/alert bytes (parent: the last TLS event).
  void flush_tls(EventId l7_event);
  void after_tls_call();
  void note_verification(const tls::TlsInfo& info);

  net::Host& m_host;
  std::shared_ptr<net::TcpStream> m_stream;  // never null
  ConnectionRole m_role;
  AppConnectionOptions m_options;
  Callbacks m_callbacks;
  std::optional<tls::TlsEndpoint> m_tls;  // engaged once TLS was asked for
  std::deque<Operation> m_operations;     // not yet carried out, in order; front may be delayed
  TimerId m_delay_timer;                  // pending while the front operation waits for its time
  EventId m_cause = kNoEvent;             // the L4 event being processed, if any
  EventId m_last_tls_event = kNoEvent;    // parent for handshake and alert bytes we send
  EventId m_waiting_l7 = kNoEvent;        // an L7 event whose bytes wait for the handshake
  TlsTransition m_transition = TlsTransition::None;  // seen in a hook, reported after the call
  bool m_close_done = false;                         // close() or abort() has been carried out
  bool m_tls_failed_reported = false;
  struct Unsent {
    wire::Bytes bytes;
    EventId parent = kNoEvent;
  };
  std::deque<Unsent> m_unsent;          // bytes TCP's send buffer had no room for yet, in order
  bool m_fin_waits_for_unsent = false;  // close() came while m_unsent was not empty
};

}  // namespace mailscope::services
