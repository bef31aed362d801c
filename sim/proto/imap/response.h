#pragma once
// IMAP responses as a client reads them (RFC 3501 7, RFC 9051 7): continuation requests, untagged
// data and status responses, tagged completions. The reader frames responses from a byte stream
// in any chunking (literals included); parse_response() turns one framed response into a
// Response with its data as a small tree of values.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace mailscope::imap {

enum class ResponseKind { Continuation, Untagged, Tagged };
enum class Status { None, Ok, No, Bad, Preauth, Bye };
std::string_view to_string(Status status);

// One item of response data: an atom, a number, a string (quoted or literal), NIL, or a
// parenthesised list of items.
struct Value {
  enum class Type { Atom, Number, String, Nil, List };
  Type type = Type::Nil;
  std::string text;          // Atom and String
  std::uint64_t number = 0;  // Number
  std::vector<Value> items;  // List

  bool is_atom(std::string_view name) const;  // case-insensitive
  bool operator==(const Value&) const = default;
};

struct Response {
  ResponseKind kind = ResponseKind::Untagged;
  std::string tag;                      // Tagged only
  Status status = Status::None;         // OK/NO/BAD/PREAUTH/BYE responses
  std::string code;                     // response code, upper-cased: "UIDVALIDITY"
  std::string code_args;                // the rest inside the brackets: "3857529045"
  std::string text;                     // human-readable text; the continuation's text
  std::optional<std::uint32_t> number;  // "* 3 EXISTS" -> 3
  std::string keyword;                  // "EXISTS", "FETCH", "SEARCH", ... upper-cased
  std::vector<Value> data;              // values after the keyword
  std::string raw;                      // the response as received, final CRLF removed
};

// What a FETCH response says about one message; unknown items stay in items.
struct FetchData {
  std::uint32_t seq = 0;
  std::optional<std::uint32_t> uid;
  std::optional<std::vector<std::string>> flags;
  std::optional<std::string> internal_date;
  std::optional<std::uint64_t> size;
  std::map<std::string, Value> items;  // by item name as sent ("BODY[]", "ENVELOPE", ...)
};
std::optional<FetchData> fetch_data(const Response& response);
// The numbers of a SEARCH response.
std::vector<std::uint32_t> search_results(const Response& response);
// The capability names of a CAPABILITY response or a [CAPABILITY ...] code, upper-cased.
std::vector<std::string> capabilities(const Response& response);

// Parses one framed response (literals inline, final CRLF removed).
Result<Response> parse_response(std::string_view text);

// Frames responses: a line, and when it ends with a literal {n}, n octets and the rest of the
// line, until a line ends without one. Any chunking, one byte at a time included.
class ResponseReader {
 public:
  enum class Status { NeedMore, Complete, Bad };
  struct Step {
    Status status = Status::NeedMore;
    std::size_t consumed = 0;
  };
  explicit ResponseReader(std::size_t line_max = 65536, std::size_t response_max = 64 << 20)
      : m_line_max(line_max), m_response_max(response_max) {}

  Step feed(std::string_view bytes);
  // The framed response after Complete (final CRLF removed); the reader is ready for the next.
  std::string take();
  const Error& error() const { return m_error; }
  void reset();

 private:
  std::size_t m_line_max;
  std::size_t m_response_max;
  std::string m_buf;                 // the response so far
  std::size_t m_line_start = 0;      // where the current line begins in m_buf
  std::uint64_t m_literal_left = 0;  // octets of literal still to copy
  bool m_complete = false;
  bool m_bad = false;
  Error m_error;
};

}  // namespace mailscope::imap
