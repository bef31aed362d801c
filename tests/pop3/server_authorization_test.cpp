// The AUTHORIZATION state: greeting, CAPA, STLS, USER/PASS, AUTH PLAIN, the lock and penalties.

#include <gtest/gtest.h>

#include "pop3/pop3_test_util.h"

namespace mailscope::pop3::testing {
namespace {

const std::string kCapaClear =
    "+OK Capability list follows\r\nTOP\r\nUIDL\r\nSTLS\r\nPIPELINING\r\nRESP-CODES\r\n"
    "AUTH-RESP-CODE\r\nIMPLEMENTATION MailScope\r\n.\r\n";
const std::string kCapaTls =
    "+OK Capability list follows\r\nTOP\r\nUIDL\r\nUSER\r\nSASL PLAIN\r\nPIPELINING\r\n"
    "RESP-CODES\r\nAUTH-RESP-CODE\r\nIMPLEMENTATION MailScope\r\n.\r\n";
const std::string kPlaintextRefused =
    "-ERR [AUTH] Plaintext authentication disallowed on non-secure connections, use STLS\r\n";
const std::string kAuthFailed = "-ERR [AUTH] authentication failed\r\n";

TEST(ServerAuthorization, GreetingOpensAuthorization) {
  ServerHarness h(plain_config());
  EXPECT_EQ(h.greeting, kGreeting);
  EXPECT_EQ(h.session.state(), ServerState::Authorization);
  const auto changes = h.last.all<StateChanged>();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].from, "GREETING");
  EXPECT_EQ(changes[0].to, "AUTHORIZATION");
  EXPECT_EQ(h.session.deadline(), 10 * kMinute);  // the autologout timer
  EXPECT_FALSE(h.session.tls_active());
}

TEST(ServerAuthorization, CapaDependsOnConfigAndState) {
  struct Case {
    const char* name;
    Pop3ServerConfig config;
    std::string expected;
  };
  Pop3ServerConfig no_tls = plain_config();
  no_tls.tls = TlsAvailability::None;
  Pop3ServerConfig no_sasl = pop3s_config();
  no_sasl.sasl_plain = SaslPlain::Withhold;
  const std::vector<Case> cases = {
      // In clear with TLS ready: no login method is offered, STLS is.
      {"clear", plain_config(), kCapaClear},
      // Port 995: logins offered, no STLS.
      {"pop3s", pop3s_config(), kCapaTls},
      // No certificate and no plaintext login: nothing to log in with (a misconfiguration).
      {"no tls", no_tls,
       "+OK Capability list follows\r\nTOP\r\nUIDL\r\nPIPELINING\r\nRESP-CODES\r\n"
       "AUTH-RESP-CODE\r\nIMPLEMENTATION MailScope\r\n.\r\n"},
      // The lesson setting: logins offered in clear, next to STLS.
      {"plaintext allowed", plaintext_allowed_config(),
       "+OK Capability list follows\r\nTOP\r\nUIDL\r\nUSER\r\nSASL PLAIN\r\nSTLS\r\n"
       "PIPELINING\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nIMPLEMENTATION MailScope\r\n.\r\n"},
      // SASL withheld: USER only.
      {"no sasl", no_sasl,
       "+OK Capability list follows\r\nTOP\r\nUIDL\r\nUSER\r\nPIPELINING\r\nRESP-CODES\r\n"
       "AUTH-RESP-CODE\r\nIMPLEMENTATION MailScope\r\n.\r\n"},
  };
  for (const Case& c : cases) {
    ServerHarness h(c.config);
    EXPECT_EQ(h.send("CAPA\r\n"), c.expected) << c.name;
    const auto sent = h.last.all<ResponseSent>();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_TRUE(sent[0].multi_line);
    EXPECT_EQ(sent[0].body_bytes, c.expected.size() - 29) << c.name;  // after the status line
  }
}

TEST(ServerAuthorization, CapaAfterLoginListsWhatIsLeft) {
  ServerHarness h;
  h.login();
  EXPECT_EQ(h.send("capa\r\n"),
            "+OK Capability list follows\r\nTOP\r\nUIDL\r\nPIPELINING\r\nRESP-CODES\r\n"
            "AUTH-RESP-CODE\r\nIMPLEMENTATION MailScope\r\n.\r\n");
  EXPECT_EQ(h.send("CAPA x\r\n"), "-ERR CAPA takes no arguments\r\n");
}

