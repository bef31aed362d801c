#include "pop3/pop3_test_util.h"

#include <gtest/gtest.h>

#include <variant>

namespace mailscope::pop3::testing {
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

const std::string kMessage1 = "From: bob@example.org\r\nSubject: one\r\n\r\nFirst message.\r\n";
const std::string kMessage2 =
    "From: bob@example.org\r\nSubject: dots\r\n\r\n.hidden\r\n..two\r\n.\r\nend\r\n";
const std::string kMessage3 =
    "From: carol@example.net\r\nSubject: three\r\n\r\nline 1\r\nline 2\r\nline 3\r\nline 4\r\n";

std::unique_ptr<mail::MailStore> make_store() {
  auto store = std::make_unique<mail::MailStore>();
  EXPECT_TRUE(store->add_user("alice").ok());
  EXPECT_TRUE(store->add_user("bob").ok());
  for (const std::string* m : {&kMessage1, &kMessage2, &kMessage3}) {
    EXPECT_TRUE(store->deliver("alice", *m, 0).ok());
  }
  return store;
}

ServerHarness::ServerHarness(const Pop3ServerConfig& config, mail::MailStore* shared_store)
    : own_store(shared_store == nullptr ? make_store() : nullptr),
      store(shared_store == nullptr ? *own_store : *shared_store),
      session(config, store, auth, 0) {
  last = session.start(0);
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

std::string ServerHarness::tls_established() {
  last = session.on_tls_established(now);
  return last.sent_bytes();
}

void ServerHarness::login() {
  send("USER alice\r\n");
  send("PASS s3cret\r\n");
  ASSERT_EQ(session.state(), ServerState::Transaction);
}

Dialogue run_dialogue(Pop3ServerSession& server, Pop3ClientSession& client, Chunking chunking,
                      std::size_t stop_after_client_commands) {
  Dialogue d;
  std::string to_server, to_client;
  bool server_wants_tls = false, client_wants_tls = false;
  std::size_t client_commands = 0;

  auto absorb = [&](Pop3Output&& out, bool from_server) {
    for (Pop3Action& action : out.actions) {
      if (const Send* send = std::get_if<Send>(&action)) {
        (from_server ? to_client : to_server) += send->bytes;
        log_lines(d.transcript, from_server ? "S" : "C", send->bytes);
      } else if (std::holds_alternative<StartTls>(action)) {
        (from_server ? server_wants_tls : client_wants_tls) = true;
        d.transcript += from_server ? "S: <TLS>\n" : "C: <TLS>\n";
      } else if (std::holds_alternative<Close>(action)) {
        (from_server ? d.server_closed : d.client_closed) = true;
      } else if (std::holds_alternative<CommandSent>(action)) {
        ++client_commands;
      }
      (from_server ? d.server_actions : d.client_actions).push_back(std::move(action));
    }
  };

  absorb(server.start(0), true);
  absorb(client.start(0), false);
  for (int guard = 0; guard < 1'000'000; ++guard) {
    if (stop_after_client_commands != 0 && client_commands >= stop_after_client_commands) {
      absorb(server.on_connection_lost(0), true);
      absorb(client.on_connection_lost(0), false);
      break;
    }
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
      d.transcript += "-- TLS established --\n";
      absorb(server.on_tls_established(0), true);
      absorb(client.on_tls_established(0), false);
    } else {
      break;
    }
  }
  return d;
}

}  // namespace mailscope::pop3::testing
