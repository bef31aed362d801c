#pragma once
// MIME structure (RFC 2045, RFC 2046): Content-Type with parameters, multipart bodies split at
// their boundaries (nested), message/rfc822 parts with the message they carry, and for every part
// the exact byte ranges and line counts an IMAP server needs for BODYSTRUCTURE and BODY[...].
//
// All offsets are absolute positions in the bytes of the whole message, so a part's bytes are
// always a plain substring of the original message.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "mail/header.h"

namespace mailscope::mail {

using Parameters = std::vector<std::pair<std::string, std::string>>;  // names lower-case, in order

// "value; name=token; name2="quoted string"" as Content-Type and Content-Disposition write it.
struct ParameterizedValue {
  std::string value;  // lower-cased
  Parameters params;
  // The value of a parameter (case-insensitive name), if present.
  std::optional<std::string> param(std::string_view name) const;
};
// Parses the value and its parameters. Returns an error when the main value is not a token;
// parameters that cannot be read are skipped.
Result<ParameterizedValue> parse_parameterized(std::string_view text);

struct MediaType {
  std::string type = "text";      // lower-case
  std::string subtype = "plain";  // lower-case
  Parameters params = {{"charset", "us-ascii"}};

  bool is(std::string_view t, std::string_view s) const;
  bool is_multipart() const { return type == "multipart"; }
  std::optional<std::string> param(std::string_view name) const;
};
// RFC 2045 5.2: a missing or unreadable Content-Type means text/plain; charset=us-ascii.
MediaType parse_media_type(std::string_view text, bool* valid = nullptr);

enum class PartKind {
  Leaf,       // a single body (text, image, application, ...)
  Multipart,  // children are the body parts between the boundaries
  Message,    // message/rfc822: children[0] is the encapsulated message
};

struct MimePart {
  PartKind kind = PartKind::Leaf;
  std::size_t offset = 0;         // first byte of this part's header
  std::size_t header_size = 0;    // header bytes including the blank line (if there is one)
  std::size_t body_offset = 0;    // == offset + header_size
  std::size_t body_size = 0;      // octets of the body (for a multipart: preamble to epilogue)
  std::size_t body_lines = 0;     // line terminators in the body, +1 for an unterminated last line
  bool header_separated = false;  // a blank line ends the header (else the body starts at once)
  std::vector<HeaderField> header;  // the part's own header fields (the message's, for the root)

  MediaType content_type;
  bool content_type_given = false;         // false when the default was applied
  std::string transfer_encoding = "7bit";  // lower-case
  std::optional<std::string> content_id;
  std::optional<std::string> description;
  std::optional<std::string> md5;
  std::optional<std::string> location;
  std::optional<ParameterizedValue> disposition;
  std::vector<std::string> language;

  std::vector<MimePart> children;

  std::size_t end() const { return body_offset + body_size; }
  std::size_t size() const { return header_size + body_size; }
  const HeaderField* field(std::string_view name) const { return find_field(header, name); }
};

// Parses bytes[begin, end) as one part (header, then body) and everything below it. The default
// type applies when the part has no Content-Type (text/plain, or message/rfc822 in a digest).
// Never fails; problems are appended to defects.
MimePart parse_mime_part(std::string_view bytes, std::size_t begin, std::size_t end,
                         const ParseLimits& limits, std::vector<Error>& defects,
                         const MediaType& default_type = MediaType{});

// Counts lines in bytes[begin, end) the way BODYSTRUCTURE reports them.
std::size_t count_lines(std::string_view bytes, std::size_t begin, std::size_t end);

}  // namespace mailscope::mail
