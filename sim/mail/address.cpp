#include "mail/address.h"

#include "mail/text.h"

namespace mailscope::mail {
namespace {

bool is_atext(char c) {
  if (static_cast<unsigned char>(c) >= 0x80) return true;  // RFC 6532 UTF-8
  if (is_alpha(c) || is_digit(c)) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '/':
    case '=':
    case '?':
    case '^':
    case '_':
    case '`':
    case '{':
    case '|':
    case '}':
    case '~':
      return true;
    default:
      return false;
  }
}

enum class TokenKind { Atom, Quoted, Literal, Special };

struct Token {
  TokenKind kind = TokenKind::Atom;
  std::string text;  // atom text (dots included), unquoted string, "[literal]", or the special
  std::size_t offset = 0;
  bool is(char special) const {
    return kind == TokenKind::Special && text.size() == 1 && text[0] == special;
  }
  bool is_word() const { return kind == TokenKind::Atom || kind == TokenKind::Quoted; }
};

std::vector<Token> tokenize(std::string_view s, std::vector<Error>& defects) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (is_wsp(c) || c == '\r' || c == '\n') {
      ++i;
    } else if (c == '(') {
      int depth = 0;
      const std::size_t start = i;
      while (i < s.size()) {
        const char d = s[i++];
        if (d == '\\') {
          if (i < s.size()) ++i;
        } else if (d == '(') {
          ++depth;
        } else if (d == ')' && --depth == 0) {
          break;
        }
      }
      if (depth != 0) defects.push_back(make_error("unterminated comment", "address", start));
    } else if (c == '"') {
      Token t{TokenKind::Quoted, {}, i};
      ++i;
      bool closed = false;
      while (i < s.size()) {
        const char d = s[i++];
        if (d == '\\' && i < s.size()) {
          t.text += s[i++];
        } else if (d == '"') {
          closed = true;
          break;
        } else {
          t.text += d;
        }
      }
      if (!closed) defects.push_back(make_error("unterminated quoted string", "address", t.offset));
      tokens.push_back(std::move(t));
    } else if (c == '[') {
      Token t{TokenKind::Literal, {}, i};
      while (i < s.size()) {
        const char d = s[i++];
        t.text += d;
        if (d == ']') break;
      }
      tokens.push_back(std::move(t));
    } else if (is_atext(c) || c == '.') {
      Token t{TokenKind::Atom, {}, i};
      while (i < s.size() && (is_atext(s[i]) || s[i] == '.'))
        t.text += s[i++];
      tokens.push_back(std::move(t));
    } else {
      tokens.push_back(Token{TokenKind::Special, std::string(1, c), i});
      ++i;
    }
  }
  return tokens;
}

class AddressParser {
 public:
  AddressParser(std::vector<Token> tokens, const ParseLimits& limits, AddressList& out)
      : m_tokens(std::move(tokens)), m_limits(limits), m_out(out) {}

  void parse_list() {
    while (m_pos < m_tokens.size()) {
      if (peek_is(',')) {
        ++m_pos;
        continue;
      }
      if (count_reached()) {
        m_out.defects.push_back(make_error("too many addresses", "address", offset()));
        return;
      }
      const std::size_t before = m_pos;
      parse_address();
      if (m_pos == before) skip_entry("unexpected character in address list");
    }
  }

 private:
  bool peek_is(char c) const { return m_pos < m_tokens.size() && m_tokens[m_pos].is(c); }
  std::size_t offset() const { return m_pos < m_tokens.size() ? m_tokens[m_pos].offset : 0; }
  bool count_reached() const { return m_count >= m_limits.addresses_max; }

  // The first special among < : @ , ; > at or after m_pos, or the end.
  std::size_t find_structural(std::size_t from) const {
    for (std::size_t j = from; j < m_tokens.size(); ++j) {
      const Token& t = m_tokens[j];
      if (t.kind == TokenKind::Special &&
          (t.is('<') || t.is(':') || t.is('@') || t.is(',') || t.is(';') || t.is('>'))) {
        return j;
      }
    }
    return m_tokens.size();
  }

  std::string phrase(std::size_t from, std::size_t to) const {
    std::string out;
    for (std::size_t j = from; j < to; ++j) {
      if (!out.empty()) out += ' ';
      out += m_tokens[j].text;
    }
    return out;
  }

  void skip_entry(const char* why) {
    m_out.defects.push_back(make_error(why, "address", offset()));
    while (m_pos < m_tokens.size() && !peek_is(',') && !(m_in_group && peek_is(';')))
      ++m_pos;
  }

