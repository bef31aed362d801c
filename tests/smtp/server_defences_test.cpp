// The server's defences: each sends hostile bytes and checks the exact reply, that the session
// stays in step (or closes) and that nothing was stored when nothing may be.

#include <gtest/gtest.h>

#include "smtp/smtp_test_util.h"

namespace mailscope::smtp::testing {
namespace {

const std::string kEhlo = "EHLO client.example.org\r\n";
const std::string kMail = "MAIL FROM:<alice@example.org>\r\n";
const std::string kRcpt = "RCPT TO:<bob@example.com>\r\n";
const std::string kSync = "554 5.5.0 Error: SMTP protocol synchronization\r\n";

// A harness already inside DATA.
ServerHarness in_data(const SmtpServerConfig& config = relay_config()) {
  ServerHarness h(config);
  h.send(kEhlo);
  h.send(kMail);
  h.send(kRcpt);
  EXPECT_EQ(h.send("DATA\r\n"), "354 End data with <CR><LF>.<CR><LF>\r\n");
  return h;
}

TEST(ServerDefences, ClientTalkingBeforeTheGreetingIsCutOff) {
  SmtpServerConfig config = relay_config();
  config.greeting_delay_ns = 3 * kSecond;
  FakePolicy policy;
  SmtpServerSession session(config, policy, 0);
  EXPECT_TRUE(session.start(0).actions.empty());
  EXPECT_EQ(session.deadline(), 3 * kSecond);
  const SmtpOutput out = session.on_bytes(kSecond, "EHLO bot\r\n");
  EXPECT_EQ(out.sent_bytes(), kSync);
  EXPECT_TRUE(out.closes());
  EXPECT_EQ(out.all<ProtocolViolation>().size(), 1u);
}

TEST(ServerDefences, DelayedGreetingComesAtTheDeadline) {
  SmtpServerConfig config = relay_config();
  config.greeting_delay_ns = 3 * kSecond;
  FakePolicy policy;
  SmtpServerSession session(config, policy, 0);
  session.start(0);
  EXPECT_TRUE(session.on_timeout(2 * kSecond).actions.empty());  // too early: nothing
  EXPECT_EQ(session.on_timeout(3 * kSecond).sent_bytes(), "220 mx.example.com ESMTP MailScope\r\n");
  EXPECT_EQ(session.on_bytes(4 * kSecond, "NOOP\r\n").sent_bytes(), "250 2.0.0 Ok\r\n");
}

TEST(ServerDefences, PipeliningWhenOfferedIsServed) {
  ServerHarness h;
  h.send(kEhlo);
  EXPECT_EQ(
      h.send(kMail + kRcpt + "RCPT TO:<carol@example.com>\r\nDATA\r\n"),
      "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n");
  // After the final dot the next transaction may follow in the same write.
  EXPECT_EQ(h.send("Hi\r\n.\r\n" + kMail + "QUIT\r\n"),
            "250 2.0.0 Ok: queued as 1A2B3C\r\n250 2.1.0 Ok\r\n221 2.0.0 Bye\r\n");
  EXPECT_EQ(h.policy.stored.size(), 1u);
}

TEST(ServerDefences, PipeliningAfterHeloIsAViolation) {
  ServerHarness h;
  h.send("HELO client.example.org\r\n");
  EXPECT_FALSE(h.session.pipelining_offered());
  EXPECT_EQ(h.send(kMail + kRcpt), "250 2.1.0 Ok\r\n" + kSync);
  EXPECT_TRUE(h.last.closes());
}

TEST(ServerDefences, PipeliningWhenWithheldIsAViolation) {
  SmtpServerConfig config = relay_config();
  config.pipelining = Pipelining::Withhold;
  ServerHarness h(config);
  EXPECT_EQ(h.send(kEhlo),
            "250-mx.example.com\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n"
            "250-ENHANCEDSTATUSCODES\r\n250 8BITMIME\r\n");
  EXPECT_EQ(h.send(kMail + kRcpt), "250 2.1.0 Ok\r\n" + kSync);
  EXPECT_TRUE(h.session.closed());
}

TEST(ServerDefences, CommandsAfterEhloInTheSameWriteAreAViolation) {
  ServerHarness h;
  // The client could not know PIPELINING before reading the EHLO reply.
  EXPECT_EQ(h.send(kEhlo + kMail), kRelayEhlo + kSync);
}

TEST(ServerDefences, ContentBefore354IsAViolation) {
  ServerHarness h;
  h.send(kEhlo);
  EXPECT_EQ(h.send(kMail + kRcpt + "DATA\r\nHi\r\n.\r\n"),
            "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n" + kSync);
  EXPECT_TRUE(h.policy.stored.empty());
}

TEST(ServerDefences, OverlongCommandLineIsRefusedAndTheSessionStaysInStep) {
  ServerHarness h;
  h.send(kEhlo);
  const std::string fits = "NOOP " + std::string(505, 'x') + "\r\n";  // exactly 512 octets
  ASSERT_EQ(fits.size(), 512u);
  EXPECT_EQ(h.send(fits), "250 2.0.0 Ok\r\n");
  const std::string over = "NOOP " + std::string(506, 'x') + "\r\n";  // 513 octets
  EXPECT_EQ(h.send(over), "500 5.5.2 Error: line too long\r\n");
  // The same line in pieces, the tail carrying what looks like a command: all discarded.
  EXPECT_EQ(h.send("NOOP " + std::string(600, 'y')), "");
  EXPECT_EQ(h.send(std::string(100, 'y') + " MAIL FROM:<evil@example.net>"), "");
  EXPECT_EQ(h.send("\r\n"), "500 5.5.2 Error: line too long\r\n");
  EXPECT_EQ(h.send("NOOP\r\n"), "250 2.0.0 Ok\r\n");
  EXPECT_EQ(h.session.state(), ServerState::Ready);
}

TEST(ServerDefences, AuthLinesMayBeLongerThanCommands) {
  ServerHarness h(smtps_config());
  h.send(kEhlo);
  // RFC 4954 allows 12288 octets; this is long base64 that decodes to an invalid PLAIN message.
  const std::string response(2000, 'A');
  EXPECT_EQ(h.send("AUTH PLAIN " + response + "\r\n"), "501 5.5.2 Invalid PLAIN response\r\n");
}

TEST(ServerDefences, OverlongTextLineIsRefusedAtTheEnd) {
  ServerHarness h = in_data();
  EXPECT_EQ(h.send(std::string(999, 'x') + "\r\n"), "");  // keeps reading
  EXPECT_EQ(h.send("more\r\n.\r\n"),
            "500 5.5.2 Error: message content line longer than 1000 octets\r\n");
  EXPECT_TRUE(h.policy.stored.empty());
  EXPECT_EQ(h.session.state(), ServerState::Ready);
  EXPECT_EQ(h.send("NOOP\r\n"), "250 2.0.0 Ok\r\n");
}

TEST(ServerDefences, SmugglingWithBareLfIsRefused) {
  ServerHarness h = in_data();
  // A receiver that ends data at <LF>.<LF> or <LF>.<CR><LF> would see a second, forged message.
  const std::string smuggled =
      "Subject: hello\r\n\r\nHi\n.\r\nMAIL FROM:<ceo@example.com>\r\nRCPT TO:<bob@example.com>\r\n"
      "DATA\r\nSubject: forged\r\n\r\nPay now\r\n.\r\n";
  EXPECT_EQ(h.send(smuggled), "550 5.5.2 Error: bare <CR> or <LF> received in message content\r\n");
  EXPECT_TRUE(h.policy.stored.empty());
  EXPECT_EQ(h.last.all<ProtocolViolation>().size(), 1u);
  EXPECT_EQ(h.send("NOOP\r\n"), "250 2.0.0 Ok\r\n");
}

TEST(ServerDefences, SmugglingWithBareCrIsRefused) {
  ServerHarness h = in_data();
  EXPECT_EQ(h.send("Hi\r.\r\nstill data\r\n.\r\n"),
            "550 5.5.2 Error: bare <CR> or <LF> received in message content\r\n");
  EXPECT_TRUE(h.policy.stored.empty());
}

TEST(ServerDefences, SizeDeclaredTooBigIsRefusedAtMail) {
  SmtpServerConfig config = relay_config();
  config.size_limit_bytes = 100;
  ServerHarness h(config);
  h.send(kEhlo);
  EXPECT_EQ(h.send("MAIL FROM:<alice@example.org> SIZE=101\r\n"),
            "552 5.3.4 Message size exceeds fixed limit\r\n");
}

TEST(ServerDefences, BodyTooBigIsRefusedAtTheEnd) {
  SmtpServerConfig config = relay_config();
  config.size_limit_bytes = 100;
  ServerHarness h = in_data(config);
  std::string body;
  for (int i = 0; i < 20; ++i)
    body += "0123456789\r\n";  // 240 octets
  EXPECT_EQ(h.send(body), "");
  EXPECT_EQ(h.send(".\r\n"), "552 5.3.4 Error: message file too big\r\n");
  EXPECT_TRUE(h.policy.stored.empty());
}

TEST(ServerDefences, TooManyRecipients) {
  ServerHarness h;
  h.send(kEhlo);
  h.send(kMail);
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(h.send("RCPT TO:<user" + std::to_string(i) + "@example.com>\r\n"),
              "250 2.1.5 Ok\r\n");
  }
  EXPECT_EQ(h.send("RCPT TO:<one-too-many@example.com>\r\n"),
            "452 4.5.3 Error: too many recipients\r\n");
  EXPECT_EQ(h.session.transaction().forward_paths.size(), 100u);
}

TEST(ServerDefences, TooManyErrorsClosesTheSession) {
  SmtpServerConfig config = relay_config();
  config.errors_max = 3;
  ServerHarness h(config);
  EXPECT_EQ(h.send("FOO\r\n"), "500 5.5.2 Error: command not recognized\r\n");
  EXPECT_EQ(h.send("BAR\r\n"), "500 5.5.2 Error: command not recognized\r\n");
  EXPECT_EQ(h.send("BAZ\r\n"),
            "500 5.5.2 Error: command not recognized\r\n"
            "421 4.7.0 mx.example.com Error: too many errors\r\n");
  EXPECT_TRUE(h.last.closes());
  EXPECT_EQ(h.session.errors(), 3u);
}

TEST(ServerDefences, IdleClientTimesOut) {
  ServerHarness h;
  h.now = 10 * kSecond;
  h.send(kEhlo);
  EXPECT_EQ(h.session.deadline(), 10 * kSecond + 5 * kMinute);  // RFC 5321 §4.5.3.2.7
  EXPECT_TRUE(h.session.on_timeout(10 * kSecond + 4 * kMinute).actions.empty());
  const SmtpOutput out = h.session.on_timeout(h.session.deadline());
  EXPECT_EQ(out.sent_bytes(), "421 4.4.2 mx.example.com Error: timeout exceeded\r\n");
  EXPECT_TRUE(out.closes());
  EXPECT_EQ(h.session.deadline(), kTimeNever);
}

TEST(ServerDefences, ClientStalledInDataTimesOut) {
  ServerHarness h = in_data();
  h.send("half a mess");
  const SmtpOutput out = h.session.on_timeout(h.session.deadline());
  EXPECT_EQ(out.sent_bytes(), "421 4.4.2 mx.example.com Error: timeout exceeded\r\n");
  EXPECT_TRUE(h.policy.stored.empty());
}

TEST(ServerDefences, StartTlsDiscardsPlaintextInjectedBeforeTheHandshake) {
  ServerHarness h;
  h.send(kEhlo);
  // CVE-2011-0411: a man in the middle appends commands after STARTTLS in the same packet;
  // an unwary server would run them as if they came through TLS.
  EXPECT_EQ(h.send("STARTTLS\r\nMAIL FROM:<evil@example.net>\r\n"),
            "220 2.0.0 Ready to start TLS\r\n");
  EXPECT_EQ(h.last.all<StartTls>().size(), 1u);
  EXPECT_EQ(h.last.all<ProtocolViolation>().size(), 1u);
  EXPECT_EQ(h.session.state(), ServerState::TlsHandshake);
  EXPECT_EQ(h.send("RCPT TO:<victim@example.com>\r\n"), "");  // still before the handshake
  EXPECT_EQ(h.tls_established(), "");
  // Back to the state before EHLO: nothing learnt in clear survives.
  EXPECT_EQ(h.session.state(), ServerState::AwaitHelo);
  EXPECT_TRUE(h.session.session().tls_active);
  EXPECT_EQ(h.session.session().helo_name, "");
  EXPECT_EQ(h.send(kMail), "503 5.5.1 Error: send HELO/EHLO first\r\n");
  EXPECT_EQ(h.send(kEhlo),
            "250-mx.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n"
            "250-ENHANCEDSTATUSCODES\r\n250 8BITMIME\r\n");
  EXPECT_EQ(h.send("STARTTLS\r\n"), "554 5.5.1 Error: TLS already active\r\n");
}

TEST(ServerDefences, StalledTlsHandshakeClosesWithoutAReply) {
  ServerHarness h;
  h.send(kEhlo);
  h.send("STARTTLS\r\n");
  const SmtpOutput out = h.session.on_timeout(h.session.deadline());
  EXPECT_EQ(out.sent_bytes(), "");
  EXPECT_TRUE(out.closes());
}

TEST(ServerDefences, FailedAuthGetsAGrowingDelay) {
  ServerHarness h(smtps_config());
  h.send(kEhlo);
  std::vector<TimeNs> delays;
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(h.send("AUTH PLAIN AGFsaWNlAHdyb25n\r\n"),
              "535 5.7.8 Authentication credentials invalid\r\n");
    const auto sends = h.last.all<Send>();
    ASSERT_EQ(sends.size(), 1u);
    delays.push_back(sends[0].delay_ns);
  }
  EXPECT_EQ(delays, (std::vector<TimeNs>{1 * kSecond, 2 * kSecond, 4 * kSecond, 8 * kSecond,
                                         16 * kSecond, 16 * kSecond}));
  // The right password still works afterwards, without a delay.
  EXPECT_EQ(h.send("AUTH PLAIN AGFsaWNlAHMzY3JldA==\r\n"),
            "235 2.7.0 Authentication successful\r\n");
  EXPECT_EQ(h.last.all<Send>()[0].delay_ns, 0);
}

