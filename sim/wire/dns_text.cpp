#include "wire/dns_text.h"

#include <charconv>
#include <string>
#include <vector>

#include "wire/dns_name.h"

namespace mailscope::wire {
namespace {

struct Token {
  std::string_view text;  // as written, quotes included
  std::size_t column = 0;
  bool quoted = false;
};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Splits a line into tokens at unescaped, unquoted white space; stops at an unquoted ';'.
Result<std::vector<Token>> tokenize(std::string_view line) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < line.size()) {
    if (is_space(line[i])) {
      ++i;
      continue;
    }
    if (line[i] == ';') break;
    const std::size_t start = i;
    const bool quoted = line[i] == '"';
    if (quoted) ++i;
    bool closed = !quoted;
    while (i < line.size()) {
      const char c = line[i];
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (quoted && c == '"') {
        ++i;
        closed = true;
        break;
      }
      if (!quoted && (is_space(c) || c == ';')) break;
      ++i;
    }
    if (!closed) return make_error("unterminated quoted string", "line", start);
    i = std::min(i, line.size());
    tokens.push_back(Token{line.substr(start, i - start), start, quoted});
  }
  return tokens;
}

// A character-string's octets, quotes removed and escapes decoded.
Result<std::string> decode_string(const Token& token) {
  std::string_view s = token.text;
  if (token.quoted) s = s.substr(1, s.size() - 2);
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      out += s[i];
      continue;
    }
    if (i + 1 >= s.size()) return make_error("backslash at end of string", "rdata", token.column);
    const auto digit = [](char d) { return d >= '0' && d <= '9'; };
    if (digit(s[i + 1])) {
      if (i + 3 >= s.size() || !digit(s[i + 2]) || !digit(s[i + 3])) {
        return make_error("\\DDD escape needs three digits", "rdata", token.column);
      }
      const int value = (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
      if (value > 255) return make_error("\\DDD escape above 255", "rdata", token.column);
      out += static_cast<char>(value);
      i += 3;
    } else {
      out += s[i + 1];
      ++i;
    }
  }
  if (out.size() > 255)
    return make_error("character-string longer than 255 octets", "rdata", token.column);
  return out;
}

template <typename T>
std::optional<T> parse_number(std::string_view text) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_structured(DnsType type) {
  switch (type) {
    case DnsType::A:
    case DnsType::AAAA:
    case DnsType::NS:
    case DnsType::CNAME:
    case DnsType::PTR:
    case DnsType::MX:
    case DnsType::TXT:
    case DnsType::SOA:
      return true;
    default:
      return false;
  }
}

Result<DnsRdata> rdata_from_tokens(DnsType type, DnsClass rclass, const std::vector<Token>& t) {
  const auto fail = [&](std::string what, std::size_t index) {
    return make_error(std::move(what), "rdata", index < t.size() ? t[index].column : 0);
  };
  const auto count = [&](std::size_t wanted) -> std::optional<Error> {
    if (t.size() == wanted) return std::nullopt;
    return fail(to_string(type) + " RDATA needs " + std::to_string(wanted) + " field(s), got " +
                    std::to_string(t.size()),
                std::min(t.size(), wanted));
  };
  const auto name_at = [&](std::size_t index) -> Result<DnsName> {
    auto name = DnsName::parse(t[index].text);
    if (!name) return fail(name.error().what, index);
    return name;
  };

  if (rclass != DnsClass::IN || !is_structured(type)) {
    // RFC 3597 §5: \# <length> <hex digits, possibly in several groups>.
    if (t.size() < 2 || t[0].text != "\\#")
      return fail("expected generic RDATA \"\\# <length> <hex>\"", 0);
    const auto length = parse_number<std::uint16_t>(t[1].text);
    if (!length) return fail("bad RDATA length", 1);
    std::string hex;
    for (std::size_t i = 2; i < t.size(); ++i)
      hex += t[i].text;
    if (hex.size() != 2u * *length) return fail("hex data does not match the RDATA length", 2);
    DnsOpaque opaque{static_cast<std::uint16_t>(type), {}};
    for (std::size_t i = 0; i < hex.size(); i += 2) {
      const int hi = hex_value(hex[i]), lo = hex_value(hex[i + 1]);
      if (hi < 0 || lo < 0) return fail("bad hex digit", 2);
      opaque.data.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
    }
    return DnsRdata{std::move(opaque)};
  }

  switch (type) {
    case DnsType::A: {
      if (auto e = count(1)) return *e;
      const auto address = Ipv4Addr::parse(t[0].text);
      if (!address) return fail("bad IPv4 address", 0);
      return DnsRdata{DnsA{*address}};
    }
    case DnsType::AAAA: {
      if (auto e = count(1)) return *e;
      const auto address = parse_ipv6(t[0].text);
      if (!address) return fail("bad IPv6 address", 0);
      return DnsRdata{DnsAaaa{*address}};
    }
    case DnsType::NS:
    case DnsType::CNAME:
    case DnsType::PTR: {
      if (auto e = count(1)) return *e;
      auto name = name_at(0);
      if (!name) return name.error();
      if (type == DnsType::NS) return DnsRdata{DnsNs{std::move(name.value())}};
      if (type == DnsType::CNAME) return DnsRdata{DnsCname{std::move(name.value())}};
      return DnsRdata{DnsPtr{std::move(name.value())}};
    }
    case DnsType::MX: {
      if (auto e = count(2)) return *e;
      const auto preference = parse_number<std::uint16_t>(t[0].text);
      if (!preference) return fail("bad MX preference", 0);
      auto exchange = name_at(1);
      if (!exchange) return exchange.error();
      return DnsRdata{DnsMx{*preference, std::move(exchange.value())}};
    }
    case DnsType::TXT: {
      if (t.empty()) return fail("TXT RDATA needs at least one string", 0);
      DnsTxt txt;
      for (const auto& token : t) {
        auto s = decode_string(token);
        if (!s) return s.error();
        txt.strings.push_back(std::move(s.value()));
      }
      return DnsRdata{std::move(txt)};
    }
    case DnsType::SOA: {
      if (auto e = count(7)) return *e;
      auto mname = name_at(0);
      if (!mname) return mname.error();
      auto rname = name_at(1);
      if (!rname) return rname.error();
      std::array<std::uint32_t, 5> timers{};
      for (std::size_t i = 0; i < 5; ++i) {
        const auto v = parse_number<std::uint32_t>(t[2 + i].text);
        if (!v) return fail("bad SOA number", 2 + i);
        timers[i] = *v;
      }
      return DnsRdata{DnsSoa{std::move(mname.value()), std::move(rname.value()), timers[0],
                             timers[1], timers[2], timers[3], timers[4]}};
    }
    default:
      break;
  }
  return fail("unsupported type", 0);  // unreachable: is_structured() covers the cases above
}

