#include "proto/smtp/address.h"

#include <gtest/gtest.h>

#include "proto/smtp/command.h"

namespace mailscope::smtp {
namespace {

struct AddressCase {
  const char* comment;
  std::string input;
  PathKind kind;
  bool ok;
  std::string local_or_where;  // expected local-part when ok, Error::where otherwise
  std::string domain;          // expected domain when ok
  std::string rest;            // expected text after the path when ok
};

const std::string kLong64(64, 'a');
const std::string kLong65(65, 'a');

std::vector<AddressCase> cases() {
  return {
      {"plain mailbox", "<bob@example.com>", PathKind::Forward, true, "bob", "example.com", ""},
      {"parameters follow", "<bob@example.com> SIZE=10", PathKind::Reverse, true, "bob",
       "example.com", " SIZE=10"},
      {"null reverse-path", "<>", PathKind::Reverse, true, "", "", ""},
      {"null forward-path refused", "<>", PathKind::Forward, false, "path", "", ""},
      {"dot-string with atext", "<first.last+tag@example.com>", PathKind::Forward, true,
       "first.last+tag", "example.com", ""},
      {"quoted local-part with space", "<\"john doe\"@example.com>", PathKind::Forward, true,
       "\"john doe\"", "example.com", ""},
      {"quoted local-part with '>'", "<\"a>b\"@example.com>", PathKind::Forward, true, "\"a>b\"",
       "example.com", ""},
      {"quoted-pair", "<\"a\\\"b\"@example.com>", PathKind::Forward, true, "\"a\\\"b\"",
       "example.com", ""},
      {"IPv4 address literal", "<root@[192.0.2.1]>", PathKind::Forward, true, "root", "[192.0.2.1]",
       ""},
      {"IPv6 address literal", "<root@[IPv6:2001:db8::1]>", PathKind::Forward, true, "root",
       "[IPv6:2001:db8::1]", ""},
      {"IPv4 octet over 255", "<root@[192.0.2.256]>", PathKind::Forward, false, "domain", "", ""},
      {"unterminated literal", "<root@[192.0.2.1>", PathKind::Forward, false, "domain", "", ""},
      {"postmaster without domain", "<Postmaster>", PathKind::Forward, true, "Postmaster", "", ""},
      {"postmaster without domain only as recipient", "<postmaster>", PathKind::Reverse, false,
       "path", "", ""},
      {"source route kept apart", "<@a.example,@b.example:user@c.example>", PathKind::Forward, true,
       "user", "c.example", ""},
      {"bad route hop", "<@a..example:user@c.example>", PathKind::Forward, false, "route", "", ""},
      {"missing '>'", "<bob@example.com", PathKind::Forward, false, "path", "", ""},
      {"junk after '>'", "<bob@example.com>x", PathKind::Forward, false, "path", "", ""},
      {"no '@'", "<bob>", PathKind::Forward, false, "path", "", ""},
      {"extra unquoted '@'", "<bob@host@example.com>", PathKind::Forward, false, "domain", "", ""},
      {"leading dot", "<.bob@example.com>", PathKind::Forward, false, "local-part", "", ""},
      {"double dot", "<bo..b@example.com>", PathKind::Forward, false, "local-part", "", ""},
      {"trailing dot in domain", "<bob@example.com.>", PathKind::Forward, false, "domain", "", ""},
      {"label starting with hyphen", "<bob@-x.example>", PathKind::Forward, false, "domain", "",
       ""},
      {"underscore in domain", "<bob@ex_ample.com>", PathKind::Forward, false, "domain", "", ""},
      {"non-ASCII local-part",
       "<b\xc3\xb6"
       "b@example.com>",
       PathKind::Forward, false, "path", "", ""},
      {"local-part of 64 octets", "<" + kLong64 + "@example.com>", PathKind::Forward, true, kLong64,
       "example.com", ""},
      {"local-part of 65 octets", "<" + kLong65 + "@example.com>", PathKind::Forward, false,
       "local-part", "", ""},
      {"path over 256 octets",
       "<a@" + std::string(62, 'b') + "." + std::string(62, 'c') + "." + std::string(62, 'd') +
           "." + std::string(62, 'e') + ".com>",
       PathKind::Forward, false, "path", "", ""},
      {"label of 64 octets", "<a@" + std::string(64, 'b') + ".com>", PathKind::Forward, false,
       "domain", "", ""},
      {"bare mailbox tolerated", "bob@example.com SIZE=1", PathKind::Reverse, true, "bob",
       "example.com", " SIZE=1"},
      {"empty", "", PathKind::Reverse, false, "path", "", ""},
  };
}

TEST(AddressParser, Table) {
  for (const AddressCase& c : cases()) {
    SCOPED_TRACE(c.comment);
    auto parsed = parse_path(c.input, c.kind);
    ASSERT_EQ(parsed.ok(), c.ok) << (parsed.ok() ? "" : parsed.error().to_string());
    if (!c.ok) {
      EXPECT_EQ(parsed.error().where, c.local_or_where) << parsed.error().to_string();
      continue;
    }
    EXPECT_EQ(parsed->path.mailbox.local_part, c.local_or_where);
    EXPECT_EQ(parsed->path.mailbox.domain, c.domain);
    EXPECT_EQ(parsed->rest, c.rest);
  }
}

TEST(AddressParser, SourceRouteAndRendering) {
  auto parsed = parse_path("<@a.example,@b.example:user@c.example>", PathKind::Forward);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->path.source_route, (std::vector<std::string>{"a.example", "b.example"}));
  EXPECT_EQ(parsed->path.to_string(), "<user@c.example>");
  auto null = parse_path("<>", PathKind::Reverse);
  ASSERT_TRUE(null.ok());
  EXPECT_TRUE(null->path.null);
  EXPECT_EQ(null->path.to_string(), "<>");
}

TEST(CommandParser, VerbsAreCaseInsensitive) {
  EXPECT_EQ(parse_command_line("ehlo x").verb, Verb::Ehlo);
  EXPECT_EQ(parse_command_line("MaIl FROM:<>").verb, Verb::Mail);
  EXPECT_EQ(parse_command_line("StartTLS").verb, Verb::StartTls);
  EXPECT_EQ(parse_command_line("MAILX FROM:<>").verb, Verb::Unknown);
  const CommandLine cmd = parse_command_line("RCPT   TO:<a@b.c>  ");
  EXPECT_EQ(cmd.argument, "TO:<a@b.c>");
}

TEST(CommandParser, PathArgumentsWithParameters) {
  auto arg =
      parse_path_argument("from: <a@b.example> size=100 BODY=8BITMIME", "FROM", PathKind::Reverse);
  ASSERT_TRUE(arg.ok()) << arg.error().to_string();
  EXPECT_EQ(arg->path.mailbox.to_string(), "a@b.example");
  ASSERT_EQ(arg->parameters.size(), 2u);
  EXPECT_EQ(arg->parameters[0], (EsmtpParameter{"SIZE", "100"}));
  EXPECT_EQ(arg->parameters[1], (EsmtpParameter{"BODY", "8BITMIME"}));
  // Errors and where they are reported.
  EXPECT_EQ(parse_path_argument("FROM <a@b.example>", "FROM", PathKind::Reverse).error().where,
            "syntax");
  EXPECT_EQ(parse_path_argument("TO:<a@b.example>", "FROM", PathKind::Reverse).error().where,
            "syntax");
  EXPECT_EQ(parse_path_argument("FROM:<a@b.example> =x", "FROM", PathKind::Reverse).error().where,
            "parameter");
  EXPECT_EQ(
      parse_path_argument("FROM:<a@b.example> SIZE=", "FROM", PathKind::Reverse).error().where,
      "parameter");
}

TEST(CommandParser, Decimal) {
  EXPECT_EQ(parse_decimal("0"), 0u);
  EXPECT_EQ(parse_decimal("18446744073709551615"), UINT64_MAX);
  EXPECT_FALSE(parse_decimal("18446744073709551616"));  // overflows 64 bits
  EXPECT_FALSE(parse_decimal(""));
  EXPECT_FALSE(parse_decimal("12a"));
  EXPECT_FALSE(parse_decimal("-1"));
}

}  // namespace
}  // namespace mailscope::smtp
