#include "wire/ethernet.h"

#include <cassert>

#include "wire/address_io.h"
#include "wire/layout.h"

namespace mailscope::wire {

Result<EthernetHeader> EthernetHeader::parse(ByteView frame, ByteView* payload) {
  if (auto error = first_truncated(ethernet_field::kAll, frame.size(), "Ethernet header")) {
    return *error;
  }
  EthernetHeader header;
  header.dst = read_mac(frame, ethernet_field::kDst.offset);
  header.src = read_mac(frame, ethernet_field::kSrc.offset);
  // Any EtherType is kept as its raw value: the enum names the ones we act on, and the caller
  // decides what to do with the rest.
  header.ethertype = static_cast<EtherType>(read_u16(frame, ethernet_field::kType.offset));
  if (payload != nullptr) *payload = frame.subspan(kLength);
  return header;
}

void EthernetHeader::emit(MutableByteView out) const {
  assert(out.size() >= kLength);
  write_mac(out, ethernet_field::kDst.offset, dst);
  write_mac(out, ethernet_field::kSrc.offset, src);
  write_u16(out, ethernet_field::kType.offset, static_cast<std::uint16_t>(ethertype));
}

}  // namespace mailscope::wire
