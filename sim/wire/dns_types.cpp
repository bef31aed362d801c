#include "wire/dns_types.h"

#include <array>
#include <charconv>
#include <utility>

#include "wire/dns_name.h"

namespace mailscope::wire {
namespace {

constexpr std::array<std::pair<DnsType, std::string_view>, 10> kTypeNames{{
    {DnsType::A, "A"},
    {DnsType::NS, "NS"},
    {DnsType::CNAME, "CNAME"},
    {DnsType::SOA, "SOA"},
    {DnsType::PTR, "PTR"},
    {DnsType::MX, "MX"},
    {DnsType::TXT, "TXT"},
    {DnsType::AAAA, "AAAA"},
    {DnsType::OPT, "OPT"},
    {DnsType::ANY, "ANY"},
}};

constexpr std::array<std::pair<DnsClass, std::string_view>, 5> kClassNames{{
    {DnsClass::IN, "IN"},
    {DnsClass::CH, "CH"},
    {DnsClass::HS, "HS"},
    {DnsClass::NONE, "NONE"},
    {DnsClass::ANY, "ANY"},
}};

constexpr std::array<std::string_view, 11> kRcodeNames{
    "NOERROR",  "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",  "REFUSED",
    "YXDOMAIN", "YXRRSET", "NXRRSET",  "NOTAUTH",  "NOTZONE",
};

bool iequal(std::string_view a, std::string_view b) {
  return dns_label_equal(a, b);
}

// "TYPE123" / "CLASS123": a prefix (any case) and a decimal 16-bit number.
std::optional<std::uint16_t> parse_generic(std::string_view text, std::string_view prefix) {
  if (text.size() <= prefix.size() || !iequal(text.substr(0, prefix.size()), prefix)) {
    return std::nullopt;
  }
  const auto digits = text.substr(prefix.size());
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size() || value > 0xffff) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(value);
}

}  // namespace

std::uint16_t DnsFlags::to_wire() const {
  return static_cast<std::uint16_t>(
      (qr ? 0x8000 : 0) | ((static_cast<unsigned>(opcode) & 0xf) << 11) | (aa ? 0x0400 : 0) |
      (tc ? 0x0200 : 0) | (rd ? 0x0100 : 0) | (ra ? 0x0080 : 0) | (z ? 0x0040 : 0) |
      (ad ? 0x0020 : 0) | (cd ? 0x0010 : 0) | (static_cast<unsigned>(rcode) & 0xf));
}

DnsFlags DnsFlags::from_wire(std::uint16_t word) {
  DnsFlags f;
  f.qr = (word & 0x8000) != 0;
  f.opcode = static_cast<DnsOpcode>((word >> 11) & 0xf);
  f.aa = (word & 0x0400) != 0;
  f.tc = (word & 0x0200) != 0;
  f.rd = (word & 0x0100) != 0;
  f.ra = (word & 0x0080) != 0;
  f.z = (word & 0x0040) != 0;
  f.ad = (word & 0x0020) != 0;
  f.cd = (word & 0x0010) != 0;
  f.rcode = static_cast<DnsRcode>(word & 0xf);
  return f;
}

std::string to_string(DnsType type) {
  for (const auto& [t, name] : kTypeNames) {
    if (t == type) return std::string(name);
  }
  return "TYPE" + std::to_string(static_cast<unsigned>(type));
}

std::string to_string(DnsClass rclass) {
  for (const auto& [c, name] : kClassNames) {
    if (c == rclass) return std::string(name);
  }
  return "CLASS" + std::to_string(static_cast<unsigned>(rclass));
}

std::string to_string(DnsOpcode opcode) {
  switch (opcode) {
    case DnsOpcode::QUERY:
      return "QUERY";
    case DnsOpcode::IQUERY:
      return "IQUERY";
    case DnsOpcode::STATUS:
      return "STATUS";
    case DnsOpcode::NOTIFY:
      return "NOTIFY";
    case DnsOpcode::UPDATE:
      return "UPDATE";
  }
  return "RESERVED" + std::to_string(static_cast<unsigned>(opcode));
}

std::string to_string(DnsRcode rcode) {
  const auto index = static_cast<std::size_t>(rcode);
  if (index < kRcodeNames.size()) return std::string(kRcodeNames[index]);
  return "RESERVED" + std::to_string(index);
}

std::optional<DnsType> parse_dns_type(std::string_view text) {
  for (const auto& [t, name] : kTypeNames) {
    if (iequal(text, name)) return t;
  }
  if (auto value = parse_generic(text, "TYPE")) return static_cast<DnsType>(*value);
  return std::nullopt;
}

std::optional<DnsClass> parse_dns_class(std::string_view text) {
  for (const auto& [c, name] : kClassNames) {
    if (iequal(text, name)) return c;
  }
  if (auto value = parse_generic(text, "CLASS")) return static_cast<DnsClass>(*value);
  return std::nullopt;
}

}  // namespace mailscope::wire
