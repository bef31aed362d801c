// Fuzz target "smtp_server": the SMTP server engine (sim/proto/smtp/server_session.h) fed a whole
// client session of arbitrary bytes, split into reads as the script says (fuzz_support.h), so
// that pipelined commands, DATA and its final dot, AUTH exchanges and the STARTTLS boundary are
// all reached with every possible cut. When the engine asks for TLS the harness does what the
// owner does: it calls on_tls_established() before feeding the next read.
//
// Configuration byte:
//   bits 0-1  role: 0 relay, 1 submission, 2 SMTPS, 3 relay with a 5 s greeting delay
//   bits 2-3  TLS: 0 and 3 ready, 1 none, 2 failing
//   bit 4     plaintext AUTH allowed before STARTTLS
//   bit 5     feed every read one byte at a time
//   bit 6     PIPELINING withheld
//   bit 7     the policy accepts everything (otherwise it answers by the first letter of the
//             local part: u unknown user, r relay denied, q/Q over quota, g greylisted,
//             t temporary; a sender starting with r is rejected, with t deferred)
//
// Checked: every reply the engine writes is whole lines ending in CRLF, no line longer than
// the 512 octets RFC 5321 allows a reply line, and a Close leaves the session closed.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "proto/smtp/server_session.h"

namespace {

using namespace mailscope;
using namespace mailscope::smtp;

class ScriptedPolicy : public SmtpServerPolicy {
 public:
  explicit ScriptedPolicy(bool accept_all) : m_accept_all(accept_all) {}

  SenderVerdict check_sender(const Envelope&, const Path& path) override {
    switch (m_accept_all ? 'a' : first_letter(path)) {
      case 'r':
        return SenderVerdict::Reject;
      case 't':
        return SenderVerdict::Temporary;
      default:
        return SenderVerdict::Accept;
    }
  }
  RecipientVerdict check_recipient(const Envelope&, const Path& path) override {
    switch (m_accept_all ? 'a' : first_letter(path)) {
      case 'u':
        return RecipientVerdict::UnknownUser;
      case 'r':
        return RecipientVerdict::RelayDenied;
      case 'q':
        return RecipientVerdict::OverQuotaTemporary;
      case 'Q':
        return RecipientVerdict::OverQuotaPermanent;
      case 'g':
        return RecipientVerdict::Greylisted;
      case 't':
        return RecipientVerdict::Temporary;
      default:
        return RecipientVerdict::Accept;
    }
  }
  AuthVerdict authenticate(std::string_view user, std::string_view password) override {
    if (user == "alice" && password == "s3cret") return AuthVerdict::Accept;
    return user == "tempfail" ? AuthVerdict::Temporary : AuthVerdict::Reject;
  }
  SmtpReply accept_message(const Envelope&, std::string_view data) override {
    // A message that mentions "quota" meets a full disk: the 452 path at the final dot.
    if (!m_accept_all && data.find("quota") != std::string_view::npos) {
      return make_reply(452, "4.3.1", "Insufficient system storage");
    }
    return make_reply(250, "2.0.0", "Ok: queued");
  }

 private:
  static char first_letter(const Path& path) {
    return path.mailbox.local_part.empty() ? 0 : path.mailbox.local_part.front();
  }
  bool m_accept_all;
};

SmtpServerConfig make_config(const std::uint8_t* data, std::size_t size) {
  SmtpServerConfig config;
  const unsigned bits = size > 0 ? data[0] : 0;
  switch (bits & 3) {
    case 0:
      config.role = ServerRole::Relay;
      break;
    case 1:
      config.role = ServerRole::Submission;
      break;
    case 2:
      config.role = ServerRole::Smtps;
      break;
    case 3:
      config.role = ServerRole::Relay;
      config.greeting_delay_ns = 5 * kSecond;
      break;
  }
  switch ((bits >> 2) & 3) {
    case 1:
      config.tls = TlsAvailability::None;
      break;
    case 2:
      config.tls = TlsAvailability::Failing;
      break;
    default:
      config.tls = TlsAvailability::Ready;
      break;
  }
  config.allow_plaintext_auth = (bits & 0x10) != 0;
  config.pipelining = (bits & 0x40) != 0 ? Pipelining::Withhold : Pipelining::Offer;
  // Small enough that the fuzzer meets the size limit, large enough for real messages.
  config.size_limit_bytes = 2048;
  return config;
}

class Driver {
 public:
  Driver(const SmtpServerConfig& config, bool accept_all)
      : m_policy(accept_all), m_session(config, m_policy, 0) {}

  void start() { absorb(m_session.start(m_now)); }

  void feed(std::string_view bytes, bool bytewise) {
    m_now += kMillisecond;
    if (!bytewise) {
      absorb(m_session.on_bytes(m_now, bytes));
      return;
    }
    for (std::size_t i = 0; i < bytes.size() && !m_session.closed(); ++i)
      absorb(m_session.on_bytes(m_now, bytes.substr(i, 1)));
  }

  void timeout() {
    if (m_session.deadline() == kTimeNever) return;
    if (m_now < m_session.deadline()) m_now = m_session.deadline();
    absorb(m_session.on_timeout(m_now));
  }

  bool closed() const { return m_session.closed(); }

 private:
  void absorb(SmtpOutput out) {
    bool start_tls = false;
    for (const SmtpAction& action : out.actions) {
      if (const Send* send = std::get_if<Send>(&action)) check_reply(send->bytes);
      if (std::holds_alternative<StartTls>(action)) start_tls = true;
    }
    if (out.closes()) FUZZ_CHECK(m_session.closed());
    // The owner runs the handshake (here: instantly successful) before reading on.
    if (start_tls && !m_session.closed()) absorb(m_session.on_tls_established(m_now));
  }

  static void check_reply(std::string_view bytes) {
    FUZZ_CHECK(!bytes.empty());
    while (!bytes.empty()) {
      const std::size_t end = bytes.find("\r\n");
      FUZZ_CHECK(end != std::string_view::npos);
      FUZZ_CHECK(end + 2 <= kCommandLineMax);
      FUZZ_CHECK(end >= 3);  // a three-digit code at least
      bytes.remove_prefix(end + 2);
    }
  }

  ScriptedPolicy m_policy;
  SmtpServerSession m_session;
  TimeNs m_now = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const bool bytewise = fuzz::option(data, size, 5);
  Driver driver(make_config(data, size), fuzz::option(data, size, 7));
  driver.start();
  const std::string_view script = size > 0 ? fuzz::as_text(data + 1, size - 1) : "";
  fuzz::for_each_step(script, [&](const fuzz::Step& step) {
    if (driver.closed()) return;
    if (step.kind == fuzz::StepKind::Bytes) {
      driver.feed(step.bytes, bytewise);
    } else if (step.directive == 'W') {
      driver.timeout();
    }
  });
  // The connection ends: an idle server times the client out.
  driver.timeout();
  return 0;
}
