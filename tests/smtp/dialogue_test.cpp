// Full dialogues: the server engine and the client engine wired together in memory.

#include <gtest/gtest.h>

#include "smtp/smtp_test_util.h"

namespace mailscope::smtp::testing {
namespace {

OutgoingMessage note(std::string from, std::vector<std::string> to) {
  return OutgoingMessage{std::move(from), std::move(to),
                         "From: <alice@example.com>\r\nSubject: lunch\r\n\r\nNoon?\r\n"};
}

SmtpServerConfig plain_relay() {
  SmtpServerConfig c = relay_config();
  c.tls = TlsAvailability::None;
  return c;
}

SmtpClientConfig mta_client() {
  SmtpClientConfig c;
  c.helo_name = "mx.example.org";
  return c;
}

SmtpClientConfig submission_client() {
  SmtpClientConfig c;
  c.helo_name = "laptop.example.com";
  c.starttls = StartTlsPolicy::Required;
  c.credentials = Credentials{"alice", "s3cret"};
  return c;
}

template <typename T>
std::vector<T> all_of(const std::vector<SmtpAction>& actions) {
  std::vector<T> out;
  for (const SmtpAction& a : actions) {
    if (const T* item = std::get_if<T>(&a)) out.push_back(*item);
  }
  return out;
}

// This transcript is also the sample dialogue in docs/smtp.md.
const char* const kRelayTranscript =
    "S: 220 mx.example.com ESMTP MailScope\n"
    "C: EHLO mx.example.org\n"
    "S: 250-mx.example.com\n"
    "S: 250-PIPELINING\n"
    "S: 250-SIZE 10240000\n"
    "S: 250-ENHANCEDSTATUSCODES\n"
    "S: 250 8BITMIME\n"
    "C: MAIL FROM:<alice@example.org> SIZE=52\n"
    "C: RCPT TO:<bob@example.com>\n"
    "C: RCPT TO:<nobody@example.com>\n"
    "C: DATA\n"
    "S: 250 2.1.0 Ok\n"
    "S: 250 2.1.5 Ok\n"
    "S: 550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in local "
    "recipient table\n"
    "S: 354 End data with <CR><LF>.<CR><LF>\n"
    "C: From: <alice@example.com>\n"
    "C: Subject: lunch\n"
    "C: \n"
    "C: Noon?\n"
    "C: .\n"
    "S: 250 2.0.0 Ok: queued as 1A2B3C\n"
    "C: QUIT\n"
    "S: 221 2.0.0 Bye\n";

TEST(Dialogue, PlainRelayWithPipelining) {
  for (Chunking chunking : {Chunking::Whole, Chunking::ByteAtATime}) {
    FakePolicy policy;
    policy.recipients["nobody@example.com"] = RecipientVerdict::UnknownUser;
    SmtpServerSession server(plain_relay(), policy, 0);
    SmtpClientSession client(
        mta_client(), {note("alice@example.org", {"bob@example.com", "nobody@example.com"})}, 0);
    const Dialogue d = run_dialogue(server, client, chunking);
    EXPECT_EQ(d.transcript, kRelayTranscript);
    EXPECT_TRUE(d.server_closed);
    EXPECT_TRUE(d.client_closed);
    ASSERT_EQ(policy.stored.size(), 1u);
    EXPECT_EQ(policy.stored[0].data,
              "From: <alice@example.com>\r\nSubject: lunch\r\n\r\nNoon?\r\n");
    const auto recipients = all_of<RecipientResult>(d.client_actions);
    ASSERT_EQ(recipients.size(), 3u);  // bob at RCPT, nobody at RCPT, bob at the final dot
    EXPECT_EQ(recipients[0].status, RecipientStatus::Accepted);
    EXPECT_EQ(recipients[1].recipient, "<nobody@example.com>");
    EXPECT_EQ(recipients[1].status, RecipientStatus::PermanentFailure);
    EXPECT_EQ(recipients[2].reply.text(), "Ok: queued as 1A2B3C");
    const auto messages = all_of<MessageResult>(d.client_actions);
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0].status, MessageStatus::Delivered);
    const auto finished = all_of<SessionFinished>(d.client_actions);
    ASSERT_EQ(finished.size(), 1u);
    EXPECT_EQ(finished[0].outcome, SessionOutcome::Completed);
    EXPECT_TRUE(all_of<ProtocolViolation>(d.server_actions).empty());
  }
}