TEST(ServerDefences, AuthLinesAreMarkedSecret) {
  ServerHarness h(smtps_config());
  h.send(kEhlo);
  EXPECT_EQ(h.last.all<CommandReceived>()[0].sensitivity, Sensitivity::Plain);
  h.send("AUTH LOGIN\r\n");
  EXPECT_EQ(h.last.all<CommandReceived>()[0].sensitivity, Sensitivity::Plain);
  h.send("YWxpY2U=\r\n");
  EXPECT_EQ(h.last.all<CommandReceived>()[0].sensitivity, Sensitivity::Secret);
  h.send("czNjcmV0\r\n");
  EXPECT_EQ(h.last.all<CommandReceived>()[0].sensitivity, Sensitivity::Secret);
  ServerHarness g(smtps_config());
  g.send(kEhlo);
  g.send("AUTH PLAIN AGFsaWNlAHMzY3JldA==\r\n");
  const auto received = g.last.all<CommandReceived>();
  ASSERT_EQ(received.size(), 1u);
  // The event keeps the line as sent (the pcap shows it anyway); a view may mask it.
  EXPECT_EQ(received[0].line, "AUTH PLAIN AGFsaWNlAHMzY3JldA==");
  EXPECT_EQ(received[0].sensitivity, Sensitivity::Secret);
  EXPECT_EQ(g.session.session().authenticated_user, "alice");
}

