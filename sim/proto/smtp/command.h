#pragma once
// Command lines (RFC 5321 §4.1): the verb, and for MAIL and RCPT the path and the ESMTP
// parameters (RFC 5321 §4.1.2 Mail-parameters / Rcpt-parameters).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "proto/smtp/address.h"

namespace mailscope::smtp {

enum class Verb {
  Helo,
  Ehlo,
  Mail,
  Rcpt,
  Data,
  Rset,
  Noop,
  Quit,
  Help,
  Vrfy,
  Expn,
  StartTls,
  Auth,
  Bdat,
  Etrn,
  Turn,  // known but not implemented: 502
  Unknown,
  Count
};
std::string_view to_string(Verb verb);  // "EHLO", "MAIL", ... "UNKNOWN"

struct CommandLine {
  Verb verb = Verb::Unknown;
  std::string_view verb_text;  // as the client wrote it
  std::string_view argument;   // after the verb and its spaces, trailing spaces removed
};
// Verbs are case-insensitive (RFC 5321 §2.4). The views point into line.
CommandLine parse_command_line(std::string_view line);

struct EsmtpParameter {
  std::string keyword;  // upper-cased
  std::string value;    // empty when the parameter has no "=value"
  bool operator==(const EsmtpParameter&) const = default;
};

struct PathArgument {
  Path path;
  std::vector<EsmtpParameter> parameters;
};

// Parses "FROM:<path> PARAM=VALUE ..." (keyword "FROM") or "TO:<path> ..." (keyword "TO").
// Like Postfix, spaces after the colon are tolerated. Errors: where = "syntax" when the
// keyword or colon is missing, "parameter" for a malformed parameter, otherwise the address
// fields of parse_path().
Result<PathArgument> parse_path_argument(std::string_view argument, std::string_view keyword,
                                         PathKind kind);

// A decimal number of at most 20 digits that fits in 64 bits (the SIZE= value).
std::optional<std::uint64_t> parse_decimal(std::string_view text);

}  // namespace mailscope::smtp
