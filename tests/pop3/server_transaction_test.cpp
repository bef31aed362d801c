// The TRANSACTION and UPDATE states: every command and error path, byte-stuffing on the wire,
// what QUIT, a dropped connection and the autologout timer do to the store.

#include <gtest/gtest.h>

#include "pop3/pop3_test_util.h"

namespace mailscope::pop3::testing {
namespace {

// RETR 2 on the wire: lines starting with "." carry one more.
const std::string kRetr2 =
    "+OK 64 octets\r\n"
    "From: bob@example.org\r\nSubject: dots\r\n\r\n..hidden\r\n...two\r\n..\r\nend\r\n"
    ".\r\n";

std::vector<mail::Uid> stored_uids(const mail::MailStore& store, std::string_view user) {
  std::vector<mail::Uid> uids;
  for (const mail::MessageInfo& m : *store.messages(user, "INBOX"))
    uids.push_back(m.uid);
  return uids;
}

TEST(ServerTransaction, CommandsAndReplies) {
  struct Case {
    const char* command;
    std::string reply;
  };
  const std::vector<Case> cases = {
      {"STAT\r\n", "+OK 3 194\r\n"},
      {"LIST\r\n", "+OK 3 messages (194 octets)\r\n1 55\r\n2 64\r\n3 75\r\n.\r\n"},
      {"LIST 2\r\n", "+OK 2 64\r\n"},
      {"UIDL\r\n", "+OK unique-id listing follows\r\n1 " + kUid1 + "\r\n2 " + kUid2 + "\r\n3 " +
                       kUid3 + "\r\n.\r\n"},
      {"UIDL 3\r\n", "+OK 3 " + kUid3 + "\r\n"},
      {"RETR 1\r\n", "+OK 55 octets\r\n" + kMessage1 + ".\r\n"},
      {"RETR 2\r\n", kRetr2},
      {"TOP 3 2\r\n",
       "+OK top of message follows\r\nFrom: carol@example.net\r\nSubject: three\r\n\r\n"
       "line 1\r\nline 2\r\n.\r\n"},
      {"TOP 3 0\r\n",
       "+OK top of message follows\r\nFrom: carol@example.net\r\nSubject: three\r\n\r\n.\r\n"},
      // TOP of the stuffed message stuffs the same way.
      {"TOP 2 1\r\n",
       "+OK top of message follows\r\nFrom: bob@example.org\r\nSubject: dots\r\n\r\n"
       "..hidden\r\n.\r\n"},
      {"NOOP\r\n", "+OK\r\n"},
      // Keywords are case-insensitive; leading zeros are a number like any other.
      {"retr 001\r\n", "+OK 55 octets\r\n" + kMessage1 + ".\r\n"},
      // Errors: out of range, not a number, missing or extra arguments.
      {"LIST 4\r\n", "-ERR no such message, only 3 messages in maildrop\r\n"},
      {"RETR 0\r\n", "-ERR no such message, only 3 messages in maildrop\r\n"},
      {"RETR 99999999999999999999\r\n", "-ERR invalid message number\r\n"},
      {"DELE -1\r\n", "-ERR invalid message number\r\n"},
      {"UIDL one\r\n", "-ERR invalid message number\r\n"},
      {"RETR\r\n", "-ERR missing message number\r\n"},
      {"DELE\r\n", "-ERR missing message number\r\n"},
      {"RETR 1 2\r\n", "-ERR too many arguments\r\n"},
      {"LIST 1 2\r\n", "-ERR too many arguments\r\n"},
      {"UIDL 1 2\r\n", "-ERR too many arguments\r\n"},
      {"TOP 1\r\n", "-ERR usage: TOP message lines\r\n"},
      {"TOP 1 2 3\r\n", "-ERR too many arguments\r\n"},
      {"TOP 1 x\r\n", "-ERR invalid number of lines\r\n"},
      {"TOP 9 1\r\n", "-ERR no such message, only 3 messages in maildrop\r\n"},
      {"STAT 1\r\n", "-ERR STAT takes no arguments\r\n"},
      {"NOOP x\r\n", "-ERR NOOP takes no arguments\r\n"},
      {"RSET x\r\n", "-ERR RSET takes no arguments\r\n"},
      // AUTHORIZATION commands are over.
      {"USER alice\r\n", "-ERR USER not allowed in TRANSACTION state\r\n"},
      {"PASS s3cret\r\n", "-ERR PASS not allowed in TRANSACTION state\r\n"},
      {"AUTH PLAIN\r\n", "-ERR AUTH not allowed in TRANSACTION state\r\n"},
      {"XTND XMIT\r\n", "-ERR unknown command\r\n"},
  };
  for (const Case& c : cases) {
    ServerHarness h;
    h.login();
    EXPECT_EQ(h.send(c.command), c.reply) << c.command;
    EXPECT_EQ(h.session.state(), ServerState::Transaction) << c.command;
  }
}

TEST(ServerTransaction, ResponseSentCountsTheBody) {
  ServerHarness h;
  h.login();
  h.send("RETR 2\r\n");
  const auto sent = h.last.all<ResponseSent>();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].response, ok_response("64 octets"));
  EXPECT_TRUE(sent[0].multi_line);
  EXPECT_EQ(sent[0].body_bytes, kRetr2.size() - 15);  // stuffed body and ".\r\n"
  h.send("STAT\r\n");
  EXPECT_FALSE(h.last.all<ResponseSent>()[0].multi_line);
}

