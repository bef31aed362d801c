// The client against scripted server bytes: what it sends, and what it reports.

#include <gtest/gtest.h>

#include "smtp/smtp_test_util.h"

namespace mailscope::smtp::testing {
namespace {

OutgoingMessage message(std::vector<std::string> recipients = {"bob@example.com"}) {
  return OutgoingMessage{"alice@example.org", std::move(recipients),
                         "Subject: hi\r\n\r\nHello\r\n"};
}

SmtpClientConfig plain_client() {
  SmtpClientConfig c;
  c.helo_name = "client.example.org";
  c.starttls = StartTlsPolicy::Never;
  return c;
}

const std::string kEhloPlain = "250-mx.example.com\r\n250-SIZE 1000\r\n250 8BITMIME\r\n";

TEST(ClientSession, OneCommandAtATimeWithoutPipelining) {
  SmtpClientSession c(plain_client(), {message({"bob@example.com", "nobody@example.com"})}, 0);
  c.start(0);
  EXPECT_EQ(c.on_bytes(0, "220 mx.example.com ESMTP\r\n").sent_bytes(),
            "EHLO client.example.org\r\n");
  EXPECT_EQ(c.on_bytes(0, kEhloPlain).sent_bytes(), "MAIL FROM:<alice@example.org> SIZE=22\r\n");
  EXPECT_EQ(c.on_bytes(0, "250 2.1.0 Ok\r\n").sent_bytes(), "RCPT TO:<bob@example.com>\r\n");
  EXPECT_EQ(c.on_bytes(0, "250 2.1.5 Ok\r\n").sent_bytes(), "RCPT TO:<nobody@example.com>\r\n");
  SmtpOutput out = c.on_bytes(0, "550 5.1.1 unknown\r\n");
  EXPECT_EQ(out.sent_bytes(), "DATA\r\n");
  auto rcpt = out.all<RecipientResult>();
  ASSERT_EQ(rcpt.size(), 1u);
  EXPECT_EQ(rcpt[0].recipient, "<nobody@example.com>");
  EXPECT_EQ(rcpt[0].status, RecipientStatus::PermanentFailure);
  EXPECT_EQ(rcpt[0].reply, make_reply(550, "5.1.1", "unknown"));
  EXPECT_EQ(c.on_bytes(0, "354 go ahead\r\n").sent_bytes(), "Subject: hi\r\n\r\nHello\r\n.\r\n");
  EXPECT_TRUE(c.final_dot_unacknowledged());
  out = c.on_bytes(0, "250 2.0.0 queued\r\n");
  EXPECT_EQ(out.sent_bytes(), "QUIT\r\n");
  const auto results = out.all<MessageResult>();
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, MessageStatus::Delivered);
  EXPECT_EQ(out.all<RecipientResult>().size(), 1u);  // bob, confirmed at the final dot
  out = c.on_bytes(0, "221 2.0.0 Bye\r\n");
  EXPECT_TRUE(out.closes());
  const auto finished = out.all<SessionFinished>();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].outcome, SessionOutcome::Completed);
  EXPECT_TRUE(c.finished());
}

TEST(ClientSession, FallsBackToHeloWhenEhloIsRefused) {
  SmtpClientSession c(plain_client(), {message()}, 0);
  c.on_bytes(0, "220 old.example.com SMTP\r\n");
  EXPECT_EQ(c.on_bytes(0, "502 5.5.2 what?\r\n").sent_bytes(), "HELO client.example.org\r\n");
  // No ESMTP: no SIZE parameter, no pipelining.
  EXPECT_EQ(c.on_bytes(0, "250 old.example.com\r\n").sent_bytes(),
            "MAIL FROM:<alice@example.org>\r\n");
}

TEST(ClientSession, RequiredTlsNotOfferedGivesUp) {
  SmtpClientConfig config = plain_client();
  config.starttls = StartTlsPolicy::Required;
  SmtpClientSession c(config, {message(), message()}, 0);
  c.on_bytes(0, "220 mx.example.com ESMTP\r\n");
  const SmtpOutput out = c.on_bytes(0, kEhloPlain);
  EXPECT_EQ(out.sent_bytes(), "QUIT\r\n");
  const auto results = out.all<MessageResult>();
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].status, MessageStatus::TemporaryFailure);
  const SmtpOutput end = c.on_bytes(0, "221 2.0.0 Bye\r\n");
  ASSERT_EQ(end.all<SessionFinished>().size(), 1u);
  EXPECT_EQ(end.all<SessionFinished>()[0].outcome, SessionOutcome::Failed);
}

