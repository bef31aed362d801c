#include "wire/arp.h"

#include <cassert>

#include "wire/address_io.h"
#include "wire/layout.h"

namespace mailscope::wire {
namespace {

constexpr std::uint16_t kHardwareEthernet = 1;
constexpr std::uint16_t kProtocolIpv4 = 0x0800;
constexpr std::uint8_t kMacLength = 6;
constexpr std::uint8_t kIpv4Length = 4;

Error unsupported(const FieldSpan& field, std::string what, unsigned got) {
  return make_error(std::move(what) + ", got " + std::to_string(got), std::string(field.name),
                    field.offset);
}

}  // namespace

Result<ArpPacket> ArpPacket::parse(ByteView bytes) {
  using namespace arp_field;
  if (auto error = first_truncated(kAll, bytes.size(), "ARP packet")) return *error;
  if (const auto v = read_u16(bytes, kHardwareType.offset); v != kHardwareEthernet) {
    return unsupported(kHardwareType, "hardware type must be 1 (Ethernet)", v);
  }
  if (const auto v = read_u16(bytes, kProtocolType.offset); v != kProtocolIpv4) {
    return unsupported(kProtocolType, "protocol type must be 0x0800 (IPv4)", v);
  }
  if (const auto v = bytes[kHardwareLength.offset]; v != kMacLength) {
    return unsupported(kHardwareLength, "hardware address length must be 6", v);
  }
  if (const auto v = bytes[kProtocolLength.offset]; v != kIpv4Length) {
    return unsupported(kProtocolLength, "protocol address length must be 4", v);
  }
  ArpPacket packet;
  // Operations other than request and reply (RARP, InARP) keep their raw value; the network
  // layer ignores them.
  packet.operation = static_cast<ArpOperation>(read_u16(bytes, kOperation.offset));
  packet.sender_mac = read_mac(bytes, kSenderMac.offset);
  packet.sender_ip = read_ipv4(bytes, kSenderIp.offset);
  packet.target_mac = read_mac(bytes, kTargetMac.offset);
  packet.target_ip = read_ipv4(bytes, kTargetIp.offset);
  return packet;
}

void ArpPacket::emit(MutableByteView out) const {
  using namespace arp_field;
  assert(out.size() >= kLength);
  write_u16(out, kHardwareType.offset, kHardwareEthernet);
  write_u16(out, kProtocolType.offset, kProtocolIpv4);
  out[kHardwareLength.offset] = kMacLength;
  out[kProtocolLength.offset] = kIpv4Length;
  write_u16(out, kOperation.offset, static_cast<std::uint16_t>(operation));
  write_mac(out, kSenderMac.offset, sender_mac);
  write_ipv4(out, kSenderIp.offset, sender_ip);
  write_mac(out, kTargetMac.offset, target_mac);
  write_ipv4(out, kTargetIp.offset, target_ip);
}

}  // namespace mailscope::wire
