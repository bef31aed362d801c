#pragma once
// Helpers shared by the sim/wire tests: truncation tables, malformed-input checks and random
// values for round trips.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/rng.h"
#include "wire/address.h"
#include "wire/bytes.h"

namespace mailscope::wire::test {

// Inputs shorter than `below` bytes (and not caught by an earlier step) fail at this field.
struct TruncationStep {
  std::size_t below;
  std::string_view where;
  std::size_t offset;
};

// Parses every prefix of `valid` shorter than the last step's `below` and checks that each
// one fails naming the field the table expects for its length.
template <typename ParseFn>
void expect_truncations(ByteView valid, const std::vector<TruncationStep>& steps, ParseFn parse) {
  ASSERT_FALSE(steps.empty());
  ASSERT_GE(valid.size(), steps.back().below);
  for (std::size_t length = 0; length < steps.back().below; ++length) {
    std::size_t step = 0;
    while (length >= steps[step].below)
      ++step;
    const auto result = parse(valid.first(length));
    ASSERT_FALSE(result.ok()) << "length " << length;
    EXPECT_EQ(result.error().where, steps[step].where) << "length " << length;
    EXPECT_EQ(result.error().offset, steps[step].offset) << "length " << length;
    EXPECT_NE(result.error().what.find("truncated"), std::string::npos) << result.error().what;
  }
}

// One malformed input and the error it must give.
struct MalformedCase {
  std::string comment;
  Bytes input;
  std::string where;
  std::size_t offset;
};

template <typename ParseFn>
void expect_malformed(const std::vector<MalformedCase>& cases, ParseFn parse) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.comment);
    const auto result = parse(ByteView(c.input));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().where, c.where) << result.error().to_string();
    EXPECT_EQ(result.error().offset, c.offset) << result.error().to_string();
    EXPECT_FALSE(result.error().what.empty());
  }
}

// A copy of `bytes` with byte `at` replaced by `value`.
inline Bytes with_byte(ByteView bytes, std::size_t at, std::uint8_t value) {
  Bytes out(bytes.begin(), bytes.end());
  out.at(at) = value;
  return out;
}

inline Bytes with_u16(ByteView bytes, std::size_t at, std::uint16_t value) {
  Bytes out(bytes.begin(), bytes.end());
  write_u16(out, at, value);
  return out;
}

inline MacAddr random_mac(Rng& rng) {
  MacAddr mac;
  for (auto& octet : mac.octets)
    octet = static_cast<std::uint8_t>(rng.next_u32());
  return mac;
}

inline Ipv4Addr random_ip(Rng& rng) {
  return Ipv4Addr{rng.next_u32()};
}

inline Bytes random_bytes(Rng& rng, std::size_t length) {
  Bytes out(length);
  for (auto& byte : out)
    byte = static_cast<std::uint8_t>(rng.next_u32());
  return out;
}

// Round trips per header in the randomized tests.
constexpr int kRoundTrips = 3000;

}  // namespace mailscope::wire::test
