#pragma once
// Sequence-number arithmetic (RFC 9293 section 3.4): sequence numbers are 32-bit and wrap, so
// "a comes before b" means that the distance from a to b, taken modulo 2^32, is less than 2^31.
// Every comparison of two sequence numbers in the TCP code goes through these functions.

#include <cstdint>

namespace mailscope::net {

constexpr bool seq_lt(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::int32_t>(a - b) < 0;
}
constexpr bool seq_le(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::int32_t>(a - b) <= 0;
}
constexpr bool seq_gt(std::uint32_t a, std::uint32_t b) {
  return seq_lt(b, a);
}
constexpr bool seq_ge(std::uint32_t a, std::uint32_t b) {
  return seq_le(b, a);
}
// True when begin <= x < end in sequence space.
constexpr bool seq_in(std::uint32_t x, std::uint32_t begin, std::uint32_t end) {
  return seq_le(begin, x) && seq_lt(x, end);
}

}  // namespace mailscope::net
