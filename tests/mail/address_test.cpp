#include "mail/address.h"

#include <gtest/gtest.h>

#include "mail/message.h"

namespace mailscope::mail {
namespace {

TEST(AddressParsing, Table) {
  struct Case {
    const char* comment;
    const char* input;
    Mailbox expected;
  };
  const Case cases[] = {
      {"bare addr-spec", "alice@example.com", {"", "", "alice", "example.com"}},
      {"name-addr",
       "Alice Example <alice@example.com>",
       {"Alice Example", "", "alice", "example.com"}},
      {"quoted display name with a comma",
       "\"Doe, John\" <john@example.com>",
       {"Doe, John", "", "john", "example.com"}},
      {"phrase with a dot (obsolete)",
       "John Q. Public <jqp@example.com>",
       {"John Q. Public", "", "jqp", "example.com"}},
      {"comments are dropped",
       "(the boss) boss@example.com (Big Boss)",
       {"", "", "boss", "example.com"}},
      {"source route (obsolete)",
       "<@relay1.example,@relay2.example:user@example.com>",
       {"", "@relay1.example,@relay2.example", "user", "example.com"}},
      {"quoted local part", "\"john doe\"@example.com", {"", "", "john doe", "example.com"}},
      {"encoded word kept as written",
       "=?utf-8?B?w6k=?= <e@example.org>",
       {"=?utf-8?B?w6k=?=", "", "e", "example.org"}},
      {"domain literal", "user@[10.0.0.1]", {"", "", "user", "[10.0.0.1]"}},
      {"local part only", "postmaster", {"", "", "postmaster", ""}},
      {"spaces around the dots (obsolete)",
       "first . last @ example . com",
       {"", "", "first.last", "example.com"}},
      {"null path", "<>", {"", "", "", ""}},
      {"escaped quote in a name",
       "\"A \\\"B\\\" C\" <abc@x.org>",
       {"A \"B\" C", "", "abc", "x.org"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.comment);
    const AddressList list = parse_address_list(c.input);
    ASSERT_EQ(list.items.size(), 1u);
    ASSERT_TRUE(std::holds_alternative<Mailbox>(list.items[0]));
    EXPECT_EQ(std::get<Mailbox>(list.items[0]), c.expected);
    EXPECT_TRUE(list.defects.empty());
  }
}

TEST(AddressParsing, GroupsAndLists) {
  const AddressList list = parse_address_list(
      "Team: bob@example.org, \"Carol Q.\" <carol@example.org>;, dave@example.net, "
      "undisclosed-recipients:;");
  ASSERT_EQ(list.items.size(), 3u);
  const Group& team = std::get<Group>(list.items[0]);
  EXPECT_EQ(team.display_name, "Team");
  ASSERT_EQ(team.members.size(), 2u);
  EXPECT_EQ(team.members[1], (Mailbox{"Carol Q.", "", "carol", "example.org"}));
  EXPECT_EQ(std::get<Mailbox>(list.items[1]).address(), "dave@example.net");
  const Group& empty = std::get<Group>(list.items[2]);
  EXPECT_EQ(empty.display_name, "undisclosed-recipients");
  EXPECT_TRUE(empty.members.empty());
  EXPECT_EQ(list.mailboxes().size(), 3u);
  EXPECT_TRUE(list.defects.empty());
}

TEST(AddressParsing, GarbageIsSkippedWithADefect) {
  const AddressList list = parse_address_list("@@@, ok@x.org, <broken, Unclosed: a@b.c");
  std::vector<std::string> got;
  for (const Mailbox& m : list.mailboxes())
    got.push_back(m.address());
  // An unclosed angle address still yields what it holds.
  EXPECT_EQ(got, (std::vector<std::string>{"ok@x.org", "broken", "a@b.c"}));
  EXPECT_FALSE(list.defects.empty());
}

TEST(AddressParsing, CountIsBounded) {
  std::string many;
  for (int i = 0; i < 50; ++i)
    many += "u" + std::to_string(i) + "@x.org, ";
  ParseLimits limits;
  limits.addresses_max = 10;
  const AddressList list = parse_address_list(many, limits);
  EXPECT_EQ(list.items.size(), 10u);
  EXPECT_FALSE(list.defects.empty());
}

TEST(AddressParsing, QuoteLocalPart) {
  EXPECT_EQ(quote_local_part("john.doe"), "john.doe");
  EXPECT_EQ(quote_local_part("john doe"), "\"john doe\"");
  EXPECT_EQ(quote_local_part("a\"b"), "\"a\\\"b\"");
  EXPECT_EQ(quote_local_part(".dot"), "\".dot\"");
  EXPECT_EQ((Mailbox{"", "", "john doe", "x.org"}).address(), "\"john doe\"@x.org");
}

TEST(Envelope, AllTenMembersWithDefaults) {
  const Message m = Message::parse(
      "Date: Mon, 02 Sep 2024 09:00:00 +0000\r\n"
      "Subject: Lunch?\r\n"
      "From: \"Alice Example\" <alice@example.com>\r\n"
      "To: Team: bob@example.org, carol@example.org;, dave@example.net\r\n"
      "Cc: (comment) eve@example.com (Eve)\r\n"
      "In-Reply-To: <1@example.com>\r\n"
      "Message-ID: <2@example.com>\r\n"
      "\r\n"
      "body\r\n");
  const Envelope e = m.envelope();
  EXPECT_EQ(e.date, "Mon, 02 Sep 2024 09:00:00 +0000");
  EXPECT_EQ(e.subject, "Lunch?");
  ASSERT_EQ(e.from.size(), 1u);
  EXPECT_EQ(std::get<Mailbox>(e.from[0]), (Mailbox{"Alice Example", "", "alice", "example.com"}));
  EXPECT_EQ(e.sender, e.from);    // RFC 3501: absent Sender is From
  EXPECT_EQ(e.reply_to, e.from);  // and so is an absent Reply-To
  ASSERT_EQ(e.to.size(), 2u);
  EXPECT_EQ(std::get<Group>(e.to[0]).members.size(), 2u);
  ASSERT_EQ(e.cc.size(), 1u);
  EXPECT_EQ(std::get<Mailbox>(e.cc[0]).address(), "eve@example.com");
  EXPECT_TRUE(e.bcc.empty());
  EXPECT_EQ(e.in_reply_to, "<1@example.com>");
  EXPECT_EQ(e.message_id, "<2@example.com>");
}

TEST(Envelope, MissingFieldsAreAbsent) {
  const Envelope e = Message::parse("X-Other: 1\r\n\r\n").envelope();
  EXPECT_FALSE(e.date.has_value());
  EXPECT_FALSE(e.subject.has_value());
  EXPECT_TRUE(e.from.empty());
  EXPECT_TRUE(e.sender.empty());
  EXPECT_FALSE(e.message_id.has_value());
}

TEST(Envelope, OfAnEncapsulatedMessage) {
  const Message m = Message::parse(
      "Content-Type: message/rfc822\r\n\r\nFrom: inner@x.org\r\nSubject: inside\r\n\r\nhi");
  ASSERT_EQ(m.root().kind, PartKind::Message);
  const Envelope e = make_envelope(m.root().children[0]);
  EXPECT_EQ(e.subject, "inside");
  EXPECT_EQ(std::get<Mailbox>(e.from[0]).address(), "inner@x.org");
}

}  // namespace
}  // namespace mailscope::mail
