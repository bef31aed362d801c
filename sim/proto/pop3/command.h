#pragma once
// POP3 command lines (RFC 1939 §3, RFC 2449 §4): a keyword of three or four characters, matched
// without regard to case, and arguments separated by spaces.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace mailscope::pop3 {

// RFC 2449 §4: a command line is at most 255 octets including the CRLF.
constexpr std::size_t kCommandLineMax = 255;
// Lines of an AUTH exchange carry base64 and may be longer (RFC 5034 §4 allows the exchange to
// go past the command limit); this engine's bound for them.
constexpr std::size_t kSaslLineMax = 4096;
// RFC 1939 §3: an argument is at most 40 characters. We bound the count instead, and take
// longer arguments (a PASS phrase may be long), since the line limit already bounds them.
constexpr std::size_t kArgumentsMax = 8;

enum class Verb {
  User,
  Pass,
  Apop,
  Auth,
  Quit,
  Stat,
  List,
  Retr,
  Dele,
  Noop,
  Rset,
  Top,
  Uidl,
  Capa,
  Stls,
  Unknown,
  Count
};
std::string_view to_string(Verb verb);  // "USER", "PASS", ... "UNKNOWN"

struct CommandLine {
  Verb verb = Verb::Unknown;
  std::string_view keyword;  // as the client wrote it
  // Everything after the keyword and one space, verbatim: PASS takes it whole, spaces included
  // (RFC 1939 §7 allows a server to treat them as part of the password).
  std::string_view rest;
  std::vector<std::string_view> arguments;  // rest split at runs of spaces; empty ones dropped
  bool too_many_arguments = false;          // more than kArgumentsMax; arguments holds the first
};
// The views point into line.
CommandLine parse_command_line(std::string_view line);

// 1*DIGIT without sign, at most 19 digits (fits in 64 bits); anything else is nothing.
std::optional<std::uint64_t> parse_number(std::string_view text);

}  // namespace mailscope::pop3