TEST(ServerAuthorization, PasswordsAreRefusedBeforeStls) {
  ServerHarness h(plain_config());
  EXPECT_EQ(h.send("USER alice\r\n"), kPlaintextRefused);
  EXPECT_EQ(h.send("PASS s3cret\r\n"), kPlaintextRefused);
  EXPECT_EQ(h.send("AUTH PLAIN AGFsaWNlAHMzY3JldA==\r\n"), kPlaintextRefused);
  EXPECT_EQ(h.auth.calls, 0);  // the password was never even checked
  EXPECT_EQ(h.session.state(), ServerState::Authorization);
}

TEST(ServerAuthorization, StlsThenLogin) {
  ServerHarness h(plain_config());
  EXPECT_EQ(h.send("STLS\r\n"), "+OK Begin TLS negotiation\r\n");
  ASSERT_EQ(h.last.all<StartTls>().size(), 1u);
  EXPECT_EQ(h.session.state(), ServerState::TlsHandshake);
  EXPECT_EQ(h.tls_established(), "");
  EXPECT_TRUE(h.session.tls_active());
  EXPECT_EQ(h.session.state(), ServerState::Authorization);
  EXPECT_EQ(h.send("CAPA\r\n"), kCapaTls);
  EXPECT_EQ(h.send("USER alice\r\n"), "+OK send PASS\r\n");
  EXPECT_EQ(h.send("PASS s3cret\r\n"), kLoggedIn);
  EXPECT_EQ(h.session.state(), ServerState::Transaction);
  EXPECT_EQ(h.session.user(), "alice");
  EXPECT_TRUE(h.session.holds_lock());
  EXPECT_TRUE(h.store.maildrop_locked("alice"));
}

TEST(ServerAuthorization, CommandsPipelinedAfterStlsAreDiscarded) {
  ServerHarness h(plain_config());
  // A man in the middle appends commands to the client's STLS; they arrive in clear.
  EXPECT_EQ(h.send("STLS\r\nUSER alice\r\nPASS s3cret\r\n"), "+OK Begin TLS negotiation\r\n");
  ASSERT_EQ(h.last.all<ProtocolViolation>().size(), 1u);
  EXPECT_EQ(h.last.all<ProtocolViolation>()[0].what,
            "discarded 25 bytes pipelined after STLS (they were sent before TLS)");
  // More clear bytes before the handshake completes are discarded too.
  EXPECT_EQ(h.send("QUIT\r\n"), "");
  EXPECT_EQ(h.last.all<ProtocolViolation>().size(), 1u);
  h.tls_established();
  EXPECT_EQ(h.auth.calls, 0);
  EXPECT_FALSE(h.session.closed());
  // Nothing of it was kept: PASS now has no USER.
  EXPECT_EQ(h.send("PASS s3cret\r\n"), "-ERR send USER first\r\n");
}

TEST(ServerAuthorization, UserGivenBeforeTlsIsForgotten) {
  ServerHarness h(plaintext_allowed_config());
  EXPECT_EQ(h.send("USER alice\r\n"), "+OK send PASS\r\n");
  h.send("STLS\r\n");
  h.tls_established();
  EXPECT_EQ(h.send("PASS s3cret\r\n"), "-ERR send USER first\r\n");
}

