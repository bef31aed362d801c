#include "proto/smtp/data_reader.h"

#include <gtest/gtest.h>

namespace mailscope::smtp {
namespace {

struct DataCase {
  const char* comment;
  std::string input;
  std::size_t consumed;  // bytes up to and including the end of data
  bool finished;
  std::string content;
  bool bare_newline;
  bool line_too_long;
  bool too_big;
};

std::vector<DataCase> cases() {
  const std::string long998(998, 'x');
  const std::string long999(999, 'x');
  return {
      {"empty message", ".\r\n", 3, true, "", false, false, false},
      {"one line", "Hi\r\n.\r\n", 7, true, "Hi\r\n", false, false, false},
      {"stops at the end of data", "Hi\r\n.\r\nQUIT\r\n", 7, true, "Hi\r\n", false, false, false},
      {"dot-unstuffing", "..hidden\r\n...\r\n.\r\n", 18, true, ".hidden\r\n..\r\n", false, false,
       false},
      {"a dot inside a line is content", "a.b\r\n .\r\n.\r\n", 12, true, "a.b\r\n .\r\n", false,
       false, false},
      {"not finished without the dot line", "Hi\r\n", 4, false, "Hi\r\n", false, false, false},
      {"bare LF before dot is not an end", "Hi\n.\nmore\r\n.\r\n", 14, true, "", true, false,
       false},
      {"bare LF dot CRLF is not an end", "Hi\n.\r\n.\r\n", 9, true, "", true, false, false},
      {"bare CR is content and flagged", "a\rb\r\n.\r\n", 8, true, "", true, false, false},
      {"CR CR LF flags the first CR", "a\r\r\n.\r\n", 7, true, "", true, false, false},
      {"line of 998 octets is fine", long998 + "\r\n.\r\n", 1003, true, long998 + "\r\n", false,
       false, false},
      {"line of 999 octets is too long", long999 + "\r\n.\r\n", 1004, true, "", false, true, false},
  };
}

TEST(DataReader, Table) {
  for (const DataCase& c : cases()) {
    SCOPED_TRACE(c.comment);
    // Whole and byte by byte must agree.
    for (bool bytewise : {false, true}) {
      DataReader reader(1'000'000);
      std::size_t consumed = 0;
      if (bytewise) {
        for (std::size_t i = 0; i < c.input.size() && !reader.finished(); ++i) {
          consumed += reader.feed(std::string_view(c.input).substr(i, 1));
        }
      } else {
        consumed = reader.feed(c.input);
      }
      EXPECT_EQ(consumed, c.consumed);
      EXPECT_EQ(reader.finished(), c.finished);
      EXPECT_EQ(reader.bare_newline(), c.bare_newline);
      EXPECT_EQ(reader.line_too_long(), c.line_too_long);
      EXPECT_EQ(reader.too_big(), c.too_big);
      if (reader.acceptable()) {
        EXPECT_EQ(reader.content(), c.content);
      }
    }
  }
}

TEST(DataReader, SizeLimitCountsUnstuffedBytes) {
  DataReader fits(10);
  fits.feed("12345678\r\n.\r\n");  // exactly 10 octets
  EXPECT_TRUE(fits.finished());
  EXPECT_FALSE(fits.too_big());
  DataReader over(10);
  over.feed("123456789\r\n.\r\n");  // 11 octets
  EXPECT_TRUE(over.finished());
  EXPECT_TRUE(over.too_big());
  EXPECT_EQ(over.size_bytes(), 11u);
  EXPECT_TRUE(over.content().empty());  // nothing of a refused message is kept
}

struct EncodeCase {
  const char* comment;
  std::string message;
  std::string wire;
};

TEST(EncodeData, NormalisesAndStuffs) {
  const EncodeCase cases[] = {
      {"empty message", "", ".\r\n"},
      {"adds the final CRLF", "Hi", "Hi\r\n.\r\n"},
      {"keeps CRLF", "a\r\nb\r\n", "a\r\nb\r\n.\r\n"},
      {"bare LF becomes CRLF", "a\nb\n", "a\r\nb\r\n.\r\n"},
      {"bare CR becomes CRLF", "a\rb", "a\r\nb\r\n.\r\n"},
      {"leading dot is doubled", ".\n..x\n", "..\r\n...x\r\n.\r\n"},
      {"dot after a bare LF is doubled too", "a\n.\nb", "a\r\n..\r\nb\r\n.\r\n"},
  };
  for (const EncodeCase& c : cases) {
    EXPECT_EQ(encode_data(c.message), c.wire) << c.comment;
  }
}

TEST(EncodeData, RoundTripThroughTheReader) {
  const std::string message = "Subject: dots\r\n\r\n.\r\n..\r\n.x\r\nend";
  DataReader reader(1'000'000);
  const std::string wire = encode_data(message);
  EXPECT_EQ(reader.feed(wire), wire.size());
  ASSERT_TRUE(reader.finished());
  ASSERT_TRUE(reader.acceptable());
  EXPECT_EQ(reader.content(), message + "\r\n");
}

}  // namespace
}  // namespace mailscope::smtp
