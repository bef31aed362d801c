// Fuzz target "pop3_server": the POP3 server engine (sim/proto/pop3/server_session.h) over a
// small MailStore (mail_fixture.h), fed arbitrary client bytes split into reads as the script
// says (fuzz_support.h): USER/PASS, AUTH PLAIN with its continuation, STLS, the TRANSACTION
// commands and QUIT's UPDATE. A 0x1F 'D' directive delivers a message while the maildrop is
// locked (the snapshot must not change).
//
// Configuration byte:
//   bit 0  role: 0 POP3 (port 110), 1 POP3S (port 995)
//   bits 1-2  TLS: 0 and 3 ready, 1 none, 2 failing
//   bit 3  plaintext login allowed before STLS
//   bit 4  feed every read one byte at a time
//   bit 5  AUTH PLAIN withheld
//   bit 6  begin logged in as alice (a USER/PASS prefix the harness sends; it succeeds when
//          the configuration allows plaintext login or the role is POP3S)
//
// Checked: every write ends with CRLF, the maildrop lock is held exactly in TRANSACTION, and
// the session ends with the lock released.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <variant>

#include "fuzz_support.h"
#include "mail_fixture.h"
#include "proto/pop3/server_session.h"

namespace {

using namespace mailscope;
using namespace mailscope::pop3;

class Policy : public Pop3AuthPolicy {
 public:
  AuthVerdict authenticate(std::string_view user, std::string_view password) override {
    if (user == "tempfail") return AuthVerdict::Temporary;
    return fuzz::password_ok(user, password) ? AuthVerdict::Accept : AuthVerdict::Reject;
  }
};

Pop3ServerConfig make_config(unsigned bits) {
  Pop3ServerConfig config;
  config.role = (bits & 1) != 0 ? ServerRole::Pop3s : ServerRole::Pop3;
  switch ((bits >> 1) & 3) {
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
  config.allow_plaintext_login = (bits & 8) != 0;
  config.sasl_plain = (bits & 0x20) != 0 ? SaslPlain::Withhold : SaslPlain::Offer;
  return config;
}

class Driver {
 public:
  explicit Driver(const Pop3ServerConfig& config)
      : m_store(fuzz::make_fuzz_store()), m_session(config, *m_store, m_policy, m_now) {}

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

  void directive(char which) {
    if (which == 'W' && m_session.deadline() != kTimeNever) {
      if (m_now < m_session.deadline()) m_now = m_session.deadline();
      absorb(m_session.on_timeout(m_now));
    } else if (which == 'D') {
      (void)m_store->deliver("alice", fuzz::kArrivingMessage, m_now);
    }
  }

  void finish() {
    if (!m_session.closed()) absorb(m_session.on_connection_lost(m_now));
    FUZZ_CHECK(!m_session.holds_lock());
    FUZZ_CHECK(!m_store->maildrop_locked("alice") && !m_store->maildrop_locked("bob"));
  }

  bool closed() const { return m_session.closed(); }

 private:
  void absorb(Pop3Output out) {
    bool start_tls = false;
    for (const Pop3Action& action : out.actions) {
      if (const Send* send = std::get_if<Send>(&action)) {
        FUZZ_CHECK(fuzz::ends_with_crlf(send->bytes));
      }
      if (std::holds_alternative<StartTls>(action)) start_tls = true;
    }
    if (out.closes()) FUZZ_CHECK(m_session.closed());
    const ServerState state = m_session.state();
    FUZZ_CHECK(m_session.holds_lock() ==
               (state == ServerState::Transaction || state == ServerState::Update));
    if (start_tls && !m_session.closed()) absorb(m_session.on_tls_established(m_now));
  }

  TimeNs m_now = 10 * kMinute;
  std::unique_ptr<mail::MailStore> m_store;
  Policy m_policy;
  Pop3ServerSession m_session;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const unsigned bits = size > 0 ? data[0] : 0;
  const bool bytewise = (bits & 0x10) != 0;
  Driver driver(make_config(bits));
  driver.start();
  if ((bits & 0x40) != 0) driver.feed("USER alice\r\nPASS s3cret\r\n", false);
  const std::string_view script = size > 0 ? fuzz::as_text(data + 1, size - 1) : "";
  fuzz::for_each_step(script, [&](const fuzz::Step& step) {
    if (driver.closed()) return;
    if (step.kind == fuzz::StepKind::Bytes) {
      driver.feed(step.bytes, bytewise);
    } else {
      driver.directive(step.directive);
    }
  });
  driver.finish();
  return 0;
}
