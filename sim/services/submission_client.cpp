#include "services/submission_client.h"

namespace mailscope::services {

std::string_view to_string(SubmissionSecurity security) {
  switch (security) {
    case SubmissionSecurity::StartTls:
      return "starttls";
    case SubmissionSecurity::ImplicitTls:
      return "implicit-tls";
    case SubmissionSecurity::Plaintext:
      return "plaintext";
  }
  return "starttls";
}

std::shared_ptr<SmtpClientConnection> SubmissionClient::submit(const ServiceContext& context,
                                                               net::Host& host,
                                                               const SubmissionOptions& options,
                                                               smtp::OutgoingMessage message,
                                                               DoneFn done) {
  SmtpClientConnectionOptions connection;
  smtp::SmtpClientConfig& engine = connection.engine;
  engine.helo_name = options.helo_name.empty() ? host.name() : options.helo_name;
  engine.credentials = options.credentials;
  engine.timeouts = options.timeouts;
  engine.skip_oversized = !options.announce_oversized;
  std::uint16_t port = options.port;
  switch (options.security) {
    case SubmissionSecurity::StartTls:
      engine.transport = smtp::ClientTransport::Plain;
      engine.starttls = smtp::StartTlsPolicy::Required;
      if (port == 0) port = 587;
      break;
    case SubmissionSecurity::ImplicitTls:
      engine.transport = smtp::ClientTransport::ImplicitTls;
      engine.starttls = smtp::StartTlsPolicy::Never;
      if (port == 0) port = 465;
      break;
    case SubmissionSecurity::Plaintext:
      engine.transport = smtp::ClientTransport::Plain;
      engine.starttls = smtp::StartTlsPolicy::Never;
      if (port == 0) port = 587;
      break;
  }
  connection.tls.trusted_cas = {context.ca.certificate()};
  connection.tls.server_name = options.server_name;
  // A mail user agent refuses a server whose certificate does not verify (RFC 8314 §4.1).
  connection.tls.verify_mode = tls::TlsVerifyMode::Require;
  return SmtpClientConnection::start(
      context, host, options.server_address, port, std::move(connection), {std::move(message)},
      [done = std::move(done)](const SmtpClientReport& report) {
        SubmissionResult result;
        result.report = report;
        if (!report.messages.empty()) {
          const smtp::MessageResult& m = report.messages.front();
          result.accepted = m.status == smtp::MessageStatus::Delivered;
          result.reply = m.reply;
        }
        if (done) done(result);
      });
}

}  // namespace mailscope::services
