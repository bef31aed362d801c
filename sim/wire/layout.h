#pragma once
// Where each fixed field of the headers in sim/wire sits: one table per header, used by the
// parsers (to name the field a malformed input breaks, and its byte offset) and by the dissector
// (to point each decoded field at its bytes). Offsets are declared here once and nowhere else.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace mailscope::wire {

// A field of a header: its name as errors report it ("ipv4.total_length") and its bytes.
struct FieldSpan {
  std::string_view name;
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
  constexpr std::uint32_t end() const { return offset + length; }
};

namespace ethernet_field {
constexpr FieldSpan kDst{"ethernet.dst", 0, 6};
constexpr FieldSpan kSrc{"ethernet.src", 6, 6};
constexpr FieldSpan kType{"ethernet.type", 12, 2};
constexpr FieldSpan kAll[] = {kDst, kSrc, kType};
}  // namespace ethernet_field

namespace arp_field {
constexpr FieldSpan kHardwareType{"arp.hardware_type", 0, 2};
constexpr FieldSpan kProtocolType{"arp.protocol_type", 2, 2};
constexpr FieldSpan kHardwareLength{"arp.hardware_length", 4, 1};
constexpr FieldSpan kProtocolLength{"arp.protocol_length", 5, 1};
constexpr FieldSpan kOperation{"arp.operation", 6, 2};
constexpr FieldSpan kSenderMac{"arp.sender_mac", 8, 6};
constexpr FieldSpan kSenderIp{"arp.sender_ip", 14, 4};
constexpr FieldSpan kTargetMac{"arp.target_mac", 18, 6};
constexpr FieldSpan kTargetIp{"arp.target_ip", 24, 4};
constexpr FieldSpan kAll[] = {kHardwareType,   kProtocolType, kHardwareLength,
                              kProtocolLength, kOperation,    kSenderMac,
                              kSenderIp,       kTargetMac,    kTargetIp};
}  // namespace arp_field

namespace ipv4_field {
// Version and IHL share byte 0 (high and low nibble); flags and fragment offset share bytes 6-7.
constexpr FieldSpan kVersion{"ipv4.version", 0, 1};
constexpr FieldSpan kIhl{"ipv4.ihl", 0, 1};
constexpr FieldSpan kTos{"ipv4.tos", 1, 1};
constexpr FieldSpan kTotalLength{"ipv4.total_length", 2, 2};
constexpr FieldSpan kIdentification{"ipv4.identification", 4, 2};
constexpr FieldSpan kFlags{"ipv4.flags", 6, 2};
constexpr FieldSpan kTtl{"ipv4.ttl", 8, 1};
constexpr FieldSpan kProtocol{"ipv4.protocol", 9, 1};
constexpr FieldSpan kChecksum{"ipv4.checksum", 10, 2};
constexpr FieldSpan kSrc{"ipv4.src", 12, 4};
constexpr FieldSpan kDst{"ipv4.dst", 16, 4};
constexpr FieldSpan kAll[] = {
    kVersion, kTos, kTotalLength, kIdentification, kFlags, kTtl, kProtocol, kChecksum, kSrc, kDst};
}  // namespace ipv4_field

namespace icmp_field {
constexpr FieldSpan kType{"icmp.type", 0, 1};
constexpr FieldSpan kCode{"icmp.code", 1, 1};
constexpr FieldSpan kChecksum{"icmp.checksum", 2, 2};
constexpr FieldSpan kIdentifier{"icmp.identifier", 4, 2};
constexpr FieldSpan kSequence{"icmp.sequence", 6, 2};
constexpr FieldSpan kAll[] = {kType, kCode, kChecksum, kIdentifier, kSequence};
}  // namespace icmp_field

namespace udp_field {
constexpr FieldSpan kSrcPort{"udp.src_port", 0, 2};
constexpr FieldSpan kDstPort{"udp.dst_port", 2, 2};
constexpr FieldSpan kLength{"udp.length", 4, 2};
constexpr FieldSpan kChecksum{"udp.checksum", 6, 2};
constexpr FieldSpan kAll[] = {kSrcPort, kDstPort, kLength, kChecksum};
}  // namespace udp_field

namespace tcp_field {
// The data offset is the high nibble of byte 12; the low nibble is reserved (and AE, RFC 3168).
constexpr FieldSpan kSrcPort{"tcp.src_port", 0, 2};
constexpr FieldSpan kDstPort{"tcp.dst_port", 2, 2};
constexpr FieldSpan kSeq{"tcp.seq", 4, 4};
constexpr FieldSpan kAck{"tcp.ack", 8, 4};
constexpr FieldSpan kDataOffset{"tcp.data_offset", 12, 1};
constexpr FieldSpan kFlags{"tcp.flags", 13, 1};
constexpr FieldSpan kWindow{"tcp.window", 14, 2};
constexpr FieldSpan kChecksum{"tcp.checksum", 16, 2};
constexpr FieldSpan kUrgent{"tcp.urgent", 18, 2};
constexpr FieldSpan kAll[] = {kSrcPort, kDstPort, kSeq,      kAck,   kDataOffset,
                              kFlags,   kWindow,  kChecksum, kUrgent};
// Errors inside the options area name the option's kind or length byte.
constexpr std::string_view kOptionLength = "tcp.option_length";
constexpr std::string_view kOptionKind = "tcp.option_kind";
}  // namespace tcp_field

// The first field of `layout` (in wire order) that does not fit in `available` bytes, as a
// "truncated" error; nullopt when the whole layout fits.
template <std::size_t N>
std::optional<Error> first_truncated(const FieldSpan (&layout)[N], std::size_t available,
                                     std::string_view header) {
  for (const FieldSpan& field : layout) {
    if (field.end() > available) {
      return make_error(std::string(header) + " truncated: " + std::to_string(available) +
                            " bytes, field needs " + std::to_string(field.end()),
                        std::string(field.name), field.offset);
    }
  }
  return std::nullopt;
}

}  // namespace mailscope::wire
