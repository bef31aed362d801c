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
// Listening, the session limit, crash and restart are the ListeningMailService shell's
// (services/listening_mail_service.h), shared with Pop3Server: a crash resets the connections
// and closes the listeners, what is stored stays, and restart() opens the listeners again.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "services/listening_mail_service.h"

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

class ImapServer final : public ListeningMailService<ImapServer, ImapServerOptions> {
 private:
  friend class ListeningMailService<ImapServer, ImapServerOptions>;
  // What IMAP fills in where the protocols differ (imap_server.cpp).
  struct Protocol;

  using ListeningMailService::ListeningMailService;
};

extern template class ListeningMailService<ImapServer, ImapServerOptions>;

}  // namespace mailscope::services
