#pragma once
// How an SMTP server is set up (SmtpServerConfig) and who decides about senders, recipients,
// passwords and messages (SmtpServerPolicy, implemented by the service that owns the engine).

#include <cstdint>
#include <string>
#include <string_view>

#include "core/time.h"
#include "proto/smtp/envelope.h"
#include "proto/smtp/reply.h"

namespace mailscope::smtp {

enum class ServerRole {
  Relay,       // MTA on port 25: accepts mail for its domains from anyone, no AUTH
  Submission,  // MSA on port 587 (RFC 6409): AUTH required before MAIL
  Smtps,       // submission over implicit TLS on port 465 (RFC 8314): TLS from the first byte
};
std::string_view to_string(ServerRole role);

enum class TlsAvailability {
  None,     // no certificate: STARTTLS is not offered and answered 502
  Ready,    // STARTTLS is offered
  Failing,  // offered, but answered 454 (a broken certificate or key, for a lesson)
};

enum class Pipelining { Offer, Withhold };  // RFC 2920

// RFC 5321 §4.5.3.2.7: a server waits at least 5 minutes for the next command.
struct SmtpServerTimeouts {
  TimeNs command_ns = 5 * kMinute;
  TimeNs data_ns = 5 * kMinute;  // between two reads of message content
  TimeNs tls_handshake_ns = 5 * kMinute;
};

struct SmtpServerConfig {
  std::string hostname = "mail.example.com";
  ServerRole role = ServerRole::Relay;
  TlsAvailability tls = TlsAvailability::Ready;
  // For the lesson "why TLS matters": offer and accept AUTH on submission before STARTTLS.
  bool allow_plaintext_auth = false;
  std::uint64_t size_limit_bytes = 10'240'000;  // Postfix's message_size_limit
  std::size_t recipients_max = 100;             // RFC 5321 §4.5.3.1.8 minimum buffer
  std::size_t errors_max = 20;                  // Postfix's smtpd_hard_error_limit
  TimeNs greeting_delay_ns = 0;                 // wait this long before 220 (pregreet test)
  SmtpServerTimeouts timeouts;
  Pipelining pipelining = Pipelining::Offer;
  TimeNs auth_failure_delay_ns = 1 * kSecond;  // first penalty; doubles per failure
  TimeNs auth_failure_delay_max_ns = 16 * kSecond;
};

enum class SenderVerdict {
  Accept,
  Reject,     // 550 5.7.1 Sender address rejected
  Temporary,  // 451 4.3.0 temporarily unavailable
};

enum class RecipientVerdict {
  Accept,              // 250 2.1.5
  UnknownUser,         // 550 5.1.1 User unknown
  RelayDenied,         // 554 5.7.1 Relay access denied
  OverQuotaTemporary,  // 452 4.2.2 Mailbox full
  OverQuotaPermanent,  // 552 5.2.2 Mailbox full
  Greylisted,          // 451 4.7.1 Greylisted, try again later
  Temporary,           // 451 4.3.0 temporarily unavailable
};

enum class AuthVerdict {
  Accept,     // 235 2.7.0
  Reject,     // 535 5.7.8
  Temporary,  // 454 4.7.0
};

// The decisions that belong to the service, not to the protocol engine.
class SmtpServerPolicy {
 public:
  virtual ~SmtpServerPolicy() = default;
  virtual SenderVerdict check_sender(const Envelope& envelope, const Path& reverse_path) = 0;
  virtual RecipientVerdict check_recipient(const Envelope& envelope, const Path& forward_path) = 0;
  virtual AuthVerdict authenticate(std::string_view user, std::string_view password) = 0;
  // Called at the final dot with the unstuffed message. The service stores the message durably
  // *before* returning 2xx (RFC 5321 §6.1); it may also return 451, 452, 552 or 554.
  virtual SmtpReply accept_message(const Envelope& envelope, std::string_view data) = 0;
};

}  // namespace mailscope::smtp
