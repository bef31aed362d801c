#include "proto/imap/response.h"

#include <algorithm>

#include "mail/text.h"

namespace mailscope::imap {
namespace {

constexpr std::size_t kValueDepthMax = 64;     // nesting of parenthesised lists
constexpr std::size_t kValuesMax = 1'000'000;  // items in one response

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool all_digits(std::string_view text) {
  return !text.empty() && text.size() <= 19 &&
         std::all_of(text.begin(), text.end(), [](char c) { return mail::is_digit(c); });
}

// Reads response data: one function per kind of item.
class ValueParser {
 public:
  explicit ValueParser(std::string_view text, std::size_t pos = 0) : m_text(text), m_pos(pos) {}

  std::size_t pos() const { return m_pos; }
  bool at_end() const { return m_pos >= m_text.size(); }
  char peek() const { return at_end() ? '\0' : m_text[m_pos]; }
  Error fail(std::string what) const { return make_error(std::move(what), "response", m_pos); }

  // Items separated by single spaces up to the end (or a closing parenthesis when nested).
  Result<std::vector<Value>> values(std::size_t depth) {
    std::vector<Value> out;
    while (!at_end() && peek() != ')') {
      if (!out.empty() || depth > 0) {
        if (peek() == ' ') ++m_pos;
        if (at_end() || peek() == ')') break;
      }
      auto v = value(depth);
      if (!v) return v.error();
      if (++m_count > kValuesMax) return fail("too many items");
      out.push_back(std::move(*v));
    }
    return out;
  }

  Result<Value> value(std::size_t depth) {
    if (depth > kValueDepthMax) return fail("lists nested too deeply");
    Value v;
    const char c = peek();
    if (c == '(') {
      ++m_pos;
      auto items = values(depth + 1);
      if (!items) return items.error();
      if (peek() != ')') return fail("unterminated list");
      ++m_pos;
      v.type = Value::Type::List;
      v.items = std::move(*items);
      return v;
    }
    if (c == '"') return quoted();
    if (c == '{') return literal();
    auto word = atom();
    if (!word) return word.error();
    if (upper(*word) == "NIL") {
      v.type = Value::Type::Nil;
    } else if (all_digits(*word)) {
      v.type = Value::Type::Number;
      v.number = std::stoull(*word);
      v.text = std::move(*word);
    } else {
      v.type = Value::Type::Atom;
      v.text = std::move(*word);
    }
    return v;
  }

  Result<Value> quoted() {
    ++m_pos;
    Value v;
    v.type = Value::Type::String;
    while (true) {
      if (at_end()) return fail("unterminated quoted string");
      const char c = m_text[m_pos++];
      if (c == '"') return v;
      if (c == '\\' && !at_end()) {
        v.text += m_text[m_pos++];
      } else {
        v.text += c;
      }
    }
  }

  Result<Value> literal() {
    ++m_pos;
    std::uint64_t size = 0;
    std::size_t digits = 0;
    while (mail::is_digit(peek()) && digits < 19) {
      size = size * 10 + static_cast<std::uint64_t>(peek() - '0');
      ++m_pos;
      ++digits;
    }
    if (digits == 0 || peek() != '}') return fail("bad literal");
    ++m_pos;
    if (m_text.substr(m_pos, 2) != "\r\n") return fail("expected CRLF after a literal's size");
    m_pos += 2;
    if (m_text.size() - m_pos < size) return fail("literal shorter than announced");
    Value v;
    v.type = Value::Type::String;
    v.text = std::string(m_text.substr(m_pos, static_cast<std::size_t>(size)));
    m_pos += static_cast<std::size_t>(size);
    return v;
  }

  // An atom; brackets keep their content together so that "BODY[HEADER.FIELDS (A B)]<0>" is
  // one item.
  Result<std::string> atom() {
    const std::size_t start = m_pos;
    int brackets = 0;
    while (!at_end()) {
      const char c = peek();
      if (c == '[') ++brackets;
      if (c == ']' && brackets > 0) --brackets;
      if (brackets == 0 &&
          (c == ' ' || c == '(' || c == ')' || c == '"' || c == '\r' || c == '\n')) {
        break;
      }
      ++m_pos;
    }
    if (m_pos == start) return fail("expected an item");
    return std::string(m_text.substr(start, m_pos - start));
  }

