#pragma once
// Ethernet II (DIX) frames. The frame check sequence is not part of the bytes we keep, as in a
// pcap capture; links model corruption as loss instead.

#include <cstdint>

#include "core/result.h"
#include "wire/address.h"
#include "wire/bytes.h"

namespace mailscope::wire {

enum class EtherType : std::uint16_t { Ipv4 = 0x0800, Arp = 0x0806, Ipv6 = 0x86dd };

struct EthernetHeader {
  static constexpr std::size_t kLength = 14;
  static constexpr std::size_t kMinFrame = 60;  // without FCS; shorter frames are padded

  MacAddr dst;
  MacAddr src;
  EtherType ethertype = EtherType::Ipv4;  // any 16-bit value is kept as is

  // Parses the header; `payload` (optional) receives the bytes after it.
  static Result<EthernetHeader> parse(ByteView frame, ByteView* payload = nullptr);
  // Writes the 14 header bytes at the start of `out` (which must hold at least kLength bytes).
  void emit(MutableByteView out) const;
  bool operator==(const EthernetHeader&) const = default;
};

}  // namespace mailscope::wire