TEST(ServerAuthorization, StlsRefusals) {
  struct Case {
    const char* name;
    Pop3ServerConfig config;
    const char* command;
    const char* expected;
  };
  Pop3ServerConfig none = plain_config();
  none.tls = TlsAvailability::None;
  Pop3ServerConfig failing = plain_config();
  failing.tls = TlsAvailability::Failing;
  const std::vector<Case> cases = {
      {"already tls", pop3s_config(), "STLS\r\n", "-ERR command not permitted when TLS active\r\n"},
      {"no certificate", none, "STLS\r\n", "-ERR STLS not available\r\n"},
      {"broken certificate", failing, "STLS\r\n",
       "-ERR [SYS/TEMP] TLS not available due to local problem\r\n"},
      {"argument", plain_config(), "STLS now\r\n", "-ERR STLS takes no arguments\r\n"},
  };
  for (const Case& c : cases) {
    ServerHarness h(c.config);
    EXPECT_EQ(h.send(c.command), c.expected) << c.name;
    EXPECT_TRUE(h.last.all<StartTls>().empty()) << c.name;
    EXPECT_EQ(h.session.state(), ServerState::Authorization) << c.name;
  }
  ServerHarness h;
  h.login();
  EXPECT_EQ(h.send("STLS\r\n"), "-ERR STLS not allowed in TRANSACTION state\r\n");
}

TEST(ServerAuthorization, UserAndPassSyntax) {
  ServerHarness h;
  EXPECT_EQ(h.send("PASS s3cret\r\n"), "-ERR send USER first\r\n");
  EXPECT_EQ(h.send("USER\r\n"), "-ERR missing user name\r\n");
  EXPECT_EQ(h.send("USER a b\r\n"), "-ERR too many arguments\r\n");
  EXPECT_EQ(h.send("USER alice\r\n"), "+OK send PASS\r\n");
  EXPECT_EQ(h.send("PASS\r\n"), "-ERR missing password\r\n");
  // The user name survives a bad PASS line; a second USER replaces it.
  EXPECT_EQ(h.send("USER bob\r\n"), "+OK send PASS\r\n");
  EXPECT_EQ(h.send("PASS hunter2\r\n"), "+OK bob's maildrop has 0 messages (0 octets)\r\n");
}

TEST(ServerAuthorization, PassLineIsSecretAndKeepsItsSpaces) {
  ServerHarness h;
  h.auth.passwords["alice"] = "correct horse battery";
  h.send("USER alice\r\n");
  EXPECT_EQ(h.last.all<CommandReceived>()[0].sensitivity, Sensitivity::Plain);
  EXPECT_EQ(h.send("PASS correct horse battery\r\n"), kLoggedIn);
  const auto received = h.last.all<CommandReceived>();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].line, "PASS correct horse battery");
  EXPECT_EQ(received[0].sensitivity, Sensitivity::Secret);
}

TEST(ServerAuthorization, FailedLoginsAreDelayedMoreEachTime) {
  ServerHarness h;
  const std::vector<TimeNs> expected_delays = {1 * kSecond, 2 * kSecond,  4 * kSecond,
                                               8 * kSecond, 16 * kSecond, 16 * kSecond};
  for (TimeNs delay : expected_delays) {
    h.send("USER alice\r\n");
    EXPECT_EQ(h.send("PASS wrong\r\n"), kAuthFailed);
    const auto sends = h.last.all<Send>();
    ASSERT_EQ(sends.size(), 1u);
    EXPECT_EQ(sends[0].delay_ns, delay);
    // A failed login forgets the user: PASS again needs USER again.
    EXPECT_EQ(h.session.state(), ServerState::Authorization);
  }
  EXPECT_EQ(h.send("PASS s3cret\r\n"), "-ERR send USER first\r\n");
  EXPECT_FALSE(h.store.maildrop_locked("alice"));
}

TEST(ServerAuthorization, UnknownUserLooksLikeAWrongPassword) {
  ServerHarness h;
  // Telling "no such user" apart from "wrong password" would let anyone probe for names.
  EXPECT_EQ(h.send("USER mallory\r\n"), "+OK send PASS\r\n");
  EXPECT_EQ(h.send("PASS guess\r\n"), kAuthFailed);
}

TEST(ServerAuthorization, TemporaryFailureAndMissingMaildrop) {
  ServerHarness h;
  h.auth.temporary = true;
  h.send("USER alice\r\n");
  EXPECT_EQ(h.send("PASS s3cret\r\n"),
            "-ERR [SYS/TEMP] authentication temporarily unavailable\r\n");
  h.auth.temporary = false;
  // The password table knows carol, the store does not.
  h.auth.passwords["carol"] = "pw";
  h.send("USER carol\r\n");
  EXPECT_EQ(h.send("PASS pw\r\n"), "-ERR [SYS/PERM] no maildrop for this user\r\n");
  EXPECT_EQ(h.session.state(), ServerState::Authorization);
}

