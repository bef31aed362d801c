#pragma once
// How an IMAP server is set up (ImapServerConfig) and who checks passwords (ImapServerPolicy,
// implemented by the service that owns the engine).

#include <cstddef>
#include <string>
#include <string_view>

#include "core/time.h"
#include "mail/date_time.h"

namespace mailscope::imap {

enum class ServerRole {
  StartTls,     // port 143: plaintext first, STARTTLS offered (RFC 3501 6.2.1)
  ImplicitTls,  // port 993 (RFC 8314): the owner completed TLS before the first byte
};
std::string_view to_string(ServerRole role);

enum class TlsAvailability {
  None,   // no certificate: STARTTLS is not offered and answered BAD
  Ready,  // STARTTLS is offered
};

struct ImapServerConfig {
  std::string hostname = "imap.example.com";
  ServerRole role = ServerRole::StartTls;
  TlsAvailability tls = TlsAvailability::Ready;
  // For the lesson "why TLS matters": LOGIN and AUTHENTICATE PLAIN before STARTTLS.
  bool allow_plaintext_auth = false;
  // RFC 3501 5.4: the autologout timer is at least 30 minutes (it also runs during IDLE).
  TimeNs autologout_ns = 30 * kMinute;
  std::size_t line_max = 8192;                 // octets of one command line, CRLF excluded
  std::size_t nonsync_literal_max = 4096;      // RFC 7888 LITERAL-
  std::size_t literal_max = 10'240'000;        // a synchronizing literal (APPEND's message)
  std::size_t bad_commands_max = 20;           // then BYE: a confused or hostile client
  std::size_t auth_failures_max = 5;           // then BYE
  TimeNs auth_failure_delay_ns = 1 * kSecond;  // first penalty; doubles per failure
  TimeNs auth_failure_delay_max_ns = 16 * kSecond;
  mail::MailClock clock;  // how INTERNALDATE is written and read
};

enum class AuthVerdict {
  Accept,     // OK, the session is authenticated as that user of the store
  Reject,     // NO [AUTHENTICATIONFAILED]
  Temporary,  // NO [UNAVAILABLE]
};

// The decisions that belong to the service, not to the protocol engine.
class ImapServerPolicy {
 public:
  virtual ~ImapServerPolicy() = default;
  // The user name is also the user's name in the MailStore.
  virtual AuthVerdict authenticate(std::string_view user, std::string_view password) = 0;
  // The user's name in the MailStore once `login` was accepted. A service that accepts several
  // spellings of one account ("bob", "Bob@Example.com") names the one mailbox tree here.
  virtual std::string store_user(std::string_view login) { return std::string(login); }
};

}  // namespace mailscope::imap
