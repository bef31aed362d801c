#pragma once
// DataReader: reads message content after "354" until the end-of-data line (RFC 5321 §4.1.1.4),
// removing dot-stuffing (§4.5.2), in any chunking.
//
// End of data is recognised only as <CR><LF>.<CR><LF>; a bare CR or bare LF anywhere is
// remembered, because servers that disagree about where a message ends can be made to accept a
// second, forged message hidden inside the first ("SMTP smuggling"). Whatever is wrong with the
// content, the reader still consumes it up to the real end of data, so the session stays in
// step with the client and nothing of it is mistaken for a command.

#include <cstdint>
#include <string>
#include <string_view>

namespace mailscope::smtp {

// RFC 5321 §4.5.3.1.6: a text line is at most 1000 octets including the CRLF.
constexpr std::size_t kTextLineMax = 1000;

class DataReader {
 public:
  explicit DataReader(std::uint64_t size_limit_bytes) : m_size_limit_bytes(size_limit_bytes) {}

  // Consumes bytes up to and including the end-of-data line; returns how many were used.
  // After finished() it consumes nothing.
  std::size_t feed(std::string_view bytes);
  bool finished() const { return m_finished; }

  // The unstuffed content, each line ending in CRLF; valid only when nothing below is set.
  const std::string& content() const { return m_content; }
  std::string take_content() { return std::move(m_content); }
  // Size of the unstuffed content even when it was too big to keep.
  std::uint64_t size_bytes() const { return m_size_bytes; }
  bool bare_newline() const { return m_bare_newline; }
  bool line_too_long() const { return m_line_too_long; }
  bool too_big() const { return m_too_big; }
  bool acceptable() const { return !m_bare_newline && !m_line_too_long && !m_too_big; }

 private:
  void end_line();

  std::uint64_t m_size_limit_bytes;
  std::string m_content;          // never longer than m_size_limit_bytes
  std::string m_line;             // the current line without its CRLF, at most kTextLineMax octets
  std::size_t m_line_length = 0;  // octets of the current line so far, including dropped ones
  std::uint64_t m_size_bytes = 0;
  bool m_saw_cr = false;  // the previous octet was a CR not yet known to start a CRLF
  bool m_finished = false;
  bool m_bare_newline = false;
  bool m_line_too_long = false;
  bool m_too_big = false;
};

// The client's side: turns a message into the bytes sent after "354": every line break (CRLF,
// bare LF or bare CR) becomes CRLF, a line starting with '.' gets a second one, the message is
// given a final CRLF if it lacks one, and ".\r\n" ends it.
std::string encode_data(std::string_view message);

}  // namespace mailscope::smtp
