#pragma once
// Link-layer and IPv4 addresses as values, with the text forms people read and type.

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mailscope::wire {

struct MacAddr {
  std::array<std::uint8_t, 6> octets{};

  static constexpr MacAddr broadcast() { return MacAddr{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}; }
  // A locally administered unicast address derived from a number (02:00:xx:xx:xx:xx).
  static MacAddr from_index(std::uint32_t index);
  bool is_broadcast() const { return *this == broadcast(); }
  bool is_multicast() const { return (octets[0] & 1) != 0; }
  std::string to_string() const;  // "02:00:00:00:00:01"
  auto operator<=>(const MacAddr&) const = default;
};

struct Ipv4Addr {
  std::uint32_t value = 0;  // host byte order: 10.0.0.1 is 0x0a000001

  static constexpr Ipv4Addr from_octets(std::uint8_t a, std::uint8_t b, std::uint8_t c,
                                        std::uint8_t d) {
    return Ipv4Addr{(std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) | (std::uint32_t{c} << 8) |
                    d};
  }
  static std::optional<Ipv4Addr> parse(std::string_view text);  // dotted quad only
  static constexpr Ipv4Addr any() { return Ipv4Addr{0}; }
  static constexpr Ipv4Addr broadcast() { return Ipv4Addr{0xffffffffu}; }
  bool is_unspecified() const { return value == 0; }
  std::string to_string() const;
  auto operator<=>(const Ipv4Addr&) const = default;
};

// An address with a prefix length: 10.0.1.1/24 is host 10.0.1.1 on network 10.0.1.0/24.
struct Ipv4Cidr {
  Ipv4Addr address;
  std::uint8_t prefix_len = 32;

  static std::optional<Ipv4Cidr> parse(std::string_view text);  // "10.0.1.1/24"
  std::uint32_t mask() const { return prefix_len == 0 ? 0 : 0xffffffffu << (32 - prefix_len); }
  Ipv4Addr network() const { return Ipv4Addr{address.value & mask()}; }
  Ipv4Addr broadcast() const { return Ipv4Addr{network().value | ~mask()}; }
  bool contains(Ipv4Addr a) const { return (a.value & mask()) == network().value; }
  std::string to_string() const;
  auto operator<=>(const Ipv4Cidr&) const = default;
};

}  // namespace mailscope::wire
