// The command grammar: what parse_command() makes of valid commands, and what it refuses.

#include "proto/imap/command.h"

#include <gtest/gtest.h>

namespace mailscope::imap {
namespace {

Command parse_ok(std::string_view text) {
  auto cmd = parse_command(text);
  EXPECT_TRUE(cmd.ok()) << text << ": " << (cmd.ok() ? "" : cmd.error().to_string());
  return cmd.ok() ? *cmd : Command{};
}

TEST(CommandParser, VerbsAndStringArguments) {
  struct Case {
    std::string_view text;
    Verb verb;
    std::vector<std::string> args;
  };
  const Case cases[] = {
      {"a1 capability", Verb::Capability, {}},                      // verbs are case-insensitive
      {"a1 LOGIN alice s3cret", Verb::Login, {"alice", "s3cret"}},  // atoms
      {"a1 LOGIN \"al ice\" \"p\\\"w\\\\\"", Verb::Login, {"al ice", "p\"w\\"}},  // escapes
      {"a1 LOGIN {5}\r\nalice {3+}\r\npw!", Verb::Login, {"alice", "pw!"}},       // literals
      {"a1 SELECT INBOX", Verb::Select, {"INBOX"}},
      {"a1 EXAMINE \"Sent\"", Verb::Examine, {"Sent"}},
      {"a1 RENAME a b/c", Verb::Rename, {"a", "b/c"}},
      {"a1 LIST \"\" %/*", Verb::List, {"", "%/*"}},  // wildcards are list-chars
      {"a1 LSUB x ]", Verb::Lsub, {"x", "]"}},        // resp-specials allowed in patterns
      {"a1 AUTHENTICATE plain AGFsaWNlAHMzY3JldA==",
       Verb::Authenticate,
       {"PLAIN", "AGFsaWNlAHMzY3JldA=="}},  // SASL-IR
      {"a1 AUTHENTICATE PLAIN", Verb::Authenticate, {"PLAIN"}},
      {"a1 ENABLE condstore utf8=accept", Verb::Enable, {"CONDSTORE", "UTF8=ACCEPT"}},
      {"a1 IDLE", Verb::Idle, {}},
      {"a1 UNSELECT", Verb::Unselect, {}},
  };
  for (const Case& c : cases) {
    const Command cmd = parse_ok(c.text);
    EXPECT_EQ(cmd.tag, "a1") << c.text;
    EXPECT_EQ(cmd.verb, c.verb) << c.text;
    EXPECT_EQ(cmd.args, c.args) << c.text;
  }
}

TEST(CommandParser, Refusals) {
  const std::string_view cases[] = {
      "",                             // nothing
      "a1",                           // no command
      "a1 FROB",                      // unknown verb
      "a1 UID LIST \"\" *",           // UID only before FETCH/STORE/COPY/MOVE/SEARCH/EXPUNGE
      "a1 LOGIN alice",               // missing argument
      "a1 LOGIN alice pw extra",      // too many arguments
      "a1  NOOP",                     // two spaces
      "a1 NOOP ",                     // trailing space
      "a1 SELECT \"unterminated",     // quoted string never ends
      "a1 SELECT \"bad\\escape\"",    // only \" and \\ may be escaped
      "a1 SELECT {10}\r\nshort",      // literal shorter than announced
      "a1 FETCH 0 FLAGS",             // sequence numbers start at 1
      "a1 FETCH 1:x FLAGS",           // not a number
      "a1 FETCH 4294967296 FLAGS",    // beyond 32 bits
      "a1 FETCH 1 (FLAGS",            // unclosed list
      "a1 FETCH 1 (ALL)",             // macros stand alone
      "a1 FETCH 1 BODY[1.FOO]",       // unknown section text
      "a1 FETCH 1 BODY[MIME]",        // MIME needs a part number
      "a1 FETCH 1 BODY[]<0.0>",       // a partial of zero octets
      "a1 STORE 1 FLAGZ (\\Seen)",    // not FLAGS
      "a1 SEARCH",                    // at least one key
      "a1 SEARCH FROB",               // unknown key
      "a1 SEARCH SINCE 31-Feb-2024",  // no such day
      "a1 SEARCH SINCE 1-Foo-2024",   // no such month
      "a1 SEARCH OR SEEN",            // OR needs two keys
      "a1 STATUS INBOX (SIZE)",       // unknown status item
      "a1 APPEND INBOX hello",        // the message must be a literal
      "+a NOOP",                      // '+' cannot start a tag
  };
  for (std::string_view text : cases) {
    EXPECT_FALSE(parse_command(text).ok()) << text;
  }
}

TEST(CommandParser, SearchDepthIsBounded) {
  std::string deep = "a1 SEARCH";
  for (int i = 0; i < 40; ++i)
    deep += " NOT";
  deep += " SEEN";
  EXPECT_FALSE(parse_command(deep).ok());
  // Within the bound it parses.
  EXPECT_TRUE(parse_command("a1 SEARCH NOT NOT NOT SEEN").ok());
}

TEST(CommandParser, SequenceSets) {
  const Command cmd = parse_ok("a1 UID FETCH 1:3,7,10:*,* FLAGS");
  EXPECT_TRUE(cmd.uid);
  EXPECT_EQ(cmd.verb, Verb::Fetch);
  ASSERT_EQ(cmd.set.ranges.size(), 4u);
  EXPECT_EQ(cmd.set.to_string(), "1:3,7,10:*,*");
  // "*" is the largest number in use; a reversed range means the same as in order.
  EXPECT_TRUE(cmd.set.contains(12, 12));
  EXPECT_FALSE(cmd.set.contains(8, 12));
  SequenceSet reversed = parse_ok("a1 FETCH 5:2 FLAGS").set;
  EXPECT_TRUE(reversed.contains(3, 10));
  EXPECT_TRUE(reversed.exceeds(4));  // 5 is beyond a mailbox of 4
  EXPECT_FALSE(reversed.exceeds(5));
  EXPECT_TRUE(parse_ok("a1 FETCH * FLAGS").set.exceeds(0));  // "*" in an empty mailbox
  EXPECT_EQ(compress_numbers({1, 2, 3, 5, 7, 8}), "1:3,5,7:8");
}

TEST(CommandParser, FetchItems) {
  const Command cmd = parse_ok(
      "a1 FETCH 1 (FLAGS body.peek[HEADER.FIELDS (Subject from)] BODY[1.2.MIME] "
      "BODY[]<0.100> RFC822.SIZE BODYSTRUCTURE BODY rfc822.header BODY[2.TEXT])");
  ASSERT_EQ(cmd.fetch.size(), 9u);
  EXPECT_EQ(cmd.fetch[0].kind, FetchItemKind::Flags);
  EXPECT_EQ(cmd.fetch[1].kind, FetchItemKind::BodySection);
  EXPECT_TRUE(cmd.fetch[1].peek);
  EXPECT_EQ(cmd.fetch[1].section.text, mail::SectionText::HeaderFields);
  EXPECT_EQ(cmd.fetch[1].section.field_names, (std::vector<std::string>{"Subject", "from"}));
  EXPECT_EQ(cmd.fetch[1].response_name(), "BODY[HEADER.FIELDS (SUBJECT FROM)]");
  EXPECT_FALSE(cmd.fetch[1].sets_seen());
  EXPECT_EQ(cmd.fetch[2].section.part, (std::vector<std::uint32_t>{1, 2}));
  EXPECT_EQ(cmd.fetch[2].section.text, mail::SectionText::Mime);
  EXPECT_EQ(cmd.fetch[2].response_name(), "BODY[1.2.MIME]");
  EXPECT_TRUE(cmd.fetch[2].sets_seen());
  EXPECT_EQ(cmd.fetch[3].response_name(), "BODY[]<0>");  // only the origin is echoed
  EXPECT_EQ(cmd.fetch[3].partial_count, 100u);
  EXPECT_EQ(cmd.fetch[4].kind, FetchItemKind::Rfc822Size);
  EXPECT_EQ(cmd.fetch[5].kind, FetchItemKind::BodyStructure);
  EXPECT_EQ(cmd.fetch[6].kind, FetchItemKind::Body);
  EXPECT_EQ(cmd.fetch[7].kind, FetchItemKind::Rfc822Header);
  EXPECT_EQ(cmd.fetch[8].response_name(), "BODY[2.TEXT]");

  // The macros of RFC 3501 6.4.5.
  EXPECT_EQ(parse_ok("a1 FETCH 1 FAST").fetch.size(), 3u);
  EXPECT_EQ(parse_ok("a1 FETCH 1 ALL").fetch.size(), 4u);
  const Command full = parse_ok("a1 FETCH 1 full");
  ASSERT_EQ(full.fetch.size(), 5u);
  EXPECT_EQ(full.fetch[4].kind, FetchItemKind::Body);
}

TEST(CommandParser, StoreAppendStatus) {
  const Command store = parse_ok("a1 STORE 2:4 -FLAGS.SILENT (\\Seen $Label)");
  EXPECT_EQ(store.store_op, mail::FlagOp::Remove);
  EXPECT_TRUE(store.silent);
  EXPECT_EQ(store.flag_names, (std::vector<std::string>{"\\Seen", "$Label"}));
  // Flags without parentheses are allowed too.
  const Command bare = parse_ok("a1 UID STORE 9 FLAGS \\Deleted \\Draft");
  EXPECT_EQ(bare.store_op, mail::FlagOp::Replace);
  EXPECT_EQ(bare.flag_names.size(), 2u);

  const Command append =
      parse_ok("a1 APPEND Drafts (\\Draft) \" 7-Sep-2024 10:11:12 +0200\" {4+}\r\nHi!\n");
  EXPECT_EQ(append.args, (std::vector<std::string>{"Drafts"}));
  EXPECT_EQ(append.flag_names, (std::vector<std::string>{"\\Draft"}));
  ASSERT_TRUE(append.append_date.has_value());
  EXPECT_EQ(*append.append_date, 1725696672);  // 08:11:12 UTC
  EXPECT_EQ(append.append_message, "Hi!\n");

  const Command status = parse_ok("a1 STATUS INBOX (MESSAGES UIDNEXT unseen)");
  EXPECT_EQ(status.status_items, (std::vector<StatusItem>{StatusItem::Messages, StatusItem::UidNext,
                                                          StatusItem::Unseen}));
}

TEST(CommandParser, SearchKeys) {
  const Command cmd = parse_ok(
      "a1 SEARCH CHARSET utf-8 OR (FROM alice SINCE 1-Sep-2024) NOT HEADER X-Spam \"\" "
      "UID 2:* 1,3 LARGER 100");
  EXPECT_EQ(cmd.charset, "UTF-8");
  using Kind = SearchKey::Kind;
  ASSERT_EQ(cmd.search.kind, Kind::And);
  ASSERT_EQ(cmd.search.children.size(), 4u);
  const SearchKey& either = cmd.search.children[0];
  EXPECT_EQ(either.kind, Kind::Or);
  EXPECT_EQ(either.children[0].kind, Kind::And);  // the parenthesised group
  EXPECT_EQ(either.children[0].children[1].kind, Kind::Since);
  EXPECT_EQ(either.children[0].children[1].day, 19967);  // 2024-09-01
  EXPECT_EQ(either.children[1].kind, Kind::Not);
  EXPECT_EQ(either.children[1].children[0].field, "X-Spam");
  EXPECT_EQ(cmd.search.children[1].kind, Kind::Uid);
  EXPECT_EQ(cmd.search.children[2].kind, Kind::Sequence);
  EXPECT_EQ(cmd.search.children[3].number, 100u);
}

TEST(CommandParser, Tags) {
  EXPECT_EQ(command_tag("A001 NOOP"), "A001");
  EXPECT_EQ(command_tag("+x NOOP"), "*");  // not a tag
  EXPECT_EQ(command_tag("(x NOOP"), "*");  // not a tag
  EXPECT_EQ(command_tag("x"), "x");        // a tag alone
  EXPECT_EQ(command_tag(""), "*");
}

TEST(CommandParser, Dates) {
  EXPECT_EQ(*parse_imap_date("1-Jan-1970"), 0);
  EXPECT_EQ(*parse_imap_date("29-Feb-2024"), 19782);
  EXPECT_FALSE(parse_imap_date("29-Feb-2023").ok());
  EXPECT_EQ(*parse_imap_date_time("02-Sep-2024 09:00:00 +0000"), 1725267600);
  EXPECT_EQ(*parse_imap_date_time(" 2-Sep-2024 11:00:00 +0200"), 1725267600);
  EXPECT_FALSE(parse_imap_date_time("2-Sep-2024 09:00:00 +0000").ok());  // day must be fixed
  EXPECT_FALSE(parse_imap_date_time("02-Sep-2024 25:00:00 +0000").ok());
}

}  // namespace
}  // namespace mailscope::imap
