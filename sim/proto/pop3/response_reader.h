#pragma once
// ResponseReader: the client's reader of server responses, in any chunking. The reader cannot
// tell from the bytes whether a response has a body (RFC 1939 §3: that depends on the command),
// so the client says before each response whether a +OK to it is multi-line.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "proto/pop3/multiline.h"
#include "proto/pop3/response.h"

namespace mailscope::pop3 {

// RFC 2449 §4 limits a response line to 512 octets; a reader is kinder than that to old servers
// and still bounded.
constexpr std::size_t kStatusLineReadMax = 1024;

class ResponseReader {
 public:
  enum class State { NeedMore, Complete, Bad };
  struct Step {
    State state = State::NeedMore;
    std::size_t consumed = 0;  // bytes of the input used by this step
  };

  explicit ResponseReader(std::uint64_t body_size_max)
      : m_body_size_max(body_size_max), m_body(body_size_max) {}

  // Starts the next response; multi_line_if_ok: a +OK status line is followed by a body.
  void expect(bool multi_line_if_ok);
  // Consumes bytes until the response is complete, more are needed, or the input is malformed
  // (then error() says why and the reader stays bad).
  Step feed(std::string_view bytes);

  const Pop3Response& response() const { return m_response; }
  bool multi_line() const { return m_in_body; }
  // The body of a multi-line response (empty, and too_big(), when over the limit).
  const MultiLineReader& body() const { return m_body; }
  std::string take_body() { return m_body.take_body(); }
  const Error& error() const { return m_error; }

 private:
  std::uint64_t m_body_size_max;
  bool m_multi_line_if_ok = false;
  bool m_in_body = false;  // the status line was +OK and a body is being read
  bool m_bad = false;
  bool m_complete = false;
  std::string m_line;  // the status line so far, at most kStatusLineReadMax octets
  Pop3Response m_response;
  MultiLineReader m_body;
  Error m_error;
};

}  // namespace mailscope::pop3
