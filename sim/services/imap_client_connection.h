#pragma once
// ImapClientConnection: one outgoing IMAP connection — an ImapClientSession engine bound to an
// AppConnection. It connects, runs implicit TLS or STARTTLS as the engine's config says (the
// server's certificate verified against the scenario CA and the server name), drives the
// response timeout and hands its owner every response, every tagged completion and, once, the
// end of the session. The owner queues commands on engine() — from a callback or from outside,
// followed by flush() — and the connection sends them as the engine allows.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "proto/imap/client_session.h"
#include "services/app_connection.h"
#include "services/engine_timer.h"
#include "services/service_context.h"

namespace mailscope::services {

struct ImapClientConnectionOptions {
  imap::ImapClientConfig engine;
  // Used when TLS starts; the verification date is the virtual date at the handshake.
  tls::TlsClientConfig tls;
};

class ImapClientConnection : public std::enable_shared_from_this<ImapClientConnection> {
 public:
  struct Callbacks {
    // Every response read (untagged, continuation or tagged), before its completion.
    std::function<void(const imap::Response&)> response = {};
    std::function<void(const imap::CommandCompleted&)> completed = {};
    // Once; nothing follows.
    std::function<void(const imap::SessionFinished&)> finished = {};
  };

  static std::shared_ptr<ImapClientConnection> start(const ServiceContext& context, net::Host& host,
                                                     wire::Ipv4Addr server, std::uint16_t port,
                                                     ImapClientConnectionOptions options,
                                                     Callbacks callbacks);

  ImapClientConnection(const ServiceContext& context, ImapClientConnectionOptions options);
  ~ImapClientConnection();
  ImapClientConnection(const ImapClientConnection&) = delete;
  ImapClientConnection& operator=(const ImapClientConnection&) = delete;

  imap::ImapClientSession& engine() { return m_engine; }
  // Sends what the engine may send now (after commands were queued outside a callback).
  void flush();
  bool finished() const { return m_finished; }
  AppConnection* connection() { return m_connection.get(); }
  // "connection refused", ... when TCP failed; else empty.
  const std::string& connection_error() const { return m_connection_error; }
  // The TLS layer's observations, once TLS has started.
  const tls::TlsInfo* tls_info() const;

 private:
  void on_connected();
  void on_data(std::string_view bytes, EventId cause);
  void on_lost();
  void begin_tls();
  // Carries out the engine's actions, then sends what the callbacks queued meanwhile.
  void carry_out(imap::ImapOutput out, EventId cause);
  void process(imap::ImapOutput out, EventId cause);
  void rearm();

  const ServiceContext& m_context;
  ImapClientConnectionOptions m_options;
  imap::ImapClientSession m_engine;
  std::shared_ptr<AppConnection> m_connection;
  EngineTimer m_timer;
  Callbacks m_callbacks;
  std::string m_connection_error;
  std::uint16_t m_secret_detail = 0;  // the detail for the write of the command just announced
  bool m_finished = false;            // finished has been called (at most once)
  bool m_carrying_out = false;        // inside carry_out(): flushes wait for its end
};

}  // namespace mailscope::services
