#pragma once
// UDP (RFC 768) with the checksum over the IPv4 pseudo-header.

#include <cstdint>

#include "core/result.h"
#include "wire/address.h"
#include "wire/bytes.h"

namespace mailscope::wire {

struct UdpHeader {
  static constexpr std::size_t kLength = 8;

  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  std::uint16_t length = 0;    // header + payload
  std::uint16_t checksum = 0;  // as parsed; emit computes it

  // Checks lengths only; `payload` (optional) receives the datagram's data.
  static Result<UdpHeader> parse(ByteView bytes, ByteView* payload = nullptr);
  // True when the checksum is zero (not computed) or verifies against the pseudo-header.
  static bool checksum_ok(ByteView datagram, Ipv4Addr src, Ipv4Addr dst);
  // `datagram` holds header space followed by the payload already in place; writes the header
  // (length = datagram.size()) with the pseudo-header checksum.
  void emit(MutableByteView datagram, Ipv4Addr src, Ipv4Addr dst) const;
  bool operator==(const UdpHeader&) const = default;
};

}  // namespace mailscope::wire
