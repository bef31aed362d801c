#pragma once
// Shared pieces of the POP3 tests: a password table, a mail store with two users and known
// messages, a harness that feeds a server session and returns the bytes it sent, and a runner
// that wires a client engine to a server engine in memory.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mail/mail_store.h"
#include "proto/pop3/client_session.h"
#include "proto/pop3/server_session.h"

namespace mailscope::pop3::testing {

// A policy with fixed passwords; records how often it was asked.
class FakeAuth : public Pop3AuthPolicy {
 public:
  std::map<std::string, std::string> passwords = {{"alice", "s3cret"}, {"bob", "hunter2"}};
  bool temporary = false;  // answer Temporary to everything
  int calls = 0;

  AuthVerdict authenticate(std::string_view user, std::string_view password) override {
    ++calls;
    if (temporary) return AuthVerdict::Temporary;
    const auto it = passwords.find(std::string(user));
    return it != passwords.end() && it->second == password ? AuthVerdict::Accept
                                                           : AuthVerdict::Reject;
  }
};

// The three messages in alice's INBOX (UIDVALIDITY 1, UIDs 1..3); the second has lines that
// start with "." so that byte-stuffing shows.
extern const std::string kMessage1;  // 55 octets
extern const std::string kMessage2;  // 64 octets
extern const std::string kMessage3;  // 75 octets
// UIDL unique-ids of the three: UID then UIDVALIDITY, 8 hex digits each.
inline const std::string kUid1 = "0000000100000001";
inline const std::string kUid2 = "0000000200000001";
inline const std::string kUid3 = "0000000300000001";

// A store with users alice (the three messages) and bob (empty INBOX).
std::unique_ptr<mail::MailStore> make_store();

inline Pop3ServerConfig plain_config() {
  Pop3ServerConfig c;
  c.hostname = "pop.example.com";
  return c;
}
inline Pop3ServerConfig pop3s_config() {
  Pop3ServerConfig c = plain_config();
  c.role = ServerRole::Pop3s;
  return c;
}
inline Pop3ServerConfig plaintext_allowed_config() {
  Pop3ServerConfig c = plain_config();
  c.allow_plaintext_login = true;
  return c;
}

inline const std::string kGreeting = "+OK pop.example.com POP3 server ready\r\n";
inline const std::string kLoggedIn = "+OK alice's maildrop has 3 messages (194 octets)\r\n";

// Feeds a server session, one call per send(), and keeps the last output for inspection.
class ServerHarness {
 public:
  explicit ServerHarness(const Pop3ServerConfig& config = plaintext_allowed_config(),
                         mail::MailStore* shared_store = nullptr);

  std::string send(std::string_view bytes);
  // Sends each byte in its own call; returns everything sent back.
  std::string send_bytewise(std::string_view bytes);
  std::string tls_established();
  // USER alice / PASS s3cret (the config must allow it); fails the test if not logged in.
  void login();

  std::unique_ptr<mail::MailStore> own_store;  // empty when the store is shared
  mail::MailStore& store;
  FakeAuth auth;
  Pop3ServerSession session;
  Pop3Output last;
  std::string greeting;
  TimeNs now = 0;
};

// Runs a server and a client against each other in memory until neither has anything to say.
// A TLS handshake is simulated by calling both on_tls_established() once both asked for it.
struct Dialogue {
  std::string transcript;  // "C: ..." and "S: ..." lines, for exact comparison
  std::vector<Pop3Action> client_actions;
  std::vector<Pop3Action> server_actions;
  bool server_closed = false;
  bool client_closed = false;

  template <typename T>
  std::vector<T> client_all() const {
    std::vector<T> out;
    for (const Pop3Action& a : client_actions) {
      if (const T* item = std::get_if<T>(&a)) out.push_back(*item);
    }
    return out;
  }
  template <typename T>
  std::vector<T> server_all() const {
    std::vector<T> out;
    for (const Pop3Action& a : server_actions) {
      if (const T* item = std::get_if<T>(&a)) out.push_back(*item);
    }
    return out;
  }
};

enum class Chunking { Whole, ByteAtATime };

// stop_after_client_commands: when non-zero, the connection "drops" once the client has sent
// that many commands: both engines get on_connection_lost() and the run ends.
Dialogue run_dialogue(Pop3ServerSession& server, Pop3ClientSession& client,
                      Chunking chunking = Chunking::Whole,
                      std::size_t stop_after_client_commands = 0);

}  // namespace mailscope::pop3::testing