  void parse_address() {
    const std::size_t j = find_structural(m_pos);
    if (j < m_tokens.size() && m_tokens[j].is(':') && !m_in_group) {
      parse_group(j);
    } else if (j < m_tokens.size() && m_tokens[j].is('<')) {
      Mailbox mailbox;
      mailbox.display_name = phrase(m_pos, j);
      m_pos = j + 1;
      parse_angle_addr(mailbox);
      push(std::move(mailbox));
    } else {
      Mailbox mailbox;
      parse_addr_spec(mailbox);
      // Stray specials ("@@@") make no mailbox; "<>" above does (the null path).
      if (!mailbox.local_part.empty() || !mailbox.domain.empty()) push(std::move(mailbox));
    }
  }

  void push(Mailbox mailbox) {
    ++m_count;
    if (m_in_group) {
      std::get<Group>(m_out.items.back()).members.push_back(std::move(mailbox));
    } else {
      m_out.items.emplace_back(std::move(mailbox));
    }
  }

  void parse_group(std::size_t colon) {
    Group group;
    group.display_name = phrase(m_pos, colon);
    m_out.items.emplace_back(std::move(group));
    m_pos = colon + 1;
    m_in_group = true;
    while (m_pos < m_tokens.size() && !peek_is(';')) {
      if (peek_is(',')) {
        ++m_pos;
        continue;
      }
      if (count_reached()) break;
      const std::size_t before = m_pos;
      parse_address();
      if (m_pos == before) skip_entry("unexpected character in group");
    }
    if (peek_is(';')) {
      ++m_pos;
    } else {
      m_out.defects.push_back(make_error("group without a closing ';'", "address", offset()));
    }
    m_in_group = false;
  }

  void parse_angle_addr(Mailbox& mailbox) {
    if (peek_is('@')) {  // obsolete source route: "@a,@b:"
      std::string route;
      while (m_pos < m_tokens.size() && !peek_is(':') && !peek_is('>')) {
        route += m_tokens[m_pos++].text;
      }
      if (peek_is(':')) ++m_pos;
      mailbox.route = std::move(route);
    }
    if (!peek_is('>')) parse_addr_spec(mailbox);
    if (peek_is('>')) {
      ++m_pos;
    } else {
      skip_entry("angle address without a closing '>'");
    }
  }

  // local-part ["@" domain], then up to the end of the entry.
  void parse_addr_spec(Mailbox& mailbox) {
    const std::size_t start = m_pos;
    while (m_pos < m_tokens.size() && m_tokens[m_pos].is_word()) {
      mailbox.local_part += m_tokens[m_pos++].text;
    }
    if (peek_is('@')) {
      ++m_pos;
      while (m_pos < m_tokens.size() && (m_tokens[m_pos].kind == TokenKind::Atom ||
                                         m_tokens[m_pos].kind == TokenKind::Literal)) {
        mailbox.domain += m_tokens[m_pos++].text;
      }
      if (mailbox.domain.empty()) {
        m_out.defects.push_back(
            make_error("address without a domain after '@'", "address", offset()));
      }
    }
    if (m_pos == start) return;
    if (m_pos < m_tokens.size() && !peek_is(',') && !peek_is('>') &&
        !(m_in_group && peek_is(';'))) {
      skip_entry("unexpected text after an address");
    }
  }

  std::vector<Token> m_tokens;
  const ParseLimits& m_limits;
  AddressList& m_out;
  std::size_t m_pos = 0;
  std::size_t m_count = 0;  // mailboxes produced so far, bounded by addresses_max
  bool m_in_group = false;  // inside "name: ... ;" (groups do not nest)
};

bool is_dot_atom(std::string_view text) {
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '.') {
      if (text[i + 1] == '.') return false;
    } else if (!is_atext(text[i])) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string quote_local_part(std::string_view local_part) {
  if (is_dot_atom(local_part)) return std::string(local_part);
  std::string out = "\"";
  for (char c : local_part) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

std::string Mailbox::address() const {
  if (domain.empty()) return quote_local_part(local_part);
  return quote_local_part(local_part) + "@" + domain;
}

std::vector<Mailbox> AddressList::mailboxes() const {
  std::vector<Mailbox> out;
  for (const AddressItem& item : items) {
    if (const auto* mailbox = std::get_if<Mailbox>(&item)) {
      out.push_back(*mailbox);
    } else {
      const auto& members = std::get<Group>(item).members;
      out.insert(out.end(), members.begin(), members.end());
    }
  }
  return out;
}

AddressList parse_address_list(std::string_view value, const ParseLimits& limits) {
  AddressList out;
  AddressParser parser(tokenize(value, out.defects), limits, out);
  parser.parse_list();
  return out;
}

}  // namespace mailscope::mail