TEST(ServerDefences, AuthCancelReturnsToReady) {
  ServerHarness h(smtps_config());
  h.send(kEhlo);
  h.send("AUTH PLAIN\r\n");
  EXPECT_EQ(h.session.state(), ServerState::Auth);
  EXPECT_EQ(h.send("*\r\n"), "501 5.7.0 Authentication cancelled\r\n");
  EXPECT_EQ(h.session.state(), ServerState::Ready);
  EXPECT_TRUE(h.session.session().authenticated_user.empty());
  EXPECT_EQ(h.send(kMail), "530 5.7.0 Authentication required\r\n");
}

TEST(ServerDefences, SubmissionAfterStartTlsAndAuth) {
  ServerHarness h(submission_config());
  h.send(kEhlo);
  EXPECT_EQ(h.send("STARTTLS\r\n"), "220 2.0.0 Ready to start TLS\r\n");
  h.tls_established();
  EXPECT_EQ(h.send(kEhlo),
            "250-smtp.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n"
            "250-AUTH PLAIN LOGIN\r\n250-ENHANCEDSTATUSCODES\r\n250 8BITMIME\r\n");
  EXPECT_EQ(h.send("AUTH PLAIN AGFsaWNlAHMzY3JldA==\r\n"),
            "235 2.7.0 Authentication successful\r\n");
  EXPECT_EQ(h.send(kMail), "250 2.1.0 Ok\r\n");
}

}  // namespace
}  // namespace mailscope::smtp::testing
