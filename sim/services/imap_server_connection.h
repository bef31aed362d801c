#pragma once
// ImapServerConnection: one accepted IMAP connection — an ImapServerSession engine bound to an
// AppConnection. It feeds the engine what arrives, carries out its actions in order (writes,
// STARTTLS, close), drives the autologout timer and records state changes and violations.
//
// Other sessions and deliveries reach the engine through the mail store's wake callback: the
// connection schedules on_store_changed() at the same virtual instant (never inside the store's
// own call), so a client in IDLE hears "* n EXISTS" the moment a message is stored.

#include <functional>
#include <memory>
#include <optional>

#include "mail/mail_store.h"
#include "proto/imap/server_config.h"
#include "proto/imap/server_session.h"
#include "services/app_connection.h"
#include "services/engine_timer.h"

namespace mailscope::services {

struct ImapServerConnectionOptions {
  imap::ImapServerConfig engine;
  std::optional<tls::TlsServerConfig> tls;  // the certificate for STARTTLS or implicit TLS
  bool implicit_tls = false;                // port 993: TLS before the greeting
};

class ImapServerConnection : public std::enable_shared_from_this<ImapServerConnection> {
 public:
  using Options = ImapServerConnectionOptions;
  using Policy = imap::ImapServerPolicy;  // what start() checks logins with
  // Called once when the connection has ended (closed, reset or failed TLS).
  using EndedFn = std::function<void(ImapServerConnection*)>;

  // The policy and the store must outlive the connection.
  static std::shared_ptr<ImapServerConnection> start(std::shared_ptr<net::TcpStream> stream,
                                                     AppConnectionOptions connection_options,
                                                     ImapServerConnectionOptions options,
                                                     imap::ImapServerPolicy& policy,
                                                     mail::MailStore& store, EndedFn ended);

  ImapServerConnection(Simulator& sim, ImapServerConnectionOptions options,
                       imap::ImapServerPolicy& policy, mail::MailStore& store);
  ~ImapServerConnection();
  ImapServerConnection(const ImapServerConnection&) = delete;
  ImapServerConnection& operator=(const ImapServerConnection&) = delete;

  const imap::ImapServerSession& engine() const { return m_engine; }
  AppConnection& connection() { return *m_connection; }

 private:
  void begin();
  void on_data(std::string_view bytes, EventId cause);
  void on_tls_established();
  void on_store_wake();
  void carry_out(imap::ImapOutput out, EventId cause);
  void rearm();
  void end();

  Simulator& m_sim;
  ImapServerConnectionOptions m_options;  // the engine keeps its own copy of the config
  imap::ImapServerSession m_engine;
  std::shared_ptr<AppConnection> m_connection;
  EngineTimer m_timer;
  EndedFn m_ended;
  EventId m_cause = kNoEvent;     // the L4 event whose bytes the engine is handling now
  bool m_started = false;         // the greeting has been asked of the engine
  bool m_wake_scheduled = false;  // an on_store_changed() call is pending on the Simulator
  bool m_ended_reported = false;
};

}  // namespace mailscope::services
