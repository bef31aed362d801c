#pragma once
// ListeningMailService: the process shell a mail retrieval service (IMAP, POP3) runs in on a mail
// server host. It listens on the plain port (upgraded with STARTTLS/STLS) and on the
// implicit-TLS port, accepts sessions up to a limit, keeps them in a session map, and crashes
// and restarts with a trace record for each.
//
// Crash and restart follow MailServer: the listeners and sessions live in a "process" that
// crash() destroys (connections are reset; what is stored stays in the MailServerStorage), and
// restart() opens the listeners again. Switching the host off is the MailServer's business (or
// the world's).
//
// `Server` is the concrete service (ImapServer, Pop3Server), which derives from this class and
// names a private `Server::Protocol` struct with what differs between the protocols: the
// connection type, the name in trace records and how the options fill the engine config. The member
// definitions are in listening_mail_service_impl.h, which only the concrete service's .cpp includes
// (it instantiates the template there).

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

#include "core/result.h"
#include "net/host.h"
#include "services/mail_server_storage.h"
#include "services/service_context.h"

namespace mailscope::services {

// Which of the service's two ports a session came in on.
enum class ListenerKind {
  Plain,        // options.port: clear text first, upgraded with STARTTLS/STLS
  ImplicitTls,  // options.tls_port (RFC 8314): TLS before the first byte
};

template <class Server, class Options>
class ListeningMailService {
 public:
  // Issues the certificate (once per storage) when options.tls is on and opens the listeners.
  static Result<std::unique_ptr<Server>> create(const ServiceContext& context, net::Host& host,
                                                MailServerStorage& storage, Options options);
  ListeningMailService(const ListeningMailService&) = delete;
  ListeningMailService& operator=(const ListeningMailService&) = delete;

  // The server process dies: sessions vanish (their connections are reset) and the listeners
  // close. What is stored stays in the storage.
  void crash();
  // The listeners open again (no-op while running).
  void restart();
  bool running() const { return m_process != nullptr; }
  // Live sessions.
  std::size_t session_count() const;

  const Options& options() const { return m_options; }
  // Changes how many sessions may be open at once; sessions already open stay.
  void set_connections_max(std::size_t sessions_max) { m_options.connections_max = sessions_max; }
  MailServerStorage& storage() { return m_storage; }

 protected:
  ListeningMailService(const ServiceContext& context, net::Host& host, MailServerStorage& storage,
                       Options options);
  ~ListeningMailService();

 private:
  struct Process;
  class Policy;

  std::optional<Error> start_process();
  EventId record(std::string_view text);

  const ServiceContext& m_context;
  net::Host& m_host;
  MailServerStorage& m_storage;
  Options m_options;
  std::unique_ptr<Policy> m_policy;    // outlives every session, which refers to it
  std::unique_ptr<Process> m_process;  // null while crashed
};

}  // namespace mailscope::services