TEST(ServerTransaction, DeleMarksAndRsetUnmarks) {
  ServerHarness h;
  h.login();
  EXPECT_EQ(h.send("DELE 1\r\n"), "+OK message 1 deleted\r\n");
  // A marked message is gone for this session: counts, listings and every command on it.
  EXPECT_EQ(h.send("STAT\r\n"), "+OK 2 139\r\n");
  EXPECT_EQ(h.send("LIST\r\n"), "+OK 2 messages (139 octets)\r\n2 64\r\n3 75\r\n.\r\n");
  EXPECT_EQ(h.send("UIDL\r\n"),
            "+OK unique-id listing follows\r\n2 " + kUid2 + "\r\n3 " + kUid3 + "\r\n.\r\n");
  for (const char* command :
       {"LIST 1\r\n", "UIDL 1\r\n", "RETR 1\r\n", "TOP 1 0\r\n", "DELE 1\r\n"}) {
    EXPECT_EQ(h.send(command), "-ERR message 1 already deleted\r\n") << command;
  }
  // Numbers do not shift: message 3 is still 3; out-of-range counts the marked message too.
  EXPECT_EQ(h.send("LIST 3\r\n"), "+OK 3 75\r\n");
  EXPECT_EQ(h.send("LIST 4\r\n"), "-ERR no such message, only 3 messages in maildrop\r\n");
  // Nothing left the store yet.
  EXPECT_EQ(stored_uids(h.store, "alice"), (std::vector<mail::Uid>{1, 2, 3}));
  EXPECT_EQ(h.send("RSET\r\n"), "+OK maildrop has 3 messages (194 octets)\r\n");
  EXPECT_EQ(h.send("RETR 1\r\n"), "+OK 55 octets\r\n" + kMessage1 + ".\r\n");
}

TEST(ServerTransaction, QuitRemovesTheMarkedMessages) {
  ServerHarness h;
  h.login();
  h.send("DELE 1\r\n");
  h.send("DELE 3\r\n");
  EXPECT_EQ(h.send("QUIT\r\n"), "+OK pop.example.com POP3 server signing off (1 message left)\r\n");
  EXPECT_TRUE(h.last.closes());
  std::vector<std::string> transitions;
  for (const StateChanged& s : h.last.all<StateChanged>()) {
    transitions.push_back(std::string(s.from) + " -> " + std::string(s.to));
  }
  EXPECT_EQ(transitions, (std::vector<std::string>{"TRANSACTION -> UPDATE", "UPDATE -> CLOSED"}));
  const auto updated = h.last.all<MaildropUpdated>();
  ASSERT_EQ(updated.size(), 1u);
  EXPECT_EQ(updated[0].user, "alice");
  EXPECT_EQ(updated[0].removed, (std::vector<mail::Uid>{1, 3}));
  EXPECT_EQ(updated[0].marked, 2u);
  EXPECT_EQ(stored_uids(h.store, "alice"), (std::vector<mail::Uid>{2}));
  EXPECT_FALSE(h.store.maildrop_locked("alice"));
}

