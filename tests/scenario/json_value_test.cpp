// The JSON reader: positions of values, and the exact error for each kind of malformed input.

#include <gtest/gtest.h>

#include "scenario/json_value.h"

namespace mailscope::scenario {
namespace {

TEST(JsonValue, PositionsCountLinesAndCodePoints) {
  const JsonParse p = parse_json("{\n  \"é\": [1, true],\n\t\"b\": \"x\"\n}");
  ASSERT_TRUE(p.ok) << p.error.message;
  const JsonValue* e = p.value.find("é");
  ASSERT_NE(e, nullptr);
  // "é" is two bytes but one column: the value starts at column 8 of line 2.
  EXPECT_EQ(e->pos.line, 2u);
  EXPECT_EQ(e->pos.column, 8u);
  EXPECT_EQ(e->items.at(1).pos.column, 12u);
  // A tab counts as one column.
  EXPECT_EQ(p.value.find("b")->pos.line, 3u);
  EXPECT_EQ(p.value.find("b")->pos.column, 7u);
  EXPECT_EQ(p.value.members.at(1).key_pos.column, 2u);
}

TEST(JsonValue, DecodesEscapesAndNumbers) {
  const JsonParse p = parse_json(
      R"({"s": "a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", "i": -12, "d": 1.5e2, "big": 1e30})");
  ASSERT_TRUE(p.ok) << p.error.message;
  EXPECT_EQ(p.value.find("s")->text, "a\"\\/\b\f\n\r\t\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_TRUE(p.value.find("i")->is_integer);
  EXPECT_EQ(p.value.find("i")->integer, -12);
  EXPECT_FALSE(p.value.find("d")->is_integer);
  EXPECT_DOUBLE_EQ(p.value.find("d")->number, 150.0);
  EXPECT_FALSE(p.value.find("big")->is_integer);
}

TEST(JsonValue, SkipsAByteOrderMark) {
  EXPECT_TRUE(parse_json("\xEF\xBB\xBF{}").ok);
}

struct BadCase {
  const char* text;
  std::uint32_t line;
  std::uint32_t column;
  const char* message;
};

TEST(JsonValue, MalformedInputGivesPositionAndReason) {
  const BadCase cases[] = {
      // nothing at all
      {"", 1, 1, "the file is empty: expected a JSON object"},
      // trailing comma in an object
      {"{\"a\": 1,}", 1, 9, "trailing comma before '}'"},
      // trailing comma in an array
      {"[1, 2, ]", 1, 8, "trailing comma before ']'"},
      // missing colon
      {"{\"a\" 1}", 1, 6, "expected ':' after the key"},
      // unquoted key
      {"{a: 1}", 1, 2, "unexpected 'a': expected a key in double quotes"},
      // single quotes
      {"{\"a\": 'x'}", 1, 7, "strings must use double quotes"},
      // comments are not JSON
      {"{\"a\": // no\n 1}", 1, 7, "comments are not allowed in JSON"},
      // a misspelt literal
      {"[ture]", 1, 2,
       "unknown word: expected a value (true, false, null, a number, a string, an array or an "
       "object)"},
      // leading zeros
      {"[01]", 1, 3, "numbers must not start with 0 (leading zeros are not JSON)"},
      // a string broken over two lines
      {"[\"ab\ncd\"]", 1, 5, "a string must not span lines: write \\n for a line break"},
      // an unknown escape
      {"[\"a\\qb\"]", 1, 4, "unknown escape \\q"},
      // a lone surrogate
      {"[\"\\udc00\"]", 1, 3, "a lone low surrogate in a \\u escape"},
      // invalid UTF-8
      {"[\"\xC3\x28\"]", 1, 3, "invalid UTF-8 in a string"},
      // a duplicate key, reported where the second one starts
      {"{\"a\": 1,\n \"a\": 2}", 2, 2, "duplicate key 'a' (first at line 1)"},
      // unclosed object
      {"{\"a\": 1", 1, 8, "unexpected end of file: expected ',' or '}'"},
      // two values
      {"{} {}", 1, 4, "unexpected text after the end of the JSON value"},
      // a number beyond double range
      {"[1e999]", 1, 2, "the number is out of range"},
      // missing exponent digits
      {"[1e]", 1, 4, "expected a digit in the exponent"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.text);
    const JsonParse p = parse_json(c.text);
    ASSERT_FALSE(p.ok);
    EXPECT_EQ(p.error.pos.line, c.line);
    EXPECT_EQ(p.error.pos.column, c.column);
    EXPECT_EQ(p.error.message, c.message);
  }
}

TEST(JsonValue, LimitsAreEnforced) {
  JsonLimits limits;
  limits.depth_max = 3;
  EXPECT_TRUE(parse_json("[[[1]]]", limits).ok);
  const JsonParse deep = parse_json("[[[[1]]]]", limits);
  ASSERT_FALSE(deep.ok);
  EXPECT_EQ(deep.error.message, "nested more than 3 levels deep");
  EXPECT_EQ(deep.error.pos.column, 4u);
  limits = JsonLimits{};
  limits.values_max = 3;
  EXPECT_EQ(parse_json("[1, 2, 3]", limits).error.message, "more than 3 values in the file");
  // Default depth: a very deep document is refused rather than overflowing the stack.
  EXPECT_FALSE(parse_json(std::string(100000, '[')).ok);
}

}  // namespace
}  // namespace mailscope::scenario
