#pragma once
// The DNS part of the packet inspector: a message as a tree of named fields with the bytes each
// came from, in Wireshark's wording.

#include <cstdint>
#include <string_view>  // wire/bytes.h uses it without including it
#include <vector>

#include "wire/bytes.h"
#include "wire/field.h"

namespace mailscope::wire {

using DnsField = Field;

// Appends the fields of the DNS message `msg` to `out`. The first is the protocol line
// ("Domain Name System (response)") at `depth`; everything else lies below it. Offsets are
// `base_offset` plus the offset within `msg`, so the caller can pass the position of the UDP
// payload in its frame. A malformed message yields the fields parsed before the problem and a
// "[Malformed Packet]" line at the offending byte; nothing outside `msg` is read.
void dissect_dns(ByteView msg, std::uint32_t base_offset, std::uint8_t depth,
                 std::vector<DnsField>& out);

}  // namespace mailscope::wire