TEST(ClientSession, OpportunisticTlsUpgradesAndDiscardsInjectedReplies) {
  SmtpClientConfig config = plain_client();
  config.starttls = StartTlsPolicy::Opportunistic;
  SmtpClientSession c(config, {message()}, 0);
  c.on_bytes(0, "220 mx.example.com ESMTP\r\n");
  EXPECT_EQ(c.on_bytes(0, "250-mx.example.com\r\n250 STARTTLS\r\n").sent_bytes(), "STARTTLS\r\n");
  // A reply glued behind the 220 came in clear: it must not be read as a post-TLS reply.
  const SmtpOutput out = c.on_bytes(0, "220 2.0.0 go ahead\r\n250 2.1.0 fake\r\n");
  EXPECT_EQ(out.all<StartTls>().size(), 1u);
  EXPECT_EQ(out.all<ProtocolViolation>().size(), 1u);
  EXPECT_EQ(c.on_tls_established(0).sent_bytes(), "EHLO client.example.org\r\n");
  EXPECT_TRUE(c.tls_active());
}

TEST(ClientSession, ConnectionLostAfterTheFinalDotIsADuplicateRisk) {
  SmtpClientSession c(plain_client(), {message()}, 0);
  c.on_bytes(0, "220 mx ESMTP\r\n");
  c.on_bytes(0, kEhloPlain);
  c.on_bytes(0, "250 2.1.0 Ok\r\n");
  c.on_bytes(0, "250 2.1.5 Ok\r\n");
  c.on_bytes(0, "354 go\r\n");
  ASSERT_TRUE(c.final_dot_unacknowledged());
  const SmtpOutput out = c.on_connection_lost(0);
  const auto finished = out.all<SessionFinished>();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].outcome, SessionOutcome::ConnectionLost);
  EXPECT_TRUE(finished[0].duplicate_risk);
  EXPECT_EQ(out.all<MessageResult>()[0].status, MessageStatus::TemporaryFailure);
}

TEST(ClientSession, ConnectionLostBeforeTheDotIsNoDuplicateRisk) {
  SmtpClientSession c(plain_client(), {message()}, 0);
  c.on_bytes(0, "220 mx ESMTP\r\n");
  c.on_bytes(0, kEhloPlain);
  const SmtpOutput out = c.on_connection_lost(0);
  EXPECT_FALSE(out.all<SessionFinished>()[0].duplicate_risk);
}

TEST(ClientSession, TimeoutWaitingForTheDotReply) {
  SmtpClientSession c(plain_client(), {message()}, 0);
  c.on_bytes(0, "220 mx ESMTP\r\n");
  c.on_bytes(0, kEhloPlain);
  c.on_bytes(0, "250 2.1.0 Ok\r\n");
  c.on_bytes(0, "250 2.1.5 Ok\r\n");
  c.on_bytes(kSecond, "354 go\r\n");
  EXPECT_EQ(c.deadline(), kSecond + 10 * kMinute);  // RFC 5321 §4.5.3.2.6
  EXPECT_TRUE(c.on_timeout(kSecond + 9 * kMinute).actions.empty());
  const SmtpOutput out = c.on_timeout(c.deadline());
  EXPECT_TRUE(out.closes());
  const auto finished = out.all<SessionFinished>();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].outcome, SessionOutcome::TimedOut);
  EXPECT_TRUE(finished[0].duplicate_risk);
}

TEST(ClientSession, GreetingTimeoutIsFiveMinutes) {
  SmtpClientSession c(plain_client(), {message()}, 0);
  c.start(0);
  EXPECT_EQ(c.deadline(), 5 * kMinute);
}

TEST(ClientSession, PipelinedWithEveryRecipientRefusedSendsAnEmptyMessage) {
  SmtpClientSession c(plain_client(), {message({"x@example.com", "y@example.com"})}, 0);
  c.on_bytes(0, "220 mx ESMTP\r\n");
  EXPECT_EQ(
      c.on_bytes(0, "250-mx\r\n250 PIPELINING\r\n").sent_bytes(),
      "MAIL FROM:<alice@example.org>\r\nRCPT TO:<x@example.com>\r\nRCPT TO:<y@example.com>\r\n"
      "DATA\r\n");
  // A server that answers DATA with 354 despite no recipient (RFC 2920 §3.1).
  const SmtpOutput out =
      c.on_bytes(0, "250 2.1.0 Ok\r\n550 5.1.1 no\r\n450 4.2.1 busy\r\n354 go\r\n");
  EXPECT_EQ(out.sent_bytes(), ".\r\n");
  const SmtpOutput end = c.on_bytes(0, "554 5.5.1 no valid recipients\r\n");
  const auto results = end.all<MessageResult>();
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, MessageStatus::TemporaryFailure);  // one recipient was 4xx
  EXPECT_EQ(end.sent_bytes(), "QUIT\r\n");
}

