#include "scenario/json_value.h"

#include <charconv>
#include <cmath>
#include <optional>

namespace mailscope::scenario {

std::string_view to_string(JsonKind kind) {
  switch (kind) {
    case JsonKind::Null:
      return "null";
    case JsonKind::Bool:
      return "a boolean";
    case JsonKind::Number:
      return "a number";
    case JsonKind::String:
      return "a string";
    case JsonKind::Array:
      return "an array";
    case JsonKind::Object:
      return "an object";
  }
  return "a value";
}

const JsonValue* JsonValue::find(std::string_view key) const {
  for (const JsonMember& member : members) {
    if (member.key == key) return &member.value;
  }
  return nullptr;
}

namespace {

// Reads one document. Every method that fails sets m_error and returns false; callers return
// at once, so the first error is the one reported.
class Reader {
 public:
  Reader(std::string_view text, const JsonLimits& limits) : m_text(text), m_limits(limits) {}

  JsonParse run() {
    JsonParse out;
    if (m_text.size() > m_limits.input_bytes_max) {
      out.error = {
          m_pos, "the file is larger than " + std::to_string(m_limits.input_bytes_max) + " bytes"};
      return out;
    }
    if (m_text.substr(0, 3) == "\xEF\xBB\xBF") {
      m_pos.offset = 3;
    }
    skip_space();
    if (at_end()) {
      out.error = {m_pos, "the file is empty: expected a JSON object"};
      return out;
    }
    if (value(out.value, 0)) {
      skip_space();
      if (!at_end()) fail("unexpected text after the end of the JSON value");
    }
    if (m_failed) {
      out.error = m_error;
      return out;
    }
    out.ok = true;
    return out;
  }

 private:
  bool at_end() const { return m_pos.offset >= m_text.size(); }
  unsigned char peek() const { return static_cast<unsigned char>(m_text[m_pos.offset]); }

  // Moves over one byte; a UTF-8 continuation byte does not start a new column.
  void advance() {
    const unsigned char c = peek();
    ++m_pos.offset;
    if (c == '\n') {
      ++m_pos.line;
      m_pos.column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++m_pos.column;
    }
  }

  bool fail(std::string message) { return fail_at(m_pos, std::move(message)); }
  bool fail_at(SourcePos pos, std::string message) {
    if (!m_failed) {
      m_failed = true;
      m_error = {pos, std::move(message)};
    }
    return false;
  }

  static std::string describe(unsigned char c) {
    if (c >= 0x21 && c < 0x7F) return std::string("'") + static_cast<char>(c) + "'";
    static const char* hex = "0123456789ABCDEF";
    return std::string("byte 0x") + hex[c >> 4] + hex[c & 15];
  }

  void skip_space() {
    while (!at_end()) {
      const unsigned char c = peek();
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      advance();
    }
  }

  bool value(JsonValue& out, std::size_t depth) {
    if (++m_values > m_limits.values_max) {
      return fail("more than " + std::to_string(m_limits.values_max) + " values in the file");
    }
    out.pos = m_pos;
    if (at_end()) return fail("unexpected end of file: expected a value");
    const unsigned char c = peek();
    switch (c) {
      case '{':
        return object(out, depth + 1);
      case '[':
        return array(out, depth + 1);
      case '"':
        out.kind = JsonKind::String;
        return string(out.text);
      case 't':
        out.kind = JsonKind::Bool;
        out.boolean = true;
        return literal("true");
      case 'f':
        out.kind = JsonKind::Bool;
        return literal("false");
      case 'n':
        out.kind = JsonKind::Null;
        return literal("null");
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return number(out);
        if (c == '\'') return fail("strings must use double quotes");
        if (c == '/') return fail("comments are not allowed in JSON");
        return fail("unexpected " + describe(c) + ": expected a value");
    }
  }

  bool literal(std::string_view word) {
    if (m_text.substr(m_pos.offset, word.size()) != word) {
      return fail(
          "unknown word: expected a value (true, false, null, a number, a string, an "
          "array or an object)");
    }
    for (std::size_t i = 0; i < word.size(); ++i)
      advance();
    return true;
  }

  bool depth_ok(std::size_t depth) {
    if (depth > m_limits.depth_max) {
      return fail("nested more than " + std::to_string(m_limits.depth_max) + " levels deep");
    }
    return true;
  }

  bool object(JsonValue& out, std::size_t depth) {
    out.kind = JsonKind::Object;
    if (!depth_ok(depth)) return false;
    advance();  // '{'
    skip_space();
    if (!at_end() && peek() == '}') {
      advance();
      return true;
    }
    while (true) {
      skip_space();
      if (at_end()) return fail("unexpected end of file: expected a key or '}'");
      if (peek() == '}') return fail("trailing comma before '}'");
      if (peek() != '"') {
        return fail("unexpected " + describe(peek()) + ": expected a key in double quotes");
      }
      JsonMember member;
      member.key_pos = m_pos;
      if (!string(member.key)) return false;
      for (const JsonMember& earlier : out.members) {
        if (earlier.key == member.key) {
          return fail_at(member.key_pos, "duplicate key '" + member.key + "' (first at line " +
                                             std::to_string(earlier.key_pos.line) + ")");
        }
      }
      skip_space();
      if (at_end() || peek() != ':') return fail("expected ':' after the key");
      advance();
      skip_space();
      if (!value(member.value, depth)) return false;
      out.members.push_back(std::move(member));
      skip_space();
      if (at_end()) return fail("unexpected end of file: expected ',' or '}'");
      if (peek() == ',') {
        advance();
        continue;
      }
      if (peek() == '}') {
        advance();
        return true;
      }
      return fail("unexpected " + describe(peek()) + ": expected ',' or '}'");
    }
  }

