#pragma once
// Header fields of an RFC 5322 message or a MIME part.
//
// A field keeps where its bytes are (offset and size in the message, including the line
// terminator and every folded continuation line), so the original bytes can always be returned
// unchanged, and also its decoded parts: the name as written and the unfolded value.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace mailscope::mail {

// Bounds on what a parser will build from one message. Input beyond a bound is still kept as
// bytes; it is just not split any further (and a defect says so).
struct ParseLimits {
  std::size_t header_fields_max = 1000;  // per header block
  std::size_t mime_depth_max = 16;       // nesting of multipart and message/rfc822
  std::size_t parts_max = 1000;          // MIME parts in one message
  std::size_t addresses_max = 1000;      // addresses in one address list
  std::size_t line_length_max = 998;     // RFC 5322 2.1.1; longer lines are a defect only
};

struct HeaderField {
  std::size_t offset = 0;        // first byte of the field's name in the message
  std::size_t size = 0;          // bytes up to and including the last line terminator
  std::size_t value_offset = 0;  // first byte after the colon
  std::string name;              // as written, without trailing white space ("Subject")
  std::string value;  // unfolded: line terminators of folds removed, outer white space trimmed

  std::size_t end() const { return offset + size; }
  bool is(std::string_view other_name) const;  // case-insensitive name comparison
};

// The header block of a message or MIME part inside [begin, end) of the message bytes.
struct HeaderBlock {
  std::vector<HeaderField> fields;
  std::size_t body_offset = 0;  // first byte of the body (after the blank line, if any)
  // Where the blank line that ends the header starts; equals body_offset when there is none.
  std::size_t separator_offset = 0;
  bool has_separator = false;  // a blank line ended the header
};

// Reads header fields from bytes[begin, end). The header ends at the first empty line. A line that
// is neither a field ("Name: value") nor a continuation of one (leading space or tab) ends the
// header too: the body starts at that line and a defect is recorded. Never fails.
HeaderBlock parse_header_block(std::string_view bytes, std::size_t begin, std::size_t end,
                               const ParseLimits& limits, std::vector<Error>& defects);

// Removes the line terminators of folds and trims outer white space.
std::string unfold(std::string_view raw_value);

// The first field with this name, or nullptr.
const HeaderField* find_field(std::span<const HeaderField> fields, std::string_view name);

// Field names: printable US-ASCII except colon (RFC 5322 ftext).
bool is_field_name(std::string_view name);

}  // namespace mailscope::mail
