#pragma once
// Message: one RFC 5322 message as its exact bytes plus the structure read from them (header
// fields, MIME tree, defects). The bytes are the truth; the structure is an index into them, so a
// message is returned byte-identical unless an edit (which makes a new Message) changes it.
//
// Line endings: the canonical form is CRLF. The parser also accepts a bare LF as a line end (as
// mail readers do) and records a defect; offsets and sizes always describe the bytes as given.
// The mail store converts bare LF to CRLF when a message is stored (see mail_store.h).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "mail/address.h"
#include "mail/header.h"
#include "mail/mime.h"

namespace mailscope::mail {

// The ten members of IMAP's ENVELOPE (RFC 3501 7.4.2). A missing field is nullopt (or an empty
// list); Sender and Reply-To default to From, as the RFC requires of the server.
struct Envelope {
  std::optional<std::string> date;
  std::optional<std::string> subject;
  std::vector<AddressItem> from;
  std::vector<AddressItem> sender;
  std::vector<AddressItem> reply_to;
  std::vector<AddressItem> to;
  std::vector<AddressItem> cc;
  std::vector<AddressItem> bcc;
  std::optional<std::string> in_reply_to;
  std::optional<std::string> message_id;
};
// The envelope of a message whose header is part.header (the root, or an encapsulated message).
Envelope make_envelope(const MimePart& part, const ParseLimits& limits = {});

// What an IMAP BODY[section] names (RFC 3501 6.4.5), already parsed by the IMAP server.
enum class SectionText {
  Full,             // BODY[] or BODY[1.2]: the whole message, or the part's body
  Header,           // BODY[HEADER], BODY[1.HEADER] (1 must be message/rfc822)
  Text,             // BODY[TEXT], BODY[1.TEXT]
  Mime,             // BODY[1.MIME]: the part's own MIME header (not valid without a part number)
  HeaderFields,     // BODY[HEADER.FIELDS (A B)]
  HeaderFieldsNot,  // BODY[HEADER.FIELDS.NOT (A B)]
};
struct Section {
  std::vector<std::uint32_t> part;  // {1, 2} for "1.2"; empty for the message itself
  SectionText text = SectionText::Full;
  std::vector<std::string> field_names;  // for HeaderFields and HeaderFieldsNot
};

// The octets <origin.count> of a partial fetch; clamped to the data, empty past its end.
std::string_view partial(std::string_view data, std::uint64_t origin, std::uint64_t count);

class Message {
 public:
  Message() : Message(parse(std::string{})) {}
  static Message parse(std::string bytes, const ParseLimits& limits = {});

  const std::string& bytes() const { return m_bytes; }
  std::size_t size() const { return m_bytes.size(); }
  const MimePart& root() const { return m_root; }
  const std::vector<HeaderField>& fields() const { return m_root.header; }
  const HeaderField* field(std::string_view name) const { return m_root.field(name); }
  std::vector<const HeaderField*> fields_named(std::string_view name) const;
  // The header including the blank line that ends it, and the body after it.
  std::string_view header_bytes() const;
  std::string_view body_bytes() const;
  // Raw bytes of one field, exactly as they appear (folds and line terminator included).
  std::string_view raw(const HeaderField& field) const;
  const std::vector<Error>& defects() const { return m_defects; }
  const ParseLimits& limits() const { return m_limits; }

  Envelope envelope() const { return make_envelope(m_root, m_limits); }

  // The part an IMAP part number names ("1.2" -> {1, 2}). For a message that is not multipart,
  // part 1 is its body; inside a message/rfc822 part the numbers continue in the encapsulated
  // message.
  Result<const MimePart*> find_part(std::span<const std::uint32_t> path) const;
  // The bytes of BODY[section].
  Result<std::string> section(const Section& section) const;

  // A copy with a field placed in front of all others (trace fields: Received:, Return-Path:).
  // field_text is one complete field, possibly folded; a missing final CRLF is added.
  Message with_prepended_field(std::string_view field_text) const;
  // A copy with a field added at the end of the header (for Message-ID:, Date: and the like).
  Message with_appended_field(std::string_view field_text) const;

 private:
  struct ParseTag {};
  Message(std::string bytes, const ParseLimits& limits, ParseTag);
  std::string m_bytes;
  ParseLimits m_limits;
  MimePart m_root;  // offsets index m_bytes
  std::vector<Error> m_defects;
};

// "Name: value" with CRLF, folded at spaces so that lines stay within 78 characters when they can.
std::string format_field(std::string_view name, std::string_view value);

}  // namespace mailscope::mail