  std::string word() {
    const std::size_t start = m_pos;
    while (!at_end() && peek() != ' ')
      ++m_pos;
    return std::string(m_text.substr(start, m_pos - start));
  }

 private:
  std::string_view m_text;
  std::size_t m_pos = 0;
  std::size_t m_count = 0;
};

Status status_of(std::string_view word) {
  const std::string w = upper(word);
  if (w == "OK") return Status::Ok;
  if (w == "NO") return Status::No;
  if (w == "BAD") return Status::Bad;
  if (w == "PREAUTH") return Status::Preauth;
  if (w == "BYE") return Status::Bye;
  return Status::None;
}

// "[CODE args] text" after a status word.
void parse_resp_text(std::string_view rest, Response& r) {
  if (!rest.empty() && rest.front() == '[') {
    const std::size_t close = rest.find(']');
    if (close != std::string_view::npos) {
      const std::string_view inside = rest.substr(1, close - 1);
      const std::size_t space = inside.find(' ');
      r.code = upper(inside.substr(0, space));
      if (space != std::string_view::npos) r.code_args = std::string(inside.substr(space + 1));
      rest.remove_prefix(close + 1);
      if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    }
  }
  r.text = std::string(rest);
}

}  // namespace

std::string_view to_string(Status status) {
  switch (status) {
    case Status::None:
      return "";
    case Status::Ok:
      return "OK";
    case Status::No:
      return "NO";
    case Status::Bad:
      return "BAD";
    case Status::Preauth:
      return "PREAUTH";
    case Status::Bye:
      return "BYE";
  }
  return "?";
}

bool Value::is_atom(std::string_view name) const {
  return type == Type::Atom && mail::iequals(text, name);
}

Result<Response> parse_response(std::string_view text) {
  Response r;
  r.raw = std::string(text);
  if (text.empty()) return make_error("empty response", "response");
  if (text.front() == '+') {
    r.kind = ResponseKind::Continuation;
    std::string_view rest = text.substr(1);
    if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    r.text = std::string(rest);
    return r;
  }
  ValueParser p(text);
  const std::string first = p.word();
  if (p.peek() != ' ') {
    if (first == "*") return make_error("untagged response without content", "response");
  } else {
    p = ValueParser(text, first.size() + 1);
  }
  if (first != "*") {
    r.kind = ResponseKind::Tagged;
    r.tag = first;
    const std::string word = p.word();
    r.status = status_of(word);
    if (r.status == Status::None) return make_error("tagged response without status", "response");
    std::string_view rest = text.substr(std::min(text.size(), p.pos() + 1));
    parse_resp_text(rest, r);
    return r;
  }
  r.kind = ResponseKind::Untagged;
  std::string word = p.word();
  if (all_digits(word) && word.size() <= 10) {
    const std::uint64_t n = std::stoull(word);
    if (n > UINT32_MAX) return make_error("number too large", "response");
    r.number = static_cast<std::uint32_t>(n);
    if (p.peek() == ' ') p = ValueParser(text, p.pos() + 1);
    word = p.word();
  }
  r.status = status_of(word);
  if (r.status != Status::None && !r.number) {
    r.keyword = upper(word);
    parse_resp_text(text.substr(std::min(text.size(), p.pos() + 1)), r);
    return r;
  }
  r.status = Status::None;
  r.keyword = upper(word);
  if (r.keyword.empty()) return make_error("untagged response without keyword", "response");
  if (p.peek() == ' ') {
    ValueParser data(text, p.pos() + 1);
    auto values = data.values(0);
    if (!values) return values.error();
    if (!data.at_end()) return data.fail("unexpected ')'");
    r.data = std::move(*values);
  }
  return r;
}

std::optional<FetchData> fetch_data(const Response& r) {
  if (r.keyword != "FETCH" || !r.number || r.data.size() != 1 ||
      r.data[0].type != Value::Type::List) {
    return std::nullopt;
  }
  FetchData f;
  f.seq = *r.number;
  const std::vector<Value>& items = r.data[0].items;
  for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
    if (items[i].type != Value::Type::Atom) return std::nullopt;
    const std::string name = upper(items[i].text);
    const Value& v = items[i + 1];
    if (name == "UID" && v.type == Value::Type::Number && v.number <= UINT32_MAX) {
      f.uid = static_cast<std::uint32_t>(v.number);
    } else if (name == "FLAGS" && v.type == Value::Type::List) {
      std::vector<std::string> flags;
      for (const Value& flag : v.items)
        flags.push_back(flag.text);
      f.flags = std::move(flags);
    } else if (name == "INTERNALDATE" && v.type == Value::Type::String) {
      f.internal_date = v.text;
    } else if (name == "RFC822.SIZE" && v.type == Value::Type::Number) {
      f.size = v.number;
    }
    f.items[name] = v;
  }
  return f;
}

