#include "mail/header.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mail/message.h"
#include "mail/text.h"

namespace mailscope::mail {
namespace {

struct HeaderCase {
  const char* comment;
  std::string input;
  std::vector<std::pair<std::string, std::string>> fields;  // name, unfolded value
  std::string body;
  bool separated;  // a blank line ended the header
  bool has_defects;
};

TEST(HeaderParsing, Table) {
  const std::vector<HeaderCase> cases = {
      {"plain header and body",
       "From: a@x\r\nSubject: Hi\r\n\r\nBody\r\n",
       {{"From", "a@x"}, {"Subject", "Hi"}},
       "Body\r\n",
       true,
       false},
      {"folded value keeps the white space, loses the CRLFs",
       "Subject: Hello\r\n world\r\n\tagain\r\n\r\nx",
       {{"Subject", "Hello world\tagain"}},
       "x",
       true,
       false},
      {"outer white space trimmed, inner kept",
       "Subject:   two  words \t\r\n\r\n",
       {{"Subject", "two  words"}},
       "",
       true,
       false},
      {"obsolete space before the colon",
       "Subject :x\r\n\r\n",
       {{"Subject", "x"}},
       "",
       true,
       false},
      {"empty value", "Subject:\r\n\r\n", {{"Subject", ""}}, "", true, false},
      {"value that is only a fold", "Subject:\r\n \r\n\r\nb", {{"Subject", ""}}, "b", true, false},
      {"missing body: header only, terminated",
       "Subject: x\r\n",
       {{"Subject", "x"}},
       "",
       false,
       false},
      {"no final CRLF", "Subject: x", {{"Subject", "x"}}, "", false, false},
      {"blank line then nothing", "Subject: x\r\n\r\n", {{"Subject", "x"}}, "", true, false},
      {"LF-only input is read, with a defect",
       "Subject: x\nFrom: y\n\nbody\n",
       {{"Subject", "x"}, {"From", "y"}},
       "body\n",
       true,
       true},
      {"a bare CR is not a line end",
       "Subject: a\rb\r\n\r\n",
       {{"Subject", "a\rb"}},
       "",
       true,
       false},
      {"line without colon starts the body",
       "Subject: x\r\nNot a header\r\nmore\r\n",
       {{"Subject", "x"}},
       "Not a header\r\nmore\r\n",
       false,
       true},
      {"continuation with no field before it", " x: y\r\n", {}, " x: y\r\n", false, true},
      {"empty input", "", {}, "", false, false},
      {"only the blank line", "\r\n", {}, "", true, false},
      {"only a body after a blank line", "\r\nhello", {}, "hello", true, false},
      {"8-bit bytes in a value are kept",
       "Subject: caf\xc3\xa9\r\n\r\n",
       {{"Subject", "caf\xc3\xa9"}},
       "",
       true,
       false},
      {"name with a space is not a field",
       "Bad Name: x\r\n\r\n",
       {},
       "Bad Name: x\r\n\r\n",
       false,
       true},
      {"a colon first is not a field", ": x\r\n", {}, ": x\r\n", false, true},
  };
  for (const HeaderCase& c : cases) {
    SCOPED_TRACE(c.comment);
    const Message m = Message::parse(c.input);
    ASSERT_EQ(m.fields().size(), c.fields.size());
    for (std::size_t i = 0; i < c.fields.size(); ++i) {
      EXPECT_EQ(m.fields()[i].name, c.fields[i].first);
      EXPECT_EQ(m.fields()[i].value, c.fields[i].second);
    }
    EXPECT_EQ(m.body_bytes(), c.body);
    EXPECT_EQ(m.root().header_separated, c.separated);
    EXPECT_EQ(!m.defects().empty(), c.has_defects);
    // The pieces always add up to the original bytes.
    EXPECT_EQ(std::string(m.header_bytes()) + std::string(m.body_bytes()), c.input);
    std::string fields;
    for (const HeaderField& f : m.fields())
      fields += m.raw(f);
    EXPECT_EQ(c.input.substr(0, fields.size()), fields);
  }
}

TEST(HeaderParsing, FieldOffsetsCoverFoldedLines) {
  const std::string input = "A: 1\r\nSubject: Hello\r\n world\r\nB: 2\r\n\r\n";
  const Message m = Message::parse(input);
  ASSERT_EQ(m.fields().size(), 3u);
  const HeaderField& subject = m.fields()[1];
  EXPECT_EQ(subject.offset, 6u);
  EXPECT_EQ(subject.size, 24u);  // "Subject: Hello\r\n world\r\n"
  EXPECT_EQ(subject.value_offset, 14u);
  EXPECT_EQ(m.raw(subject), "Subject: Hello\r\n world\r\n");
  EXPECT_EQ(m.root().body_offset, input.size());
}

TEST(HeaderParsing, NamesAreCaseInsensitive) {
  const Message m = Message::parse("sUbJeCt: x\r\nsubject: second\r\n\r\n");
  ASSERT_NE(m.field("SUBJECT"), nullptr);
  EXPECT_EQ(m.field("Subject")->value, "x");  // the first one wins
  EXPECT_EQ(m.fields_named("subject").size(), 2u);
  EXPECT_EQ(m.field("From"), nullptr);
}

TEST(HeaderParsing, FieldCountIsBounded) {
  std::string input;
  for (int i = 0; i < 20; ++i)
    input += "X-" + std::to_string(i) + ": v\r\n";
  input += "\r\nbody";
  ParseLimits limits;
  limits.header_fields_max = 5;
  const Message m = Message::parse(input, limits);
  EXPECT_EQ(m.fields().size(), 5u);
  EXPECT_FALSE(m.defects().empty());
  EXPECT_EQ(m.bytes(), input);  // bytes are never lost
}

TEST(HeaderParsing, NormalizeCrlf) {
  EXPECT_EQ(normalize_crlf("a\nb\r\nc\rd"), "a\r\nb\r\nc\r\nd");
  EXPECT_EQ(normalize_crlf("\r\r\n\n"), "\r\n\r\n\r\n");
  EXPECT_EQ(normalize_crlf(""), "");
}

}  // namespace
}  // namespace mailscope::mail
