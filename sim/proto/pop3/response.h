#pragma once
// POP3 responses (RFC 1939 §3): a status line "+OK ..." or "-ERR ...", optionally with an
// extended response code in brackets (RFC 2449 §8, "-ERR [IN-USE] ..."), and for some commands a
// multi-line body ended by a line holding only ".". A SASL exchange adds the continuation
// "+ challenge" (RFC 5034 §4).

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace mailscope::pop3 {

// RFC 2449 §4: a response line is at most 512 octets including the CRLF.
constexpr std::size_t kResponseLineMax = 512;

enum class Status { Ok, Err, Continue };  // "+OK", "-ERR", "+ " (SASL continuation)
std::string_view to_string(Status status);

struct Pop3Response {
  Status status = Status::Ok;
  // RFC 2449 §8 extended response code without its brackets ("IN-USE", "AUTH", "SYS/TEMP");
  // empty when the response carries none.
  std::string code;
  std::string text;  // the rest of the status line

  bool ok() const { return status == Status::Ok; }
  bool operator==(const Pop3Response&) const = default;
};

Pop3Response ok_response(std::string text);
Pop3Response err_response(std::string_view code, std::string text);

// "+OK text", "-ERR [CODE] text", "+ text" without the CRLF; "+OK" alone when text is empty.
std::string status_line(const Pop3Response& response);

// Reads a status line (CRLF already removed). An unknown first word is an error; a bracketed
// code is taken only from a -ERR or +OK line, as RFC 2449 §8 places it.
Result<Pop3Response> parse_status_line(std::string_view line);

}  // namespace mailscope::pop3
