#include "services/mail_server.h"

#include <algorithm>
#include <map>

#include "net/tcp_stack.h"
#include "services/delivery_agent.h"
#include "services/mail_server_policy.h"
#include "services/server_certificate.h"
#include "services/smtp_server_connection.h"

namespace mailscope::services {

// What a crash destroys: the listeners, the live sessions and the delivery attempts.
struct MailServer::Process {
  explicit Process(MailServer& server) : server(server), agent(server) {}

  std::optional<Error> listen(std::uint16_t port, smtp::ServerRole role);
  void accept(std::shared_ptr<net::TcpStream> stream, smtp::ServerRole role);

  MailServer& server;
  DeliveryAgent agent;
  std::vector<std::unique_ptr<net::TcpListener>> listeners;
  std::map<SmtpServerConnection*, std::shared_ptr<SmtpServerConnection>> sessions;
};

std::optional<Error> MailServer::Process::listen(std::uint16_t port, smtp::ServerRole role) {
  if (port == 0) return std::nullopt;
  auto listener = server.host().tcp().listen(
      port,
      [this, role](std::shared_ptr<net::TcpStream> stream) { accept(std::move(stream), role); });
  if (!listener) {
    return make_error(
        "port " + std::to_string(port) + " is already in use on " + server.host().name(), "port");
  }
  listeners.push_back(std::move(listener));
  return std::nullopt;
}

void MailServer::Process::accept(std::shared_ptr<net::TcpStream> stream, smtp::ServerRole role) {
  const MailServerOptions& options = server.options();
  if (sessions.size() >= options.connections_max) {
    server.record(EventKind::Note, "too many SMTP sessions; connection reset");
    stream->abort();
    return;
  }
  SmtpServerConnectionOptions connection;
  smtp::SmtpServerConfig& engine = connection.engine;
  engine.hostname = options.hostname;
  engine.role = role;
  engine.allow_plaintext_auth = options.allow_plaintext_auth;
  engine.size_limit_bytes = options.size_limit_bytes;
  engine.timeouts = options.server_timeouts;
  const auto& credentials = server.storage().credentials();
  engine.tls = credentials ? smtp::TlsAvailability::Ready : smtp::TlsAvailability::None;
  if (credentials) connection.tls = tls::TlsServerConfig{*credentials};
  connection.implicit_tls = role == smtp::ServerRole::Smtps;
  connection.greeting =
      options.faults.refuse_connections ? GreetingMode::Refuse : GreetingMode::Normal;
  if (connection.implicit_tls && !credentials) {
    stream->abort();  // SMTPS without a certificate cannot speak at all
    return;
  }
  const ServiceContext& context = server.context();
  AppConnectionOptions app{"smtp", &context.crypto, context.key_log};
  MailServer& owner = server;
  auto session = SmtpServerConnection::start(
      std::move(stream), std::move(app), std::move(connection),
      [&owner, role](const SmtpSessionContext& session_context) {
        return std::make_unique<MailServerPolicy>(owner, session_context, role);
      },
      [this](SmtpServerConnection* ended) { sessions.erase(ended); });
  SmtpServerConnection* raw = session.get();
  sessions.emplace(raw, std::move(session));
}

// ---------------------------------------------------------------------------------------------

Result<std::unique_ptr<MailServer>> MailServer::create(const ServiceContext& context,
                                                       net::Host& host, MailServerStorage& storage,
                                                       MailRouter& router,
                                                       MailServerOptions options) {
  for (std::string& domain : options.domains)
    domain = lower_ascii(domain);
  for (std::string& domain : options.relay_domains)
    domain = lower_ascii(domain);
  if (options.tls) {
    if (auto error = ensure_server_certificate(context, storage, options.hostname)) return *error;
  }
  std::unique_ptr<MailServer> server(
      new MailServer(context, host, storage, router, std::move(options)));
  if (auto error = server->start_process()) return *error;
  return server;
}

MailServer::MailServer(const ServiceContext& context, net::Host& host, MailServerStorage& storage,
                       MailRouter& router, MailServerOptions options)
    : m_context(context),
      m_host(host),
      m_storage(storage),
      m_router(router),
      m_options(std::move(options)) {}

MailServer::~MailServer() = default;

std::optional<Error> MailServer::start_process() {
  auto process = std::make_unique<Process>(*this);
  for (const auto& [port, role] :
       {std::pair{m_options.mta_port, smtp::ServerRole::Relay},
        std::pair{m_options.submission_port, smtp::ServerRole::Submission},
        std::pair{m_options.smtps_port, smtp::ServerRole::Smtps}}) {
    if (auto error = process->listen(port, role)) return error;
  }
  m_process = std::move(process);
  // Attempts that were in flight when the last process died are due again now.
  m_storage.queue().recover(m_context.sim.now());
  m_process->agent.kick();
  return std::nullopt;
}

void MailServer::crash() {
  if (!m_process) return;
  // Switch off first, so that nothing the dying sessions do can reach the network.
  m_host.power_off();
  record(EventKind::Note, "mail server crashed: " + std::to_string(session_count()) +
                              " sessions lost, " + std::to_string(m_storage.queue().size()) +
                              " messages stay in the queue");
  m_process->agent.note_crash();
  m_process.reset();
}

void MailServer::restart() {
  if (m_process) return;
  m_host.power_on();
  ++m_restarts;
  if (auto error = start_process()) {
    record(EventKind::Note, "mail server failed to start: " + error->to_string());
    return;
  }
  record(EventKind::Note, "mail server restarted; " + std::to_string(m_storage.queue().size()) +
                              " messages in the queue");
}

bool MailServer::is_local_domain(std::string_view domain) const {
  const std::string d = lower_ascii(domain);
  return std::find(m_options.domains.begin(), m_options.domains.end(), d) !=
         m_options.domains.end();
}

bool MailServer::is_relay_domain(std::string_view domain) const {
  const std::string d = lower_ascii(domain);
  return std::find(m_options.relay_domains.begin(), m_options.relay_domains.end(), d) !=
         m_options.relay_domains.end();
}

std::string MailServer::primary_domain() const {
  return m_options.domains.empty() ? m_options.hostname : m_options.domains.front();
}

void MailServer::kick() {
  if (m_process) m_process->agent.kick();
}

EventId MailServer::record(EventKind kind, std::string_view text, EventId parent) {
  return m_host.record(Layer::Application, kind, {}, parent, kNoFlow, 0,
                       m_context.sim.trace().store(text));
}

std::size_t MailServer::session_count() const {
  return m_process ? m_process->sessions.size() : 0;
}

}  // namespace mailscope::services
