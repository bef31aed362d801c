// Hostile input: random token soup and random bytes must never crash either engine or make it
// read out of bounds (run under ASan/UBSan), and the server must keep answering afterwards.

#include <gtest/gtest.h>

#include <random>

#include "imap/imap_test_util.h"

namespace mailscope::imap::testing {
namespace {

const char* const kTokens[] = {"a ",
                               "UID ",
                               "FETCH ",
                               "STORE ",
                               "SEARCH ",
                               "APPEND ",
                               "SELECT ",
                               "LOGIN ",
                               "IDLE",
                               "DONE",
                               "1",
                               "*",
                               ":",
                               ",",
                               "(",
                               ")",
                               "[",
                               "]",
                               "<0.5>",
                               "BODY",
                               ".PEEK",
                               "HEADER",
                               ".FIELDS",
                               "TEXT",
                               "MIME",
                               "{3}",
                               "{4+}",
                               "{0}",
                               "\"",
                               "\\",
                               " ",
                               "\r\n",
                               "\n",
                               "INBOX",
                               "+FLAGS",
                               "\\Seen",
                               "NOT ",
                               "OR ",
                               "SINCE ",
                               "1-Jan-2024",
                               "ENVELOPE",
                               "BODYSTRUCTURE",
                               "MOVE ",
                               "COPY ",
                               "Trash",
                               "EXPUNGE",
                               "AUTHENTICATE PLAIN",
                               "=",
                               "x",
                               "CLOSE",
                               "LIST \"\" *",
                               "%"};

TEST(Robustness, ServerSurvivesTokenSoup) {
  std::mt19937 rng(20240902);
  for (int round = 0; round < 200; ++round) {
    ServerHarness h;
    h.login();
    h.select();
    std::string soup;
    const int n = static_cast<int>(rng() % 200);
    for (int i = 0; i < n; ++i)
      soup += kTokens[rng() % std::size(kTokens)];
    const std::size_t chunk = 1 + rng() % 17;
    for (std::size_t pos = 0; pos < soup.size(); pos += chunk) {
      (void)h.session.on_bytes(h.now, std::string_view(soup).substr(pos, chunk));
    }
    if (h.session.closed()) continue;
    // Leave IDLE, an AUTHENTICATE exchange or a literal, then check the session still answers.
    (void)h.session.on_bytes(h.now, std::string_view("\r\nDONE\r\n"));
    if (h.session.state() == ServerState::Selected ||
        h.session.state() == ServerState::Authenticated) {
      const std::string reply = h.send("zz NOOP\r\n");
      EXPECT_NE(reply.find("zz "), std::string::npos) << soup;
    }
  }
}

TEST(Robustness, EnginesSurviveRandomBytes) {
  std::mt19937 rng(7);
  for (int round = 0; round < 100; ++round) {
    std::string bytes(rng() % 3000, '\0');
    for (char& c : bytes)
      c = static_cast<char>(rng() % 4 == 0 ? "{}()[]\r\n\" *+"[rng() % 12] : rng() % 256);
    ServerHarness h;
    h.login();
    (void)h.session.on_bytes(h.now, bytes);
    ImapClientSession client(ImapClientConfig{}, 0);
    client.login("alice", "pw");
    (void)client.on_bytes(0, std::string_view("* OK ready\r\n"));
    (void)client.on_bytes(0, bytes);
  }
}

}  // namespace
}  // namespace mailscope::imap::testing
