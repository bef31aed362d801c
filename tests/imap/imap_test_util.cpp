#include "imap/imap_test_util.h"

#include <variant>

namespace mailscope::imap::testing {

const std::string kLunch =
    "From: Alice <alice@example.com>\r\n"
    "To: bob@example.org\r\n"
    "Subject: Lunch\r\n"
    "Date: Mon, 02 Sep 2024 08:00:00 +0000\r\n"
    "Message-ID: <1@example.com>\r\n"
    "\r\n"
    "See you at noon.\r\n";

const std::string kReport =
    "From: Carol <carol@example.net>\r\n"
    "To: alice@example.com\r\n"
    "Subject: Quarterly report\r\n"
    "Date: Sun, 01 Sep 2024 17:30:00 +0200\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"XX\"\r\n"
    "\r\n"
    "--XX\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Figures attached.\r\n"
    "--XX\r\n"
    "Content-Type: application/pdf; name=\"q3.pdf\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "Content-Disposition: attachment; filename=\"q3.pdf\"\r\n"
    "\r\n"
    "JVBERi0xLjQK\r\n"
    "--XX--\r\n";

const std::string kForward =
    "From: Dave <dave@example.org>\r\n"
    "To: Team: alice@example.com, \"Bob B.\" <bob@example.org>;\r\n"
    "Cc: eve@example.net\r\n"
    "Subject: Re: \"plans\"\r\n"
    "Date: Tue, 03 Sep 2024 10:00:00 +0000\r\n"
    "In-Reply-To: <0@example.org>\r\n"
    "\r\n"
    "Agreed.\r\n";

const std::string kBobNote =
    "From: Alice <alice@example.com>\r\n"
    "To: bob@example.org\r\n"
    "Subject: For Bob only\r\n"
    "\r\n"
    "Private.\r\n";

ImapServerConfig implicit_tls_config() {
  ImapServerConfig c;
  c.hostname = "imap.example.com";
  c.role = ServerRole::ImplicitTls;
  c.clock.epoch_seconds = kEpoch;
  return c;
}

ImapServerConfig starttls_config() {
  ImapServerConfig c = implicit_tls_config();
  c.role = ServerRole::StartTls;
  return c;
}

std::unique_ptr<mail::MailStore> make_store() {
  auto store = std::make_unique<mail::MailStore>();
  (void)store->add_user("alice");
  (void)store->add_user("bob");
  (void)store->deliver("alice", kLunch, 1 * kMinute);
  (void)store->deliver("alice", kReport, 2 * kMinute);
  (void)store->deliver("alice", kForward, 3 * kMinute);
  (void)store->deliver("bob", kBobNote, 4 * kMinute);
  return store;
}

ServerHarness::ServerHarness(const ImapServerConfig& config, mail::MailStore* shared_store)
    : own_store(shared_store == nullptr ? make_store() : nullptr),
      store(shared_store == nullptr ? *own_store : *shared_store),
      session(config, policy, store, 10 * kMinute) {
  session.set_wake([this] { ++wakes; });
  last = session.start(now);
  greeting = last.sent_bytes();
}

std::string ServerHarness::send(std::string_view bytes) {
  last = session.on_bytes(now, bytes);
  return last.sent_bytes();
}

std::string ServerHarness::send_bytewise(std::string_view bytes) {
  std::string replies;
  for (char c : bytes)
    replies += send(std::string_view(&c, 1));
  return replies;
}

std::string ServerHarness::store_changed() {
  last = session.on_store_changed(now);
  return last.sent_bytes();
}

std::string ServerHarness::tls_established() {
  last = session.on_tls_established(now);
  return last.sent_bytes();
}

std::string ServerHarness::login(std::string_view user) {
  return send("L1 LOGIN " + std::string(user) + " " + policy.passwords[std::string(user)] + "\r\n");
}

std::string ServerHarness::select(std::string_view mailbox) {
  return send("S1 SELECT " + std::string(mailbox) + "\r\n");
}

namespace {

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

Dialogue run_dialogue(ImapServerSession& server, ImapClientSession& client, Chunking chunking) {
  Dialogue d;
  std::string to_server, to_client;
  bool server_wants_tls = false, client_wants_tls = false;
  auto absorb = [&](ImapOutput&& out, bool from_server) {
    for (ImapAction& action : out.actions) {
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
  absorb(client.flush(0), false);
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

}  // namespace mailscope::imap::testing
