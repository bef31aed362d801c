#include "services/pop3_server.h"

#include <map>

#include "net/tcp_stack.h"
#include "proto/pop3/server_config.h"
#include "services/mailbox_login.h"
#include "services/pop3_server_connection.h"
#include "services/server_certificate.h"

namespace mailscope::services {

// Passwords and account names come from the storage the MailServer shares.
class Pop3Server::Policy : public pop3::Pop3AuthPolicy {
 public:
  explicit Policy(Pop3Server& server) : m_server(server) {}

  pop3::AuthVerdict authenticate(std::string_view user, std::string_view password) override {
    return check_login(m_server.storage(), m_server.options().domains, user, password)
               ? pop3::AuthVerdict::Accept
               : pop3::AuthVerdict::Reject;
  }
  std::string store_user(std::string_view login) override {
    return account_for_login(login, m_server.options().domains).value_or(std::string(login));
  }

 private:
  Pop3Server& m_server;
};

// What a crash destroys: the listeners and the live sessions.
struct Pop3Server::Process {
  explicit Process(Pop3Server& server) : server(server) {}
  ~Process() {
    // Destroying a session resets its connection; take them out of the map first so that
    // nothing they do on the way out reaches a map being torn down.
    auto doomed = std::move(sessions);
    sessions.clear();
  }

  std::optional<Error> listen(std::uint16_t port, pop3::ServerRole role);
  void accept(std::shared_ptr<net::TcpStream> stream, pop3::ServerRole role);

  Pop3Server& server;
  std::vector<std::unique_ptr<net::TcpListener>> listeners;
  std::map<Pop3ServerConnection*, std::shared_ptr<Pop3ServerConnection>> sessions;
};

std::optional<Error> Pop3Server::Process::listen(std::uint16_t port, pop3::ServerRole role) {
  if (port == 0) return std::nullopt;
  auto listener = server.m_host.tcp().listen(
      port,
      [this, role](std::shared_ptr<net::TcpStream> stream) { accept(std::move(stream), role); });
  if (!listener) {
    return make_error(
        "port " + std::to_string(port) + " is already in use on " + server.m_host.name(), "port");
  }
  listeners.push_back(std::move(listener));
  return std::nullopt;
}

void Pop3Server::Process::accept(std::shared_ptr<net::TcpStream> stream, pop3::ServerRole role) {
  const Pop3ServerOptions& options = server.options();
  if (sessions.size() >= options.connections_max) {
    server.record("too many POP3 sessions; connection reset");
    stream->abort();
    return;
  }
  const auto& credentials = server.storage().credentials();
  Pop3ServerConnectionOptions connection;
  pop3::Pop3ServerConfig& engine = connection.engine;
  engine.hostname = options.hostname;
  engine.role = role;
  engine.tls =
      options.tls && credentials ? pop3::TlsAvailability::Ready : pop3::TlsAvailability::None;
  engine.allow_plaintext_login = options.allow_plaintext_login;
  engine.timeouts.autologout_ns = options.autologout_ns;
  if (options.tls && credentials) connection.tls = tls::TlsServerConfig{*credentials};
  connection.implicit_tls = role == pop3::ServerRole::Pop3s;
  if (connection.implicit_tls && !connection.tls) {
    stream->abort();  // POP3S without a certificate cannot speak at all
    return;
  }
  const ServiceContext& context = server.m_context;
  AppConnectionOptions app{"pop3", &context.crypto, context.key_log};
  auto session = Pop3ServerConnection::start(
      std::move(stream), std::move(app), std::move(connection), *server.m_policy,
      server.storage().store(), [this](Pop3ServerConnection* ended) { sessions.erase(ended); });
  Pop3ServerConnection* raw = session.get();
  sessions.emplace(raw, std::move(session));
}

// ---------------------------------------------------------------------------------------------

Result<std::unique_ptr<Pop3Server>> Pop3Server::create(const ServiceContext& context,
                                                       net::Host& host, MailServerStorage& storage,
                                                       Pop3ServerOptions options) {
  if (!options.tls && options.tls_port != 0) {
    return make_error("an implicit-TLS port needs tls on (set tls_port to 0)", "tls_port");
  }
  if (options.tls) {
    if (auto error = ensure_server_certificate(context, storage, options.hostname)) return *error;
  }
  std::unique_ptr<Pop3Server> server(new Pop3Server(context, host, storage, std::move(options)));
  if (auto error = server->start_process()) return *error;
  return server;
}

Pop3Server::Pop3Server(const ServiceContext& context, net::Host& host, MailServerStorage& storage,
                       Pop3ServerOptions options)
    : m_context(context),
      m_host(host),
      m_storage(storage),
      m_options(std::move(options)),
      m_policy(std::make_unique<Policy>(*this)) {}

Pop3Server::~Pop3Server() = default;

std::optional<Error> Pop3Server::start_process() {
  auto process = std::make_unique<Process>(*this);
  if (auto error = process->listen(m_options.port, pop3::ServerRole::Pop3)) return error;
  if (auto error = process->listen(m_options.tls_port, pop3::ServerRole::Pop3s)) {
    return error;
  }
  m_process = std::move(process);
  return std::nullopt;
}

void Pop3Server::crash() {
  if (!m_process) return;
  record("POP3 server crashed: " + std::to_string(session_count()) + " sessions lost");
  m_process.reset();
}

void Pop3Server::restart() {
  if (m_process) return;
  if (auto error = start_process()) {
    record("POP3 server failed to start: " + error->to_string());
    return;
  }
  record("POP3 server restarted");
}

std::size_t Pop3Server::session_count() const {
  return m_process ? m_process->sessions.size() : 0;
}

EventId Pop3Server::record(std::string_view text) {
  return m_host.record(Layer::Application, EventKind::Note, {}, kNoEvent, kNoFlow, 0,
                       m_context.sim.trace().store(text));
}

}  // namespace mailscope::services
