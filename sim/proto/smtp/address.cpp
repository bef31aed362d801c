#include "proto/smtp/address.h"

namespace mailscope::smtp {
namespace {

bool is_alpha(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// atext of RFC 5322 §3.2.3, which RFC 5321's Atom uses.
bool is_atext(char c) {
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

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// sub-domain = Let-dig [Ldh-str]: letters, digits and inner hyphens, 1..63 octets.
bool valid_label(std::string_view label) {
  if (label.empty() || label.size() > kLabelMax) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (char c : label) {
    if (!is_alpha(c) && !is_digit(c) && c != '-') return false;
  }
  return true;
}

bool valid_domain_name(std::string_view name) {
  if (name.empty() || name.size() > kDomainMax) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = name.find('.', start);
    const std::string_view label =
        name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!valid_label(label)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// IPv4-address-literal = Snum 3("." Snum), Snum = 1*3DIGIT with a value of 0..255.
bool valid_ipv4(std::string_view text) {
  int parts = 0;
  std::size_t i = 0;
  while (true) {
    const std::size_t start = i;
    int value = 0;
    while (i < text.size() && is_digit(text[i]) && i - start < 3)
      value = value * 10 + (text[i++] - '0');
    if (i == start || value > 255) return false;
    ++parts;
    if (i == text.size()) return parts == 4;
    if (text[i] != '.' || parts == 4) return false;
    ++i;
  }
}

// A light check of IPv6-addr (RFC 5321 §4.1.3): hex groups and colons, optionally ending in an
// IPv4 address, with at most one "::". Good enough to tell an address from garbage.
bool valid_ipv6(std::string_view text) {
  if (text.size() < 2 || text.size() > 45) return false;
  const std::size_t double_colon = text.find("::");
  if (double_colon != std::string_view::npos &&
      text.find("::", double_colon + 1) != std::string_view::npos) {
    return false;
  }
  int groups = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ':') {
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < text.size() && is_hex(text[i]))
      ++i;
    if (i < text.size() && text[i] == '.') return valid_ipv4(text.substr(start)) && groups <= 6;
    if (i - start > 4 || i == start) return false;
    ++groups;
  }
  return double_colon != std::string_view::npos ? groups <= 7 : groups == 8;
}

bool valid_address_literal(std::string_view text) {
  if (text.size() < 3 || text.front() != '[' || text.back() != ']') return false;
  const std::string_view inner = text.substr(1, text.size() - 2);
  if (inner.size() > 5 && iequals(inner.substr(0, 5), "IPv6:")) return valid_ipv6(inner.substr(5));
  if (valid_ipv4(inner)) return true;
  // General-address-literal = Standardized-tag ":" 1*dcontent.
  const std::size_t colon = inner.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == inner.size()) return false;
  for (char c : inner.substr(0, colon)) {
    if (!is_alpha(c) && !is_digit(c) && c != '-') return false;
  }
  for (char c : inner.substr(colon + 1)) {
    if (c < 33 || c > 126 || c == '[' || c == '\\' || c == ']') return false;
  }
  return true;
}

// The length of a local-part at the start of text (dot-string or quoted-string), or an error.
Result<std::size_t> scan_local_part(std::string_view text, std::size_t base) {
  if (text.empty()) return make_error("empty local-part", "local-part", base);
  std::size_t i = 0;
  if (text[0] == '"') {
    ++i;
    while (true) {
      if (i >= text.size()) return make_error("unterminated quoted-string", "local-part", base + i);
      const char c = text[i];
      if (c == '"') return i + 1;
      if (c == '\\') {
        // quoted-pairSMTP = %d92 %d32-126
        if (i + 1 >= text.size() || text[i + 1] < 32 || text[i + 1] > 126) {
          return make_error("bad quoted-pair", "local-part", base + i);
        }
        i += 2;
        continue;
      }
      // qtextSMTP = %d32-33 / %d35-91 / %d93-126
      if (c < 32 || c > 126)
        return make_error("bad character in quoted-string", "local-part", base + i);
      ++i;
    }
  }
  // Dot-string = Atom *("." Atom): no leading, trailing or doubled dots.
  bool need_atom = true;
  while (i < text.size()) {
    const char c = text[i];
    if (is_atext(c)) {
      need_atom = false;
    } else if (c == '.' && !need_atom) {
      need_atom = true;
    } else {
      break;
    }
    ++i;
  }
  if (need_atom) return make_error("bad dot-string", "local-part", base + i);
  return i;
}

Result<Mailbox> parse_mailbox_at(std::string_view text, std::size_t base) {
  auto local = scan_local_part(text, base);
  if (!local) return local.error();
  const std::size_t at = *local;
  if (at >= text.size() || text[at] != '@') {
    return make_error("expected '@' after the local-part", "path", base + at);
  }
  Mailbox mailbox;
  mailbox.local_part = std::string(text.substr(0, at));
  mailbox.domain = std::string(text.substr(at + 1));
  if (mailbox.local_part.size() > kLocalPartMax) {
    return make_error("local-part longer than 64 octets", "local-part", base);
  }
  const bool literal = !mailbox.domain.empty() && mailbox.domain.front() == '[';
  if (literal ? !valid_address_literal(mailbox.domain) : !valid_domain_name(mailbox.domain)) {
    return make_error("bad domain", "domain", base + at + 1);
  }
  return mailbox;
}

}  // namespace

bool valid_domain(std::string_view domain) {
  return !domain.empty() && domain.front() == '[' ? valid_address_literal(domain)
                                                  : valid_domain_name(domain);
}

std::string Path::to_string() const {
  if (null) return "<>";
  return "<" + mailbox.to_string() + ">";
}

Result<Mailbox> parse_mailbox(std::string_view text) {
  return parse_mailbox_at(text, 0);
}

Result<ParsedPath> parse_path(std::string_view text, PathKind kind) {
  ParsedPath out;
  if (text.empty()) return make_error("missing address", "path", 0);
  if (text[0] != '<') {
    // Postfix-style tolerance: "MAIL FROM:user@example.com" without brackets.
    const std::size_t end = text.find(' ');
    const std::string_view bare = text.substr(0, end);
    if (bare.size() + 2 > kPathMax) return make_error("path longer than 256 octets", "path", 0);
    auto mailbox = parse_mailbox_at(bare, 0);
    if (!mailbox) return mailbox.error();
    out.path.mailbox = std::move(*mailbox);
    out.rest = end == std::string_view::npos ? std::string_view{} : text.substr(end);
    return out;
  }
  // Find the closing bracket, skipping over quoted-strings, which may contain '>'.
  std::size_t close = std::string_view::npos;
  bool quoted = false;
  for (std::size_t i = 1; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted && c == '\\') {
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == '>' && !quoted) {
      close = i;
      break;
    }
  }
  if (close == std::string_view::npos) return make_error("missing '>'", "path", text.size());
  if (close + 1 > kPathMax) return make_error("path longer than 256 octets", "path", 0);
  out.rest = text.substr(close + 1);
  if (!out.rest.empty() && out.rest[0] != ' ') {
    return make_error("junk after the path", "path", close + 1);
  }
  std::string_view inner = text.substr(1, close - 1);
  if (inner.empty()) {
    if (kind == PathKind::Forward) return make_error("null path not allowed here", "path", 1);
    out.path.null = true;
    return out;
  }
  if (kind == PathKind::Forward && iequals(inner, "postmaster")) {
    out.path.postmaster_only = true;
    out.path.mailbox.local_part = std::string(inner);
    return out;
  }
  std::size_t base = 1;
  if (inner[0] == '@') {
    // A-d-l = At-domain *( "," At-domain ) ":"
    const std::size_t colon = inner.find(':');
    if (colon == std::string_view::npos) return make_error("source route without ':'", "route", 1);
    std::string_view route = inner.substr(0, colon);
    while (!route.empty()) {
      if (route[0] != '@') return make_error("route hop without '@'", "route", base);
      const std::size_t comma = route.find(',');
      const std::string_view hop =
          route.substr(1, comma == std::string_view::npos ? comma : comma - 1);
      if (!valid_domain(hop)) return make_error("bad domain in source route", "route", base);
      out.path.source_route.emplace_back(hop);
      if (comma == std::string_view::npos) break;
      route.remove_prefix(comma + 1);
      base += comma + 1;
      if (route.empty()) return make_error("empty route hop", "route", base);
    }
    inner.remove_prefix(colon + 1);
    base = colon + 2;
  }
  auto mailbox = parse_mailbox_at(inner, base);
  if (!mailbox) return mailbox.error();
  out.path.mailbox = std::move(*mailbox);
  return out;
}

}  // namespace mailscope::smtp
