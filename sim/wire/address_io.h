#pragma once
// Reading and writing addresses at a byte offset of a header, next to read_u16/write_u16.
// Callers check the buffer length first (see layout.h); these do not.

#include <algorithm>
#include <cstddef>

#include "wire/address.h"
#include "wire/bytes.h"

namespace mailscope::wire {

inline MacAddr read_mac(ByteView b, std::size_t at) {
  MacAddr mac;
  std::copy_n(b.begin() + static_cast<std::ptrdiff_t>(at), mac.octets.size(), mac.octets.begin());
  return mac;
}

inline void write_mac(MutableByteView b, std::size_t at, const MacAddr& mac) {
  std::copy(mac.octets.begin(), mac.octets.end(), b.begin() + static_cast<std::ptrdiff_t>(at));
}

inline Ipv4Addr read_ipv4(ByteView b, std::size_t at) {
  return Ipv4Addr{read_u32(b, at)};
}

inline void write_ipv4(MutableByteView b, std::size_t at, Ipv4Addr address) {
  write_u32(b, at, address.value);
}

}  // namespace mailscope::wire
