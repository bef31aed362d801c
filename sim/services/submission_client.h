#pragma once
// SubmissionClient: how a simulated user's mail program hands one message to its provider's
// server (RFC 6409). By default: port 587, STARTTLS required (the certificate must verify
// against the scenario CA and name the server), then AUTH, then the message. Other modes: implicit
// TLS on port 465 (RFC 8314), and plaintext on 587 for the lesson that shows why TLS matters
// (the server must allow plaintext AUTH, and the pcap then shows the password).
//
// The mail user agent (built later) uses it; tests use it to drive whole scenarios.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "proto/smtp/client_session.h"
#include "services/service_context.h"
#include "services/smtp_client_connection.h"

namespace mailscope::services {

enum class SubmissionSecurity {
  StartTls,     // 587, STARTTLS required before AUTH
  ImplicitTls,  // 465, TLS from the first byte
  Plaintext,    // 587, no TLS at all (a lesson, never a default)
};
std::string_view to_string(SubmissionSecurity security);  // "starttls", "implicit-tls", ...

struct SubmissionOptions {
  std::string server_name;  // "mail.example.com": checked against the certificate
  wire::Ipv4Addr server_address;
  SubmissionSecurity security = SubmissionSecurity::StartTls;
  std::uint16_t port = 0;  // 0: 587, or 465 for ImplicitTls
  std::optional<smtp::Credentials> credentials;
  std::string helo_name;  // empty: the host's name
  // Send a message over the server's SIZE anyway, so that the server refuses it (552).
  bool announce_oversized = false;
  smtp::SmtpClientTimeouts timeouts;
};

struct SubmissionResult {
  bool accepted = false;  // the server took the message (250 to the final dot)
  smtp::SmtpReply reply;  // the reply that decided it
  SmtpClientReport report;
};

class SubmissionClient {
 public:
  using DoneFn = std::function<void(const SubmissionResult&)>;

  // Starts one submission from `host`; done is called once with the outcome. Keep the returned
  // handle while the submission runs (dropping it abandons the submission).
  static std::shared_ptr<SmtpClientConnection> submit(const ServiceContext& context,
                                                      net::Host& host,
                                                      const SubmissionOptions& options,
                                                      smtp::OutgoingMessage message, DoneFn done);
};

}  // namespace mailscope::services
