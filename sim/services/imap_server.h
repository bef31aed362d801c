#pragma once
// ImapServer: the IMAP service of a mail server host (RFC 3501 on the virtual network).
//
//   port 143  IMAP with STARTTLS (RFC 3501 6.2.1). Until TLS is up, LOGIN and AUTHENTICATE are
//             refused and the capability list says LOGINDISABLED, unless the scenario allows
//             plaintext login (the "why TLS matters" lesson).
//   port 993  IMAPS (RFC 8314): TLS from the first byte.
//
// It works on the same MailServerStorage as the host's MailServer: users and passwords come from
// there (a login is the local part or the whole address, in any case), and so do the mailboxes,
// so a message the MailServer delivers reaches a client in IDLE at once. The certificate is the
// storage's, issued once for the host (services/server_certificate.h).
//
// Crash and restart follow MailServer: the listeners and sessions live in a "process" that
// crash() destroys (connections are reset; what is stored stays), and restart() opens the
// listeners again. Switching the host off is the MailServer's business (or the world's).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "net/host.h"
#include "services/mail_server_storage.h"
#include "services/service_context.h"

namespace mailscope::services {

struct ImapServerOptions {
  std::string hostname = "mail.example.com";  // greeting; the certificate if none exists yet
  std::uint16_t port = 143;                   // 0: no plaintext/STARTTLS listener
  std::uint16_t tls_port = 993;               // 0: no implicit-TLS listener
  bool tls = true;  // STARTTLS on `port`; false needs tls_port = 0 (no certificate at all)
  bool allow_plaintext_login = false;  // else LOGINDISABLED before TLS
  std::size_t connections_max = 1000;  // sessions at once; more are reset
  // Logins "user@domain" are accepted for these domains; empty: for any domain.
  std::vector<std::string> domains;
  TimeNs autologout_ns = 30 * kMinute;  // RFC 3501 5.4: at least 30 minutes
};

class ImapServer {
 public:
  // Issues the certificate (once per storage) when tls is on and opens the listeners.
  static Result<std::unique_ptr<ImapServer>> create(const ServiceContext& context, net::Host& host,
                                                    MailServerStorage& storage,
                                                    ImapServerOptions options);
  ~ImapServer();
  ImapServer(const ImapServer&) = delete;
  ImapServer& operator=(const ImapServer&) = delete;

  // The server process dies: sessions vanish (their connections are reset) and the listeners
  // close. What is stored stays in the storage.
  void crash();
  // The listeners open again (no-op while running).
  void restart();
  bool running() const { return m_process != nullptr; }
  // Live IMAP sessions.
  std::size_t session_count() const;

  const ImapServerOptions& options() const { return m_options; }
  // Changes how many sessions may be open at once; sessions already open stay.
  void set_connections_max(std::size_t sessions_max) { m_options.connections_max = sessions_max; }
  MailServerStorage& storage() { return m_storage; }

 private:
  struct Process;
  class Policy;

  ImapServer(const ServiceContext& context, net::Host& host, MailServerStorage& storage,
             ImapServerOptions options);
  std::optional<Error> start_process();
  EventId record(std::string_view text);

  const ServiceContext& m_context;
  net::Host& m_host;
  MailServerStorage& m_storage;
  ImapServerOptions m_options;
  std::unique_ptr<Policy> m_policy;    // outlives every session, which refers to it
  std::unique_ptr<Process> m_process;  // null while crashed
};

}  // namespace mailscope::services
