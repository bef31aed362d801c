#pragma once
// Following one message down the stack: the TLS records, segments, packets and frames that
// carried an application event (or a standalone segment or packet), found through the trace's
// parent links, plus every drop on the way. Shared by the text transcript and the HTML report.
//
// The sender's chain is L7 -> TLS record -> L4 send -> L3 send -> L2 send -> L1 send (an ARP
// request that the packet waited for is a child of the L3 send too). Beyond the first wire the
// frame is forwarded hop by hop (switch L2 forward, router L3 forward + L2 send) until the
// receiver's L4 receive, where the walk stops: what the receiver does next is another message.

#include <bitset>
#include <cstddef>
#include <vector>

#include "core/trace.h"
#include "export/trace_index.h"

namespace mailscope::exporter {

using LayerSet = std::bitset<static_cast<std::size_t>(Layer::Count)>;

inline bool has_layer(const LayerSet& set, Layer layer) {
  return set.test(static_cast<std::size_t>(layer));
}
// True when L1, L2, L3 or L4 is in the set.
bool has_lower_layer(const LayerSet& set);

// Sender side only, or every forward and receive on the path as well.
enum class Hops { First, All };

// The event one step up the sender's chain (L3 send -> its L4 send, L4 send -> its TLS record or
// L7 message, TLS record -> its L7 message, L2 send -> its L3 send), or kNoEvent when `event`
// starts a chain (a pure ACK, an ARP reply, a router's ICMP error, a hop's frame).
EventId chain_parent(const Trace& trace, EventId event);

struct LayerLines {
  std::vector<EventId> lines;  // in walk order
  std::size_t omitted = 0;     // lines beyond the limit, counted but not listed
};

// The events below `top` to show with it: carriers at the layers in `layers`, hops when asked,
// and drops at any layer (always listed: a drop is why a reader looks below L7). Depth-first, so
// a segment is followed by its packet and frame before the next segment. Views indent a line by
// its layer, not by its place in the walk, so that a long path stays readable.
constexpr std::size_t kLayerLinesMax = 2000;
LayerLines collect_layer_lines(const Trace& trace, const TraceIndex& index, EventId top,
                               const LayerSet& layers, Hops hops,
                               std::size_t lines_max = kLayerLinesMax);

}  // namespace mailscope::exporter
