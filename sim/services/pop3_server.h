#pragma once
// Pop3Server: the POP3 service of a mail server host (RFC 1939 on the virtual network).
//
//   port 110  POP3 with STLS (RFC 2595). Until TLS is up, USER/PASS and AUTH are answered -ERR,
//             unless the scenario allows plaintext login (the "why TLS matters" lesson).
//   port 995  POP3S (RFC 8314): TLS from the first byte.
//
// After login the session holds the user's maildrop lock, so a second session is refused with
// -ERR [IN-USE]; messages marked with DELE are removed only in the UPDATE state after QUIT, and a
// connection that drops before QUIT removes nothing. Users, passwords, the mailboxes and the
// certificate come from the MailServerStorage the host's MailServer also uses.
//
// Crash and restart: as ImapServer (listeners and sessions vanish; the storage stays).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "net/host.h"
#include "services/mail_server_storage.h"
#include "services/service_context.h"

namespace mailscope::services {

struct Pop3ServerOptions {
  std::string hostname = "mail.example.com";  // greeting; the certificate if none exists yet
  std::uint16_t port = 110;                   // 0: no plaintext/STLS listener
  std::uint16_t tls_port = 995;               // 0: no implicit-TLS listener
  bool tls = true;  // STLS on `port`; false needs tls_port = 0 (no certificate at all)
  bool allow_plaintext_login = false;  // else -ERR to USER/PASS before TLS
  std::size_t connections_max = 1000;  // sessions at once; more are reset
  // Logins "user@domain" are accepted for these domains; empty: for any domain.
  std::vector<std::string> domains;
  TimeNs autologout_ns = 10 * kMinute;  // RFC 1939 §3: at least 10 minutes
};

class Pop3Server {
 public:
  // Issues the certificate (once per storage) when tls is on and opens the listeners.
  static Result<std::unique_ptr<Pop3Server>> create(const ServiceContext& context, net::Host& host,
                                                    MailServerStorage& storage,
                                                    Pop3ServerOptions options);
  ~Pop3Server();
  Pop3Server(const Pop3Server&) = delete;
  Pop3Server& operator=(const Pop3Server&) = delete;

  // The server process dies: sessions vanish without UPDATE (nothing is removed, the locks are
  // released) and the listeners close.
  void crash();
  // The listeners open again (no-op while running).
  void restart();
  bool running() const { return m_process != nullptr; }
  // Live POP3 sessions.
  std::size_t session_count() const;

  const Pop3ServerOptions& options() const { return m_options; }
  // Changes how many sessions may be open at once; sessions already open stay.
  void set_connections_max(std::size_t sessions_max) { m_options.connections_max = sessions_max; }
  MailServerStorage& storage() { return m_storage; }

 private:
  struct Process;
  class Policy;

  Pop3Server(const ServiceContext& context, net::Host& host, MailServerStorage& storage,
             Pop3ServerOptions options);
  std::optional<Error> start_process();
  EventId record(std::string_view text);

  const ServiceContext& m_context;
  net::Host& m_host;
  MailServerStorage& m_storage;
  Pop3ServerOptions m_options;
  std::unique_ptr<Policy> m_policy;    // outlives every session, which refers to it
  std::unique_ptr<Process> m_process;  // null while crashed
};

}  // namespace mailscope::services
