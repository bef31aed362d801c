// The server session outside the selected state: greeting, capabilities, STARTTLS, LOGIN and
// AUTHENTICATE, state errors, limits and the autologout timer. Exact bytes in, exact bytes out.

#include <gtest/gtest.h>

#include "imap/imap_test_util.h"

namespace mailscope::imap::testing {
namespace {

const std::string kCaps =
    "IMAP4rev1 SASL-IR LITERAL- ENABLE IDLE UNSELECT UIDPLUS MOVE CHILDREN SPECIAL-USE";

TEST(ServerSession, GreetingDependsOnTheRole) {
  ServerHarness implicit(implicit_tls_config());
  EXPECT_EQ(implicit.greeting, "* OK [CAPABILITY " + kCaps +
                                   " AUTH=PLAIN] imap.example.com MailScope IMAP4rev1 ready\r\n");
  EXPECT_TRUE(implicit.session.tls_active());
  ServerHarness plain(starttls_config());
  EXPECT_EQ(plain.greeting, "* OK [CAPABILITY " + kCaps +
                                " STARTTLS LOGINDISABLED] imap.example.com MailScope IMAP4rev1 "
                                "ready\r\n");
  EXPECT_EQ(plain.session.state(), ServerState::NotAuthenticated);
}

TEST(ServerSession, AnyStateCommands) {
  ServerHarness h;
  EXPECT_EQ(h.send("a CAPABILITY\r\n"),
            "* CAPABILITY " + kCaps + " AUTH=PLAIN\r\na OK CAPABILITY completed\r\n");
  EXPECT_EQ(h.send("b NOOP\r\n"), "b OK NOOP completed\r\n");
  EXPECT_EQ(h.send("c LOGOUT\r\n"), "* BYE Logging out\r\nc OK LOGOUT completed\r\n");
  EXPECT_TRUE(h.last.closes());
  EXPECT_TRUE(h.session.closed());
  EXPECT_EQ(h.send("d NOOP\r\n"), "");  // nothing after LOGOUT
}

TEST(ServerSession, LoginIsDisabledBeforeStartTls) {
  ServerHarness h(starttls_config());
  EXPECT_EQ(h.send("a LOGIN alice s3cret\r\n"),
            "* OK [ALERT] Plaintext authentication is disabled; use STARTTLS first\r\n"
            "a NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure "
            "connections\r\n");
  EXPECT_EQ(h.send("b AUTHENTICATE PLAIN AGFsaWNlAHMzY3JldA==\r\n"),
            "b NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure "
            "connections\r\n");
  EXPECT_EQ(h.policy.calls, 0);  // the password never reached the policy
}

TEST(ServerSession, PlaintextLoginWhenTheConfigAllowsIt) {
  ImapServerConfig config = starttls_config();
  config.allow_plaintext_auth = true;
  ServerHarness h(config);
  EXPECT_NE(h.greeting.find("STARTTLS AUTH=PLAIN]"), std::string::npos);
  EXPECT_EQ(h.login(), "L1 OK [CAPABILITY " + kCaps + "] Logged in\r\n");
}

TEST(ServerSession, StartTlsDiscardsPipelinedPlaintext) {
  ServerHarness h(starttls_config());
  // An attacker in the path appends a command to the client's STARTTLS (CVE-2011-0411 style).
  EXPECT_EQ(h.send("a STARTTLS\r\nx LOGIN alice s3cret\r\n"), "a OK Begin TLS negotiation now\r\n");
  EXPECT_EQ(h.last.all<StartTls>().size(), 1u);
  EXPECT_EQ(h.last.all<ProtocolViolation>().size(), 1u);
  EXPECT_EQ(h.session.state(), ServerState::TlsHandshake);
  EXPECT_EQ(h.send("y NOOP\r\n"), "");  // still in the handshake: ignored
  EXPECT_EQ(h.tls_established(), "");   // no second greeting (RFC 3501 6.2.1)
  EXPECT_TRUE(h.session.tls_active());
  EXPECT_EQ(h.send("b CAPABILITY\r\n"),
            "* CAPABILITY " + kCaps + " AUTH=PLAIN\r\nb OK CAPABILITY completed\r\n");
  EXPECT_EQ(h.policy.calls, 0);
  EXPECT_EQ(h.login(), "L1 OK [CAPABILITY " + kCaps + "] Logged in\r\n");
  EXPECT_EQ(h.send("c STARTTLS\r\n"), "c BAD Already authenticated\r\n");
}

TEST(ServerSession, StartTlsRefusals) {
  ServerHarness implicit;
  EXPECT_EQ(implicit.send("a STARTTLS\r\n"), "a BAD TLS is already active\r\n");
  ImapServerConfig config = starttls_config();
  config.tls = TlsAvailability::None;
  ServerHarness no_cert(config);
  EXPECT_EQ(no_cert.greeting.find("STARTTLS"), std::string::npos);
  EXPECT_EQ(no_cert.send("a STARTTLS\r\n"), "a BAD STARTTLS is not available\r\n");
}

TEST(ServerSession, FailedLoginsAreDelayedMoreEachTime) {
  ServerHarness h;
  const std::string no = "NO [AUTHENTICATIONFAILED] Authentication failed\r\n";
  const TimeNs expected_delays[] = {1 * kSecond, 2 * kSecond, 4 * kSecond, 8 * kSecond};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(h.send("a LOGIN alice wrong\r\n"), "a " + no);
    const auto sends = h.last.all<Send>();
    ASSERT_EQ(sends.size(), 1u);
    EXPECT_EQ(sends[0].delay_ns, expected_delays[i]);
  }
  // The fifth failure ends the session.
  EXPECT_EQ(h.send("a LOGIN alice wrong\r\n"),
            "a " + no + "* BYE Too many authentication failures\r\n");
  EXPECT_EQ(h.last.all<Send>()[0].delay_ns, 16 * kSecond);
  EXPECT_TRUE(h.last.closes());
}

TEST(ServerSession, LoginOutcomes) {
  struct Case {
    std::string command;
    std::string reply;
  };
  const Case cases[] = {
      // Unknown user: same answer as a wrong password.
      {"a LOGIN mallory x\r\n", "a NO [AUTHENTICATIONFAILED] Authentication failed\r\n"},
      // Empty password: refused without asking the policy.
      {"a LOGIN alice \"\"\r\n", "a NO [AUTHENTICATIONFAILED] Authentication failed\r\n"},
      // Password as a literal.
      {"a LOGIN alice {6+}\r\ns3cret\r\n", "a OK [CAPABILITY " + kCaps + "] Logged in\r\n"},
  };
  for (const Case& c : cases) {
    ServerHarness h;
    EXPECT_EQ(h.send(c.command), c.reply) << c.command;
  }
  ServerHarness h;
  h.policy.temporary = true;
  EXPECT_EQ(h.send("a LOGIN alice s3cret\r\n"),
            "a NO [UNAVAILABLE] Temporary authentication failure\r\n");
}

TEST(ServerSession, LoginIsMaskedInTheTrace) {
  ServerHarness h;
  h.send("a LOGIN alice s3cret\r\n");
  const auto received = h.last.all<CommandReceived>();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].text, "a LOGIN alice s3cret");
  EXPECT_EQ(received[0].sensitivity, Sensitivity::Secret);
  h.send("b NOOP\r\n");
  EXPECT_EQ(h.last.all<CommandReceived>()[0].sensitivity, Sensitivity::Plain);
}

