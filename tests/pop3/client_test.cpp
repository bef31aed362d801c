// The client engine against scripted server bytes: old servers, odd answers and failures.

#include <gtest/gtest.h>

#include "pop3/pop3_test_util.h"

namespace mailscope::pop3::testing {
namespace {

Pop3ClientConfig opportunistic(RetrievalMode mode = RetrievalMode::LeaveOnServer) {
  Pop3ClientConfig c;
  c.user = "alice";
  c.password = "s3cret";
  c.mode = mode;
  return c;
}

class ClientHarness {
 public:
  explicit ClientHarness(const Pop3ClientConfig& config) : client(config, 0) { client.start(0); }
  // Feeds server bytes; returns what the client sent back.
  std::string feed(std::string_view bytes) {
    last = client.on_bytes(now, bytes);
    for (const Pop3Action& a : last.actions)
      all.push_back(a);
    return last.sent_bytes();
  }
  template <typename T>
  std::vector<T> every() const {
    std::vector<T> out;
    for (const Pop3Action& a : all) {
      if (const T* item = std::get_if<T>(&a)) out.push_back(*item);
    }
    return out;
  }

  Pop3ClientSession client;
  Pop3Output last;
  std::vector<Pop3Action> all;
  TimeNs now = 0;
};

TEST(Client, TalksToAServerWithoutCapaOrUidl) {
  ClientHarness h(opportunistic(RetrievalMode::DownloadAndDelete));
  EXPECT_EQ(h.feed("+OK old server\r\n"), "CAPA\r\n");
  // RFC 1939-only server: CAPA unknown, so no STLS and no SASL; USER/PASS in clear.
  EXPECT_EQ(h.feed("-ERR unknown command\r\n"), "USER alice\r\n");
  EXPECT_FALSE(h.client.capabilities().listed);
  EXPECT_EQ(h.feed("+OK\r\n"), "PASS s3cret\r\n");
  EXPECT_EQ(h.feed("+OK\r\n"), "STAT\r\n");
  EXPECT_EQ(h.feed("+OK 2 30\r\n"), "UIDL\r\n");
  EXPECT_EQ(h.feed("-ERR what?\r\n"), "RETR 1\r\n");
  ASSERT_EQ(h.last.all<Note>().size(), 1u);
  EXPECT_EQ(h.last.all<Note>()[0].text, "no UIDL: every message counts as new");
  EXPECT_EQ(h.feed("+OK\r\n..a\r\nb\r\n.\r\n"), "DELE 1\r\n");
  EXPECT_EQ(h.feed("+OK\r\n"), "RETR 2\r\n");
  EXPECT_EQ(h.feed("+OK\r\nc\r\n.\r\n"), "DELE 2\r\n");
  EXPECT_EQ(h.feed("-ERR cannot\r\n"), "QUIT\r\n");  // a refused DELE does not stop the rest
  EXPECT_EQ(h.feed("+OK bye\r\n"), "");
  EXPECT_TRUE(h.last.closes());
  const auto messages = h.every<MessageRetrieved>();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].bytes, ".a\r\nb\r\n");
  EXPECT_EQ(messages[0].unique_id, "");
  EXPECT_EQ(messages[1].bytes, "c\r\n");
  const auto finished = h.every<SessionFinished>();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].outcome, SessionOutcome::Completed);
  EXPECT_EQ(finished[0].retrieved, 2u);
  EXPECT_EQ(finished[0].deleted, 1u);  // only the DELE that was answered +OK
  EXPECT_TRUE(h.client.finished());
  EXPECT_EQ(h.client.deadline(), kTimeNever);
}

TEST(Client, EveryResponseIsReported) {
  ClientHarness h(opportunistic());
  h.feed("+OK hi\r\n");
  h.feed("+OK\r\nUSER\r\n.\r\n");
  const auto received = h.every<ResponseReceived>();
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0].response, ok_response("hi"));
  EXPECT_FALSE(received[0].multi_line);
  EXPECT_TRUE(received[1].multi_line);
  EXPECT_EQ(received[1].body_bytes, 6u);
}

