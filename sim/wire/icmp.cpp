#include "wire/icmp.h"

#include <cassert>
#include <cstring>

#include "wire/checksum.h"
#include "wire/layout.h"

namespace mailscope::wire {

Result<IcmpMessage> IcmpMessage::parse(ByteView bytes) {
  using namespace icmp_field;
  if (auto error = first_truncated(kAll, bytes.size(), "ICMP message")) return *error;
  // The checksum covers the whole message, payload included (RFC 792).
  if (internet_checksum(bytes) != 0) {
    return make_error("checksum does not verify", std::string(kChecksum.name), kChecksum.offset);
  }
  IcmpMessage message;
  // Unknown types keep their raw value; the dissector and the stack treat them as opaque.
  message.type = static_cast<IcmpType>(bytes[kType.offset]);
  message.code = bytes[kCode.offset];
  message.checksum = read_u16(bytes, kChecksum.offset);
  message.identifier = read_u16(bytes, kIdentifier.offset);
  message.sequence = read_u16(bytes, kSequence.offset);
  message.payload = bytes.subspan(kHeaderLength);
  return message;
}

void IcmpMessage::emit(MutableByteView out) const {
  using namespace icmp_field;
  assert(out.size() >= length());
  out[kType.offset] = static_cast<std::uint8_t>(type);
  out[kCode.offset] = code;
  write_u16(out, kChecksum.offset, 0);
  write_u16(out, kIdentifier.offset, identifier);
  write_u16(out, kSequence.offset, sequence);
  // The payload may already sit in `out` (built in place), so the copy must tolerate overlap.
  if (!payload.empty()) std::memmove(out.data() + kHeaderLength, payload.data(), payload.size());
  write_u16(out, kChecksum.offset, internet_checksum(ByteView(out.first(length()))));
}

}  // namespace mailscope::wire
