// Seeded random input into both engines: they must never crash, over-read or grow without bound.
// Under the asan preset this doubles as a small fuzzer.

#include <gtest/gtest.h>

#include "core/rng.h"
#include "smtp/smtp_test_util.h"

namespace mailscope::smtp::testing {
namespace {

// Random bytes biased towards SMTP-looking material, so that the engines get past the first
// error often enough to reach deeper states.
std::string random_chunk(Rng& rng) {
  static const char* const kPieces[] = {"EHLO x\r\n",
                                        "HELO x\r\n",
                                        "MAIL FROM:<a@b.example>\r\n",
                                        "RCPT TO:<c@d.example>\r\n",
                                        "DATA\r\n",
                                        ".\r\n",
                                        "\r\n",
                                        "\n",
                                        "\r",
                                        ".",
                                        "RSET\r\n",
                                        "STARTTLS\r\n",
                                        "AUTH PLAIN\r\n",
                                        "AUTH LOGIN\r\n",
                                        "AGFsaWNlAHMzY3JldA==\r\n",
                                        "*\r\n",
                                        "250-x\r\n",
                                        "250 x\r\n",
                                        "220 x\r\n",
                                        "354 go\r\n",
                                        "334 \r\n",
                                        "235 ok\r\n",
                                        "550 no\r\n",
                                        "421 bye\r\n"};
  std::string out;
  const int parts = 1 + static_cast<int>(rng.below(4));
  for (int i = 0; i < parts; ++i) {
    if (rng.chance(0.5)) {
      out += kPieces[rng.below(std::size(kPieces))];
    } else {
      const std::size_t n = rng.below(rng.chance(0.05) ? 3000 : 20);
      for (std::size_t k = 0; k < n; ++k)
        out += static_cast<char>(rng.below(256));
    }
  }
  return out;
}

TEST(Robustness, ServerSurvivesRandomInput) {
  Rng rng(20240521);
  for (int session_index = 0; session_index < 300; ++session_index) {
    FakePolicy policy;
    SmtpServerConfig config = session_index % 3 == 0   ? relay_config()
                              : session_index % 3 == 1 ? submission_config()
                                                       : smtps_config();
    config.allow_plaintext_auth = session_index % 2 == 0;
    SmtpServerSession server(config, policy, 0);
    server.start(0);
    TimeNs now = 0;
    for (int step = 0; step < 200 && !server.closed(); ++step) {
      now += static_cast<TimeNs>(rng.below(kSecond));
      const SmtpOutput out = server.on_bytes(now, random_chunk(rng));
      for (const Send& send : out.all<Send>()) {
        // Every reply line is a well-formed line of at most 512 octets.
        ASSERT_GE(send.bytes.size(), 5u);
        ASSERT_EQ(send.bytes.substr(send.bytes.size() - 2), "\r\n");
      }
      if (!out.all<StartTls>().empty()) server.on_tls_established(now);
    }
    if (!server.closed()) {
      EXPECT_TRUE(server.on_timeout(server.deadline()).closes());
    }
  }
}

TEST(Robustness, ClientSurvivesRandomInput) {
  Rng rng(7);
  for (int session_index = 0; session_index < 300; ++session_index) {
    SmtpClientConfig config;
    config.starttls = static_cast<StartTlsPolicy>(session_index % 3);
    if (session_index % 2 == 0) config.credentials = Credentials{"alice", "s3cret"};
    SmtpClientSession client(
        config, {OutgoingMessage{"a@b.example", {"c@d.example", "e@f.example"}, "Hi\n.\n"}}, 0);
    client.start(0);
    for (int step = 0; step < 200 && !client.finished(); ++step) {
      const SmtpOutput out = client.on_bytes(0, random_chunk(rng));
      if (!out.all<StartTls>().empty()) client.on_tls_established(0);
    }
    if (!client.finished()) {
      const SmtpOutput out = client.on_connection_lost(0);
      EXPECT_EQ(out.all<SessionFinished>().size(), 1u);
    }
    EXPECT_TRUE(client.finished());
  }
}

}  // namespace
}  // namespace mailscope::smtp::testing
