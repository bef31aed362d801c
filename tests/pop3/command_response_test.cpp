// Command lines, numbers, status lines and unique-ids.

#include <gtest/gtest.h>

#include "proto/pop3/command.h"
#include "proto/pop3/maildrop.h"
#include "proto/pop3/response.h"

namespace mailscope::pop3 {
namespace {

TEST(Command, KeywordsAreCaseInsensitive) {
  EXPECT_EQ(parse_command_line("retr 1").verb, Verb::Retr);
  EXPECT_EQ(parse_command_line("ReTr 1").verb, Verb::Retr);
  EXPECT_EQ(parse_command_line("TOP 1 2").verb, Verb::Top);
  EXPECT_EQ(parse_command_line("stls").verb, Verb::Stls);
  // Not keywords: too short, too long, prefixes, empty.
  EXPECT_EQ(parse_command_line("RE").verb, Verb::Unknown);
  EXPECT_EQ(parse_command_line("RETRX 1").verb, Verb::Unknown);
  EXPECT_EQ(parse_command_line("STARTTLS").verb, Verb::Unknown);
  EXPECT_EQ(parse_command_line("").verb, Verb::Unknown);
  EXPECT_EQ(parse_command_line(" STAT").verb, Verb::Unknown);
}

TEST(Command, ArgumentsAndRest) {
  const CommandLine top = parse_command_line("TOP 1  10 ");
  ASSERT_EQ(top.arguments.size(), 2u);
  EXPECT_EQ(top.arguments[0], "1");
  EXPECT_EQ(top.arguments[1], "10");
  // PASS keeps its spaces.
  const CommandLine pass = parse_command_line("PASS  my secret ");
  EXPECT_EQ(pass.rest, " my secret ");
  EXPECT_EQ(pass.arguments.size(), 2u);
  // Too many arguments are flagged, not stored.
  const CommandLine many = parse_command_line("LIST 1 2 3 4 5 6 7 8 9 10");
  EXPECT_TRUE(many.too_many_arguments);
  EXPECT_EQ(many.arguments.size(), kArgumentsMax);
  EXPECT_TRUE(parse_command_line("STAT").arguments.empty());
  EXPECT_TRUE(parse_command_line("STAT ").arguments.empty());
}

TEST(Command, Numbers) {
  EXPECT_EQ(parse_number("1"), 1u);
  EXPECT_EQ(parse_number("007"), 7u);
  EXPECT_EQ(parse_number("9999999999999999999"), 9999999999999999999u);
  EXPECT_EQ(parse_number(""), std::nullopt);
  EXPECT_EQ(parse_number("-1"), std::nullopt);
  EXPECT_EQ(parse_number("+1"), std::nullopt);
  EXPECT_EQ(parse_number("1a"), std::nullopt);
  EXPECT_EQ(parse_number("0x10"), std::nullopt);
  EXPECT_EQ(parse_number("12345678901234567890"), std::nullopt);  // 20 digits
}

TEST(Response, Formatting) {
  EXPECT_EQ(status_line(ok_response("")), "+OK");
  EXPECT_EQ(status_line(ok_response("2 320")), "+OK 2 320");
  EXPECT_EQ(status_line(err_response("", "no such message")), "-ERR no such message");
  EXPECT_EQ(status_line(err_response("IN-USE", "locked")), "-ERR [IN-USE] locked");
  EXPECT_EQ(status_line(Pop3Response{Status::Continue, {}, {}}), "+ ");
}

TEST(Response, Parsing) {
  struct Case {
    const char* line;
    Status status;
    const char* code;
    const char* text;
  };
  const std::vector<Case> cases = {
      {"+OK", Status::Ok, "", ""},
      {"+OK 2 320", Status::Ok, "", "2 320"},
      {"-ERR [IN-USE] maildrop already locked", Status::Err, "IN-USE", "maildrop already locked"},
      {"-ERR [SYS/TEMP] try later", Status::Err, "SYS/TEMP", "try later"},
      // A bracket that is not a valid code stays in the text.
      {"-ERR [bad code] x", Status::Err, "", "[bad code] x"},
      {"-ERR [SYS/] x", Status::Err, "", "[SYS/] x"},
      {"-ERR", Status::Err, "", ""},
      {"+ ", Status::Continue, "", ""},
      {"+ Y2hhbGxlbmdl", Status::Continue, "", "Y2hhbGxlbmdl"},
  };
  for (const Case& c : cases) {
    const auto r = parse_status_line(c.line);
    ASSERT_TRUE(r.ok()) << c.line;
    EXPECT_EQ(r->status, c.status) << c.line;
    EXPECT_EQ(r->code, c.code) << c.line;
    EXPECT_EQ(r->text, c.text) << c.line;
  }
  // Not status lines.
  for (const char* bad : {"", "OK", "+OKAY", "-ERROR x", "220 ready", "* OK"}) {
    EXPECT_FALSE(parse_status_line(bad).ok()) << bad;
  }
}

TEST(UniqueId, UidThenUidValidityInHex) {
  EXPECT_EQ(make_unique_id(1, 1), "0000000100000001");
  EXPECT_EQ(make_unique_id(0x2A, 0xBEEF), "0000BEEF0000002A");
  EXPECT_EQ(make_unique_id(UINT32_MAX, UINT32_MAX), "FFFFFFFFFFFFFFFF");
}

}  // namespace
}  // namespace mailscope::pop3
