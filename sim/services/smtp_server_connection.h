#pragma once
// SmtpServerConnection: one accepted SMTP connection — an SmtpServerSession engine bound to an
// AppConnection. It feeds the engine what arrives, carries out its actions in order (writes,
// STARTTLS, close), drives its timers on the Simulator and records what it observes.
//
// The decisions (who may relay, which users exist, storing the message) belong to a policy that
// the owning service creates per connection from an SmtpSessionContext, so the policy knows the
// client's address and the L4 event that delivered the bytes being handled.
//
// Faults that belong to the connection rather than to the engine are applied here: a server told
// to refuse answers the greeting with 421 and closes, without starting the engine.

#include <functional>
#include <memory>
#include <optional>

#include "proto/smtp/server_config.h"
#include "proto/smtp/server_session.h"
#include "services/app_connection.h"
#include "services/engine_timer.h"

namespace mailscope::services {

// What a policy may want to know about the connection it decides for.
struct SmtpSessionContext {
  wire::Ipv4Addr client_address;
  std::uint16_t local_port = 0;
  FlowId flow = kNoFlow;
  EventId cause = kNoEvent;  // the L4 event whose bytes the engine is handling now
  bool tls_active = false;
};

enum class GreetingMode {
  Normal,  // the engine greets with 220
  Refuse,  // 421 4.3.2 and close (a server that is overloaded or being shut down)
};

struct SmtpServerConnectionOptions {
  smtp::SmtpServerConfig engine;
  std::optional<tls::TlsServerConfig> tls;  // the certificate for STARTTLS or implicit TLS
  bool implicit_tls = false;                // port 465: TLS before the greeting
  GreetingMode greeting = GreetingMode::Normal;
};

class SmtpServerConnection : public std::enable_shared_from_this<SmtpServerConnection> {
 public:
  using PolicyFactory =
      std::function<std::unique_ptr<smtp::SmtpServerPolicy>(const SmtpSessionContext&)>;
  // Called once when the connection has ended (closed, reset or failed TLS).
  using EndedFn = std::function<void(SmtpServerConnection*)>;

  static std::shared_ptr<SmtpServerConnection> start(std::shared_ptr<net::TcpStream> stream,
                                                     AppConnectionOptions connection_options,
                                                     SmtpServerConnectionOptions options,
                                                     const PolicyFactory& make_policy,
                                                     EndedFn ended);

  SmtpServerConnection(Simulator& sim, SmtpServerConnectionOptions options);
  ~SmtpServerConnection();
  SmtpServerConnection(const SmtpServerConnection&) = delete;
  SmtpServerConnection& operator=(const SmtpServerConnection&) = delete;

  const smtp::SmtpServerSession& engine() const { return *m_engine; }
  AppConnection& connection() { return *m_connection; }

 private:
  void begin();
  void on_data(std::string_view bytes, EventId cause);
  void on_tls_established();
  void carry_out(smtp::SmtpOutput out, EventId cause);
  void rearm();
  void end();

  Simulator& m_sim;
  SmtpServerConnectionOptions m_options;  // the engine keeps its own copy of the config
  SmtpSessionContext m_context;
  std::unique_ptr<smtp::SmtpServerPolicy> m_policy;  // outlives m_engine, which refers to it
  std::unique_ptr<smtp::SmtpServerSession> m_engine;
  std::shared_ptr<AppConnection> m_connection;
  EngineTimer m_timer;
  EndedFn m_ended;
  bool m_started = false;  // the greeting step has run (the engine's start() or the refusal)
  bool m_ended_reported = false;
};

}  // namespace mailscope::services