TEST(ServerSession, AuthenticatePlain) {
  // With the initial response on the command line (SASL-IR).
  ServerHarness ir;
  EXPECT_EQ(ir.send("a AUTHENTICATE PLAIN AGFsaWNlAHMzY3JldA==\r\n"),
            "a OK [CAPABILITY " + kCaps + "] Logged in\r\n");
  EXPECT_EQ(ir.session.user(), "alice");

  // With a continuation; the response line is a secret too.
  ServerHarness h;
  EXPECT_EQ(h.send("b AUTHENTICATE PLAIN\r\n"), "+ \r\n");
  EXPECT_EQ(h.session.state(), ServerState::Authenticating);
  EXPECT_EQ(h.send("AGFsaWNlAHMzY3JldA==\r\n"), "b OK [CAPABILITY " + kCaps + "] Logged in\r\n");
  EXPECT_EQ(h.last.all<CommandReceived>()[0].sensitivity, Sensitivity::Secret);
  EXPECT_EQ(h.session.state(), ServerState::Authenticated);

  struct Case {
    std::string response;
    std::string reply;
  };
  const Case cases[] = {
      {"*\r\n", "c BAD Authentication cancelled\r\n"},       // the client gave up
      {"!!!\r\n", "c BAD Invalid base64 data\r\n"},          // not base64
      {"YWxpY2U=\r\n", "c BAD Invalid PLAIN response\r\n"},  // "alice": no NULs
      {"AGFsaWNlAHdyb25n\r\n",                               // wrong password
       "c NO [AUTHENTICATIONFAILED] Authentication failed\r\n"},
      {"Ym9iAGFsaWNlAHMzY3JldA==\r\n",  // authzid bob for alice
       "c NO [AUTHENTICATIONFAILED] Authentication failed\r\n"},
  };
  for (const Case& c : cases) {
    ServerHarness s;
    s.send("c AUTHENTICATE PLAIN\r\n");
    EXPECT_EQ(s.send(c.response), c.reply) << c.response;
    EXPECT_EQ(s.session.state(), ServerState::NotAuthenticated) << c.response;
  }
  ServerHarness other;
  EXPECT_EQ(other.send("d AUTHENTICATE CRAM-MD5\r\n"),
            "d NO Unsupported authentication mechanism\r\n");
}

