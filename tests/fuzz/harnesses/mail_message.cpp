// Fuzz target "mail_message": the RFC 5322 / MIME parser (sim/mail/message.h) on arbitrary
// bytes, and every view an IMAP server takes of a message: ENVELOPE, BODY[section] for the part
// paths up to three levels deep, the header-field edits, and the small parsers the message
// model uses (address lists, parameterized values, dates, base64).
//
// Checked (message.h and mime.h promise these): every part and every header field lies inside
// the bytes, children inside their parent, nesting within the limit; a section is never larger
// than the message plus the CRLF and blank line HEADER.FIELDS may add; an edit keeps the
// original bytes behind the new field; and parsing the same bytes twice gives the same result.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "mail/address.h"
#include "mail/base64.h"
#include "mail/builder.h"
#include "mail/date_time.h"
#include "mail/message.h"
#include "mail/mime.h"

namespace {

using namespace mailscope::mail;

void check_part(const MimePart& part, std::size_t size, std::size_t depth,
                const ParseLimits& limits) {
  FUZZ_CHECK(part.offset <= part.body_offset);
  FUZZ_CHECK(part.body_offset == part.offset + part.header_size);
  FUZZ_CHECK(part.end() <= size);
  FUZZ_CHECK(depth <= limits.mime_depth_max + 1);
  for (const HeaderField& field : part.header) {
    FUZZ_CHECK(field.offset >= part.offset);
    FUZZ_CHECK(field.end() <= part.body_offset);
    FUZZ_CHECK(field.value_offset <= field.end());
  }
  if (part.kind == PartKind::Message) FUZZ_CHECK(part.children.size() == 1);
  for (const MimePart& child : part.children) {
    FUZZ_CHECK(child.offset >= part.body_offset);
    FUZZ_CHECK(child.end() <= part.end());
    check_part(child, size, depth + 1, limits);
  }
}

void fetch_sections(const Message& message) {
  static const SectionText kTexts[] = {SectionText::Full,         SectionText::Header,
                                       SectionText::Text,         SectionText::Mime,
                                       SectionText::HeaderFields, SectionText::HeaderFieldsNot};
  for (std::uint32_t a = 0; a <= 3; ++a) {
    for (std::uint32_t b = 0; b <= 2; ++b) {
      for (std::uint32_t c = 0; c <= 1; ++c) {
        if ((a == 0 && b > 0) || (b == 0 && c > 0)) continue;  // each path once
        std::vector<std::uint32_t> path;
        for (std::uint32_t number : {a, b, c}) {
          if (number > 0) path.push_back(number);
        }
        (void)message.find_part(path);
        for (SectionText text : kTexts) {
          const auto got = message.section(Section{path, text, {"Subject", "From", "X-A"}});
          if (got) FUZZ_CHECK(got->size() <= message.size() + 4);
        }
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const Message message = Message::parse(bytes);
  FUZZ_CHECK(message.bytes() == bytes);
  check_part(message.root(), message.size(), 0, message.limits());
  for (const HeaderField& field : message.fields())
    FUZZ_CHECK(message.raw(field).size() == field.size);
  FUZZ_CHECK(message.header_bytes().size() + message.body_bytes().size() <= message.size());
  (void)message.envelope();
  fetch_sections(message);

  const Message again = Message::parse(bytes);
  FUZZ_CHECK(again.defects().size() == message.defects().size());
  FUZZ_CHECK(again.root().children.size() == message.root().children.size());

  const Message edited = message.with_prepended_field("Received: from x by y");
  FUZZ_CHECK(edited.bytes().size() >= bytes.size());
  FUZZ_CHECK(edited.bytes().compare(edited.bytes().size() - bytes.size(), bytes.size(), bytes) ==
             0);
  (void)message.with_appended_field("X-Fuzz: 1");
  (void)add_missing_fields(message, {"Mon, 02 Sep 2024 08:00:00 +0000", "<id@example.com>"});

  // The small parsers, on the first line of the input (where a header value would be).
  const std::string_view text = std::string_view(bytes).substr(0, bytes.find('\n'));
  const AddressList list = parse_address_list(text);
  for (const Mailbox& mailbox : list.mailboxes())
    (void)mailbox.address();
  (void)parse_parameterized(text);
  (void)parse_media_type(text);
  (void)parse_date_time(text);
  if (const auto decoded = base64_decode(text)) {
    // Decoding what was encoded gives the bytes back.
    const auto round = base64_decode(base64_encode(*decoded));
    FUZZ_CHECK(round.ok() && *round == *decoded);
  }
  return 0;
}
