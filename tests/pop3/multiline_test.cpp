// Byte-stuffing both ways (RFC 1939 §3) and TOP's cut of a message.

#include <gtest/gtest.h>

#include "proto/pop3/multiline.h"

namespace mailscope::pop3 {
namespace {

struct StuffCase {
  const char* name;
  std::string body;
  std::string wire;  // what append_stuffed produces
};

TEST(Multiline, StuffingVectors) {
  const std::vector<StuffCase> cases = {
      // An empty body is just the end line.
      {"empty", "", ".\r\n"},
      // A plain line passes unchanged.
      {"plain", "abc\r\n", "abc\r\n.\r\n"},
      // A leading dot is doubled, on the first line and on later ones.
      {"first line dot", ".abc\r\n", "..abc\r\n.\r\n"},
      {"later line dot", "a\r\n.b\r\n", "a\r\n..b\r\n.\r\n"},
      // A line that is only "." would end the body early; it becomes "..".
      {"lone dot", "a\r\n.\r\nb\r\n", "a\r\n..\r\nb\r\n.\r\n"},
      // Two dots become three; dots inside a line are left alone.
      {"two dots", "..x\r\n", "...x\r\n.\r\n"},
      {"inner dot", "a.b\r\n", "a.b\r\n.\r\n"},
      // A body without a final line end gets a CRLF before the end line.
      {"no final crlf", "abc", "abc\r\n.\r\n"},
      {"dot no final crlf", ".", "..\r\n.\r\n"},
      // A bare LF also starts a line (clients split at LF).
      {"bare lf", "a\n.b\r\n", "a\n..b\r\n.\r\n"},
      // A bare CR does not.
      {"bare cr", "a\r.b\r\n", "a\r.b\r\n.\r\n"},
  };
  for (const StuffCase& c : cases) {
    std::string out = "+OK\r\n";
    const std::size_t added = append_stuffed(out, c.body);
    EXPECT_EQ(out, "+OK\r\n" + c.wire) << c.name;
    EXPECT_EQ(added, c.wire.size()) << c.name;
  }
}

struct ReadCase {
  const char* name;
  std::string wire;
  std::string body;      // after un-stuffing
  std::size_t consumed;  // octets used, the end line included
};

TEST(Multiline, ReaderVectors) {
  const std::vector<ReadCase> cases = {
      {"empty", ".\r\n", "", 3},
      {"plain", "abc\r\n.\r\n", "abc\r\n", 8},
      {"stuffed", "..abc\r\n...\r\n..\r\n.\r\n", ".abc\r\n..\r\n.\r\n", 19},
      // Bytes after the end line belong to the next response and are not consumed.
      {"trailing", "a\r\n.\r\n+OK\r\n", "a\r\n", 6},
      // Tolerated: a bare LF as the end of the end line.
      {"lf end", "a\n.\n", "a\n", 4},
      // A dot that the server forgot to double is still removed (RFC 1939 §3).
      {"unstuffed dot", ".x\r\n.\r\n", "x\r\n", 7},
      // ".\r" followed by something else is stuffing plus content.
      {"dot cr x", ".\rx\r\n.\r\n", "\rx\r\n", 8},
  };
  for (const ReadCase& c : cases) {
    MultiLineReader whole(1000);
    EXPECT_EQ(whole.feed(c.wire), c.consumed) << c.name;
    EXPECT_TRUE(whole.finished()) << c.name;
    EXPECT_EQ(whole.body(), c.body) << c.name;
    EXPECT_EQ(whole.size_bytes(), c.body.size()) << c.name;
    // The same one byte at a time.
    MultiLineReader bytewise(1000);
    std::size_t used = 0;
    for (std::size_t i = 0; i < c.wire.size() && !bytewise.finished(); ++i) {
      used += bytewise.feed(std::string_view(c.wire).substr(i, 1));
    }
    EXPECT_EQ(used, c.consumed) << c.name;
    EXPECT_EQ(bytewise.body(), c.body) << c.name;
  }
}

TEST(Multiline, ReaderNeedsTheEndLine) {
  MultiLineReader reader(1000);
  EXPECT_EQ(reader.feed("abc\r\n.\r"), 7u);
  EXPECT_FALSE(reader.finished());
  EXPECT_EQ(reader.feed("\n"), 1u);
  EXPECT_TRUE(reader.finished());
  EXPECT_EQ(reader.feed("more"), 0u);  // nothing after the end
}

TEST(Multiline, ReaderDropsABodyOverItsLimitButReadsToTheEnd) {
  MultiLineReader reader(10);
  const std::string wire = "0123456789\r\nabc\r\n.\r\n+OK";
  EXPECT_EQ(reader.feed(wire), wire.size() - 3);
  EXPECT_TRUE(reader.finished());
  EXPECT_TRUE(reader.too_big());
  EXPECT_TRUE(reader.body().empty());
  EXPECT_EQ(reader.size_bytes(), 17u);
}

TEST(Multiline, RoundTripIsByteIdentical) {
  // Every body that ends in LF comes back exactly, in any chunking.
  const std::vector<std::string> bodies = {
      "",
      ".\r\n",
      "..\r\n...\r\n.\r\n",
      "Subject: x\r\n\r\n.\r\n.end\r\n\r\n.\r\n",
      "a\n.\n..\nb\r\n",
      std::string("nul\0byte\r\n.\r\n", 13),
  };
  for (const std::string& body : bodies) {
    std::string wire;
    append_stuffed(wire, body);
    for (std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{3}, wire.size()}) {
      MultiLineReader reader(1 << 20);
      std::size_t pos = 0;
      while (pos < wire.size() && !reader.finished()) {
        pos += reader.feed(std::string_view(wire).substr(pos, chunk));
      }
      EXPECT_EQ(pos, wire.size());
      EXPECT_EQ(reader.body(), body) << "chunk " << chunk;
    }
  }
}

struct TopCase {
  const char* name;
  std::string message;
  std::uint64_t lines;
  std::string top;
};

TEST(Multiline, TopOfMessage) {
  const std::string m = "A: 1\r\nB: 2\r\n\r\nl1\r\nl2\r\nl3\r\n";
  const std::vector<TopCase> cases = {
      // Zero lines: the header and the empty line.
      {"zero", m, 0, "A: 1\r\nB: 2\r\n\r\n"},
      {"one", m, 1, "A: 1\r\nB: 2\r\n\r\nl1\r\n"},
      {"all", m, 3, m},
      // More lines than the body has: the whole message.
      {"more", m, 99, m},
      {"huge", m, UINT64_MAX, m},
      // No empty line: all header, sent whole.
      {"no body", "A: 1\r\nB: 2\r\n", 0, "A: 1\r\nB: 2\r\n"},
      // An empty header: the message starts with the empty line.
      {"empty header", "\r\nbody\r\n", 0, "\r\n"},
      // A last body line without CRLF counts as a line.
      {"no final crlf", "A: 1\r\n\r\nx\r\ny", 1, "A: 1\r\n\r\nx\r\n"},
      {"empty message", "", 5, ""},
  };
  for (const TopCase& c : cases) {
    EXPECT_EQ(top_of_message(c.message, c.lines), c.top) << c.name;
  }
}

}  // namespace
}  // namespace mailscope::pop3