std::vector<std::uint32_t> search_results(const Response& r) {
  std::vector<std::uint32_t> out;
  if (r.keyword != "SEARCH") return out;
  for (const Value& v : r.data) {
    if (v.type == Value::Type::Number && v.number <= UINT32_MAX) {
      out.push_back(static_cast<std::uint32_t>(v.number));
    }
  }
  return out;
}

std::vector<std::string> capabilities(const Response& r) {
  std::vector<std::string> out;
  if (r.code == "CAPABILITY") {
    std::string_view rest = r.code_args;
    while (!rest.empty()) {
      const std::size_t space = rest.find(' ');
      out.push_back(upper(rest.substr(0, space)));
      if (space == std::string_view::npos) break;
      rest.remove_prefix(space + 1);
    }
  } else if (r.keyword == "CAPABILITY") {
    for (const Value& v : r.data)
      out.push_back(upper(v.text));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Framing

ResponseReader::Step ResponseReader::feed(std::string_view bytes) {
  if (m_bad) return {Status::Bad, 0};
  if (m_complete) return {Status::Complete, 0};
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    if (m_literal_left > 0) {
      const std::size_t n =
          static_cast<std::size_t>(std::min<std::uint64_t>(m_literal_left, bytes.size() - pos));
      m_buf.append(bytes.substr(pos, n));
      pos += n;
      m_literal_left -= n;
      if (m_literal_left == 0) m_line_start = m_buf.size();
      continue;
    }
    const std::size_t lf = bytes.find('\n', pos);
    const std::size_t end = lf == std::string_view::npos ? bytes.size() : lf;
    m_buf.append(bytes.substr(pos, end - pos));
    if (m_buf.size() - m_line_start > m_line_max || m_buf.size() > m_response_max) {
      m_bad = true;
      m_error = make_error("response line too long", "response", m_buf.size());
      return {Status::Bad, end};
    }
    if (lf == std::string_view::npos) return {Status::NeedMore, bytes.size()};
    pos = lf + 1;
    if (m_buf.size() > m_line_start && m_buf.back() == '\r') m_buf.pop_back();
    // A line that ends with {n} continues after n octets of literal.
    const std::string_view line = std::string_view(m_buf).substr(m_line_start);
    std::uint64_t size = 0;
    bool literal = false;
    if (!line.empty() && line.back() == '}') {
      const std::size_t open = line.rfind('{');
      if (open != std::string_view::npos) {
        const std::string_view digits = line.substr(open + 1, line.size() - open - 2);
        if (all_digits(digits) && digits.size() <= 10) {
          size = std::stoull(std::string(digits));
          literal = true;
        }
      }
    }
    if (!literal) {
      m_complete = true;
      return {Status::Complete, pos};
    }
    if (m_buf.size() + size > m_response_max) {
      m_bad = true;
      m_error = make_error("literal too large", "response", m_buf.size());
      return {Status::Bad, pos};
    }
    m_buf += "\r\n";
    m_literal_left = size;
    m_line_start = m_buf.size();
  }
  return {Status::NeedMore, pos};
}

std::string ResponseReader::take() {
  std::string out = std::move(m_buf);
  m_buf.clear();
  m_line_start = 0;
  m_literal_left = 0;
  m_complete = false;
  return out;
}

void ResponseReader::reset() {
  take();
  m_bad = false;
  m_error = Error{};
}

}  // namespace mailscope::imap