TEST(ClientSession, PipelinedDataRefusedIsFollowedByRset) {
  SmtpClientSession c(plain_client(), {message({"x@example.com"}), message()}, 0);
  c.on_bytes(0, "220 mx ESMTP\r\n");
  c.on_bytes(0, "250-mx\r\n250 PIPELINING\r\n");
  const SmtpOutput out =
      c.on_bytes(0, "250 2.1.0 Ok\r\n550 5.1.1 no\r\n554 5.5.1 no valid recipients\r\n");
  EXPECT_EQ(out.sent_bytes(), "RSET\r\n");
  EXPECT_EQ(out.all<MessageResult>()[0].status, MessageStatus::PermanentFailure);
  EXPECT_EQ(out.all<MessageResult>()[0].reply, make_reply(550, "5.1.1", "no"));
  EXPECT_EQ(c.on_bytes(0, "250 2.0.0 Ok\r\n").sent_bytes(),
            "MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\n");
}

TEST(ClientSession, MessageOverTheServerSizeFailsLocally) {
  OutgoingMessage big = message();
  big.content = std::string(2000, 'x');
  SmtpClientSession c(plain_client(), {big, message()}, 0);
  c.on_bytes(0, "220 mx ESMTP\r\n");
  const SmtpOutput out = c.on_bytes(0, kEhloPlain);  // SIZE 1000
  ASSERT_EQ(out.all<MessageResult>().size(), 1u);
  EXPECT_EQ(out.all<MessageResult>()[0].status, MessageStatus::PermanentFailure);
  EXPECT_EQ(out.all<MessageResult>()[0].reply.code, 552);
  EXPECT_EQ(out.sent_bytes(), "MAIL FROM:<alice@example.org> SIZE=22\r\n");  // the second one
}

TEST(ClientSession, ServerClosingWith421FailsTheRestTemporarily) {
  SmtpClientSession c(plain_client(), {message()}, 0);
  c.on_bytes(0, "220 mx ESMTP\r\n");
  c.on_bytes(0, kEhloPlain);
  const SmtpOutput out = c.on_bytes(0, "421 4.7.0 mx Error: too many errors\r\n");
  EXPECT_TRUE(out.closes());
  EXPECT_EQ(out.all<MessageResult>()[0].status, MessageStatus::TemporaryFailure);
  EXPECT_EQ(out.all<SessionFinished>()[0].outcome, SessionOutcome::Failed);
}

TEST(ClientSession, RefusedGreetingSendsQuit) {
  SmtpClientSession c(plain_client(), {message()}, 0);
  const SmtpOutput out = c.on_bytes(0, "554 5.7.1 go away\r\n");
  EXPECT_EQ(out.sent_bytes(), "QUIT\r\n");
  EXPECT_EQ(out.all<MessageResult>()[0].status, MessageStatus::PermanentFailure);
}

TEST(ClientSession, MalformedReplyEndsTheSession) {
  SmtpClientSession c(plain_client(), {message()}, 0);
  const SmtpOutput out = c.on_bytes(0, "hello there\r\n");
  EXPECT_TRUE(out.closes());
  EXPECT_EQ(out.all<ProtocolViolation>().size(), 1u);
  EXPECT_EQ(out.all<SessionFinished>()[0].outcome, SessionOutcome::Failed);
}

TEST(ClientSession, AuthLoginAnswersBothPrompts) {
  SmtpClientConfig config = plain_client();
  config.transport = ClientTransport::ImplicitTls;
  config.credentials = Credentials{"alice", "s3cret"};
  config.auth_mechanism = AuthMechanism::Login;
  SmtpClientSession c(config, {message()}, 0);
  c.on_bytes(0, "220 smtp ESMTP\r\n");
  EXPECT_EQ(c.on_bytes(0, "250-smtp\r\n250 AUTH PLAIN LOGIN\r\n").sent_bytes(), "AUTH LOGIN\r\n");
  SmtpOutput out = c.on_bytes(0, "334 VXNlcm5hbWU6\r\n");
  EXPECT_EQ(out.sent_bytes(), "YWxpY2U=\r\n");
  EXPECT_EQ(out.all<CommandSent>()[0].sensitivity, Sensitivity::Secret);
  EXPECT_EQ(c.on_bytes(0, "334 UGFzc3dvcmQ6\r\n").sent_bytes(), "czNjcmV0\r\n");
  EXPECT_EQ(c.on_bytes(0, "235 2.7.0 ok\r\n").sent_bytes(), "MAIL FROM:<alice@example.org>\r\n");
}

TEST(ClientSession, FailedAuthGivesUp) {
  SmtpClientConfig config = plain_client();
  config.credentials = Credentials{"alice", "wrong"};
  SmtpClientSession c(config, {message()}, 0);
  c.on_bytes(0, "220 smtp ESMTP\r\n");
  EXPECT_EQ(c.on_bytes(0, "250-smtp\r\n250 AUTH PLAIN\r\n").sent_bytes(),
            "AUTH PLAIN AGFsaWNlAHdyb25n\r\n");
  const SmtpOutput out = c.on_bytes(0, "535 5.7.8 Authentication credentials invalid\r\n");
  EXPECT_EQ(out.sent_bytes(), "QUIT\r\n");
  EXPECT_EQ(out.all<MessageResult>()[0].status, MessageStatus::PermanentFailure);
}

}  // namespace
}  // namespace mailscope::smtp::testing
