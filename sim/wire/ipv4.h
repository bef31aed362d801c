#pragma once
// IPv4 headers (RFC 791). We emit 20-byte headers without options and with DF set; parsing
// accepts options (skipped) and verifies the header checksum.

#include <cstdint>

#include "core/result.h"
#include "wire/address.h"
#include "wire/bytes.h"

namespace mailscope::wire {

enum class IpProtocol : std::uint8_t { Icmp = 1, Tcp = 6, Udp = 17 };

struct Ipv4Header {
  static constexpr std::size_t kMinLength = 20;

  std::uint8_t header_length = 20;  // bytes (IHL * 4); emit always writes 20
  std::uint8_t tos = 0;             // DSCP and ECN
  std::uint16_t total_length = 0;   // header + payload, bytes
  std::uint16_t identification = 0;
  bool dont_fragment = true;
  bool more_fragments = false;
  std::uint16_t fragment_offset = 0;  // in 8-byte units
  std::uint8_t ttl = 64;
  IpProtocol protocol = IpProtocol::Tcp;
  std::uint16_t checksum = 0;  // as parsed; emit computes it
  Ipv4Addr src;
  Ipv4Addr dst;

  // Parses and validates (version 4, IHL >= 5, total length within the buffer, checksum).
  // `payload` (optional) receives bytes [header_length, total_length).
  static Result<Ipv4Header> parse(ByteView bytes, ByteView* payload = nullptr);
  // Writes a 20-byte header with a correct checksum at the start of `out`.
  void emit(MutableByteView out) const;
  bool operator==(const Ipv4Header&) const = default;
};

}  // namespace mailscope::wire
