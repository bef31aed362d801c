#pragma once
// The member definitions of ListeningMailService (listening_mail_service.h). Only the .cpp of a
// concrete service includes this, after defining its Server::Protocol, and instantiates the
// template there:
//
//   Protocol::Connection  the connection class, with start(stream, app, options, policy, store,
//                         ended), an ended callback taking a Connection*, and the aliases
//                         Connection::Options (with engine, tls, implicit_tls) and
//                         Connection::Policy (the engine's login policy interface)
//   Protocol::kName       "IMAP", "POP3": in the trace records; in lower case it names the flow
//   Protocol::configure(engine, options, listener, tls_ready, context)
//                         fills the engine config fields that the protocols name differently
//                         (the server role, TLS availability, plaintext login, autologout)

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "mail/text.h"
#include "net/tcp_stack.h"
#include "services/app_connection.h"
#include "services/listening_mail_service.h"
#include "services/mailbox_login.h"
#include "services/server_certificate.h"

namespace mailscope::services {

// Passwords and account names come from the storage the MailServer shares.
template <class Server, class Options>
class ListeningMailService<Server, Options>::Policy : public Server::Protocol::Connection::Policy {
 public:
  // The engine's own verdict enum (imap::AuthVerdict, pop3::AuthVerdict).
  using AuthVerdict =
      decltype(std::declval<typename Server::Protocol::Connection::Policy&>().authenticate(
          std::string_view(), std::string_view()));

  explicit Policy(ListeningMailService& service) : m_service(service) {}

  AuthVerdict authenticate(std::string_view user, std::string_view password) override {
    return check_login(m_service.storage(), m_service.options().domains, user, password)
               ? AuthVerdict::Accept
               : AuthVerdict::Reject;
  }
  std::string store_user(std::string_view login) override {
    return account_for_login(login, m_service.options().domains).value_or(std::string(login));
  }

 private:
  ListeningMailService& m_service;
};

// What a crash destroys: the listeners and the live sessions.
template <class Server, class Options>
struct ListeningMailService<Server, Options>::Process {
  using Protocol = typename Server::Protocol;
  using Connection = typename Protocol::Connection;

  explicit Process(ListeningMailService& service) : service(service) {}
  ~Process() {
    // Destroying a session resets its connection; take them out of the map first so that
    // nothing they do on the way out reaches a map being torn down.
    auto doomed = std::move(sessions);
    sessions.clear();
  }

  std::optional<Error> listen(std::uint16_t port, ListenerKind kind);
  void accept(std::shared_ptr<net::TcpStream> stream, ListenerKind kind);

  ListeningMailService& service;
  std::vector<std::unique_ptr<net::TcpListener>> listeners;
  std::map<Connection*, std::shared_ptr<Connection>> sessions;
};

template <class Server, class Options>
std::optional<Error> ListeningMailService<Server, Options>::Process::listen(std::uint16_t port,
                                                                            ListenerKind kind) {
  if (port == 0) return std::nullopt;
  auto listener = service.m_host.tcp().listen(
      port,
      [this, kind](std::shared_ptr<net::TcpStream> stream) { accept(std::move(stream), kind); });
  if (!listener) {
    return make_error(
        "port " + std::to_string(port) + " is already in use on " + service.m_host.name(), "port");
  }
  listeners.push_back(std::move(listener));
  return std::nullopt;
}

template <class Server, class Options>
void ListeningMailService<Server, Options>::Process::accept(std::shared_ptr<net::TcpStream> stream,
                                                            ListenerKind kind) {
  const Options& options = service.options();
  if (sessions.size() >= options.connections_max) {
    service.record("too many " + std::string(Protocol::kName) + " sessions; connection reset");
    stream->abort();
    return;
  }
  const ServiceContext& context = service.m_context;
  const auto& credentials = service.storage().credentials();
  const bool tls_ready = options.tls && credentials;
  typename Connection::Options connection;
  connection.engine.hostname = options.hostname;
  Protocol::configure(connection.engine, options, kind, tls_ready, context);
  if (tls_ready) connection.tls = tls::TlsServerConfig{*credentials};
  connection.implicit_tls = kind == ListenerKind::ImplicitTls;
  if (connection.implicit_tls && !connection.tls) {
    stream->abort();  // implicit TLS without a certificate cannot speak at all
    return;
  }
  AppConnectionOptions app{mail::to_lower(Protocol::kName), &context.crypto, context.key_log};
  auto session = Connection::start(std::move(stream), std::move(app), std::move(connection),
                                   *service.m_policy, service.storage().store(),
                                   [this](Connection* ended) { sessions.erase(ended); });
  Connection* raw = session.get();
  sessions.emplace(raw, std::move(session));
}

// ---------------------------------------------------------------------------------------------

template <class Server, class Options>
Result<std::unique_ptr<Server>> ListeningMailService<Server, Options>::create(
    const ServiceContext& context, net::Host& host, MailServerStorage& storage, Options options) {
  if (!options.tls && options.tls_port != 0) {
    return make_error("an implicit-TLS port needs tls on (set tls_port to 0)", "tls_port");
  }
  if (options.tls) {
    if (auto error = ensure_server_certificate(context, storage, options.hostname)) return *error;
  }
  std::unique_ptr<Server> server(new Server(context, host, storage, std::move(options)));
  if (auto error = server->start_process()) return *error;
  return server;
}

template <class Server, class Options>
ListeningMailService<Server, Options>::ListeningMailService(const ServiceContext& context,
                                                            net::Host& host,
                                                            MailServerStorage& storage,
                                                            Options options)
    : m_context(context),
      m_host(host),
      m_storage(storage),
      m_options(std::move(options)),
      m_policy(std::make_unique<Policy>(*this)) {}

template <class Server, class Options>
ListeningMailService<Server, Options>::~ListeningMailService() = default;

template <class Server, class Options>
std::optional<Error> ListeningMailService<Server, Options>::start_process() {
  auto process = std::make_unique<Process>(*this);
  if (auto error = process->listen(m_options.port, ListenerKind::Plain)) return error;
  if (auto error = process->listen(m_options.tls_port, ListenerKind::ImplicitTls)) {
    return error;
  }
  m_process = std::move(process);
  return std::nullopt;
}

template <class Server, class Options>
void ListeningMailService<Server, Options>::crash() {
  if (!m_process) return;
  record(std::string(Server::Protocol::kName) +
         " server crashed: " + std::to_string(session_count()) + " sessions lost");
  m_process.reset();
}

template <class Server, class Options>
void ListeningMailService<Server, Options>::restart() {
  if (m_process) return;
  if (auto error = start_process()) {
    record(std::string(Server::Protocol::kName) + " server failed to start: " + error->to_string());
    return;
  }
  record(std::string(Server::Protocol::kName) + " server restarted");
}

template <class Server, class Options>
std::size_t ListeningMailService<Server, Options>::session_count() const {
  return m_process ? m_process->sessions.size() : 0;
}

template <class Server, class Options>
EventId ListeningMailService<Server, Options>::record(std::string_view text) {
  return m_host.note(Layer::Application, text);
}

}  // namespace mailscope::services
