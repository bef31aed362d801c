#include "wire/udp.h"

#include <cassert>

#include "wire/checksum.h"
#include "wire/ipv4.h"
#include "wire/layout.h"

namespace mailscope::wire {
namespace {

constexpr auto kProtocolUdp = static_cast<std::uint8_t>(IpProtocol::Udp);

}  // namespace

Result<UdpHeader> UdpHeader::parse(ByteView bytes, ByteView* payload) {
  if (auto error = first_truncated(udp_field::kAll, bytes.size(), "UDP header")) return *error;
  const std::uint16_t length = read_u16(bytes, udp_field::kLength.offset);
  if (length < kLength) {
    return make_error("length " + std::to_string(length) + " is shorter than the 8-byte header",
                      std::string(udp_field::kLength.name), udp_field::kLength.offset);
  }
  if (length > bytes.size()) {
    return make_error("length " + std::to_string(length) + " exceeds the " +
                          std::to_string(bytes.size()) + " bytes received",
                      std::string(udp_field::kLength.name), udp_field::kLength.offset);
  }
  UdpHeader header;
  header.src_port = read_u16(bytes, udp_field::kSrcPort.offset);
  header.dst_port = read_u16(bytes, udp_field::kDstPort.offset);
  header.length = length;
  header.checksum = read_u16(bytes, udp_field::kChecksum.offset);
  if (payload != nullptr) *payload = bytes.subspan(kLength, length - kLength);
  return header;
}

bool UdpHeader::checksum_ok(ByteView datagram, Ipv4Addr src, Ipv4Addr dst) {
  const auto header = parse(datagram);
  if (!header) return false;
  // RFC 768: an all-zero checksum means the sender did not compute one.
  if (header->checksum == 0) return true;
  const std::uint32_t sum = pseudo_header_sum(src, dst, kProtocolUdp, header->length);
  return checksum_finish(checksum_add(datagram.first(header->length), sum)) == 0;
}

void UdpHeader::emit(MutableByteView datagram, Ipv4Addr src, Ipv4Addr dst) const {
  assert(datagram.size() >= kLength && datagram.size() <= UINT16_MAX);
  const auto length = static_cast<std::uint16_t>(datagram.size());
  write_u16(datagram, udp_field::kSrcPort.offset, src_port);
  write_u16(datagram, udp_field::kDstPort.offset, dst_port);
  write_u16(datagram, udp_field::kLength.offset, length);
  write_u16(datagram, udp_field::kChecksum.offset, 0);
  const std::uint32_t sum = pseudo_header_sum(src, dst, kProtocolUdp, length);
  std::uint16_t checksum = checksum_finish(checksum_add(ByteView(datagram), sum));
  // Zero on the wire means "no checksum", so a computed zero is sent as its other one's
  // complement form, all ones (RFC 768).
  if (checksum == 0) checksum = 0xffff;
  write_u16(datagram, udp_field::kChecksum.offset, checksum);
}

}  // namespace mailscope::wire
