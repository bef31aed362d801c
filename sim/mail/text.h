#pragma once
// Small ASCII helpers shared by the message parsers. Mail header syntax is ASCII-based, so these
// never consult the locale: a byte >= 0x80 is never a letter, a digit or white space here.

#include <cstddef>
#include <string>
#include <string_view>

namespace mailscope::mail {

inline bool is_wsp(char c) {
  return c == ' ' || c == '\t';
}
inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
inline bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline char to_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

std::string to_lower(std::string_view text);
// Case-insensitive (ASCII) equality, as header field names and MIME tokens compare.
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view text, std::string_view prefix);
// Removes spaces and tabs at both ends.
std::string_view trim_wsp(std::string_view text);
// Removes spaces, tabs, CR and LF at both ends.
std::string_view trim_space(std::string_view text);

// One line of a byte range: its content ends at content_end (before the terminator) and the next
// line starts at next. A line ends at CRLF or at a bare LF; a bare CR is an ordinary byte. The last
// line of a range may have no terminator, in which case content_end == next == range end.
struct LineSpan {
  std::size_t begin = 0;
  std::size_t content_end = 0;
  std::size_t next = 0;
  bool bare_lf = false;  // terminated by LF without CR
  bool terminated() const { return next > content_end; }
};
LineSpan line_at(std::string_view bytes, std::size_t begin, std::size_t end);

// Turns every bare LF into CRLF and every bare CR into CRLF; CRLF stays as it is.
std::string normalize_crlf(std::string_view bytes);

}  // namespace mailscope::mail