TEST(ServerSession, CommandsInTheWrongState) {
  ServerHarness h;
  EXPECT_EQ(h.send("a SELECT INBOX\r\n"), "a BAD Please authenticate first\r\n");
  EXPECT_EQ(h.send("b FETCH 1 FLAGS\r\n"), "b BAD Please authenticate first\r\n");
  h.login();
  EXPECT_EQ(h.send("c FETCH 1 FLAGS\r\n"), "c BAD No mailbox selected\r\n");
  EXPECT_EQ(h.send("d LOGIN alice s3cret\r\n"), "d BAD Already authenticated\r\n");
  EXPECT_EQ(h.send("e CLOSE\r\n"), "e BAD No mailbox selected\r\n");
}

TEST(ServerSession, SyntaxErrors) {
  ServerHarness h;
  const std::pair<std::string, std::string> cases[] = {
      {"a FROB\r\n", "a BAD Error in IMAP command: unknown command FROB\r\n"},
      {"\r\n", "* BAD Error in IMAP command: missing tag\r\n"},
      {"a LOGIN alice\r\n", "a BAD Error in IMAP command: expected a space\r\n"},
      {"(x NOOP\r\n", "* BAD Error in IMAP command: missing tag\r\n"},
  };
  for (const auto& [command, reply] : cases) {
    EXPECT_EQ(h.send(command), reply) << command;
  }
}

TEST(ServerSession, TooManyBadCommandsEndTheSession) {
  ImapServerConfig config = implicit_tls_config();
  config.bad_commands_max = 3;
  ServerHarness h(config);
  h.send("a FROB\r\n");
  h.send("b FROB\r\n");
  EXPECT_EQ(h.send("c FROB\r\n"),
            "c BAD Error in IMAP command: unknown command FROB\r\n"
            "* BYE Too many invalid commands\r\n");
  EXPECT_TRUE(h.last.closes());
}

TEST(ServerSession, LongLinesUpTo8192OctetsAreAccepted) {
  ServerHarness h;
  h.login();
  h.select();
  // "T SEARCH SUBJECT " + x... : exactly 8192 octets before the CRLF.
  std::string line = "T SEARCH SUBJECT ";
  line += std::string(8192 - line.size(), 'x');
  EXPECT_EQ(h.send(line + "\r\n"), "* SEARCH\r\nT OK SEARCH completed\r\n");
  // One more octet: BAD with the tag, and the stream is in sync at the next line.
  EXPECT_EQ(h.send(line + "x\r\nU NOOP\r\n"),
            "T BAD Command line too long\r\nU OK NOOP completed\r\n");
  // The same, arriving a byte at a time.
  EXPECT_EQ(h.send_bytewise(line + "x\r\nU NOOP\r\n"),
            "T BAD Command line too long\r\nU OK NOOP completed\r\n");
}

TEST(ServerSession, AutologoutAfterThirtyMinutes) {
  ServerHarness h;
  h.login();
  EXPECT_EQ(h.session.deadline(), h.now + 30 * kMinute);
  EXPECT_TRUE(h.session.on_timeout(h.now + 29 * kMinute).actions.empty());  // too early
  const ImapOutput out = h.session.on_timeout(h.now + 30 * kMinute);
  EXPECT_EQ(out.sent_bytes(), "* BYE Autologout; idle for too long\r\n");
  EXPECT_TRUE(out.closes());
  EXPECT_EQ(h.session.deadline(), kTimeNever);
}

TEST(ServerSession, StateChangesAreReported) {
  ServerHarness h;
  h.login();
  const auto changes = h.last.all<StateChanged>();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].from, "NOT-AUTHENTICATED");
  EXPECT_EQ(changes[0].to, "AUTHENTICATED");
  h.select();
  EXPECT_EQ(h.last.all<StateChanged>()[0].to, "SELECTED");
}

TEST(ServerSession, ByteAtATimeGivesTheSameReplies) {
  const std::string script =
      "a LOGIN alice {6}\r\ns3cret\r\n"
      "b SELECT INBOX\r\n"
      "c UID FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])\r\n"
      "d APPEND INBOX {5+}\r\nhello\r\n"
      "e LOGOUT\r\n";
  ServerHarness whole, bytewise;
  // Whole: one send per command (the sync literal waits for "+" as a client would).
  std::string whole_replies = whole.send("a LOGIN alice {6}\r\n");
  std::string_view rest =
      std::string_view(script).substr(std::string_view("a LOGIN alice {6}\r\n").size());
  whole_replies += whole.send(rest);
  EXPECT_EQ(bytewise.send_bytewise(script), whole_replies);
  EXPECT_NE(whole_replies.find("+ Ready for literal data\r\na OK"), std::string::npos);
  EXPECT_NE(whole_replies.find("e OK LOGOUT completed\r\n"), std::string::npos);
}

}  // namespace
}  // namespace mailscope::imap::testing
