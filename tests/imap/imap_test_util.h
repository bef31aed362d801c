#pragma once
// Shared pieces of the IMAP tests: a scripted password policy, a mail store with two users and a
// few messages, a harness that feeds a server session and returns the bytes it sent, and a runner
// that lets a client and a server engine talk in memory.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mail/mail_store.h"
#include "proto/imap/client_session.h"
#include "proto/imap/server_session.h"

namespace mailscope::imap::testing {

// 2024-09-02 09:00:00 UTC is virtual time zero in every test.
constexpr std::int64_t kEpoch = 1725267600;

class FakePolicy : public ImapServerPolicy {
 public:
  std::map<std::string, std::string> passwords = {{"alice", "s3cret"}, {"bob", "hunter2"}};
  bool temporary = false;
  int calls = 0;

  AuthVerdict authenticate(std::string_view user, std::string_view password) override {
    ++calls;
    if (temporary) return AuthVerdict::Temporary;
    const auto it = passwords.find(std::string(user));
    return it != passwords.end() && it->second == password ? AuthVerdict::Accept
                                                           : AuthVerdict::Reject;
  }
};

// Port 993: TLS is already up, so LOGIN is allowed at once.
ImapServerConfig implicit_tls_config();
// Port 143: STARTTLS offered, LOGIN disabled until then.
ImapServerConfig starttls_config();

// Three messages for alice's INBOX (UIDs 1..3) and one for bob's.
extern const std::string kLunch;    // plain text, From/To/Subject/Date/Message-ID
extern const std::string kReport;   // multipart/mixed: text part + base64 attachment
extern const std::string kForward;  // text with Cc, Bcc and a group
extern const std::string kBobNote;

// A store with users alice and bob; alice's INBOX holds kLunch, kReport, kForward delivered at
// 1, 2 and 3 minutes; bob's INBOX holds kBobNote.
std::unique_ptr<mail::MailStore> make_store();

class ServerHarness {
 public:
  explicit ServerHarness(const ImapServerConfig& config = implicit_tls_config(),
                         mail::MailStore* shared_store = nullptr);

  std::string send(std::string_view bytes);
  std::string send_bytewise(std::string_view bytes);
  std::string store_changed();
  std::string tls_established();
  // LOGIN as the user (password from the policy); returns the reply.
  std::string login(std::string_view user = "alice");
  std::string select(std::string_view mailbox = "INBOX");

  std::unique_ptr<mail::MailStore> own_store;
  mail::MailStore& store;
  FakePolicy policy;
  ImapServerSession session;
  ImapOutput last;
  std::string greeting;
  TimeNs now = 10 * kMinute;
  int wakes = 0;
};

// Runs a client and a server against each other until neither has more to say. A TLS handshake
// is simulated by calling both on_tls_established() once both asked for it.
struct Dialogue {
  std::string transcript;  // "C: ..." and "S: ..." lines
  std::vector<ImapAction> client_actions;
  std::vector<ImapAction> server_actions;
  bool server_closed = false;
  bool client_closed = false;
};
enum class Chunking { Whole, ByteAtATime };
Dialogue run_dialogue(ImapServerSession& server, ImapClientSession& client,
                      Chunking chunking = Chunking::Whole);

}  // namespace mailscope::imap::testing
