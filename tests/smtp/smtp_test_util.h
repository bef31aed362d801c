#pragma once
// Shared pieces of the SMTP tests: a scripted policy, server configurations for each role and a
// harness that feeds a server session and returns the bytes it sent.

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "proto/smtp/client_session.h"
#include "proto/smtp/server_session.h"

namespace mailscope::smtp::testing {

// A policy with fixed answers; records what the engine asked.
class FakePolicy : public SmtpServerPolicy {
 public:
  SenderVerdict sender = SenderVerdict::Accept;
  std::map<std::string, RecipientVerdict> recipients;  // by "user@domain"; default Accept
  std::map<std::string, std::string> passwords = {{"alice", "s3cret"}};
  AuthVerdict auth_override = AuthVerdict::Accept;
  bool use_auth_override = false;
  SmtpReply final_reply = make_reply(250, "2.0.0", "Ok: queued as 1A2B3C");

  struct Stored {
    Envelope envelope;
    std::string data;
  };
  std::vector<Stored> stored;  // one per accept_message() call
  int auth_calls = 0;

  SenderVerdict check_sender(const Envelope&, const Path&) override { return sender; }
  RecipientVerdict check_recipient(const Envelope&, const Path& path) override {
    const auto it = recipients.find(path.mailbox.to_string());
    return it == recipients.end() ? RecipientVerdict::Accept : it->second;
  }
  AuthVerdict authenticate(std::string_view user, std::string_view password) override {
    ++auth_calls;
    if (use_auth_override) return auth_override;
    const auto it = passwords.find(std::string(user));
    return it != passwords.end() && it->second == password ? AuthVerdict::Accept
                                                           : AuthVerdict::Reject;
  }
  SmtpReply accept_message(const Envelope& envelope, std::string_view data) override {
    stored.push_back({envelope, std::string(data)});
    return final_reply;
  }
};

inline SmtpServerConfig relay_config() {
  SmtpServerConfig c;
  c.hostname = "mx.example.com";
  c.role = ServerRole::Relay;
  return c;
}

inline SmtpServerConfig submission_config() {
  SmtpServerConfig c;
  c.hostname = "smtp.example.com";
  c.role = ServerRole::Submission;
  return c;
}

inline SmtpServerConfig smtps_config() {
  SmtpServerConfig c = submission_config();
  c.role = ServerRole::Smtps;
  return c;
}

inline const std::string kRelayEhlo =
    "250-mx.example.com\r\n"
    "250-PIPELINING\r\n"
    "250-SIZE 10240000\r\n"
    "250-STARTTLS\r\n"
    "250-ENHANCEDSTATUSCODES\r\n"
    "250 8BITMIME\r\n";

// Feeds a server session, one call per send(), and keeps the last output for inspection.
class ServerHarness {
 public:
  explicit ServerHarness(const SmtpServerConfig& config = relay_config())
      : session(config, policy, 0) {
    last = session.start(0);
    greeting = last.sent_bytes();
  }

  std::string send(std::string_view bytes) {
    last = session.on_bytes(now, bytes);
    return last.sent_bytes();
  }
  // Sends each byte in its own call; returns everything sent back.
  std::string send_bytewise(std::string_view bytes) {
    std::string replies;
    for (char c : bytes)
      replies += send(std::string_view(&c, 1));
    return replies;
  }
  std::string tls_established() {
    last = session.on_tls_established(now);
    return last.sent_bytes();
  }
  // EHLO, and for the submission roles STARTTLS (where offered) and AUTH PLAIN as alice.
  void ready(bool authenticate = false) {
    send("EHLO client.example.org\r\n");
    if (authenticate) {
      if (!session.session().tls_active) {
        send("STARTTLS\r\n");
        tls_established();
        send("EHLO client.example.org\r\n");
      }
      send("AUTH PLAIN AGFsaWNlAHMzY3JldA==\r\n");  // \0alice\0s3cret
    }
  }

  FakePolicy policy;
  SmtpServerSession session;
  SmtpOutput last;
  std::string greeting;
  TimeNs now = 0;
};

// Runs a server and a client against each other in memory until neither has anything to say.
// A TLS handshake is simulated by calling both on_tls_established() once both asked for it.
struct Dialogue {
  std::string transcript;  // "C: ..." and "S: ..." lines, for exact comparison
  std::vector<SmtpAction> client_actions;
  std::vector<SmtpAction> server_actions;
  bool server_closed = false;
  bool client_closed = false;
};

enum class Chunking { Whole, ByteAtATime };

Dialogue run_dialogue(SmtpServerSession& server, SmtpClientSession& client,
                      Chunking chunking = Chunking::Whole);

}  // namespace mailscope::smtp::testing
