#include "mail/mime.h"

#include <gtest/gtest.h>

#include <string>

#include "mail/message.h"

namespace mailscope::mail {
namespace {

// A nested message: multipart/mixed holding a text part, a multipart/alternative (whose first
// part has an empty header) and a message/rfc822 part, with preamble and epilogue.
const std::string kNested =
    "From: a@example.com\r\n"
    "Content-Type: multipart/mixed; boundary=\"outer\"\r\n"
    "\r\n"
    "preamble\r\n"
    "--outer\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "Hello\r\n"
    "--outer\r\n"
    "Content-Type: multipart/alternative; boundary=inner\r\n"
    "\r\n"
    "--inner\r\n"
    "\r\n"
    "plain\r\n"
    "--inner\r\n"
    "Content-Type: text/html\r\n"
    "\r\n"
    "<p>html</p>\r\n"
    "--inner--\r\n"
    "\r\n"
    "--outer\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "Subject: inner\r\n"
    "\r\n"
    "hi\r\n"
    "--outer--\r\n"
    "epilogue\r\n";

std::size_t at(const std::string& text) {
  return kNested.find(text);
}

TEST(MimeStructure, NestedMultipartHasExactOffsets) {
  const Message m = Message::parse(kNested);
  EXPECT_TRUE(m.defects().empty());
  const MimePart& root = m.root();
  ASSERT_EQ(root.kind, PartKind::Multipart);
  EXPECT_TRUE(root.content_type.is("multipart", "mixed"));
  EXPECT_EQ(root.body_offset, 72u);  // 21 + 49 + 2: two fields and the blank line
  EXPECT_EQ(root.body_offset, at("preamble"));
  ASSERT_EQ(root.children.size(), 3u);

  const MimePart& p1 = root.children[0];
  EXPECT_EQ(p1.kind, PartKind::Leaf);
  EXPECT_EQ(p1.offset, at("Content-Type: text/plain"));
  EXPECT_EQ(p1.offset, 91u);
  EXPECT_EQ(p1.body_offset, at("Hello"));
  EXPECT_EQ(p1.body_size, 5u);  // the CRLF before "--outer" belongs to the delimiter
  EXPECT_EQ(p1.body_lines, 1u);

  const MimePart& p2 = root.children[1];
  ASSERT_EQ(p2.kind, PartKind::Multipart);
  EXPECT_EQ(p2.offset, at("Content-Type: multipart/alternative"));
  EXPECT_EQ(p2.body_offset, at("--inner"));
  EXPECT_EQ(p2.end(), at("--inner--") + 11);  // ends with "--inner--\r\n"
  ASSERT_EQ(p2.children.size(), 2u);
  const MimePart& p21 = p2.children[0];
  EXPECT_EQ(p21.offset, at("--inner") + 9);
  EXPECT_EQ(p21.header_size, 2u);  // just the blank line
  EXPECT_TRUE(p21.header.empty());
  EXPECT_FALSE(p21.content_type_given);
  EXPECT_TRUE(p21.content_type.is("text", "plain"));
  EXPECT_EQ(p21.content_type.param("charset"), "us-ascii");
  EXPECT_EQ(p21.body_offset, at("\r\nplain\r\n") + 2);
  EXPECT_EQ(p21.body_size, 5u);
  const MimePart& p22 = p2.children[1];
  EXPECT_TRUE(p22.content_type.is("text", "html"));
  EXPECT_EQ(p22.body_offset, at("<p>"));
  EXPECT_EQ(p22.body_size, 11u);

  const MimePart& p3 = root.children[2];
  ASSERT_EQ(p3.kind, PartKind::Message);
  ASSERT_EQ(p3.children.size(), 1u);
  const MimePart& inner = p3.children[0];
  EXPECT_EQ(inner.offset, at("Subject: inner"));
  EXPECT_EQ(inner.body_offset, at("hi\r\n"));
  EXPECT_EQ(inner.body_size, 2u);
  EXPECT_EQ(p3.body_size, inner.size());  // the part's body is the whole inner message
  EXPECT_EQ(p3.body_lines, 3u);
}

TEST(MimeStructure, SectionsAsImapNamesThem) {
  const Message m = Message::parse(kNested);
  struct Case {
    const char* comment;
    Section section;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"BODY[1]", {{1}, SectionText::Full, {}}, "Hello"},
      {"BODY[1.MIME]", {{1}, SectionText::Mime, {}}, "Content-Type: text/plain\r\n\r\n"},
      {"BODY[2.1]", {{2, 1}, SectionText::Full, {}}, "plain"},
      {"BODY[2.1.MIME] of a part with an empty header", {{2, 1}, SectionText::Mime, {}}, "\r\n"},
      {"BODY[2.2]", {{2, 2}, SectionText::Full, {}}, "<p>html</p>"},
      {"BODY[2.MIME]",
       {{2}, SectionText::Mime, {}},
       "Content-Type: multipart/alternative; boundary=inner\r\n\r\n"},
      {"BODY[3] is the whole encapsulated message",
       {{3}, SectionText::Full, {}},
       "Subject: inner\r\n\r\nhi"},
      {"BODY[3.HEADER]", {{3}, SectionText::Header, {}}, "Subject: inner\r\n\r\n"},
      {"BODY[3.TEXT]", {{3}, SectionText::Text, {}}, "hi"},
      {"BODY[3.1]: part 1 of a single-part message is its body",
       {{3, 1}, SectionText::Full, {}},
       "hi"},
      {"BODY[HEADER]", {{}, SectionText::Header, {}}, kNested.substr(0, 72)},
      {"BODY[TEXT]", {{}, SectionText::Text, {}}, kNested.substr(72)},
      {"BODY[]", {{}, SectionText::Full, {}}, kNested},
      {"BODY[HEADER.FIELDS (FROM)]",
       {{}, SectionText::HeaderFields, {"FROM"}},
       "From: a@example.com\r\n\r\n"},
      {"BODY[HEADER.FIELDS.NOT (From)]",
       {{}, SectionText::HeaderFieldsNot, {"From"}},
       "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"},
      {"BODY[3.HEADER.FIELDS (Subject)]",
       {{3}, SectionText::HeaderFields, {"Subject"}},
       "Subject: inner\r\n\r\n"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.comment);
    auto got = m.section(c.section);
    ASSERT_TRUE(got.ok()) << got.error().to_string();
    EXPECT_EQ(*got, c.expected);
  }
  // Sections that do not exist.
  EXPECT_FALSE(m.section({{4}, SectionText::Full, {}}).ok());     // no part 4
  EXPECT_FALSE(m.section({{0}, SectionText::Full, {}}).ok());     // parts count from 1
  EXPECT_FALSE(m.section({{1, 1}, SectionText::Full, {}}).ok());  // a leaf has no parts
  EXPECT_FALSE(m.section({{1}, SectionText::Header, {}}).ok());   // 1 is not message/rfc822
  EXPECT_FALSE(m.section({{}, SectionText::Mime, {}}).ok());      // MIME needs a part
}

TEST(MimeStructure, SinglePartMessageHasPartOne) {
  const Message m = Message::parse("Subject: x\r\n\r\nbody\r\n");
  EXPECT_EQ(*m.section({{1}, SectionText::Full, {}}), "body\r\n");
  EXPECT_EQ(*m.section({{1}, SectionText::Mime, {}}), "Subject: x\r\n\r\n");
  EXPECT_FALSE(m.section({{2}, SectionText::Full, {}}).ok());
}

TEST(MimeStructure, PartialFetch) {
  EXPECT_EQ(partial("Hello", 1, 3), "ell");
  EXPECT_EQ(partial("Hello", 3, 100), "lo");  // clamped to the end
  EXPECT_EQ(partial("Hello", 5, 1), "");      // at the end
  EXPECT_EQ(partial("Hello", UINT64_MAX, UINT64_MAX), "");
}

TEST(MimeStructure, BodyStructureFields) {
  const std::string input =
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
      "--b\r\n"
      "Content-Type: TEXT/Plain; CHARSET=\"UTF-8\"; format=flowed (comment)\r\n"
      "Content-Transfer-Encoding: Quoted-Printable\r\n"
      "Content-ID: <part1@x>\r\n"
      "Content-Description: the text\r\n"
      "Content-Language: en, fr\r\n"
      "\r\n"
      "line one\r\nline two\r\n"
      "--b\r\n"
      "Content-Type: application/pdf; name=\"a \\\"b\\\".pdf\"\r\n"
      "Content-Disposition: attachment; filename=report.pdf; size=3\r\n"
      "Content-Transfer-Encoding: base64\r\n"
      "Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==\r\n"
      "\r\n"
      "AAAA\r\n"
      "--b--\r\n";
  const Message m = Message::parse(input);
  ASSERT_EQ(m.root().children.size(), 2u);
  const MimePart& text = m.root().children[0];
  EXPECT_EQ(text.content_type.type, "text");
  EXPECT_EQ(text.content_type.subtype, "plain");
  ASSERT_EQ(text.content_type.params.size(), 2u);
  EXPECT_EQ(text.content_type.params[0], (std::pair<std::string, std::string>{"charset", "UTF-8"}));
  EXPECT_EQ(text.content_type.params[1], (std::pair<std::string, std::string>{"format", "flowed"}));
  EXPECT_EQ(text.transfer_encoding, "quoted-printable");
  EXPECT_EQ(text.content_id, "<part1@x>");
  EXPECT_EQ(text.description, "the text");
  EXPECT_EQ(text.language, (std::vector<std::string>{"en", "fr"}));
  EXPECT_EQ(text.body_size, 18u);  // "line one\r\nline two" (the last CRLF is the delimiter's)
  EXPECT_EQ(text.body_lines, 2u);  // an unterminated last line counts
  const MimePart& pdf = m.root().children[1];
  EXPECT_EQ(pdf.content_type.param("name"), "a \"b\".pdf");
  ASSERT_TRUE(pdf.disposition.has_value());
  EXPECT_EQ(pdf.disposition->value, "attachment");
  EXPECT_EQ(pdf.disposition->param("filename"), "report.pdf");
  EXPECT_EQ(pdf.md5, "Q2hlY2sgSW50ZWdyaXR5IQ==");
  EXPECT_EQ(pdf.body_size, 4u);
}

TEST(MimeStructure, DefaultsAndBrokenStructures) {
  struct Case {
    const char* comment;
    std::string input;
    PartKind kind;
    const char* type;
    std::size_t children;
    bool defects;
  };
  const std::vector<Case> cases = {
      {"no Content-Type: text/plain", "Subject: x\r\n\r\nb", PartKind::Leaf, "text/plain", 0,
       false},
      {"unreadable Content-Type: text/plain", "Content-Type: garbage\r\n\r\nb", PartKind::Leaf,
       "text/plain", 0, true},
      {"multipart without boundary: text/plain", "Content-Type: multipart/mixed\r\n\r\nb",
       PartKind::Leaf, "text/plain", 0, true},
      {"multipart whose boundary never appears",
       "Content-Type: multipart/mixed; boundary=z\r\n\r\nb", PartKind::Leaf, "text/plain", 0, true},
      {"missing close delimiter: last part runs to the end",
       "Content-Type: multipart/mixed; boundary=z\r\n\r\n--z\r\n\r\na\r\n--z\r\n\r\nb\r\n",
       PartKind::Multipart, "multipart/mixed", 2, true},
      {"boundary-like line with trailing text is not a delimiter",
       "Content-Type: multipart/mixed; boundary=z\r\n\r\n--z\r\n\r\n--zz\r\n--z--\r\n",
       PartKind::Multipart, "multipart/mixed", 1, false},
      {"delimiter with transport padding",
       "Content-Type: multipart/mixed; boundary=z\r\n\r\n--z  \r\n\r\na\r\n--z--\r\n",
       PartKind::Multipart, "multipart/mixed", 1, false},
      {"digest parts default to message/rfc822",
       "Content-Type: multipart/digest; boundary=z\r\n\r\n--z\r\n\r\nSubject: s\r\n\r\nb\r\n--z--",
       PartKind::Multipart, "multipart/digest", 1, false},
      {"base64 message/rfc822 is opaque",
       "Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\nAAAA",
       PartKind::Leaf, "application/octet-stream", 0, true},
      {"LF-only multipart",
       "Content-Type: multipart/mixed; boundary=z\n\n--z\n\na\n--z\n\nb\n--z--\n",
       PartKind::Multipart, "multipart/mixed", 2, true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.comment);
    const Message m = Message::parse(c.input);
    EXPECT_EQ(m.root().kind, c.kind);
    EXPECT_EQ(m.root().content_type.type + "/" + m.root().content_type.subtype, c.type);
    EXPECT_EQ(m.root().children.size(), c.children);
    EXPECT_EQ(!m.defects().empty(), c.defects);
  }
}

TEST(MimeStructure, DigestChildIsAMessage) {
  const Message m = Message::parse(
      "Content-Type: multipart/digest; boundary=z\r\n\r\n--z\r\n\r\nSubject: s\r\n\r\nb\r\n--z--");
  ASSERT_EQ(m.root().children.size(), 1u);
  const MimePart& child = m.root().children[0];
  EXPECT_EQ(child.kind, PartKind::Message);
  EXPECT_EQ(child.children[0].field("Subject")->value, "s");
  EXPECT_EQ(*m.section({{1}, SectionText::Text, {}}), "b");
}

TEST(MimeStructure, LfOnlyOffsetsDescribeTheBytesAsGiven) {
  const std::string input =
      "Content-Type: multipart/mixed; boundary=z\n\n--z\n\na\n--z\n\nbc\n--z--\n";
  const Message m = Message::parse(input);
  ASSERT_EQ(m.root().children.size(), 2u);
  EXPECT_EQ(*m.section({{1}, SectionText::Full, {}}), "a");
  EXPECT_EQ(*m.section({{2}, SectionText::Full, {}}), "bc");
  EXPECT_EQ(m.root().children[1].offset, input.find("\nbc"));
}

TEST(MimeStructure, NestingDepthIsBounded) {
  std::string input;
  const int depth = 40;
  for (int i = 0; i < depth; ++i) {
    input += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\r\n\r\n--b" +
             std::to_string(i) + "\r\n";
  }
  input += "\r\nleaf\r\n";
  ParseLimits limits;
  limits.mime_depth_max = 8;
  const Message m = Message::parse(input, limits);
  std::size_t levels = 0;
  for (const MimePart* p = &m.root(); !p->children.empty(); p = &p->children[0])
    ++levels;
  EXPECT_EQ(levels, 8u);
  EXPECT_FALSE(m.defects().empty());
}

TEST(MimeStructure, ParameterParsing) {
  auto v = parse_parameterized("attachment ; filename = \"a;b.txt\" ; ; x=1;");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->value, "attachment");
  ASSERT_EQ(v->params.size(), 2u);
  EXPECT_EQ(v->params[0].second, "a;b.txt");  // a ';' inside quotes is part of the value
  EXPECT_EQ(v->params[1].second, "1");
  EXPECT_FALSE(parse_parameterized("").ok());
  EXPECT_FALSE(parse_parameterized("; a=b").ok());
  bool valid = true;
  parse_media_type("text/", &valid);
  EXPECT_FALSE(valid);
  parse_media_type("a/b/c", &valid);
  EXPECT_FALSE(valid);
  EXPECT_EQ(parse_media_type("Text/HTML; charset=x", &valid).subtype, "html");
  EXPECT_TRUE(valid);
}

}  // namespace
}  // namespace mailscope::mail
