#pragma once
// SmtpClientConnection: one outgoing SMTP connection — an SmtpClientSession engine bound to an
// AppConnection. Used by the MTA to relay to the next server and by the users' submission
// client. It connects, upgrades with STARTTLS or starts implicit TLS as the engine's config says,
// drives the engine's timers, records its observations and, when the session is over, reports
// the fate of every recipient and message once.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "proto/smtp/client_session.h"
#include "services/app_connection.h"
#include "services/engine_timer.h"
#include "services/service_context.h"

namespace mailscope::services {

struct SmtpClientReport;

struct SmtpClientConnectionOptions {
  smtp::SmtpClientConfig engine;
  // Used when TLS starts (STARTTLS or implicit); the trust anchor is the scenario CA. The
  // verification date is filled in with the virtual date when the handshake begins.
  tls::TlsClientConfig tls;
  std::string application = "smtp";
  // Called as soon as a message has its final answer (the reply to its final dot), with the
  // report so far, before the session ends with QUIT. From a 250 on, the message is the server's
  // responsibility (RFC 5321 6.1): an owner that records it only when the session is over would
  // send it again if it crashed in between. May be empty.
  std::function<void(const SmtpClientReport&)> on_message;
};

// The outcome of one session, as the owner needs it.
struct SmtpClientReport {
  // The last answer about each recipient, in the order of the messages' recipient lists; a
  // recipient the server never answered about is missing.
  std::vector<smtp::RecipientResult> recipients;
  std::vector<smtp::MessageResult> messages;
  smtp::SessionFinished finished;
  std::optional<tls::TlsInfo> tls;  // when TLS was started
  std::string connection_error;     // "connection refused", ... when TCP failed; else empty
  bool connected = false;           // TCP was established

  // The recipient's last answer, or null.
  const smtp::RecipientResult* recipient(std::string_view bracketed_address) const;
};

class SmtpClientConnection : public std::enable_shared_from_this<SmtpClientConnection> {
 public:
  using DoneFn = std::function<void(const SmtpClientReport&)>;

  static std::shared_ptr<SmtpClientConnection> start(const ServiceContext& context, net::Host& host,
                                                     wire::Ipv4Addr server, std::uint16_t port,
                                                     SmtpClientConnectionOptions options,
                                                     std::vector<smtp::OutgoingMessage> messages,
                                                     DoneFn done);

  SmtpClientConnection(const ServiceContext& context, SmtpClientConnectionOptions options,
                       std::vector<smtp::OutgoingMessage> messages);
  ~SmtpClientConnection();
  SmtpClientConnection(const SmtpClientConnection&) = delete;
  SmtpClientConnection& operator=(const SmtpClientConnection&) = delete;

  bool finished() const { return m_reported; }
  AppConnection* connection() { return m_connection.get(); }
  // True between sending the final dot and reading its reply, while the session runs: the
  // RFC 1047 window, in which neither side can be sure the message was taken.
  bool awaiting_final_reply() const {
    return !m_reported && m_engine && m_engine->final_dot_unacknowledged();
  }
  // The owner is going away (its server crashed) with the session in the RFC 1047 window: notes
  // it on the connection, as a lost connection in the window is noted, since the retry after the
  // restart may deliver the message twice.
  void note_abandoned_in_window();

 private:
  void on_connected();
  void on_data(std::string_view bytes, EventId cause);
  void on_tls_established(const tls::TlsInfo& info);
  void on_lost(EventId cause);
  void begin_tls();
  void carry_out(smtp::SmtpOutput out, EventId cause);
  void rearm();
  void report();

  const ServiceContext& m_context;
  SmtpClientConnectionOptions m_options;
  std::unique_ptr<smtp::SmtpClientSession> m_engine;
  std::shared_ptr<AppConnection> m_connection;
  EngineTimer m_timer;
  DoneFn m_done;
  SmtpClientReport m_report;
  std::map<std::pair<std::size_t, std::string>, std::size_t> m_recipient_index;  // into report
  bool m_reported = false;  // done has been called (at most once)
};

}  // namespace mailscope::services