TEST(ServerAuthorization, AuthPlain) {
  struct Case {
    const char* name;
    std::vector<std::string> lines;  // sent one per call
    std::vector<std::string> replies;
    ServerState state;
  };
  const std::vector<Case> cases = {
      // Initial response with the command.
      {"initial response",
       {"AUTH PLAIN AGFsaWNlAHMzY3JldA==\r\n"},
       {kLoggedIn},
       ServerState::Transaction},
      // The mechanism name is case-insensitive.
      {"lower case",
       {"auth plain AGFsaWNlAHMzY3JldA==\r\n"},
       {kLoggedIn},
       ServerState::Transaction},
      // No initial response: an empty continuation, then the response.
      {"continuation",
       {"AUTH PLAIN\r\n", "AGFsaWNlAHMzY3JldA==\r\n"},
       {"+ \r\n", kLoggedIn},
       ServerState::Transaction},
      // "*" cancels the exchange.
      {"cancel",
       {"AUTH PLAIN\r\n", "*\r\n"},
       {"+ \r\n", "-ERR authentication cancelled\r\n"},
       ServerState::Authorization},
      {"bad base64",
       {"AUTH PLAIN !!!!\r\n"},
       {"-ERR invalid base64 in SASL response\r\n"},
       ServerState::Authorization},
      // Only one NUL, or three: not a PLAIN message.
      {"one nul",
       {"AUTH PLAIN YWxpY2UAczNjcmV0\r\n"},
       {"-ERR invalid PLAIN response\r\n"},
       ServerState::Authorization},
      {"three nuls",
       {"AUTH PLAIN AGFsaWNlAHMzY3JldAB4\r\n"},
       {"-ERR invalid PLAIN response\r\n"},
       ServerState::Authorization},
      // "=" is an empty response: not a PLAIN message either.
      {"empty",
       {"AUTH PLAIN =\r\n"},
       {"-ERR invalid PLAIN response\r\n"},
       ServerState::Authorization},
      // bob asking to act as alice with alice's password: refused like a wrong password.
      {"other authzid",
       {"AUTH PLAIN Ym9iAGFsaWNlAHMzY3JldA==\r\n"},
       {kAuthFailed},
       ServerState::Authorization},
      {"wrong password",
       {"AUTH PLAIN AGFsaWNlAHdyb25n\r\n"},
       {kAuthFailed},
       ServerState::Authorization},
      {"no mechanism",
       {"AUTH\r\n"},
       {"-ERR missing authentication mechanism\r\n"},
       ServerState::Authorization},
      {"other mechanism",
       {"AUTH CRAM-MD5\r\n"},
       {"-ERR unsupported authentication mechanism\r\n"},
       ServerState::Authorization},
      {"extra argument",
       {"AUTH PLAIN a b\r\n"},
       {"-ERR too many arguments\r\n"},
       ServerState::Authorization},
  };
  for (const Case& c : cases) {
    ServerHarness h;
    ASSERT_EQ(c.lines.size(), c.replies.size());
    for (std::size_t i = 0; i < c.lines.size(); ++i) {
      EXPECT_EQ(h.send(c.lines[i]), c.replies[i]) << c.name;
    }
    EXPECT_EQ(h.session.state(), c.state) << c.name;
  }
}

TEST(ServerAuthorization, SaslLinesWithCredentialsAreSecret) {
  ServerHarness h;
  h.send("AUTH PLAIN\r\n");
  EXPECT_EQ(h.last.all<CommandReceived>()[0].sensitivity, Sensitivity::Plain);
  h.send("AGFsaWNlAHMzY3JldA==\r\n");
  EXPECT_EQ(h.last.all<CommandReceived>()[0].sensitivity, Sensitivity::Secret);
  ServerHarness g;
  g.send("AUTH PLAIN AGFsaWNlAHMzY3JldA==\r\n");
  EXPECT_EQ(g.last.all<CommandReceived>()[0].sensitivity, Sensitivity::Secret);
}

