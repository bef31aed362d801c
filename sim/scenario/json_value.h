#pragma once
// A JSON document that remembers where every value came from. nlohmann's DOM keeps no positions,
// and scenario errors must say `file:line:column`, so scenarios are read by the small strict
// reader below (RFC 8259, UTF-8 only) and only then converted into plain structs.
//
// Positions: lines and columns count from 1; a column counts Unicode code points, not bytes, so
// it matches what an editor shows. A tab counts as one column.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace mailscope::scenario {

struct SourcePos {
  std::uint32_t line = 1;    // 1-based
  std::uint32_t column = 1;  // 1-based, in code points
  std::size_t offset = 0;    // byte offset into the text
  auto operator<=>(const SourcePos&) const = default;
};

enum class JsonKind { Null, Bool, Number, String, Array, Object };
std::string_view to_string(JsonKind kind);  // "null", "a boolean", "a number", ...

struct JsonMember;

struct JsonValue {
  JsonKind kind = JsonKind::Null;
  SourcePos pos;  // where the value starts
  bool boolean = false;
  double number = 0;
  // Set when the number was written without fraction or exponent and fits in 64 bits signed.
  bool is_integer = false;
  std::int64_t integer = 0;
  std::string text;                 // String: the decoded UTF-8
  std::vector<JsonValue> items;     // Array
  std::vector<JsonMember> members;  // Object, in document order; keys are unique

  // The member named `key`, or nullptr (also when this is not an object).
  const JsonValue* find(std::string_view key) const;
};

struct JsonMember {
  std::string key;
  SourcePos key_pos;
  JsonValue value;
};

// Limits on what the reader accepts; each one, exceeded, is an error at the offending position.
struct JsonLimits {
  std::size_t input_bytes_max = 4 * 1024 * 1024;
  std::size_t depth_max = 64;  // nested arrays and objects
  std::size_t string_bytes_max = 1024 * 1024;
  std::size_t values_max = 200'000;  // values in the whole document
};

// A parse failure: what went wrong and where. `message` has no position in it.
struct JsonError {
  SourcePos pos;
  std::string message;
};

// Parses a whole document: one value, surrounded by optional whitespace. A UTF-8 byte order mark
// at the start is skipped. Duplicate keys in one object are an error (RFC 8259 leaves their
// meaning open; a scenario never needs them and a duplicate is almost always a mistake).
struct JsonParse {
  bool ok = false;
  JsonValue value;  // meaningful when ok
  JsonError error;  // meaningful when !ok
};
JsonParse parse_json(std::string_view text, const JsonLimits& limits = {});

}  // namespace mailscope::scenario