TEST(Client, CapabilitiesAreParsed) {
  const ServerCapabilities caps = parse_capabilities(
      "top\r\nUIDL\r\nSASL LOGIN plain\r\nSTLS\r\nPIPELINING\r\nRESP-CODES\r\n"
      "AUTH-RESP-CODE\r\nIMPLEMENTATION Some Server 1.0\r\nEXPIRE NEVER\r\n");
  EXPECT_TRUE(caps.listed);
  EXPECT_TRUE(caps.top);
  EXPECT_TRUE(caps.uidl);
  EXPECT_TRUE(caps.sasl_plain);
  EXPECT_TRUE(caps.stls);
  EXPECT_TRUE(caps.pipelining);
  EXPECT_TRUE(caps.resp_codes);
  EXPECT_TRUE(caps.auth_resp_code);
  EXPECT_FALSE(caps.user);
  EXPECT_EQ(caps.implementation, "Some Server 1.0");
}

TEST(Client, GreetingRefused) {
  ClientHarness h(opportunistic());
  EXPECT_EQ(h.feed("-ERR too busy\r\n"), "");
  EXPECT_TRUE(h.last.closes());
  const auto finished = h.every<SessionFinished>();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].outcome, SessionOutcome::Failed);
  EXPECT_EQ(finished[0].reason, "greeting refused: -ERR too busy");
}

TEST(Client, MalformedResponsesEndTheSession) {
  struct Case {
    const char* name;
    std::string bytes;
    const char* reason;
  };
  const std::vector<Case> cases = {
      // An SMTP server on the POP3 port.
      {"smtp greeting", "220 mx.example.com ESMTP\r\n",
       "malformed response: status line starts with neither +OK nor -ERR"},
      {"endless line", std::string(2000, 'x'),
       "malformed response: status line longer than 1024 octets"},
  };
  for (const Case& c : cases) {
    ClientHarness h(opportunistic());
    EXPECT_EQ(h.feed(c.bytes), "") << c.name;
    EXPECT_TRUE(h.last.closes()) << c.name;
    EXPECT_EQ(h.last.all<ProtocolViolation>().size(), 1u) << c.name;
    const auto finished = h.every<SessionFinished>();
    ASSERT_EQ(finished.size(), 1u) << c.name;
    EXPECT_EQ(finished[0].reason, c.reason) << c.name;
  }
}

TEST(Client, BytesGluedBehindStlsAreDiscarded) {
  ClientHarness h(opportunistic());
  h.feed("+OK\r\n");
  EXPECT_EQ(h.feed("+OK\r\nSTLS\r\n.\r\n"), "STLS\r\n");
  // A man in the middle appends a fake reply to the server's answer.
  EXPECT_EQ(h.feed("+OK Begin TLS\r\n+OK fake\r\n"), "");
  ASSERT_EQ(h.last.all<StartTls>().size(), 1u);
  ASSERT_EQ(h.last.all<ProtocolViolation>().size(), 1u);
  EXPECT_EQ(h.last.all<ProtocolViolation>()[0].what,
            "discarded 10 bytes received before the TLS handshake");
  const Pop3Output out = h.client.on_tls_established(0);
  EXPECT_EQ(out.sent_bytes(), "CAPA\r\n");
  EXPECT_TRUE(h.client.tls_active());
}

TEST(Client, StlsRefusedIsFatalOnlyWhenRequired) {
  ClientHarness relaxed(opportunistic());
  relaxed.feed("+OK\r\n");
  relaxed.feed("+OK\r\nSTLS\r\nUSER\r\n.\r\n");
  EXPECT_EQ(relaxed.feed("-ERR no\r\n"), "USER alice\r\n");

  Pop3ClientConfig config = opportunistic();
  config.stls = StlsPolicy::Required;
  ClientHarness strict(config);
  strict.feed("+OK\r\n");
  strict.feed("+OK\r\nSTLS\r\nUSER\r\n.\r\n");
  EXPECT_EQ(strict.feed("-ERR [SYS/TEMP] no\r\n"), "QUIT\r\n");
  strict.feed("+OK\r\n");
  const auto finished = strict.every<SessionFinished>();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].outcome, SessionOutcome::Failed);
  EXPECT_EQ(finished[0].reason, "STLS refused: -ERR [SYS/TEMP] no");
}

