#include "wire/address.h"

#include <charconv>
#include <cstdio>

namespace mailscope::wire {
namespace {

// Parses a decimal number in [0, max] that takes all of `text`.
std::optional<unsigned> parse_decimal(std::string_view text, unsigned max) {
  if (text.empty() || text.size() > 3) return std::nullopt;
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > max) return std::nullopt;
  return value;
}

}  // namespace

MacAddr MacAddr::from_index(std::uint32_t index) {
  return MacAddr{{0x02, 0x00, static_cast<std::uint8_t>(index >> 24),
                  static_cast<std::uint8_t>(index >> 16), static_cast<std::uint8_t>(index >> 8),
                  static_cast<std::uint8_t>(index)}};
}

std::string MacAddr::to_string() const {
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", octets[0], octets[1], octets[2],
                octets[3], octets[4], octets[5]);
  return buf;
}

std::optional<Ipv4Addr> Ipv4Addr::parse(std::string_view text) {
  std::uint32_t value = 0;
  for (int part = 0; part < 4; ++part) {
    const auto dot = text.find('.');
    if ((part < 3) != (dot != std::string_view::npos)) return std::nullopt;
    const auto octet = parse_decimal(text.substr(0, dot), 255);
    if (!octet) return std::nullopt;
    value = (value << 8) | *octet;
    text = part < 3 ? text.substr(dot + 1) : std::string_view();
  }
  return Ipv4Addr{value};
}

std::string Ipv4Addr::to_string() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", value >> 24, (value >> 16) & 0xff,
                (value >> 8) & 0xff, value & 0xff);
  return buf;
}

std::optional<Ipv4Cidr> Ipv4Cidr::parse(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto address = Ipv4Addr::parse(text.substr(0, slash));
  const auto prefix = parse_decimal(text.substr(slash + 1), 32);
  if (!address || !prefix) return std::nullopt;
  return Ipv4Cidr{*address, static_cast<std::uint8_t>(*prefix)};
}

std::string Ipv4Cidr::to_string() const {
  return address.to_string() + "/" + std::to_string(prefix_len);
}

}  // namespace mailscope::wire
