#include "services/imap_server.h"

#include <map>

#include "net/tcp_stack.h"
#include "proto/imap/server_config.h"
#include "services/imap_server_connection.h"
#include "services/mailbox_login.h"
#include "services/server_certificate.h"

namespace mailscope::services {

// Passwords and account names come from the storage the MailServer shares.
class ImapServer::Policy : public imap::ImapServerPolicy {
 public:
  explicit Policy(ImapServer& server) : m_server(server) {}

  imap::AuthVerdict authenticate(std::string_view user, std::string_view password) override {
    return check_login(m_server.storage(), m_server.options().domains, user, password)
               ? imap::AuthVerdict::Accept
               : imap::AuthVerdict::Reject;
  }
  std::string store_user(std::string_view login) override {
    return account_for_login(login, m_server.options().domains).value_or(std::string(login));
  }

 private:
  ImapServer& m_server;
};

// What a crash destroys: the listeners and the live sessions.
struct ImapServer::Process {
  explicit Process(ImapServer& server) : server(server) {}
  ~Process() {
    // Destroying a session resets its connection; take them out of the map first so that
    // nothing they do on the way out reaches a map being torn down.
    auto doomed = std::move(sessions);
    sessions.clear();
  }

  std::optional<Error> listen(std::uint16_t port, imap::ServerRole role);
  void accept(std::shared_ptr<net::TcpStream> stream, imap::ServerRole role);

  ImapServer& server;
  std::vector<std::unique_ptr<net::TcpListener>> listeners;
  std::map<ImapServerConnection*, std::shared_ptr<ImapServerConnection>> sessions;
};

std::optional<Error> ImapServer::Process::listen(std::uint16_t port, imap::ServerRole role) {
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

void ImapServer::Process::accept(std::shared_ptr<net::TcpStream> stream, imap::ServerRole role) {
  const ImapServerOptions& options = server.options();
  if (sessions.size() >= options.connections_max) {
    server.record("too many IMAP sessions; connection reset");
    stream->abort();
    return;
  }
  const auto& credentials = server.storage().credentials();
  ImapServerConnectionOptions connection;
  imap::ImapServerConfig& engine = connection.engine;
  engine.hostname = options.hostname;
  engine.role = role;
  engine.tls =
      options.tls && credentials ? imap::TlsAvailability::Ready : imap::TlsAvailability::None;
  engine.allow_plaintext_auth = options.allow_plaintext_login;
  engine.autologout_ns = options.autologout_ns;
  engine.clock = server.m_context.clock;
  if (options.tls && credentials) connection.tls = tls::TlsServerConfig{*credentials};
  connection.implicit_tls = role == imap::ServerRole::ImplicitTls;
  if (connection.implicit_tls && !connection.tls) {
    stream->abort();  // IMAPS without a certificate cannot speak at all
    return;
  }
  const ServiceContext& context = server.m_context;
  AppConnectionOptions app{"imap", &context.crypto, context.key_log};
  auto session = ImapServerConnection::start(
      std::move(stream), std::move(app), std::move(connection), *server.m_policy,
      server.storage().store(), [this](ImapServerConnection* ended) { sessions.erase(ended); });
  ImapServerConnection* raw = session.get();
  sessions.emplace(raw, std::move(session));
}

// ---------------------------------------------------------------------------------------------

Result<std::unique_ptr<ImapServer>> ImapServer::create(const ServiceContext& context,
                                                       net::Host& host, MailServerStorage& storage,
                                                       ImapServerOptions options) {
  if (!options.tls && options.tls_port != 0) {
    return make_error("an implicit-TLS port needs tls on (set tls_port to 0)", "tls_port");
  }
  if (options.tls) {
    if (auto error = ensure_server_certificate(context, storage, options.hostname)) return *error;
  }
  std::unique_ptr<ImapServer> server(new ImapServer(context, host, storage, std::move(options)));
  if (auto error = server->start_process()) return *error;
  return server;
}

ImapServer::ImapServer(const ServiceContext& context, net::Host& host, MailServerStorage& storage,
                       ImapServerOptions options)
    : m_context(context),
      m_host(host),
      m_storage(storage),
      m_options(std::move(options)),
      m_policy(std::make_unique<Policy>(*this)) {}

ImapServer::~ImapServer() = default;

std::optional<Error> ImapServer::start_process() {
  auto process = std::make_unique<Process>(*this);
  if (auto error = process->listen(m_options.port, imap::ServerRole::StartTls)) return error;
  if (auto error = process->listen(m_options.tls_port, imap::ServerRole::ImplicitTls)) {
    return error;
  }
  m_process = std::move(process);
  return std::nullopt;
}

void ImapServer::crash() {
  if (!m_process) return;
  record("IMAP server crashed: " + std::to_string(session_count()) + " sessions lost");
  m_process.reset();
}

void ImapServer::restart() {
  if (m_process) return;
  if (auto error = start_process()) {
    record("IMAP server failed to start: " + error->to_string());
    return;
  }
  record("IMAP server restarted");
}

std::size_t ImapServer::session_count() const {
  return m_process ? m_process->sessions.size() : 0;
}

EventId ImapServer::record(std::string_view text) {
  return m_host.record(Layer::Application, EventKind::Note, {}, kNoEvent, kNoFlow, 0,
                       m_context.sim.trace().store(text));
}

}  // namespace mailscope::services