TEST(Client, LongCredentialsWaitForTheContinuation) {
  Pop3ClientConfig config = opportunistic();
  config.password = std::string(200, 'p');
  ClientHarness h(config);
  h.feed("+OK\r\n");
  // RFC 5034 §4: the initial response would make the line longer than 255 octets.
  EXPECT_EQ(h.feed("+OK\r\nSASL PLAIN\r\n.\r\n"), "AUTH PLAIN\r\n");
  const std::string response = h.feed("+ \r\n");
  EXPECT_EQ(response.size(), 278u);  // base64 of 207 octets (276) and CRLF
  const auto sent = h.last.all<CommandSent>();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].sensitivity, Sensitivity::Secret);
  EXPECT_EQ(h.feed("+OK\r\n"), "STAT\r\n");
}

TEST(Client, StatWithoutACountGivesUp) {
  ClientHarness h(opportunistic());
  h.feed("+OK\r\n");
  h.feed("-ERR\r\n");
  h.feed("+OK\r\n");
  h.feed("+OK\r\n");
  EXPECT_EQ(h.feed("+OK lots\r\n"), "QUIT\r\n");
  EXPECT_EQ(h.last.all<ProtocolViolation>().size(), 1u);
  h.feed("+OK\r\n");
  EXPECT_EQ(h.every<SessionFinished>()[0].reason, "STAT failed: +OK lots");
}

TEST(Client, EmptyMaildropGoesStraightToQuit) {
  ClientHarness h(opportunistic());
  h.feed("+OK\r\n");
  h.feed("-ERR\r\n");
  h.feed("+OK\r\n");
  h.feed("+OK\r\n");
  EXPECT_EQ(h.feed("+OK 0 0\r\n"), "QUIT\r\n");
}

TEST(Client, MalformedUidlLinesAreSkipped) {
  ClientHarness h(opportunistic());
  h.feed("+OK\r\n");
  h.feed("-ERR\r\n");
  h.feed("+OK\r\n");
  h.feed("+OK\r\n");
  h.feed("+OK 3 100\r\n");
  // Line 1 is fine; "9" is out of range; the third has a space-only id.
  EXPECT_EQ(h.feed("+OK\r\n1 abc\r\n9 def\r\n2 \r\n.\r\n"), "RETR 1\r\n");
  EXPECT_EQ(h.last.all<ProtocolViolation>().size(), 1u);
  EXPECT_EQ(h.feed("+OK\r\nx\r\n.\r\n"), "QUIT\r\n");
}

TEST(Client, MessageOverTheLimitIsDroppedAndKeptOnTheServer) {
  Pop3ClientConfig config = opportunistic(RetrievalMode::DownloadAndDelete);
  config.message_size_max = 10;
  ClientHarness h(config);
  h.feed("+OK\r\n");
  h.feed("-ERR\r\n");
  h.feed("+OK\r\n");
  h.feed("+OK\r\n");
  h.feed("+OK 1 20\r\n");
  EXPECT_EQ(h.feed("+OK\r\n1 big\r\n.\r\n"), "RETR 1\r\n");
  EXPECT_EQ(h.feed("+OK\r\n0123456789012345678\r\n.\r\n"), "QUIT\r\n");  // no DELE
  const auto messages = h.every<MessageRetrieved>();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_TRUE(messages[0].too_big);
  EXPECT_TRUE(messages[0].bytes.empty());
  EXPECT_EQ(h.client.known_unique_ids().count("big"), 0u);
}

TEST(Client, TimeoutAndLostConnection) {
  ClientHarness h(opportunistic());
  EXPECT_EQ(h.client.deadline(), 5 * kMinute);
  EXPECT_TRUE(h.client.on_timeout(5 * kMinute - 1).actions.empty());
  const Pop3Output out = h.client.on_timeout(5 * kMinute);
  EXPECT_TRUE(out.closes());
  const auto finished = out.all<SessionFinished>();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].outcome, SessionOutcome::TimedOut);
  EXPECT_EQ(finished[0].reason, "no response in AWAIT-GREETING after 300 s");
  EXPECT_TRUE(h.client.on_connection_lost(0).actions.empty());  // already over

  ClientHarness lost(opportunistic());
  lost.feed("+OK\r\n");
  const Pop3Output gone = lost.client.on_connection_lost(0);
  ASSERT_EQ(gone.all<SessionFinished>().size(), 1u);
  EXPECT_EQ(gone.all<SessionFinished>()[0].outcome, SessionOutcome::ConnectionLost);
  EXPECT_EQ(gone.all<SessionFinished>()[0].reason, "connection lost in CAPA");
}

}  // namespace
}  // namespace mailscope::pop3::testing
