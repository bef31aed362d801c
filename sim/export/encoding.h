#pragma once
// Text encodings the exports write: JSON strings, HTML text, hex and base64.

#include <string>
#include <string_view>

#include "wire/bytes.h"

namespace mailscope::exporter {

// Appends `text` as a JSON string literal, quotes included. Control characters, '"' and '\\'
// are escaped; bytes that are not valid UTF-8 become U+FFFD, so the output is always valid JSON.
void append_json_string(std::string& out, std::string_view text);

// Appends `text` with &, <, >, " and ' replaced by entities: safe in HTML text, in quoted
// attribute values and in SVG text. Invalid UTF-8 becomes U+FFFD and control characters other
// than tab and line feed become U+FFFD too, which a browser would otherwise reject or misread.
void append_html(std::string& out, std::string_view text);
std::string html(std::string_view text);

void append_hex(std::string& out, wire::ByteView bytes);     // "48656c6c6f"
void append_base64(std::string& out, wire::ByteView bytes);  // RFC 4648 with padding

// The length of the valid UTF-8 sequence starting at text[at], or 0 when it is not valid
// (overlong forms, surrogates and code points above U+10FFFF are invalid).
std::size_t utf8_sequence_length(std::string_view text, std::size_t at);

}  // namespace mailscope::exporter
