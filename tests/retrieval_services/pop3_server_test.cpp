// The POP3 server on the network: STLS on 110, TLS on 995, USER/PASS refused before TLS, the
// maildrop lock, and UPDATE only after QUIT (a dropped connection deletes nothing).

#include <gtest/gtest.h>

#include "retrieval_world.h"

namespace mailscope::services {
namespace {

using testing::RawClient;
using testing::RetrievalOptions;
using testing::RetrievalWorld;

TEST(Pop3Server, Port110RefusesPasswordsUntilStls) {
  RetrievalWorld w;
  RawClient c(w, *w.carol_pc, 110);
  EXPECT_EQ(c.take_until("+OK"), "+OK mail.gmail.com POP3 server ready\r\n");
  EXPECT_EQ(c.exchange("USER carol@gmail.com", "-ERR"),
            "-ERR [AUTH] Plaintext authentication disallowed on non-secure connections, use "
            "STLS\r\n");
  EXPECT_EQ(c.exchange("STLS", "+OK"), "+OK Begin TLS negotiation\r\n");
  c.start_tls();
  ASSERT_TRUE(testing::run_until(w.sim, [&] { return c.tls_up(); }));
  EXPECT_EQ(c.exchange("USER carol@gmail.com", "+OK"), "+OK send PASS\r\n");
  EXPECT_EQ(c.exchange("PASS carol-pw", "+OK"),
            "+OK carol's maildrop has 0 messages (0 octets)\r\n");
  EXPECT_EQ(c.exchange("QUIT", "+OK"),
            "+OK mail.gmail.com POP3 server signing off (maildrop empty)\r\n");
}

TEST(Pop3Server, Port995SpeaksTlsFromTheFirstByte) {
  RetrievalWorld w;
  RawClient c(w, *w.carol_pc, 995, /*implicit_tls=*/true);
  EXPECT_EQ(c.take_until("+OK"), "+OK mail.gmail.com POP3 server ready\r\n");
  EXPECT_TRUE(c.tls_up());
  EXPECT_EQ(c.exchange("USER CAROL", "+OK"), "+OK send PASS\r\n");
  EXPECT_EQ(c.exchange("PASS carol-pw", "+OK"),
            "+OK carol's maildrop has 0 messages (0 octets)\r\n");
}

TEST(Pop3Server, PlaintextLoginWhenTheScenarioAllowsIt) {
  RetrievalOptions options;
  options.adjust_pop3 = [](Pop3ServerOptions& o) { o.allow_plaintext_login = true; };
  RetrievalWorld w(options);
  RawClient c(w, *w.carol_pc, 110);
  c.take_until("+OK");
  EXPECT_EQ(c.exchange("USER carol@gmail.com", "+OK"), "+OK send PASS\r\n");
  EXPECT_EQ(c.exchange("PASS carol-pw", "+OK"),
            "+OK carol's maildrop has 0 messages (0 octets)\r\n");
}

TEST(Pop3Server, SecondSessionFindsTheMaildropLocked) {
  RetrievalWorld w;
  w.deliver("carol", RetrievalWorld::message("carol@gmail.com", "one", "1\n"));
  RawClient first(w, *w.carol_pc, 995, true);
  RawClient second(w, *w.carol_pc, 995, true);
  first.take_until("+OK");
  second.take_until("+OK");
  first.exchange("USER carol", "+OK");
  EXPECT_EQ(first.exchange("PASS carol-pw", "+OK").substr(0, 28), "+OK carol's maildrop has 1 m");
  second.exchange("USER carol", "+OK");
  // RFC 2449 §8.1.1: the right password, but the maildrop is in use.
  EXPECT_EQ(second.exchange("PASS carol-pw", "-ERR"), "-ERR [IN-USE] maildrop already locked\r\n");
  // Once the first session has ended, the lock is free again.
  first.exchange("QUIT", "+OK");
  ASSERT_TRUE(testing::run_until(w.sim, [&] { return w.pop3->session_count() == 1; }));
  second.exchange("USER carol", "+OK");
  EXPECT_EQ(second.exchange("PASS carol-pw", "+OK").substr(0, 28), "+OK carol's maildrop has 1 m");
}

TEST(Pop3Server, DroppedConnectionDeletesNothingAndQuitDoes) {
  RetrievalWorld w;
  w.deliver("carol", RetrievalWorld::message("carol@gmail.com", "one", "1\n"));
  w.deliver("carol", RetrievalWorld::message("carol@gmail.com", "two", "2\n"));
  {
    RawClient c(w, *w.carol_pc, 995, true);
    c.take_until("+OK");
    c.exchange("USER carol", "+OK");
    c.exchange("PASS carol-pw", "+OK");
    EXPECT_EQ(c.exchange("DELE 1", "+OK"), "+OK message 1 deleted\r\n");
    EXPECT_EQ(c.exchange("DELE 2", "+OK"), "+OK message 2 deleted\r\n");
    c.abort();  // RST before QUIT: the session never reaches UPDATE (RFC 1939 §6)
    ASSERT_TRUE(testing::run_until(w.sim, [&] { return w.pop3->session_count() == 0; }));
  }
  EXPECT_EQ(w.inbox("carol").size(), 2u);
  EXPECT_FALSE(w.storage_gmail.store().maildrop_locked("carol"));

  RawClient c(w, *w.carol_pc, 995, true);
  c.take_until("+OK");
  c.exchange("USER carol", "+OK");
  c.exchange("PASS carol-pw", "+OK");
  EXPECT_EQ(c.exchange("DELE 1", "+OK"), "+OK message 1 deleted\r\n");
  // Marked but not removed yet: another look at the store still finds it.
  EXPECT_EQ(w.inbox("carol").size(), 2u);
  EXPECT_EQ(c.exchange("QUIT", "+OK"),
            "+OK mail.gmail.com POP3 server signing off (1 message left)\r\n");
  const auto inbox = w.inbox("carol");
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(inbox[0].uid, 2u);
  const auto notes = testing::events_of(w.sim.trace(), EventKind::Note, w.gmail);
  EXPECT_NE(std::find(notes.begin(), notes.end(),
                      "UPDATE: removed 1 of 1 marked messages from carol's maildrop"),
            notes.end());
}

TEST(Pop3Server, CrashLosesSessionsButNoMail) {
  RetrievalWorld w;
  w.deliver("carol", RetrievalWorld::message("carol@gmail.com", "one", "1\n"));
  RawClient c(w, *w.carol_pc, 995, true);
  c.take_until("+OK");
  c.exchange("USER carol", "+OK");
  c.exchange("PASS carol-pw", "+OK");
  c.exchange("DELE 1", "+OK");
  w.pop3->crash();
  ASSERT_TRUE(testing::run_until(w.sim, [&] { return !c.failure().empty(); }));
  EXPECT_EQ(c.failure(), "connection reset");
  EXPECT_EQ(w.inbox("carol").size(), 1u);
  EXPECT_FALSE(w.storage_gmail.store().maildrop_locked("carol"));
  w.pop3->restart();
  RawClient again(w, *w.carol_pc, 995, true);
  EXPECT_EQ(again.take_until("+OK"), "+OK mail.gmail.com POP3 server ready\r\n");
}

}  // namespace
}  // namespace mailscope::services
