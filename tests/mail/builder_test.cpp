#include "mail/builder.h"

#include <gtest/gtest.h>

#include "mail/base64.h"
#include "mail/dsn.h"

namespace mailscope::mail {
namespace {

const std::string kOriginal =
    "From: alice@example.com\r\n"
    "To: bob@example.org\r\n"
    "Subject: folded\r\n"
    " subject\r\n"
    "\r\n"
    "Body line 1\r\n"
    "Body line 2\r\n";

TEST(TraceFields, PrependingLeavesTheRestByteIdentical) {
  const Message original = Message::parse(kOriginal);
  ReceivedInfo info;
  info.from_helo = "client.example.com";
  info.from_host = "client.example.com";
  info.from_ip = "10.0.1.10";
  info.by_host = "mx.example.org";
  info.protocol = "ESMTPS";
  info.id = "000000000A";
  info.for_recipient = "bob@example.org";
  info.date = "Mon, 02 Sep 2024 09:00:00 +0000";
  const std::string received = make_received_field(info);
  EXPECT_EQ(received,
            "Received: from client.example.com (client.example.com [10.0.1.10])\r\n"
            "\tby mx.example.org with ESMTPS id 000000000A\r\n"
            "\tfor <bob@example.org>; Mon, 02 Sep 2024 09:00:00 +0000\r\n");
  const Message hop = original.with_prepended_field(received);
  const Message delivered = hop.with_prepended_field(make_return_path_field("alice@example.com"));
  EXPECT_EQ(delivered.bytes(), "Return-Path: <alice@example.com>\r\n" + received + kOriginal);
  EXPECT_EQ(original.bytes(), kOriginal);  // edits make new messages
  ASSERT_EQ(delivered.fields().size(), 5u);
  EXPECT_EQ(delivered.fields()[0].name, "Return-Path");
  EXPECT_EQ(delivered.fields()[1].name, "Received");
  EXPECT_EQ(delivered.fields()[1].value,
            "from client.example.com (client.example.com [10.0.1.10])\tby mx.example.org with "
            "ESMTPS id 000000000A\tfor <bob@example.org>; Mon, 02 Sep 2024 09:00:00 +0000");
  EXPECT_EQ(delivered.body_bytes(), original.body_bytes());
}

TEST(TraceFields, NullReversePathAndMissingCrlf) {
  EXPECT_EQ(make_return_path_field(""), "Return-Path: <>\r\n");
  const Message m = Message::parse("Subject: x\r\n\r\nb").with_prepended_field("X-Hop: 1");
  EXPECT_EQ(m.bytes(), "X-Hop: 1\r\nSubject: x\r\n\r\nb");
}

TEST(TraceFields, ReceivedWithoutRecipient) {
  ReceivedInfo info;
  info.from_helo = "a";
  info.from_ip = "10.0.0.1";
  info.by_host = "b";
  info.date = "D";
  EXPECT_EQ(make_received_field(info),
            "Received: from a (unknown [10.0.0.1])\r\n\tby b with ESMTP;\r\n\tD\r\n");
}

TEST(MissingFields, AddedAtTheEndOfTheHeaderOnly) {
  struct Case {
    const char* comment;
    std::string input;
    std::string expected;
  };
  const std::string date = "Mon, 02 Sep 2024 09:00:00 +0000";
  const std::string id = "<1@mail.example.com>";
  const std::vector<Case> cases = {
      {"both missing", "From: a@x\r\n\r\nbody\r\n",
       "From: a@x\r\nDate: " + date + "\r\nMessage-ID: " + id + "\r\n\r\nbody\r\n"},
      {"both present: unchanged", "Date: d\r\nMessage-ID: <m>\r\n\r\nb",
       "Date: d\r\nMessage-ID: <m>\r\n\r\nb"},
      {"only the id missing", "date: d\r\n\r\nb", "date: d\r\nMessage-ID: " + id + "\r\n\r\nb"},
      {"header without final CRLF", "From: a@x",
       "From: a@x\r\nDate: " + date + "\r\nMessage-ID: " + id + "\r\n"},
      {"no header at all", "\r\nbody", "Date: " + date + "\r\nMessage-ID: " + id + "\r\n\r\nbody"},
      {"body without a blank line gets one", "not a header\r\n",
       "Date: " + date + "\r\nMessage-ID: " + id + "\r\n\r\nnot a header\r\n"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.comment);
    std::vector<std::string> added;
    const Message out = add_missing_fields(Message::parse(c.input), {date, id}, &added);
    EXPECT_EQ(out.bytes(), c.expected);
  }
}

TEST(Builder, PlainTextMessageExactBytes) {
  NewMessage m;
  m.from = "Alice <alice@example.com>";
  m.to = {"bob@example.org", "Carol <carol@example.org>"};
  m.subject = "Hello";
  m.date = "Mon, 02 Sep 2024 09:00:00 +0000";
  m.message_id = "<1@example.com>";
  m.text = "Hi Bob,\nsee you.";
  EXPECT_EQ(build_text_message(m),
            "Date: Mon, 02 Sep 2024 09:00:00 +0000\r\n"
            "From: Alice <alice@example.com>\r\n"
            "To: bob@example.org, Carol <carol@example.org>\r\n"
            "Subject: Hello\r\n"
            "Message-ID: <1@example.com>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=us-ascii\r\n"
            "Content-Transfer-Encoding: 7bit\r\n"
            "\r\n"
            "Hi Bob,\r\n"
            "see you.\r\n");
}

TEST(Builder, NonAsciiSubjectAndBody) {
  NewMessage m;
  m.from = "a@x";
  m.subject = "Caf\xc3\xa9";
  m.text = "d\xc3\xa9j\xc3\xa0 vu";
  const Message parsed = Message::parse(build_text_message(m));
  EXPECT_EQ(parsed.field("Subject")->value, "=?utf-8?B?Q2Fmw6k=?=");
  EXPECT_EQ(parsed.root().content_type.param("charset"), "utf-8");
  EXPECT_EQ(parsed.root().transfer_encoding, "8bit");
}

TEST(Builder, LongHeadersAreFolded) {
  const std::string field =
      format_field("To",
                   "one@example.com, two@example.com, three@example.com, four@example.com, "
                   "five@example.com");
  EXPECT_EQ(field,
            "To: one@example.com, two@example.com, three@example.com, four@example.com,\r\n"
            " five@example.com\r\n");
  const Message m = Message::parse(field + "\r\n");
  EXPECT_EQ(m.field("To")->value,
            "one@example.com, two@example.com, three@example.com, four@example.com, "
            "five@example.com");
}

TEST(Builder, MixedMessageWithBase64Attachment) {
  NewMessage m;
  m.from = "a@example.com";
  m.to = {"b@example.org"};
  m.subject = "Report";
  m.text = "See attached.\r\n";
  std::string data;
  for (int i = 0; i < 200; ++i)
    data += static_cast<char>(i);
  const Attachment attachments[] = {{"report.bin", "application/octet-stream", data}};
  const std::string bytes = build_mixed_message(m, attachments, "=_ms_b");
  const Message parsed = Message::parse(bytes);
  EXPECT_TRUE(parsed.defects().empty());
  ASSERT_EQ(parsed.root().kind, PartKind::Multipart);
  EXPECT_EQ(parsed.root().content_type.param("boundary"), "=_ms_b");
  ASSERT_EQ(parsed.root().children.size(), 2u);
  EXPECT_EQ(*parsed.section({{1}, SectionText::Full, {}}), "See attached.\r\n");
  const MimePart& file = parsed.root().children[1];
  EXPECT_EQ(file.transfer_encoding, "base64");
  EXPECT_EQ(file.disposition->param("filename"), "report.bin");
  const std::string encoded = *parsed.section({{2}, SectionText::Full, {}});
  // 200 bytes -> 268 base64 characters: three lines of 76 and one of 40, each ending in CRLF.
  EXPECT_EQ(encoded.size(), 268u + 4 * 2);
  std::size_t start = 0;
  while (start < encoded.size()) {
    const std::size_t end = encoded.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end - start, 76u);
    start = end + 2;
  }
  EXPECT_EQ(*base64_decode(encoded), data);
  EXPECT_TRUE(bytes.ends_with("\r\n--=_ms_b--\r\n"));
}

TEST(Builder, DeterministicIdsAndBoundaries) {
  Rng a(7), b(7);
  EXPECT_EQ(make_boundary(a), make_boundary(b));
  EXPECT_EQ(make_message_id(1725267600, 0xc0ffee, "mail.example.com"),
            "<20240902090000.0000000000c0ffee@mail.example.com>");
}

TEST(Base64, KnownVectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(plain), encoded);
    EXPECT_EQ(*base64_decode(encoded), plain);
  }
  EXPECT_EQ(base64_encode("foobar", 4), "Zm9v\r\nYmFy\r\n");
  EXPECT_FALSE(base64_decode("Zm9").ok());       // not a multiple of four
  EXPECT_FALSE(base64_decode("Zm9v!").ok());     // not in the alphabet
  EXPECT_FALSE(base64_decode("Zg==Zg==").ok());  // data after padding
}