TEST(Dialogue, PipeliningOffOneCommandPerReply) {
  SmtpServerConfig config = plain_relay();
  config.pipelining = Pipelining::Withhold;
  FakePolicy policy;
  SmtpServerSession server(config, policy, 0);
  SmtpClientSession client(
      mta_client(),
      {note("alice@example.org", {"bob@example.com"}), note("", {"carol@example.com"})}, 0);
  const Dialogue d = run_dialogue(server, client);
  EXPECT_NE(d.transcript.find("C: MAIL FROM:<alice@example.org> SIZE=52\nS: 250 2.1.0 Ok\n"
                              "C: RCPT TO:<bob@example.com>\nS: 250 2.1.5 Ok\nC: DATA\n"),
            std::string::npos)
      << d.transcript;
  EXPECT_TRUE(all_of<ProtocolViolation>(d.server_actions).empty());
  ASSERT_EQ(policy.stored.size(), 2u);
  EXPECT_TRUE(policy.stored[1].envelope.transaction.reverse_path.null);  // a bounce: MAIL FROM:<>
  EXPECT_NE(d.transcript.find("C: MAIL FROM:<> SIZE=52\n"), std::string::npos);
  EXPECT_EQ(all_of<MessageResult>(d.client_actions).size(), 2u);
}

TEST(Dialogue, SubmissionWithStartTlsAndAuth) {
  for (Chunking chunking : {Chunking::Whole, Chunking::ByteAtATime}) {
    FakePolicy policy;
    SmtpServerSession server(submission_config(), policy, 0);
    SmtpClientSession client(submission_client(), {note("alice@example.com", {"bob@example.com"})},
                             0);
    const Dialogue d = run_dialogue(server, client, chunking);
    const std::string expected_start =
        "S: 220 smtp.example.com ESMTP MailScope\n"
        "C: EHLO laptop.example.com\n"
        "S: 250-smtp.example.com\n"
        "S: 250-PIPELINING\n"
        "S: 250-SIZE 10240000\n"
        "S: 250-STARTTLS\n"
        "S: 250-ENHANCEDSTATUSCODES\n"
        "S: 250 8BITMIME\n"
        "C: STARTTLS\n"
        "S: 220 2.0.0 Ready to start TLS\n"
        "S: <TLS>\n"
        "C: <TLS>\n"
        "C: EHLO laptop.example.com\n"
        "S: 250-smtp.example.com\n"
        "S: 250-PIPELINING\n"
        "S: 250-SIZE 10240000\n"
        "S: 250-AUTH PLAIN LOGIN\n"
        "S: 250-ENHANCEDSTATUSCODES\n"
        "S: 250 8BITMIME\n"
        "C: AUTH PLAIN AGFsaWNlAHMzY3JldA==\n"
        "S: 235 2.7.0 Authentication successful\n"
        "C: MAIL FROM:<alice@example.com> SIZE=52\n";
    EXPECT_EQ(d.transcript.substr(0, expected_start.size()), expected_start);
    ASSERT_EQ(policy.stored.size(), 1u);
    EXPECT_EQ(policy.stored[0].envelope.session.authenticated_user, "alice");
    EXPECT_TRUE(policy.stored[0].envelope.session.tls_active);
    EXPECT_EQ(policy.stored[0].envelope.session.helo_name, "laptop.example.com");
    EXPECT_EQ(all_of<SessionFinished>(d.client_actions)[0].outcome, SessionOutcome::Completed);
  }
}

