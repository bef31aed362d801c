#pragma once
// SMTP replies (RFC 5321 §4.2) with enhanced status codes (RFC 3463, RFC 2034): formatting for
// the server and an incremental parser for the client.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace mailscope::smtp {

// RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets including the CRLF.
constexpr std::size_t kReplyLineMax = 512;
// A bound on the lines of one multi-line reply, so that a hostile server cannot grow the
// client's memory without end.
constexpr std::size_t kReplyLinesMax = 100;

struct SmtpReply {
  int code = 0;          // 200..599; the first digit is the class
  std::string enhanced;  // "2.1.5", or empty for replies that carry none (greeting, EHLO, 3xx)
  std::vector<std::string> lines;  // text of each line, without the code and enhanced code

  bool positive() const { return code >= 200 && code < 400; }
  bool transient_failure() const { return code >= 400 && code < 500; }
  bool permanent_failure() const { return code >= 500; }
  // The text of all lines joined by a space, for one-line displays.
  std::string text() const;
  bool operator==(const SmtpReply&) const = default;
};

// "250-first\r\n250 last\r\n" with the enhanced code after the code on every line when present.
std::string format_reply(const SmtpReply& reply);
// One-line convenience: make_reply(250, "2.0.0", "Ok").
SmtpReply make_reply(int code, std::string_view enhanced, std::string_view text);

// Splits "2.1.5 Ok" into an enhanced code and the rest when the text starts with one
// (class 2, 4 or 5; subject and detail of 1..3 digits); otherwise nothing.
std::optional<std::string> leading_enhanced_code(std::string_view text);

// Reads replies from a byte stream in any chunking. Lines end with CRLF; a bare LF is
// tolerated as a line end, as most clients do.
class ReplyParser {
 public:
  enum class Status { NeedMore, Complete, Bad };
  struct Step {
    Status status = Status::NeedMore;
    std::size_t consumed = 0;  // bytes of the input used by this step
  };

  // Consumes bytes until one reply is complete (then reply() holds it), more are needed, or the
  // input is malformed (then error() says why and the parser stays bad until reset()).
  Step feed(std::string_view bytes);
  const SmtpReply& reply() const { return m_reply; }
  const Error& error() const { return m_error; }
  void reset();

 private:
  Status take_line(std::string_view line);

  std::string m_line;       // the partial line; never longer than kReplyLineMax
  SmtpReply m_reply;        // the reply being assembled, or the last complete one
  bool m_in_reply = false;  // true once the first line of an unfinished reply was read
  bool m_bad = false;
  bool m_complete = false;  // m_reply holds a finished reply not yet replaced
  Error m_error;
};

}  // namespace mailscope::smtp