TEST(Dsn, StructureFollowsRfc3464) {
  DsnSpec spec;
  spec.reporting_mta = "mta.example.com";
  spec.from = "Mail Delivery System <MAILER-DAEMON@mta.example.com>";
  spec.to = "alice@example.com";
  spec.date = "Mon, 02 Sep 2024 09:05:00 +0000";
  spec.message_id = "<bounce1@mta.example.com>";
  spec.boundary = "=_dsn";
  spec.arrival_date = "Mon, 02 Sep 2024 09:00:00 +0000";
  DsnRecipient r;
  r.final_recipient = "nobody@example.org";
  r.action = DsnAction::Failed;
  r.status = "5.1.1";
  r.remote_mta = "mx.example.org";
  r.diagnostic = "550 5.1.1 <nobody@example.org>: Recipient address rejected";
  spec.recipients.push_back(r);
  spec.original_message = kOriginal;
  const Message dsn = Message::parse(build_dsn(spec));
  EXPECT_TRUE(dsn.defects().empty());
  EXPECT_TRUE(dsn.root().content_type.is("multipart", "report"));
  EXPECT_EQ(dsn.root().content_type.param("report-type"), "delivery-status");
  EXPECT_EQ(dsn.field("Auto-Submitted")->value, "auto-replied");
  EXPECT_EQ(dsn.field("To")->value, "<alice@example.com>");
  ASSERT_EQ(dsn.root().children.size(), 3u);
  EXPECT_TRUE(dsn.root().children[0].content_type.is("text", "plain"));
  EXPECT_TRUE(dsn.root().children[1].content_type.is("message", "delivery-status"));
  EXPECT_TRUE(dsn.root().children[2].content_type.is("text", "rfc822-headers"));
  EXPECT_EQ(
      *dsn.section({{2}, SectionText::Full, {}}),
      "Reporting-MTA: dns; mta.example.com\r\n"
      "Arrival-Date: Mon, 02 Sep 2024 09:00:00 +0000\r\n"
      "\r\n"
      "Final-Recipient: rfc822; nobody@example.org\r\n"
      "Action: failed\r\n"
      "Status: 5.1.1\r\n"
      "Remote-MTA: dns; mx.example.org\r\n"
      "Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.org>: Recipient address rejected\r\n");
  // The third part is the original header fields, byte for byte (folds kept).
  const Message original = Message::parse(kOriginal);
  const std::string_view original_header = original.header_bytes();
  EXPECT_EQ(*dsn.section({{3}, SectionText::Full, {}}),
            original_header.substr(0, original_header.size() - 2));
  const std::string human = *dsn.section({{1}, SectionText::Full, {}});
  EXPECT_NE(human.find("<nobody@example.org>: failed"), std::string::npos);
  EXPECT_NE(human.find("mx.example.org said: 550 5.1.1"), std::string::npos);
}

TEST(Dsn, StatusOfReply) {
  EXPECT_EQ(status_of_reply("550 5.1.1 no such user", "5.0.0"), "5.1.1");
  EXPECT_EQ(status_of_reply("451 4.7.1 greylisted", "4.0.0"), "4.7.1");
  EXPECT_EQ(status_of_reply("550 no such user", "x"), "5.0.0");  // no enhanced code
  EXPECT_EQ(status_of_reply("452-4.2.2 full", "x"), "4.2.2");    // continuation line
  EXPECT_EQ(status_of_reply("connection timed out", "4.4.7"), "4.4.7");
  EXPECT_EQ(status_of_reply("550 5.1.1234 bad", "5.0.0"), "5.0.0");  // detail too long
}

}  // namespace
}  // namespace mailscope::mail
