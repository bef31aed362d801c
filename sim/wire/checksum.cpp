#include "wire/checksum.h"

namespace mailscope::wire {

std::uint32_t checksum_add(ByteView bytes, std::uint32_t initial) {
  // Summing into 64 bits and folding once at the end is exact for any input we handle
  // (frames are far below the 2^48 bytes it would take to overflow).
  std::uint64_t sum = initial;
  std::size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2)
    sum += (std::uint32_t{bytes[i]} << 8) | bytes[i + 1];
  if (i < bytes.size()) sum += std::uint32_t{bytes[i]} << 8;
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint32_t>(sum);
}

std::uint16_t checksum_finish(std::uint32_t sum) {
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xffff);
}

std::uint16_t internet_checksum(ByteView bytes) {
  return checksum_finish(checksum_add(bytes));
}

std::uint32_t pseudo_header_sum(Ipv4Addr src, Ipv4Addr dst, std::uint8_t protocol,
                                std::uint16_t length) {
  std::uint64_t sum = (src.value >> 16) + (src.value & 0xffff) + (dst.value >> 16) +
                      (dst.value & 0xffff) + protocol + length;
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint32_t>(sum);
}

}  // namespace mailscope::wire
