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
// Listening, the session limit, crash and restart are the ListeningMailService shell's
// (services/listening_mail_service.h), shared with ImapServer: a crash ends the sessions without
// UPDATE (nothing is removed, the locks are released) and closes the listeners.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "services/listening_mail_service.h"

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

class Pop3Server final : public ListeningMailService<Pop3Server, Pop3ServerOptions> {
 private:
  friend class ListeningMailService<Pop3Server, Pop3ServerOptions>;
  // What POP3 fills in where the protocols differ (pop3_server.cpp).
  struct Protocol;

  using ListeningMailService::ListeningMailService;
};

extern template class ListeningMailService<Pop3Server, Pop3ServerOptions>;

}  // namespace mailscope::services
