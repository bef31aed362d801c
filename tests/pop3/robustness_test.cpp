// Seeded random input into both engines: they must never crash, over-read, leave the maildrop
// locked after the session ends, or remove mail without a QUIT. Under the asan preset this
// doubles as a small fuzzer.

#include <gtest/gtest.h>

#include "core/rng.h"
#include "pop3/pop3_test_util.h"

namespace mailscope::pop3::testing {
namespace {

// Random bytes biased towards POP3-looking material, so that the engines get past the first
// error often enough to reach deeper states.
std::string random_chunk(Rng& rng) {
  static const char* const kPieces[] = {"USER alice\r\n",
                                        "PASS s3cret\r\n",
                                        "PASS x\r\n",
                                        "AUTH PLAIN\r\n",
                                        "AGFsaWNlAHMzY3JldA==\r\n",
                                        "*\r\n",
                                        "STLS\r\n",
                                        "CAPA\r\n",
                                        "STAT\r\n",
                                        "LIST\r\n",
                                        "LIST 2\r\n",
                                        "UIDL\r\n",
                                        "RETR 1\r\n",
                                        "RETR 2\r\n",
                                        "TOP 3 1\r\n",
                                        "DELE 1\r\n",
                                        "DELE 3\r\n",
                                        "RSET\r\n",
                                        "NOOP\r\n",
                                        "QUIT\r\n",
                                        "\r\n",
                                        "\n",
                                        "\r",
                                        ".",
                                        ".\r\n",
                                        "+OK\r\n",
                                        "+OK 2 10\r\n",
                                        "-ERR\r\n",
                                        "-ERR [IN-USE] x\r\n",
                                        "+ \r\n",
                                        "1 abc\r\n",
                                        "SASL PLAIN\r\n",
                                        "STLS\r\n"};
  std::string out;
  const int parts = 1 + static_cast<int>(rng.below(4));
  for (int i = 0; i < parts; ++i) {
    if (rng.chance(0.8)) {
      out += kPieces[rng.below(std::size(kPieces))];
    } else {
      const std::size_t n = rng.below(rng.chance(0.1) ? 600 : 20);
      for (std::size_t j = 0; j < n; ++j)
        out += static_cast<char>(rng.below(256));
    }
  }
  return out;
}

TEST(Robustness, ServerSurvivesRandomInput) {
  Rng rng(20240607);
  for (int round = 0; round < 300; ++round) {
    auto store = make_store();
    FakeAuth auth;
    const Pop3ServerConfig config = rng.chance(0.5) ? plaintext_allowed_config() : plain_config();
    {
      Pop3ServerSession session(config, *store, auth, 0);
      session.start(0);
      bool quit_in_transaction = false;
      for (int step = 0; step < 60 && !session.closed(); ++step) {
        const std::string chunk = random_chunk(rng);
        const Pop3Output out = session.on_bytes(step, chunk);
        for (const Pop3Action& a : out.actions) {
          if (const Send* send = std::get_if<Send>(&a)) {
            // Every status line within RFC 2449's 512 octets.
            const std::size_t first_line = send->bytes.find("\r\n");
            ASSERT_NE(first_line, std::string::npos);
            EXPECT_LE(first_line + 2, kResponseLineMax);
          }
          if (std::holds_alternative<MaildropUpdated>(a)) quit_in_transaction = true;
        }
        if (session.state() == ServerState::TlsHandshake && rng.chance(0.7)) {
          session.on_tls_established(step);
        }
      }
      if (!session.closed()) session.on_connection_lost(100);
      if (!quit_in_transaction) {
        EXPECT_EQ(store->messages("alice", "INBOX")->size(), 3u) << "round " << round;
      }
    }
    EXPECT_FALSE(store->maildrop_locked("alice")) << "round " << round;
  }
}

TEST(Robustness, ClientSurvivesRandomInput) {
  Rng rng(4242);
  for (int round = 0; round < 300; ++round) {
    Pop3ClientConfig config;
    config.user = "alice";
    config.password = "s3cret";
    config.mode = rng.chance(0.5) ? RetrievalMode::DownloadAndDelete : RetrievalMode::LeaveOnServer;
    config.message_size_max = 1000;
    Pop3ClientSession client(config, 0);
    client.start(0);
    std::size_t finished = 0;
    for (int step = 0; step < 80 && !client.finished(); ++step) {
      const Pop3Output out = client.on_bytes(step, random_chunk(rng));
      finished += out.all<SessionFinished>().size();
      for (const MessageRetrieved& m : out.all<MessageRetrieved>()) {
        EXPECT_LE(m.bytes.size(), 1000u);
      }
      if (client.state() == ClientState::TlsHandshake) client.on_tls_established(step);
    }
    if (!client.finished())
      finished += client.on_connection_lost(200).all<SessionFinished>().size();
    EXPECT_EQ(finished, 1u) << "round " << round;  // exactly one end, whatever happened
  }
}

}  // namespace
}  // namespace mailscope::pop3::testing