TEST(ServerAuthorization, SaslWithheldIsUnsupported) {
  Pop3ServerConfig config = plaintext_allowed_config();
  config.sasl_plain = SaslPlain::Withhold;
  ServerHarness h(config);
  EXPECT_EQ(h.send("AUTH PLAIN AGFsaWNlAHMzY3JldA==\r\n"),
            "-ERR unsupported authentication mechanism\r\n");
}

TEST(ServerAuthorization, SecondSessionFindsTheMaildropLocked) {
  ServerHarness first;
  first.login();
  ServerHarness second(plaintext_allowed_config(), &first.store);
  second.send("USER alice\r\n");
  EXPECT_EQ(second.send("PASS s3cret\r\n"), "-ERR [IN-USE] maildrop already locked\r\n");
  EXPECT_EQ(second.session.state(), ServerState::Authorization);
  EXPECT_FALSE(second.session.holds_lock());
  // Another user's maildrop is free.
  second.send("USER bob\r\n");
  EXPECT_EQ(second.send("PASS hunter2\r\n"), "+OK bob's maildrop has 0 messages (0 octets)\r\n");
  // Once the first session quits, alice can log in from a third.
  first.send("QUIT\r\n");
  EXPECT_FALSE(first.store.maildrop_locked("alice"));
  ServerHarness third(plaintext_allowed_config(), &first.store);
  third.login();
}

TEST(ServerAuthorization, LockGoesWithTheSession) {
  auto store = make_store();
  {
    ServerHarness h(plaintext_allowed_config(), store.get());
    h.login();
    EXPECT_TRUE(store->maildrop_locked("alice"));
  }
  // A session destroyed without QUIT (a crashed server process) leaves no lock behind.
  EXPECT_FALSE(store->maildrop_locked("alice"));
}

TEST(ServerAuthorization, ImplicitTlsAcceptsLoginsAtOnce) {
  ServerHarness h(pop3s_config());
  EXPECT_TRUE(h.session.tls_active());
  EXPECT_EQ(h.send("USER alice\r\n"), "+OK send PASS\r\n");
  EXPECT_EQ(h.send("PASS s3cret\r\n"), kLoggedIn);
}

TEST(ServerAuthorization, OtherCommands) {
  ServerHarness h;
  EXPECT_EQ(h.send("APOP alice c4c9334bac560ecc979e58001b3e22fb\r\n"),
            "-ERR APOP not supported\r\n");
  EXPECT_EQ(h.send("STAT\r\n"), "-ERR STAT not allowed in AUTHORIZATION state\r\n");
  EXPECT_EQ(h.send("NOOP\r\n"), "-ERR NOOP not allowed in AUTHORIZATION state\r\n");
  EXPECT_EQ(h.send("RETR 1\r\n"), "-ERR RETR not allowed in AUTHORIZATION state\r\n");
  EXPECT_EQ(h.send("HELO x\r\n"), "-ERR unknown command\r\n");
  EXPECT_EQ(h.send("\r\n"), "-ERR unknown command\r\n");
  EXPECT_EQ(h.send("QUIT now\r\n"), "-ERR QUIT takes no arguments\r\n");
  EXPECT_EQ(h.session.errors(), 7u);
  EXPECT_EQ(h.send("QUIT\r\n"), "+OK pop.example.com POP3 server signing off\r\n");
  EXPECT_TRUE(h.last.closes());
  EXPECT_TRUE(h.session.closed());
  EXPECT_EQ(h.session.deadline(), kTimeNever);
  EXPECT_EQ(h.send("NOOP\r\n"), "");  // nothing after the end
}

TEST(ServerAuthorization, TalkingBeforeTheGreetingGetsTheGreetingFirst) {
  auto store = make_store();
  FakeAuth auth;
  Pop3ServerSession session(plaintext_allowed_config(), *store, auth, 0);
  const Pop3Output out = session.on_bytes(0, "CAPA\r\n");
  EXPECT_EQ(out.sent_bytes().substr(0, kGreeting.size()), kGreeting);
  EXPECT_EQ(out.sent_bytes().substr(kGreeting.size(), 29), "+OK Capability list follows\r\n");
}

}  // namespace
}  // namespace mailscope::pop3::testing
