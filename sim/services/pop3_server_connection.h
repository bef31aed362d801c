#pragma once
// Pop3ServerConnection: one accepted POP3 connection — a Pop3ServerSession engine bound to an
// AppConnection. It feeds the engine what arrives, carries out its actions in order (writes, STLS,
// close), drives the autologout timer and records what it observes, including the UPDATE state's
// removals. A connection that drops before QUIT is reported to the engine, which then removes
// nothing and releases the maildrop lock (RFC 1939 §6).

#include <functional>
#include <memory>
#include <optional>

#include "mail/mail_store.h"
#include "proto/pop3/server_config.h"
#include "proto/pop3/server_session.h"
#include "services/app_connection.h"
#include "services/engine_timer.h"

namespace mailscope::services {

struct Pop3ServerConnectionOptions {
  pop3::Pop3ServerConfig engine;
  std::optional<tls::TlsServerConfig> tls;  // the certificate for STLS or implicit TLS
  bool implicit_tls = false;                // port 995: TLS before the greeting
};

class Pop3ServerConnection : public std::enable_shared_from_this<Pop3ServerConnection> {
 public:
  using Options = Pop3ServerConnectionOptions;
  using Policy = pop3::Pop3AuthPolicy;  // what start() checks logins with
  // Called once when the connection has ended (closed, reset or failed TLS).
  using EndedFn = std::function<void(Pop3ServerConnection*)>;

  // The policy and the store must outlive the connection.
  static std::shared_ptr<Pop3ServerConnection> start(std::shared_ptr<net::TcpStream> stream,
                                                     AppConnectionOptions connection_options,
                                                     Pop3ServerConnectionOptions options,
                                                     pop3::Pop3AuthPolicy& policy,
                                                     mail::MailStore& store, EndedFn ended);

  Pop3ServerConnection(Simulator& sim, Pop3ServerConnectionOptions options,
                       pop3::Pop3AuthPolicy& policy, mail::MailStore& store);
  ~Pop3ServerConnection();
  Pop3ServerConnection(const Pop3ServerConnection&) = delete;
  Pop3ServerConnection& operator=(const Pop3ServerConnection&) = delete;

  const pop3::Pop3ServerSession& engine() const { return m_engine; }
  AppConnection& connection() { return *m_connection; }

 private:
  void begin();
  void on_data(std::string_view bytes, EventId cause);
  void on_tls_established();
  void carry_out(pop3::Pop3Output out, EventId cause);
  void rearm();
  // The connection is gone: the engine learns it (nothing is removed) and the owner is told.
  void end();

  Simulator& m_sim;
  Pop3ServerConnectionOptions m_options;  // the engine keeps its own copy of the config
  pop3::Pop3ServerSession m_engine;
  std::shared_ptr<AppConnection> m_connection;
  EngineTimer m_timer;
  EndedFn m_ended;
  bool m_started = false;  // the greeting has been asked of the engine
  bool m_ended_reported = false;
};

}  // namespace mailscope::services
