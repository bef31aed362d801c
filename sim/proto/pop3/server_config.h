#pragma once
// How a POP3 server is set up (Pop3ServerConfig) and who checks passwords (Pop3AuthPolicy,
// implemented by the service that owns the engine).

#include <cstdint>
#include <string>
#include <string_view>

#include "core/time.h"

namespace mailscope::pop3 {

enum class ServerRole {
  Pop3,   // port 110: clear text, upgraded with STLS (RFC 2595)
  Pop3s,  // port 995: implicit TLS (RFC 8314); the owner handshakes before start()
};
std::string_view to_string(ServerRole role);

enum class TlsAvailability {
  None,     // no certificate: STLS is not offered and answered -ERR
  Ready,    // STLS is offered
  Failing,  // offered, but answered -ERR [SYS/TEMP] (a broken certificate, for a lesson)
};

enum class SaslPlain { Offer, Withhold };  // AUTH PLAIN (RFC 5034, RFC 4616)

struct Pop3ServerTimeouts {
  // RFC 1939 §3: the inactivity autologout timer is at least 10 minutes.
  TimeNs autologout_ns = 10 * kMinute;
  TimeNs tls_handshake_ns = 1 * kMinute;
};

struct Pop3ServerConfig {
  std::string hostname = "pop.example.com";
  ServerRole role = ServerRole::Pop3;
  TlsAvailability tls = TlsAvailability::Ready;
  // For the lesson "why TLS matters": accept USER/PASS and AUTH before STLS on port 110.
  bool allow_plaintext_login = false;
  SaslPlain sasl_plain = SaslPlain::Offer;
  std::size_t errors_max = 10;  // -ERR responses before the server gives up (Dovecot: 10)
  TimeNs auth_failure_delay_ns = 1 * kSecond;  // first penalty; doubles per failure
  TimeNs auth_failure_delay_max_ns = 16 * kSecond;
  Pop3ServerTimeouts timeouts;
  std::string implementation = "MailScope";  // the CAPA IMPLEMENTATION line
};

enum class AuthVerdict {
  Accept,     // the user's maildrop is then locked and opened
  Reject,     // -ERR [AUTH], after the penalty delay
  Temporary,  // -ERR [SYS/TEMP]
};

// The decision that belongs to the service, not to the protocol engine. The user name that is
// accepted is also the name of the user in the mail store.
class Pop3AuthPolicy {
 public:
  virtual ~Pop3AuthPolicy() = default;
  virtual AuthVerdict authenticate(std::string_view user, std::string_view password) = 0;
  // The user's name in the mail store once `login` was accepted. A service that accepts several
  // spellings of one account ("bob", "Bob@Example.com") names the one maildrop here.
  virtual std::string store_user(std::string_view login) { return std::string(login); }
};

}  // namespace mailscope::pop3