TEST(ServerTransaction, QuitWordingFollowsWhatIsLeft) {
  ServerHarness all;
  all.login();
  all.send("DELE 1\r\nDELE 2\r\nDELE 3\r\n");
  EXPECT_EQ(all.send("QUIT\r\n"),
            "+OK pop.example.com POP3 server signing off (maildrop empty)\r\n");
  EXPECT_TRUE(stored_uids(all.store, "alice").empty());

  ServerHarness none;
  none.login();
  EXPECT_EQ(none.send("QUIT\r\n"),
            "+OK pop.example.com POP3 server signing off (3 messages left)\r\n");
  EXPECT_TRUE(none.last.all<MaildropUpdated>().empty());
  EXPECT_EQ(stored_uids(none.store, "alice").size(), 3u);
}

TEST(ServerTransaction, RsetThenQuitRemovesNothing) {
  ServerHarness h;
  h.login();
  h.send("DELE 2\r\n");
  h.send("RSET\r\n");
  h.send("QUIT\r\n");
  EXPECT_EQ(stored_uids(h.store, "alice"), (std::vector<mail::Uid>{1, 2, 3}));
}

TEST(ServerTransaction, DroppedConnectionRemovesNothing) {
  ServerHarness h;
  h.login();
  h.send("DELE 1\r\nDELE 2\r\n");
  const Pop3Output out = h.session.on_connection_lost(h.now);
  EXPECT_TRUE(out.sent_bytes().empty());
  ASSERT_EQ(out.all<Note>().size(), 1u);
  EXPECT_EQ(out.all<Note>()[0].text, "connection lost in TRANSACTION; 2 marked messages kept");
  EXPECT_TRUE(h.session.closed());
  EXPECT_EQ(stored_uids(h.store, "alice"), (std::vector<mail::Uid>{1, 2, 3}));
  EXPECT_FALSE(h.store.maildrop_locked("alice"));
}

TEST(ServerTransaction, AutologoutClosesWithoutUpdate) {
  ServerHarness h;
  h.now = 5 * kSecond;
  h.login();
  h.now = 1 * kMinute;
  h.send("DELE 3\r\n");
  EXPECT_EQ(h.session.deadline(), 11 * kMinute);  // 10 minutes after the last command
  // Early calls do nothing.
  EXPECT_TRUE(h.session.on_timeout(11 * kMinute - 1).actions.empty());
  const Pop3Output out = h.session.on_timeout(11 * kMinute);
  // RFC 1939 §3: no response, just the close.
  EXPECT_TRUE(out.sent_bytes().empty());
  EXPECT_TRUE(out.closes());
  ASSERT_EQ(out.all<Note>().size(), 1u);
  EXPECT_EQ(out.all<Note>()[0].text,
            "autologout after 600 s without a command; 1 marked message kept");
  EXPECT_EQ(stored_uids(h.store, "alice"), (std::vector<mail::Uid>{1, 2, 3}));
  EXPECT_FALSE(h.store.maildrop_locked("alice"));
  EXPECT_EQ(h.session.deadline(), kTimeNever);
}

TEST(ServerTransaction, StalledTlsHandshakeIsClosed) {
  ServerHarness h(plain_config());
  h.send("STLS\r\n");
  EXPECT_EQ(h.session.deadline(), 1 * kMinute);
  const Pop3Output out = h.session.on_timeout(1 * kMinute);
  EXPECT_TRUE(out.sent_bytes().empty());
  EXPECT_TRUE(out.closes());
}

TEST(ServerTransaction, TheMaildropIsASnapshot) {
  ServerHarness h;
  h.login();
  // Mail delivered during the session waits for the next one.
  ASSERT_TRUE(h.store.deliver("alice", "Subject: late\r\n\r\nx\r\n", 0).ok());
  EXPECT_EQ(h.send("STAT\r\n"), "+OK 3 194\r\n");
  // Another client (IMAP) removes message 2 meanwhile: this session can still read it, and
  // its DELE then removes nothing more.
  const std::vector<mail::Uid> two = {2};
  ASSERT_TRUE(h.store.remove("alice", "INBOX", two).ok());
  EXPECT_EQ(h.send("RETR 2\r\n"), kRetr2);
  h.send("DELE 2\r\n");
  h.send("QUIT\r\n");
  const auto updated = h.last.all<MaildropUpdated>();
  ASSERT_EQ(updated.size(), 1u);
  EXPECT_TRUE(updated[0].removed.empty());
  EXPECT_EQ(updated[0].marked, 1u);
  ServerHarness next(plaintext_allowed_config(), &h.store);
  next.send("USER alice\r\n");
  EXPECT_EQ(next.send("PASS s3cret\r\n"), "+OK alice's maildrop has 3 messages (150 octets)\r\n");
  EXPECT_EQ(next.send("UIDL 3\r\n"), "+OK 3 0000000400000001\r\n");
}

