#pragma once
// The Internet checksum (RFC 1071) and the IPv4 pseudo-header sum used by UDP and TCP.

#include <cstdint>

#include "wire/address.h"
#include "wire/bytes.h"

namespace mailscope::wire {

// One's-complement sum of 16-bit big-endian words, folded to 16 bits but not complemented.
// An odd trailing byte is padded with zero. `initial` lets sums be chained.
std::uint32_t checksum_add(ByteView bytes, std::uint32_t initial = 0);
// Folds carries and complements: the value that goes into a checksum field.
std::uint16_t checksum_finish(std::uint32_t sum);
// Checksum of a whole header/message: checksum_finish(checksum_add(bytes)).
std::uint16_t internet_checksum(ByteView bytes);
// Sum of the IPv4 pseudo-header (source, destination, zero, protocol, length).
std::uint32_t pseudo_header_sum(Ipv4Addr src, Ipv4Addr dst, std::uint8_t protocol,
                                std::uint16_t length);

}  // namespace mailscope::wire
