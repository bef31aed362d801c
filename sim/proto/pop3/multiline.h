#pragma once
// Multi-line responses (RFC 1939 §3): the body of LIST, UIDL, CAPA, RETR and TOP goes out line
// by line; a line that starts with "." gets one more "." in front ("byte-stuffing"), and a line
// holding only "." ends the body. The server stuffs, the client un-stuffs, and a message comes
// back byte for byte.
//
// A line starts at the beginning of the body and after every LF. The mail store keeps messages
// with CRLF line ends only, so in practice a line ends in CRLF; treating a bare LF as a line end
// too keeps stuffing and un-stuffing in step with clients that split lines at LF.

#include <cstdint>
#include <string>
#include <string_view>

namespace mailscope::pop3 {

// Appends body to out, stuffed, with a CRLF added when body does not end in LF, then ".\r\n".
// Returns the number of octets appended.
std::size_t append_stuffed(std::string& out, std::string_view body);

// TOP n m (RFC 1939 §7): the header, the empty line after it and the first body_lines lines of
// the body. A message without an empty line is all header and comes back whole.
std::string_view top_of_message(std::string_view message, std::uint64_t body_lines);

// The client's side: reads a multi-line body in any chunking, un-stuffing it, up to and including
// the line ".". Accepts ".\r\n" and ".\n" as the end. Keeps at most size_max octets; a longer
// body is still read to its end (so the stream stays in step) but not kept.
class MultiLineReader {
 public:
  explicit MultiLineReader(std::uint64_t size_max) : m_size_max(size_max) {}

  // Consumes bytes up to and including the end line; returns how many were used. After
  // finished() it consumes nothing.
  std::size_t feed(std::string_view bytes);
  bool finished() const { return m_state == State::Done; }

  // The un-stuffed body, empty when too_big().
  const std::string& body() const { return m_body; }
  std::string take_body() { return std::move(m_body); }
  std::uint64_t size_bytes() const { return m_size_bytes; }  // even when too big to keep
  bool too_big() const { return m_too_big; }

 private:
  enum class State {
    LineStart,  // at the first octet of a line
    Middle,     // inside a line
    Dot,        // the line so far is one "."
    DotCr,      // the line so far is ".\r"
    Done,
  };
  void keep(std::string_view bytes);

  std::uint64_t m_size_max;
  std::string m_body;  // never longer than m_size_max
  std::uint64_t m_size_bytes = 0;
  bool m_too_big = false;
  State m_state = State::LineStart;
};

}  // namespace mailscope::pop3
