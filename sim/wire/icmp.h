#pragma once
// ICMPv4 (RFC 792): echo request/reply, destination unreachable, time exceeded.

#include <cstdint>

#include "core/result.h"
#include "wire/bytes.h"

namespace mailscope::wire {

enum class IcmpType : std::uint8_t {
  EchoReply = 0,
  DestinationUnreachable = 3,
  EchoRequest = 8,
  TimeExceeded = 11,
};

// Codes for DestinationUnreachable.
enum class IcmpUnreachable : std::uint8_t {
  Network = 0,
  Host = 1,
  Protocol = 2,
  Port = 3,
  FragmentationNeeded = 4,
};

struct IcmpMessage {
  static constexpr std::size_t kHeaderLength = 8;

  IcmpType type = IcmpType::EchoRequest;
  std::uint8_t code = 0;
  std::uint16_t checksum = 0;  // as parsed; emit computes it
  // Bytes 4..7: identifier and sequence number for echo; unused (or next-hop MTU) otherwise.
  std::uint16_t identifier = 0;
  std::uint16_t sequence = 0;
  // Echo data, or the offending IPv4 header + first 8 payload bytes for errors.
  ByteView payload;

  // Verifies the checksum over the whole message.
  static Result<IcmpMessage> parse(ByteView bytes);
  std::size_t length() const { return kHeaderLength + payload.size(); }
  // Writes header and payload with a correct checksum; out.size() >= length().
  void emit(MutableByteView out) const;
};

}  // namespace mailscope::wire