  bool array(JsonValue& out, std::size_t depth) {
    out.kind = JsonKind::Array;
    if (!depth_ok(depth)) return false;
    advance();  // '['
    skip_space();
    if (!at_end() && peek() == ']') {
      advance();
      return true;
    }
    while (true) {
      skip_space();
      if (!at_end() && peek() == ']') return fail("trailing comma before ']'");
      JsonValue item;
      if (!value(item, depth)) return false;
      out.items.push_back(std::move(item));
      skip_space();
      if (at_end()) return fail("unexpected end of file: expected ',' or ']'");
      if (peek() == ',') {
        advance();
        continue;
      }
      if (peek() == ']') {
        advance();
        return true;
      }
      return fail("unexpected " + describe(peek()) + ": expected ',' or ']'");
    }
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  std::optional<std::uint32_t> hex4() {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      if (at_end()) return std::nullopt;
      const unsigned char c = peek();
      std::uint32_t d;
      if (c >= '0' && c <= '9')
        d = c - '0';
      else if (c >= 'a' && c <= 'f')
        d = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        d = c - 'A' + 10;
      else
        return std::nullopt;
      v = v * 16 + d;
      advance();
    }
    return v;
  }

  // Length of the UTF-8 sequence starting at the current byte, or 0 if it is not well formed
  // (overlong forms, surrogates and code points above U+10FFFF are rejected).
  std::size_t utf8_length() const {
    const std::string_view rest = m_text.substr(m_pos.offset);
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(rest[i]); };
    const unsigned char c = byte(0);
    std::size_t n;
    std::uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      cp = c & 0x07;
    } else {
      return 0;
    }
    if (rest.size() < n) return 0;
    for (std::size_t i = 1; i < n; ++i) {
      if ((byte(i) & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (byte(i) & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
    return n;
  }

  bool string(std::string& out) {
    advance();  // opening quote
    while (true) {
      if (at_end()) return fail("unexpected end of file inside a string");
      if (out.size() > m_limits.string_bytes_max) {
        return fail("a string longer than " + std::to_string(m_limits.string_bytes_max) + " bytes");
      }
      const unsigned char c = peek();
      if (c == '"') {
        advance();
        return true;
      }
      if (c < 0x20) {
        return fail(c == '\n' ? "a string must not span lines: write \\n for a line break"
                              : "control character " + describe(c) + " in a string: escape it");
      }
      if (c == '\\') {
        const SourcePos escape = m_pos;
        advance();
        if (at_end()) return fail("unexpected end of file inside a string");
        const unsigned char e = peek();
        advance();
        switch (e) {
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case '/':
            out += '/';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            auto cp = hex4();
            if (!cp) return fail_at(escape, "\\u must be followed by four hex digits");
            if (*cp >= 0xDC00 && *cp <= 0xDFFF) {
              return fail_at(escape, "a lone low surrogate in a \\u escape");
            }
            if (*cp >= 0xD800 && *cp <= 0xDBFF) {
              if (m_text.substr(m_pos.offset, 2) != "\\u") {
                return fail_at(escape, "a high surrogate must be followed by a \\u low surrogate");
              }
              advance();
              advance();
              auto low = hex4();
              if (!low || *low < 0xDC00 || *low > 0xDFFF) {
                return fail_at(escape, "a high surrogate must be followed by a \\u low surrogate");
              }
              *cp = 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00);
            }
            append_utf8(out, *cp);
            break;
          }
          default:
            return fail_at(escape, "unknown escape \\" + std::string(1, static_cast<char>(e)));
        }
        continue;
      }
      if (c < 0x80) {
        out += static_cast<char>(c);
        advance();
        continue;
      }
      const std::size_t n = utf8_length();
      if (n == 0) return fail("invalid UTF-8 in a string");
      out.append(m_text.substr(m_pos.offset, n));
      for (std::size_t i = 0; i < n; ++i)
        advance();
    }
  }

  bool number(JsonValue& out) {
    out.kind = JsonKind::Number;
    const std::size_t start = m_pos.offset;
    bool integral = true;
    if (peek() == '-') advance();
    if (at_end() || peek() < '0' || peek() > '9') return fail("expected a digit after '-'");
    if (peek() == '0') {
      advance();
      if (!at_end() && peek() >= '0' && peek() <= '9') {
        return fail("numbers must not start with 0 (leading zeros are not JSON)");
      }
    } else {
      while (!at_end() && peek() >= '0' && peek() <= '9')
        advance();
    }
    if (!at_end() && peek() == '.') {
      integral = false;
      advance();
      if (at_end() || peek() < '0' || peek() > '9') return fail("expected a digit after '.'");
      while (!at_end() && peek() >= '0' && peek() <= '9')
        advance();
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      integral = false;
      advance();
      if (!at_end() && (peek() == '+' || peek() == '-')) advance();
      if (at_end() || peek() < '0' || peek() > '9') return fail("expected a digit in the exponent");
      while (!at_end() && peek() >= '0' && peek() <= '9')
        advance();
    }
    const char* first = m_text.data() + start;
    const char* last = m_text.data() + m_pos.offset;
    const auto parsed = std::from_chars(first, last, out.number);
    if (parsed.ec != std::errc() || !std::isfinite(out.number)) {
      return fail_at(out.pos, "the number is out of range");
    }
    if (integral) {
      const auto as_int = std::from_chars(first, last, out.integer);
      out.is_integer = as_int.ec == std::errc();
    }
    return true;
  }

  std::string_view m_text;
  const JsonLimits& m_limits;
  SourcePos m_pos;
  std::size_t m_values = 0;
  bool m_failed = false;
  JsonError m_error;
};

}  // namespace

JsonParse parse_json(std::string_view text, const JsonLimits& limits) {
  return Reader(text, limits).run();
}

}  // namespace mailscope::scenario
