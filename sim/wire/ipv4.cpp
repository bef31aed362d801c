#include "wire/ipv4.h"

#include <cassert>

#include "wire/address_io.h"
#include "wire/checksum.h"
#include "wire/layout.h"

namespace mailscope::wire {
namespace {

constexpr std::uint16_t kDontFragment = 0x4000;
constexpr std::uint16_t kMoreFragments = 0x2000;
constexpr std::uint16_t kFragmentOffsetMask = 0x1fff;

Error field_error(const FieldSpan& field, std::string what) {
  return make_error(std::move(what), std::string(field.name), field.offset);
}

}  // namespace

Result<Ipv4Header> Ipv4Header::parse(ByteView bytes, ByteView* payload) {
  using namespace ipv4_field;
  if (auto error = first_truncated(kAll, bytes.size(), "IPv4 header")) return *error;

  const unsigned version = bytes[kVersion.offset] >> 4;
  if (version != 4)
    return field_error(kVersion, "version must be 4, got " + std::to_string(version));
  const unsigned ihl = bytes[kIhl.offset] & 0x0f;
  if (ihl < 5) return field_error(kIhl, "IHL must be at least 5, got " + std::to_string(ihl));
  const std::size_t header_length = ihl * 4u;
  if (header_length > bytes.size()) {
    return field_error(kIhl, "header of " + std::to_string(header_length) + " bytes exceeds the " +
                                 std::to_string(bytes.size()) + " available");
  }
  // Bytes beyond total_length are Ethernet padding of a short frame and belong to no layer.
  const std::uint16_t total_length = read_u16(bytes, kTotalLength.offset);
  if (total_length < header_length) {
    return field_error(kTotalLength, "total length " + std::to_string(total_length) +
                                         " is shorter than the " + std::to_string(header_length) +
                                         "-byte header");
  }
  if (total_length > bytes.size()) {
    return field_error(kTotalLength, "total length " + std::to_string(total_length) +
                                         " exceeds the " + std::to_string(bytes.size()) +
                                         " bytes received");
  }
  // A header that sums (checksum field included) to all ones is intact, options included.
  if (internet_checksum(bytes.first(header_length)) != 0) {
    return field_error(kChecksum, "header checksum does not verify");
  }

  Ipv4Header header;
  header.header_length = static_cast<std::uint8_t>(header_length);
  header.tos = bytes[kTos.offset];
  header.total_length = total_length;
  header.identification = read_u16(bytes, kIdentification.offset);
  const std::uint16_t flags = read_u16(bytes, kFlags.offset);
  // The reserved bit (RFC 791's bit 0) is ignored, as most stacks do.
  header.dont_fragment = (flags & kDontFragment) != 0;
  header.more_fragments = (flags & kMoreFragments) != 0;
  header.fragment_offset = flags & kFragmentOffsetMask;
  header.ttl = bytes[kTtl.offset];
  header.protocol = static_cast<IpProtocol>(bytes[kProtocol.offset]);
  header.checksum = read_u16(bytes, kChecksum.offset);
  header.src = read_ipv4(bytes, kSrc.offset);
  header.dst = read_ipv4(bytes, kDst.offset);
  if (payload != nullptr) *payload = bytes.subspan(header_length, total_length - header_length);
  return header;
}

void Ipv4Header::emit(MutableByteView out) const {
  using namespace ipv4_field;
  assert(out.size() >= kMinLength);
  out[kVersion.offset] = 0x45;  // version 4, IHL 5: we never emit options
  out[kTos.offset] = tos;
  write_u16(out, kTotalLength.offset, total_length);
  write_u16(out, kIdentification.offset, identification);
  std::uint16_t flags = fragment_offset & kFragmentOffsetMask;
  if (dont_fragment) flags |= kDontFragment;
  if (more_fragments) flags |= kMoreFragments;
  write_u16(out, kFlags.offset, flags);
  out[kTtl.offset] = ttl;
  out[kProtocol.offset] = static_cast<std::uint8_t>(protocol);
  write_u16(out, kChecksum.offset, 0);
  write_ipv4(out, kSrc.offset, src);
  write_ipv4(out, kDst.offset, dst);
  write_u16(out, kChecksum.offset, internet_checksum(ByteView(out.first(kMinLength))));
}

}  // namespace mailscope::wire
