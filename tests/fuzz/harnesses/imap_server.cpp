// Fuzz target "imap_server": the IMAP server engine (sim/proto/imap/server_session.h) over a
// small MailStore (mail_fixture.h), fed arbitrary client bytes: commands, synchronizing and
// non-synchronizing literals, IDLE, AUTHENTICATE, STARTTLS, split into reads as the script says
// (fuzz_support.h). Directives also let the store change under the session (a delivery, another
// session's flags or expunge), which is where the sequence-number bookkeeping lives.
//
// Configuration byte:
//   bit 0  role: 0 implicit TLS (port 993), 1 STARTTLS (port 143)
//   bit 1  no TLS certificate (STARTTLS not offered)
//   bit 2  plaintext LOGIN allowed before STARTTLS
//   bit 3  feed every read one byte at a time
//   bit 4  begin logged in as alice with INBOX selected (a prefix the harness sends), so that
//          the fuzzer spends its time on mailbox and message commands
//   bit 5  small limits (line 256 octets, literal 1024, non-synchronizing literal 64, 5 bad
//          commands), to reach every limit quickly
//
// Checked: every write is whole lines ending in CRLF, and a Close leaves the session closed.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <variant>
#include <vector>

#include "fuzz_support.h"
#include "mail/flags.h"
#include "mail_fixture.h"
#include "proto/imap/server_session.h"

namespace {

using namespace mailscope;
using namespace mailscope::imap;

class Policy : public ImapServerPolicy {
 public:
  AuthVerdict authenticate(std::string_view user, std::string_view password) override {
    if (user == "tempfail") return AuthVerdict::Temporary;
    return fuzz::password_ok(user, password) ? AuthVerdict::Accept : AuthVerdict::Reject;
  }
};

ImapServerConfig make_config(unsigned bits) {
  ImapServerConfig config;
  config.role = (bits & 1) != 0 ? ServerRole::StartTls : ServerRole::ImplicitTls;
  config.tls = (bits & 2) != 0 ? TlsAvailability::None : TlsAvailability::Ready;
  config.allow_plaintext_auth = (bits & 4) != 0;
  config.clock.epoch_seconds = 1725267600;  // 2024-09-02 09:00:00 UTC
  if ((bits & 0x20) != 0) {
    config.line_max = 256;
    config.literal_max = 1024;
    config.nonsync_literal_max = 64;
    config.bad_commands_max = 5;
  }
  return config;
}

class Driver {
 public:
  explicit Driver(const ImapServerConfig& config)
      : m_store(fuzz::make_fuzz_store()), m_session(config, m_policy, *m_store, m_now) {
    m_session.set_wake([this] { m_woken = true; });
  }

  void start() { absorb(m_session.start(m_now)); }

  void feed(std::string_view bytes, bool bytewise) {
    m_now += kMillisecond;
    if (!bytewise) {
      absorb(m_session.on_bytes(m_now, bytes));
    } else {
      for (std::size_t i = 0; i < bytes.size() && !m_session.closed(); ++i)
        absorb(m_session.on_bytes(m_now, bytes.substr(i, 1)));
    }
    wake_if_asked();
  }

  void directive(char which) {
    switch (which) {
      case 'W':
        if (m_session.deadline() == kTimeNever) return;
        if (m_now < m_session.deadline()) m_now = m_session.deadline();
        absorb(m_session.on_timeout(m_now));
        break;
      case 'D':
        (void)m_store->deliver("alice", fuzz::kArrivingMessage, m_now);
        break;
      case 'F':
        flag_all();
        break;
      case 'X':
        remove_first();
        break;
      default:
        break;
    }
    wake_if_asked();
  }

  bool closed() const { return m_session.closed(); }

 private:
  void flag_all() {
    auto messages = m_store->messages("alice", "INBOX");
    if (!messages.ok()) return;
    std::vector<mail::Uid> uids;
    for (const mail::MessageInfo& info : *messages)
      uids.push_back(info.uid);
    mail::FlagSet flags;
    flags.system = static_cast<std::uint8_t>(mail::SystemFlag::Seen) |
                   static_cast<std::uint8_t>(mail::SystemFlag::Deleted);
    (void)m_store->store_flags("alice", "INBOX", uids, mail::FlagOp::Add, flags);
  }

  void remove_first() {
    auto messages = m_store->messages("alice", "INBOX");
    if (!messages.ok() || messages->empty()) return;
    const mail::Uid uid = messages->front().uid;
    (void)m_store->remove("alice", "INBOX", std::span<const mail::Uid>(&uid, 1));
  }

  // The owner runs on_store_changed() soon after the store's wake call.
  void wake_if_asked() {
    if (!m_woken || m_session.closed()) return;
    m_woken = false;
    absorb(m_session.on_store_changed(m_now));
  }

  void absorb(ImapOutput out) {
    bool start_tls = false;
    for (const ImapAction& action : out.actions) {
      if (const Send* send = std::get_if<Send>(&action))
        FUZZ_CHECK(fuzz::ends_with_crlf(send->bytes));
      if (std::holds_alternative<StartTls>(action)) start_tls = true;
    }
    if (out.closes()) FUZZ_CHECK(m_session.closed());
    if (start_tls && !m_session.closed()) absorb(m_session.on_tls_established(m_now));
  }

  TimeNs m_now = 10 * kMinute;
  std::unique_ptr<mail::MailStore> m_store;
  Policy m_policy;
  ImapServerSession m_session;
  bool m_woken = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const unsigned bits = size > 0 ? data[0] : 0;
  const bool bytewise = (bits & 8) != 0;
  Driver driver(make_config(bits));
  driver.start();
  if ((bits & 0x10) != 0) {
    // On port 143 without plaintext LOGIN the prefix meets the rules like any client would.
    driver.feed("p1 LOGIN alice s3cret\r\np2 SELECT INBOX\r\n", false);
  }
  const std::string_view script = size > 0 ? fuzz::as_text(data + 1, size - 1) : "";
  fuzz::for_each_step(script, [&](const fuzz::Step& step) {
    if (driver.closed()) return;
    if (step.kind == fuzz::StepKind::Bytes) {
      driver.feed(step.bytes, bytewise);
    } else {
      driver.directive(step.directive);
    }
  });
  return 0;
}
