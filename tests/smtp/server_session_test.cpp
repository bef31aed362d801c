// Transactions through the server: what is stored, what the trace sees, RSET and chunking.

#include <gtest/gtest.h>

#include "smtp/smtp_test_util.h"

namespace mailscope::smtp::testing {
namespace {

const std::string kEhlo = "EHLO client.example.org\r\n";
const std::string kTransaction =
    "MAIL FROM:<alice@example.org> SIZE=40 BODY=8BITMIME\r\n"
    "RCPT TO:<bob@example.com>\r\n"
    "RCPT TO:<nobody@example.com>\r\n"
    "RCPT TO:<carol@example.com>\r\n"
    "DATA\r\n";
const std::string kContent = "Subject: hi\r\n\r\n..leading dot\r\nbye\r\n.\r\n";
const std::string kReplies =
    "250 2.1.0 Ok\r\n"
    "250 2.1.5 Ok\r\n"
    "550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in local "
    "recipient table\r\n"
    "250 2.1.5 Ok\r\n"
    "354 End data with <CR><LF>.<CR><LF>\r\n";

TEST(ServerSession, AcceptedMessageReachesThePolicyOnce) {
  ServerHarness h;
  h.policy.recipients["nobody@example.com"] = RecipientVerdict::UnknownUser;
  h.send(kEhlo);
  EXPECT_EQ(h.send(kTransaction), kReplies);
  EXPECT_EQ(h.send(kContent), "250 2.0.0 Ok: queued as 1A2B3C\r\n");
  ASSERT_EQ(h.policy.stored.size(), 1u);
  const FakePolicy::Stored& stored = h.policy.stored[0];
  EXPECT_EQ(stored.data, "Subject: hi\r\n\r\n.leading dot\r\nbye\r\n");  // unstuffed
  const Envelope& env = stored.envelope;
  EXPECT_EQ(env.session.helo_name, "client.example.org");
  EXPECT_EQ(env.session.greeting, Greeting::Ehlo);
  EXPECT_FALSE(env.session.tls_active);
  EXPECT_EQ(env.transaction.reverse_path.to_string(), "<alice@example.org>");
  ASSERT_EQ(env.transaction.forward_paths.size(), 2u);
  EXPECT_EQ(env.transaction.forward_paths[0].to_string(), "<bob@example.com>");
  EXPECT_EQ(env.transaction.forward_paths[1].to_string(), "<carol@example.com>");
  EXPECT_EQ(env.transaction.recipients_refused, 1u);
  EXPECT_EQ(env.transaction.body, BodyType::EightBitMime);
  EXPECT_EQ(env.transaction.declared_size, 40u);
  const auto accepted = h.last.all<MessageAccepted>();
  ASSERT_EQ(accepted.size(), 1u);
  EXPECT_EQ(accepted[0].size_bytes, stored.data.size());
  EXPECT_EQ(accepted[0].envelope, env);
  // The transaction is gone, the session stays.
  EXPECT_EQ(h.session.state(), ServerState::Ready);
  EXPECT_TRUE(h.session.transaction().forward_paths.empty());
}

TEST(ServerSession, PolicyMayRefuseAtTheFinalDot) {
  ServerHarness h;
  h.policy.final_reply = make_reply(452, "4.3.1", "Insufficient system storage");
  h.send(kEhlo);
  h.send(kTransaction);
  EXPECT_EQ(h.send(kContent), "452 4.3.1 Insufficient system storage\r\n");
  EXPECT_TRUE(h.last.all<MessageAccepted>().empty());
}

TEST(ServerSession, ByteAtATimeGivesTheSameReplies) {
  ServerHarness whole, bytewise;
  for (ServerHarness* h : {&whole, &bytewise}) {
    h->policy.recipients["nobody@example.com"] = RecipientVerdict::UnknownUser;
  }
  const std::string script = kEhlo +
                             "MAIL FROM:<alice@example.org> SIZE=40 BODY=8BITMIME\r\n"
                             "RCPT TO:<bob@example.com>\r\n"
                             "RCPT TO:<nobody@example.com>\r\n"
                             "RCPT TO:<carol@example.com>\r\n"
                             "DATA\r\n" +
                             kContent + "QUIT\r\n";
  // Whole: one line per call (pipelining of EHLO is not allowed); bytewise: one byte per call.
  std::string whole_replies;
  std::string_view rest = script;
  while (!rest.empty()) {
    std::size_t end = rest.find('\n') + 1;
    if (rest.substr(0, 5) == "Subje") end = kContent.size();
    whole_replies += whole.send(rest.substr(0, end));
    rest.remove_prefix(end);
  }
  EXPECT_EQ(bytewise.send_bytewise(script), whole_replies);
  EXPECT_EQ(whole_replies,
            kRelayEhlo + kReplies + "250 2.0.0 Ok: queued as 1A2B3C\r\n221 2.0.0 Bye\r\n");
  ASSERT_EQ(bytewise.policy.stored.size(), 1u);
  EXPECT_EQ(bytewise.policy.stored[0].data, whole.policy.stored[0].data);
}

TEST(ServerSession, RsetDropsTheTransactionAndKeepsTheSession) {
  ServerHarness h(smtps_config());
  h.ready(true);
  ASSERT_EQ(h.session.session().authenticated_user, "alice");
  h.send("MAIL FROM:<alice@example.com>\r\n");
  h.send("RCPT TO:<bob@example.com>\r\n");
  EXPECT_EQ(h.send("RSET\r\n"), "250 2.0.0 Ok\r\n");
  EXPECT_EQ(h.session.state(), ServerState::Ready);
  EXPECT_EQ(h.session.transaction(), Transaction{});
  EXPECT_EQ(h.session.session().helo_name, "client.example.org");
  EXPECT_EQ(h.session.session().authenticated_user, "alice");
  EXPECT_TRUE(h.session.session().tls_active);
  EXPECT_EQ(h.send("RCPT TO:<bob@example.com>\r\n"), "503 5.5.1 Error: need MAIL command\r\n");
  EXPECT_EQ(h.send("MAIL FROM:<alice@example.com>\r\n"), "250 2.1.0 Ok\r\n");  // no new AUTH
}

TEST(ServerSession, EhloInsideATransactionResetsIt) {
  ServerHarness h;
  h.send(kEhlo);
  h.send("MAIL FROM:<alice@example.org>\r\n");
  h.send(kEhlo);
  EXPECT_EQ(h.session.state(), ServerState::Ready);
  EXPECT_EQ(h.send("MAIL FROM:<alice@example.org>\r\n"), "250 2.1.0 Ok\r\n");
}

TEST(ServerSession, EveryTransitionIsObserved) {
  ServerHarness h;
  std::vector<std::string> transitions;
  auto collect = [&] {
    for (const StateChanged& s : h.last.all<StateChanged>()) {
      transitions.push_back(std::string(s.from) + " -> " + std::string(s.to));
    }
  };
  collect();
  for (const char* line : {"EHLO c\r\n", "MAIL FROM:<a@b.example>\r\n", "RCPT TO:<c@d.example>\r\n",
                           "DATA\r\n", "x\r\n.\r\n", "QUIT\r\n"}) {
    h.send(line);
    collect();
  }
  EXPECT_EQ(transitions, (std::vector<std::string>{"GREETING -> AWAIT-HELO", "AWAIT-HELO -> READY",
                                                   "READY -> MAIL", "MAIL -> RCPT", "RCPT -> DATA",
                                                   "DATA -> READY", "READY -> CLOSED"}));
}

TEST(ServerSession, RepliesAndCommandsAreObserved) {
  ServerHarness h;
  h.send("NOOP\r\n");
  const auto commands = h.last.all<CommandReceived>();
  const auto replies = h.last.all<ReplySent>();
  ASSERT_EQ(commands.size(), 1u);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(commands[0].line, "NOOP");
  EXPECT_EQ(replies[0].reply, make_reply(250, "2.0.0", "Ok"));
}

TEST(ServerSession, NamesOfStates) {
  EXPECT_EQ(to_string(ServerState::Greeting), "GREETING");
  EXPECT_EQ(to_string(ServerState::TlsHandshake), "STARTTLS");
  EXPECT_EQ(to_string(ServerState::Closed), "CLOSED");
  EXPECT_EQ(to_string(ServerRole::Submission), "submission");
}

}  // namespace
}  // namespace mailscope::smtp::testing
