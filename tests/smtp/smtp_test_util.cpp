#include "smtp/smtp_test_util.h"

#include <variant>

namespace mailscope::smtp::testing {
namespace {

// Appends "S: line" or "C: line" for each line of bytes.
void log_lines(std::string& transcript, std::string_view who, std::string_view bytes) {
  while (!bytes.empty()) {
    const std::size_t lf = bytes.find('\n');
    std::string_view line = bytes.substr(0, lf);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    transcript += std::string(who) + ": " + std::string(line) + "\n";
    if (lf == std::string_view::npos) break;
    bytes.remove_prefix(lf + 1);
  }
}

}  // namespace

Dialogue run_dialogue(SmtpServerSession& server, SmtpClientSession& client, Chunking chunking) {
  Dialogue d;
  std::string to_server, to_client;
  bool server_wants_tls = false, client_wants_tls = false;

  auto absorb = [&](SmtpOutput&& out, bool from_server) {
    for (SmtpAction& action : out.actions) {
      if (const Send* send = std::get_if<Send>(&action)) {
        (from_server ? to_client : to_server) += send->bytes;
        log_lines(d.transcript, from_server ? "S" : "C", send->bytes);
      } else if (std::holds_alternative<StartTls>(action)) {
        (from_server ? server_wants_tls : client_wants_tls) = true;
        d.transcript += from_server ? "S: <TLS>\n" : "C: <TLS>\n";
      } else if (std::holds_alternative<Close>(action)) {
        (from_server ? d.server_closed : d.client_closed) = true;
      }
      (from_server ? d.server_actions : d.client_actions).push_back(std::move(action));
    }
  };

  absorb(server.start(0), true);
  absorb(client.start(0), false);
  for (int guard = 0; guard < 1'000'000; ++guard) {
    const std::size_t chunk = chunking == Chunking::ByteAtATime ? 1 : std::string::npos;
    if (!to_client.empty() && !d.client_closed) {
      const std::string bytes = to_client.substr(0, chunk);
      to_client.erase(0, bytes.size());
      absorb(client.on_bytes(0, bytes), false);
    } else if (!to_server.empty() && !d.server_closed) {
      const std::string bytes = to_server.substr(0, chunk);
      to_server.erase(0, bytes.size());
      absorb(server.on_bytes(0, bytes), true);
    } else if (server_wants_tls && client_wants_tls) {
      server_wants_tls = client_wants_tls = false;
      absorb(server.on_tls_established(0), true);
      absorb(client.on_tls_established(0), false);
    } else {
      break;
    }
  }
  return d;
}

}  // namespace mailscope::smtp::testing