TEST(ServerTransaction, TooManyErrorsCloseWithoutUpdate) {
  ServerHarness h;
  h.login();
  h.send("DELE 1\r\n");
  std::string garbage;
  std::string expected;
  for (int i = 0; i < 10; ++i) {
    garbage += "XYZZY\r\n";
    expected += "-ERR unknown command\r\n";
  }
  expected += "-ERR too many errors, closing connection\r\n";
  EXPECT_EQ(h.send(garbage + "NOOP\r\n"), expected);
  EXPECT_TRUE(h.last.closes());
  EXPECT_TRUE(h.session.closed());
  EXPECT_EQ(stored_uids(h.store, "alice").size(), 3u);
  EXPECT_FALSE(h.store.maildrop_locked("alice"));
}

TEST(ServerTransaction, OverlongLinesAreRefusedAndTheStreamResynchronises) {
  ServerHarness h;
  // 255 octets with the CRLF is the limit (RFC 2449 §4).
  const std::string longest = "USER " + std::string(248, 'a') + "\r\n";
  ASSERT_EQ(longest.size(), 255u);
  EXPECT_EQ(h.send(longest), "+OK send PASS\r\n");
  const std::string too_long = "USER " + std::string(249, 'a') + "\r\n";
  EXPECT_EQ(h.send(too_long), "-ERR command line too long\r\n");
  // An endless line in many pieces: nothing is kept, one refusal when its LF comes, and the
  // command after it is read normally.
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(h.send(std::string(100, 'x')), "");
  }
  EXPECT_EQ(h.send("PASS y\r\nCAPA\r\n").substr(0, 57),
            "-ERR command line too long\r\n+OK Capability list follows\r\n");
  EXPECT_EQ(h.session.errors(), 2u);
}

TEST(ServerTransaction, BareLineFeedsEndCommands) {
  ServerHarness h;
  EXPECT_EQ(h.send("USER alice\nPASS s3cret\n"), "+OK send PASS\r\n" + kLoggedIn);
}

TEST(ServerTransaction, ByteAtATimeAndPipelinedGiveTheSameBytes) {
  const std::vector<std::string> script = {
      "CAPA\r\n",   "USER alice\r\n", "PASS s3cret\r\n", "STAT\r\n", "LIST\r\n",   "UIDL\r\n",
      "RETR 2\r\n", "TOP 3 1\r\n",    "DELE 1\r\n",      "NOOP\r\n", "LIST 1\r\n", "QUIT\r\n"};
  ServerHarness lines, bytewise, pipelined;
  std::string by_line, all;
  for (const std::string& line : script) {
    by_line += lines.send(line);
    all += line;
  }
  EXPECT_EQ(bytewise.send_bytewise(all), by_line);
  EXPECT_EQ(pipelined.send(all), by_line);  // PIPELINING (RFC 2449 §6.6): answered in order
  EXPECT_NE(by_line.find(kRetr2), std::string::npos);
  EXPECT_TRUE(
      by_line.ends_with("+OK pop.example.com POP3 server signing off (2 messages left)\r\n"));
  for (ServerHarness* h : {&lines, &bytewise, &pipelined}) {
    EXPECT_EQ(stored_uids(h->store, "alice"), (std::vector<mail::Uid>{2, 3}));
  }
}

TEST(ServerTransaction, BytesAfterQuitAreIgnored) {
  ServerHarness h;
  h.login();
  EXPECT_EQ(h.send("QUIT\r\nSTAT\r\n"),
            "+OK pop.example.com POP3 server signing off (3 messages left)\r\n");
  EXPECT_EQ(h.last.all<CommandReceived>().size(), 1u);
}

}  // namespace
}  // namespace mailscope::pop3::testing
