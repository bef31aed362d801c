#include "proto/smtp/reply.h"

#include <gtest/gtest.h>

namespace mailscope::smtp {
namespace {

TEST(Reply, FormatsSingleAndMultiLine) {
  EXPECT_EQ(format_reply(make_reply(250, "2.1.0", "Ok")), "250 2.1.0 Ok\r\n");
  EXPECT_EQ(format_reply(SmtpReply{220, "", {"mx ESMTP"}}), "220 mx ESMTP\r\n");
  EXPECT_EQ(format_reply(SmtpReply{250, "", {"mx", "PIPELINING", "8BITMIME"}}),
            "250-mx\r\n250-PIPELINING\r\n250 8BITMIME\r\n");
  EXPECT_EQ(format_reply(SmtpReply{550, "5.1.1", {"a", "b"}}), "550-5.1.1 a\r\n550 5.1.1 b\r\n");
  // A 334 challenge with an empty text keeps the space after the code (RFC 4954 §4).
  EXPECT_EQ(format_reply(SmtpReply{334, "", {""}}), "334 \r\n");
}

TEST(Reply, EnhancedCodeDetection) {
  EXPECT_EQ(leading_enhanced_code("2.1.5 Ok"), "2.1.5");
  EXPECT_EQ(leading_enhanced_code("5.7.11 Encryption required"), "5.7.11");
  EXPECT_FALSE(leading_enhanced_code("3.0.0 no such class"));
  EXPECT_FALSE(leading_enhanced_code("mx.example.com"));
  EXPECT_FALSE(leading_enhanced_code("2.1 short"));
  EXPECT_FALSE(leading_enhanced_code("2.1.5x"));
}

TEST(ReplyParser, ParsesMultiLineInAnyChunking) {
  const std::string bytes =
      "250-mx.example.com\r\n250-SIZE 100\r\n250 8BITMIME\r\n550 5.1.1 No\r\n";
  for (std::size_t chunk : {std::size_t{1}, std::size_t{3}, std::size_t{7}, bytes.size()}) {
    ReplyParser parser;
    std::vector<SmtpReply> replies;
    for (std::size_t at = 0; at < bytes.size(); at += chunk) {
      std::string_view piece = std::string_view(bytes).substr(at, chunk);
      while (!piece.empty()) {
        const auto step = parser.feed(piece);
        piece.remove_prefix(step.consumed);
        ASSERT_NE(step.status, ReplyParser::Status::Bad);
        if (step.status == ReplyParser::Status::Complete) replies.push_back(parser.reply());
      }
    }
    ASSERT_EQ(replies.size(), 2u) << "chunk " << chunk;
    EXPECT_EQ(replies[0], (SmtpReply{250, "", {"mx.example.com", "SIZE 100", "8BITMIME"}}));
    EXPECT_EQ(replies[1], (SmtpReply{550, "5.1.1", {"No"}}));
  }
}

TEST(ReplyParser, RejectsMalformedReplies) {
  const char* bad[] = {
      "hello\r\n",            // no code
      "25\r\n",               // short code
      "250-a\r\n251 b\r\n",   // code changes inside a reply
      "250x\r\n",             // neither space nor hyphen after the code
      "650 six hundred\r\n",  // no such class
  };
  for (const char* text : bad) {
    ReplyParser parser;
    std::string_view rest = text;
    ReplyParser::Status status = ReplyParser::Status::NeedMore;
    while (!rest.empty() && status != ReplyParser::Status::Bad) {
      const auto step = parser.feed(rest);
      rest.remove_prefix(step.consumed);
      status = step.status;
    }
    EXPECT_EQ(status, ReplyParser::Status::Bad) << text;
  }
  ReplyParser parser;
  EXPECT_EQ(parser.feed(std::string(600, '2')).status, ReplyParser::Status::Bad);  // line too long
}

}  // namespace
}  // namespace mailscope::smtp
