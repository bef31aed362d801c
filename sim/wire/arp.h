#pragma once
// ARP for IPv4 over Ethernet (RFC 826): the only hardware/protocol pair MailScope speaks.

#include <cstdint>

#include "core/result.h"
#include "wire/address.h"
#include "wire/bytes.h"

namespace mailscope::wire {

enum class ArpOperation : std::uint16_t { Request = 1, Reply = 2 };

struct ArpPacket {
  static constexpr std::size_t kLength = 28;

  ArpOperation operation = ArpOperation::Request;
  MacAddr sender_mac;
  Ipv4Addr sender_ip;
  MacAddr target_mac;  // all zero in a request
  Ipv4Addr target_ip;

  // Rejects anything but hardware type 1 (Ethernet), protocol 0x0800, lengths 6 and 4.
  static Result<ArpPacket> parse(ByteView bytes);
  void emit(MutableByteView out) const;  // out.size() >= kLength
  bool operator==(const ArpPacket&) const = default;
};

}  // namespace mailscope::wire
