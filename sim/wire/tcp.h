#pragma once
// TCP headers (RFC 9293) with the MSS option and the pseudo-header checksum.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "wire/address.h"
#include "wire/bytes.h"

namespace mailscope::wire {

namespace tcp_flags {
constexpr std::uint8_t kFin = 0x01;
constexpr std::uint8_t kSyn = 0x02;
constexpr std::uint8_t kRst = 0x04;
constexpr std::uint8_t kPsh = 0x08;
constexpr std::uint8_t kAck = 0x10;
constexpr std::uint8_t kUrg = 0x20;
constexpr std::uint8_t kEce = 0x40;
constexpr std::uint8_t kCwr = 0x80;
}  // namespace tcp_flags

// The flags set, as tshark prints them: lowest bit first, separated by ", " ("SYN, ACK",
// "FIN, ACK", "PSH, ACK"); "<None>" when no flag is set.
std::string tcp_flags_to_string(std::uint8_t flags);

namespace tcp_option {
constexpr std::uint8_t kEnd = 0;  // end of option list: nothing after it is read
constexpr std::uint8_t kNop = 1;  // one byte of padding
constexpr std::uint8_t kMss = 2;  // maximum segment size, length 4
}  // namespace tcp_option

// One option as found in a header's options area.
struct TcpOption {
  std::uint8_t kind = 0;
  std::uint32_t offset = 0;  // of the kind byte, from the start of the segment
  std::uint32_t length = 0;  // bytes taken, kind byte included (1 for EOL and NOP)
};

// Walks the options area [20, header.size()) of a header whose data offset is already known to
// be valid (pass segment.first(data_offset * 4)). Stops after EOL. Fails on a missing or bad
// length byte and on an MSS option whose length is not 4 ("tcp.option_length").
Result<std::vector<TcpOption>> parse_tcp_options(ByteView header);

struct TcpHeader {
  static constexpr std::size_t kMinLength = 20;

  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint8_t flags = 0;  // tcp_flags bits
  std::uint16_t window = 0;
  std::uint16_t checksum = 0;  // as parsed; emit computes it
  std::uint16_t urgent = 0;
  std::optional<std::uint16_t> mss;  // the only option we emit; others are skipped on parse

  bool has(std::uint8_t flag) const { return (flags & flag) != 0; }
  // 20, or 24 with the MSS option (emit pads options to a multiple of 4).
  std::size_t header_length() const { return mss ? 24 : 20; }

  // Validates the data offset and option lengths; `payload` (optional) receives the data.
  static Result<TcpHeader> parse(ByteView segment, ByteView* payload = nullptr);
  static bool checksum_ok(ByteView segment, Ipv4Addr src, Ipv4Addr dst);
  // `segment` holds header_length() bytes of space followed by the payload already in place.
  void emit(MutableByteView segment, Ipv4Addr src, Ipv4Addr dst) const;
  bool operator==(const TcpHeader&) const = default;
};

}  // namespace mailscope::wire