TEST(Dialogue, RequiredTlsAgainstAServerWithoutIt) {
  FakePolicy policy;
  SmtpServerConfig config = submission_config();
  config.tls = TlsAvailability::None;
  SmtpServerSession server(config, policy, 0);
  SmtpClientSession client(submission_client(), {note("alice@example.com", {"bob@example.com"})},
                           0);
  const Dialogue d = run_dialogue(server, client);
  EXPECT_TRUE(policy.stored.empty());
  EXPECT_EQ(policy.auth_calls, 0);  // the password never went out in clear
  EXPECT_EQ(all_of<SessionFinished>(d.client_actions)[0].outcome, SessionOutcome::Failed);
  EXPECT_EQ(all_of<MessageResult>(d.client_actions)[0].status, MessageStatus::TemporaryFailure);
}

TEST(Dialogue, ImplicitTlsWithAuthLogin) {
  FakePolicy policy;
  SmtpServerSession server(smtps_config(), policy, 0);
  SmtpClientConfig config = submission_client();
  config.transport = ClientTransport::ImplicitTls;
  config.auth_mechanism = AuthMechanism::Login;
  SmtpClientSession client(config, {note("alice@example.com", {"bob@example.com"})}, 0);
  const Dialogue d = run_dialogue(server, client);
  EXPECT_EQ(d.transcript.find("STARTTLS"), std::string::npos);
  EXPECT_NE(d.transcript.find("C: AUTH LOGIN\nS: 334 VXNlcm5hbWU6\nC: YWxpY2U=\n"
                              "S: 334 UGFzc3dvcmQ6\nC: czNjcmV0\nS: 235 2.7.0"),
            std::string::npos);
  EXPECT_EQ(policy.stored.size(), 1u);
}

TEST(Dialogue, DotStuffingRoundTrip) {
  FakePolicy policy;
  SmtpServerSession server(plain_relay(), policy, 0);
  OutgoingMessage m{"alice@example.org",
                    {"bob@example.com"},
                    "Subject: dots\n\n.\n..\n.hidden\nlast line without newline"};
  SmtpClientSession client(mta_client(), {m}, 0);
  const Dialogue d = run_dialogue(server, client, Chunking::ByteAtATime);
  ASSERT_EQ(policy.stored.size(), 1u);
  EXPECT_EQ(policy.stored[0].data,
            "Subject: dots\r\n\r\n.\r\n..\r\n.hidden\r\nlast line without newline\r\n");
  EXPECT_NE(d.transcript.find("C: ..\nC: ...\nC: ..hidden\n"), std::string::npos);
}

TEST(Dialogue, EightBitContentDeclaresBody) {
  FakePolicy policy;
  SmtpServerSession server(plain_relay(), policy, 0);
  OutgoingMessage m{
      "alice@example.org", {"bob@example.com"}, "Subject: caf\xc3\xa9\r\n\r\nOui\r\n"};
  SmtpClientSession client(mta_client(), {m}, 0);
  run_dialogue(server, client);
  ASSERT_EQ(policy.stored.size(), 1u);
  EXPECT_EQ(policy.stored[0].envelope.transaction.body, BodyType::EightBitMime);
}

TEST(Dialogue, GreylistedRecipientIsATemporaryFailure) {
  FakePolicy policy;
  policy.recipients["bob@example.com"] = RecipientVerdict::Greylisted;
  SmtpServerSession server(plain_relay(), policy, 0);
  SmtpClientSession client(mta_client(),
                           {note("alice@example.org", {"bob@example.com"}),
                            note("alice@example.org", {"carol@example.com"})},
                           0);
  const Dialogue d = run_dialogue(server, client);
  const auto messages = all_of<MessageResult>(d.client_actions);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].status, MessageStatus::TemporaryFailure);
  EXPECT_EQ(messages[0].reply.enhanced, "4.7.1");
  EXPECT_EQ(messages[1].status, MessageStatus::Delivered);
  EXPECT_EQ(policy.stored.size(), 1u);
  EXPECT_TRUE(all_of<ProtocolViolation>(d.server_actions).empty());
}

}  // namespace
}  // namespace mailscope::smtp::testing
