#pragma once
// pcap export: every frame that was put on any link (the trace's L1 send events), in the classic
// pcap format with nanosecond timestamps from virtual time and LINKTYPE_ETHERNET. Frames that
// were later lost in transit are included, as a capture at the sender would show them. A frame
// that crosses three links appears three times (TTL and MACs change on the way).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/trace.h"

namespace mailscope::exporter {

struct PcapOptions {
  // When set, only what this node sent or received: a capture taken on that one machine, which
  // Wireshark's TCP analysis reads without the per-hop duplicates of an all-links capture.
  std::optional<NodeId> tap;
};

// Writes the capture to `path`; returns an error naming the file when it cannot be written.
std::optional<Error> write_pcap(const Trace& trace, const std::string& path,
                                const PcapOptions& options = {});
// The same bytes in memory (for tests and for comparing runs).
std::vector<std::uint8_t> pcap_bytes(const Trace& trace, const PcapOptions& options = {});

}  // namespace mailscope::exporter