std::optional<std::size_t> parse_groups(std::string_view text, std::vector<std::uint16_t>& out) {
  if (text.empty()) return 0;
  std::size_t n = 0;
  while (true) {
    const auto colon = text.find(':');
    const auto group = text.substr(0, colon);
    if (group.empty() || group.size() > 4) return std::nullopt;
    unsigned value = 0;
    for (const char c : group) {
      const int h = hex_value(c);
      if (h < 0) return std::nullopt;
      value = value * 16 + static_cast<unsigned>(h);
    }
    out.push_back(static_cast<std::uint16_t>(value));
    ++n;
    if (colon == std::string_view::npos) return n;
    text = text.substr(colon + 1);
  }
}

}  // namespace

std::optional<std::array<std::uint8_t, 16>> parse_ipv6(std::string_view text) {
  std::vector<std::uint16_t> head, tail;
  const auto gap = text.find("::");
  if (gap == std::string_view::npos) {
    if (!parse_groups(text, head) || head.size() != 8) return std::nullopt;
  } else {
    if (text.find("::", gap + 1) != std::string_view::npos) return std::nullopt;
    if (!parse_groups(text.substr(0, gap), head) || !parse_groups(text.substr(gap + 2), tail)) {
      return std::nullopt;
    }
    if (head.size() + tail.size() > 7) return std::nullopt;
  }
  std::array<std::uint8_t, 16> out{};
  for (std::size_t i = 0; i < head.size(); ++i) {
    out[2 * i] = static_cast<std::uint8_t>(head[i] >> 8);
    out[2 * i + 1] = static_cast<std::uint8_t>(head[i]);
  }
  const std::size_t tail_start = 8 - tail.size();
  for (std::size_t i = 0; i < tail.size(); ++i) {
    out[2 * (tail_start + i)] = static_cast<std::uint8_t>(tail[i] >> 8);
    out[2 * (tail_start + i) + 1] = static_cast<std::uint8_t>(tail[i]);
  }
  return out;
}

Result<DnsRdata> parse_rdata(DnsType type, DnsClass rclass, std::string_view text) {
  auto tokens = tokenize(text);
  if (!tokens) return tokens.error();
  return rdata_from_tokens(type, rclass, tokens.value());
}

Result<DnsRecord> parse_record(std::string_view line, std::uint32_t default_ttl) {
  auto tokens_result = tokenize(line);
  if (!tokens_result) return tokens_result.error();
  const auto& t = tokens_result.value();
  if (t.size() < 2)
    return make_error("a record needs at least an owner and a type", "line", line.size());
  DnsRecord record;
  auto owner = DnsName::parse(t[0].text);
  if (!owner) return make_error(owner.error().what, "owner", t[0].column);
  record.name = std::move(owner.value());
  record.ttl = default_ttl;

  std::size_t i = 1;
  bool have_ttl = false, have_class = false;
  while (i < t.size()) {
    if (!have_ttl) {
      if (const auto ttl = parse_number<std::uint32_t>(t[i].text)) {
        record.ttl = *ttl;
        have_ttl = true;
        ++i;
        continue;
      }
    }
    // "ANY" names both a class and a type: it is the class only when a type or the TTL follows.
    const auto rclass = parse_dns_class(t[i].text);
    const bool more_header =
        i + 1 < t.size() && (parse_dns_type(t[i + 1].text) ||
                             (!have_ttl && parse_number<std::uint32_t>(t[i + 1].text)));
    if (!have_class && rclass && more_header) {
      record.rclass = *rclass;
      have_class = true;
      ++i;
      continue;
    }
    break;
  }
  if (i >= t.size()) return make_error("missing type", "type", line.size());
  const auto type = parse_dns_type(t[i].text);
  if (!type)
    return make_error("unknown type \"" + std::string(t[i].text) + "\"", "type", t[i].column);
  const std::vector<Token> rdata_tokens(t.begin() + static_cast<std::ptrdiff_t>(i + 1), t.end());
  auto rdata = rdata_from_tokens(*type, record.rclass, rdata_tokens);
  if (!rdata) return rdata.error();
  record.rdata = std::move(rdata.value());
  return record;
}

}  // namespace mailscope::wire
