#pragma once
// A Wireshark-like dissector: decodes a frame (or one layer's PDU) into named fields and a
// one-line summary, for the transcript, the HTML report and the GUI's packet inspector.
//
// Fields form a tree written in pre-order: each protocol is one depth-0 field ("Ethernet II",
// "Internet Protocol Version 4", ...) followed by its depth-1 children (depth 2 for parts of a
// child, such as one TCP option). Every field points at its bytes: `offset` and `length` are
// relative to the start of what was dissected. Malformed input never crashes: the layer that
// does not parse yields a depth-0 field "[Malformed: <error>]" and dissection stops there.

#include <cstdint>
#include <string>
#include <vector>

#include "core/trace.h"
#include "wire/bytes.h"
#include "wire/field.h"

namespace mailscope::wire {

struct Dissection {
  std::vector<Field> fields;
  std::string summary;  // the same line summarize_frame() gives
};

// Ethernet II -> ARP | IPv4 -> ICMP | UDP | TCP -> data. The frame has no FCS.
Dissection dissect_frame(ByteView frame);

// One line, like tshark's Info column with the protocol in front:
//   "ARP Who has 10.0.0.1? Tell 10.0.0.2"
//   "TCP 49152 → 25 [SYN] Seq=3735928559 Win=65535 Len=0 MSS=1460"
std::string summarize_frame(ByteView frame);

// The summary of one trace event's PDU, which starts at `layer`'s header:
//   L1          the whole frame, as summarize_frame();
//   L2          an Ethernet frame, `detail` its EtherType; ARP frames summarize as ARP (an ARP
//               packet without its Ethernet header is accepted too);
//   L3          an IPv4 packet, `detail` its protocol number:
//               "IPv4 10.0.0.1 → 10.0.1.2 TTL=64 proto=TCP len=60"
//               (an ICMP message without its IPv4 header is accepted too);
//   L4          a TCP segment, UDP datagram or ICMP message named by `detail` (checksums are not
//               verified here: the addresses they need belong to L3);
//   TLS and L7  the bytes as data: "Data (27 bytes): EHLO client.example".
std::string summarize_pdu(Layer layer, std::uint16_t detail, ByteView pdu);

}  // namespace mailscope::wire
