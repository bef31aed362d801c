// Random and mutated bytes into every parser: nothing may crash, hang or read out of bounds (the
// ASan build checks the last), and every structure must stay inside the bytes it indexes.

#include <gtest/gtest.h>

#include <string>

#include "core/rng.h"
#include "mail/address.h"
#include "mail/base64.h"
#include "mail/builder.h"
#include "mail/date_time.h"
#include "mail/flags.h"
#include "mail/mailbox_name.h"
#include "mail/message.h"
#include "mail/mime.h"

namespace mailscope::mail {
namespace {

const std::string kSeedMessage =
    "From: \"A\" <a@example.com>\r\n"
    "To: Team: b@x.org, c@y.org;, (c) d@z.org\r\n"
    "Subject: =?utf-8?B?w6k=?=\r\n"
    "Content-Type: multipart/mixed; boundary=\"o\"\r\n"
    "\r\n"
    "--o\r\n"
    "Content-Type: text/plain; charset=\"utf-8\"\r\n"
    "\r\n"
    "hi\r\n"
    "--o\r\n"
    "Content-Type: multipart/alternative; boundary=i\r\n"
    "\r\n"
    "--i\r\n"
    "\r\n"
    "x\r\n"
    "--i--\r\n"
    "--o\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "Subject: inner\r\n"
    "Content-Type: multipart/digest; boundary=d\r\n"
    "\r\n"
    "--d\r\n"
    "\r\n"
    "Subject: deep\r\n\r\nz\r\n"
    "--d--\r\n"
    "--o--\r\n";

// Bytes that matter to the parsers, so that random input hits interesting paths often.
const char kAlphabet[] = "\r\n\r\n :;,<>@\"()\\[]=/-.-aZ09\t\x80\xff";

std::string random_bytes(Rng& rng, std::size_t size) {
  std::string out(size, '\0');
  for (char& c : out) {
    c = rng.chance(0.7) ? kAlphabet[rng.below(sizeof kAlphabet - 1)]
                        : static_cast<char>(rng.below(256));
  }
  return out;
}

std::string mutate(Rng& rng, std::string text) {
  const int edits = 1 + static_cast<int>(rng.below(8));
  for (int i = 0; i < edits && !text.empty(); ++i) {
    const std::size_t at = rng.below(text.size());
    switch (rng.below(4)) {
      case 0:
        text[at] = static_cast<char>(rng.below(256));
        break;
      case 1:
        text.erase(at, rng.below(16));
        break;
      case 2:
        text.insert(at, random_bytes(rng, rng.below(16)));
        break;
      case 3:
        text.resize(at);
        break;
    }
  }
  return text;
}

void check_part(const MimePart& part, std::size_t size, std::size_t depth) {
  ASSERT_LE(part.offset, part.body_offset);
  ASSERT_EQ(part.body_offset, part.offset + part.header_size);
  ASSERT_LE(part.end(), size);
  ASSERT_LE(depth, 64u);
  for (const HeaderField& f : part.header) {
    ASSERT_GE(f.offset, part.offset);
    ASSERT_LE(f.end(), part.body_offset);
    ASSERT_LE(f.value_offset, f.end());
  }
  if (part.kind == PartKind::Multipart) {
    ASSERT_FALSE(part.children.empty());
  }
  if (part.kind == PartKind::Message) {
    ASSERT_EQ(part.children.size(), 1u);
  }
  for (const MimePart& child : part.children) {
    ASSERT_GE(child.offset, part.body_offset);
    ASSERT_LE(child.end(), part.end());
    check_part(child, size, depth + 1);
  }
}

// Fetches every section of the parts that short paths (up to "3.2.1") name.
void exercise(const Message& m) {
  check_part(m.root(), m.size(), 0);
  (void)m.envelope();
  const SectionText texts[] = {SectionText::Full,         SectionText::Header,
                               SectionText::Text,         SectionText::Mime,
                               SectionText::HeaderFields, SectionText::HeaderFieldsNot};
  for (std::uint32_t a = 0; a <= 3; ++a) {
    for (std::uint32_t b = 0; b <= 2; ++b) {
      for (std::uint32_t c = 0; c <= 1; ++c) {
        std::vector<std::uint32_t> path;
        if (a > 0) path.push_back(a);
        if (a > 0 && b > 0) path.push_back(b);
        if (a > 0 && b > 0 && c > 0) path.push_back(c);
        for (SectionText text : texts) {
          auto got = m.section(Section{path, text, {"Subject", "From"}});
          if (got.ok()) {
            // HEADER.FIELDS may add a CRLF to an unterminated last field, and the blank line.
            ASSERT_LE(got->size(), m.size() + 4);
          }
        }
      }
    }
  }
}

TEST(Fuzz, RandomBytesIntoTheMessageParser) {
  Rng rng(0x5eed);
  for (int i = 0; i < 2000; ++i) {
    const Message m = Message::parse(random_bytes(rng, rng.below(400)));
    ASSERT_NO_FATAL_FAILURE(exercise(m));
  }
}

TEST(Fuzz, MutatedMultipartMessages) {
  Rng rng(42);
  for (int i = 0; i < 2000; ++i) {
    const Message m = Message::parse(mutate(rng, kSeedMessage));
    ASSERT_NO_FATAL_FAILURE(exercise(m));
    // Edits keep the original bytes behind the new field.
    const Message edited = m.with_prepended_field("Received: x");
    ASSERT_EQ(edited.bytes().substr(13), m.bytes());
    (void)add_missing_fields(m, {"d", "<i>"});
  }
}

TEST(Fuzz, SmallParsersOnRandomText) {
  Rng rng(7);
  for (int i = 0; i < 5000; ++i) {
    const std::string text = random_bytes(rng, rng.below(120));
    const AddressList list = parse_address_list(text);
    for (const Mailbox& mailbox : list.mailboxes())
      (void)mailbox.address();
    (void)parse_parameterized(text);
    (void)parse_media_type(text);
    (void)parse_date_time(text);
    (void)base64_decode(text);
    auto name = validate_mailbox_name(text);
    if (name.ok()) {
      ASSERT_EQ(name->find(".."), std::string::npos);
      ASSERT_NE(name->front(), '/');
    }
    (void)match_list_pattern(text, text);
    (void)FlagSet::from_names(std::vector<std::string>{text});
    (void)unfold(text);
  }
}

TEST(Fuzz, DeterministicDefects) {
  // The same input gives the same structure and defects: parsing has no hidden state.
  Rng a(99), b(99);
  for (int i = 0; i < 200; ++i) {
    const Message x = Message::parse(mutate(a, kSeedMessage));
    const Message y = Message::parse(mutate(b, kSeedMessage));
    ASSERT_EQ(x.bytes(), y.bytes());
    ASSERT_EQ(x.defects().size(), y.defects().size());
    ASSERT_EQ(x.root().children.size(), y.root().children.size());
  }
}

}  // namespace
}  // namespace mailscope::mail
