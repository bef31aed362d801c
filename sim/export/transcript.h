#pragma once
// The text transcript: one line per event, with virtual time and node, filtered by layer.
//
//   0.012345s  client        L3 send     IPv4 10.0.1.10 → 10.0.2.25 TTL=64 proto=ICMP len=60

#include <bitset>
#include <ostream>

#include "core/trace.h"

namespace mailscope::exporter {

struct TranscriptOptions {
  std::bitset<static_cast<std::size_t>(Layer::Count)> layers;  // which layers to show
  bool show_drops = true;  // drops at hidden layers are still shown

  static TranscriptOptions all_layers() {
    TranscriptOptions o;
    o.layers.set();
    return o;
  }
  void show(Layer layer) { layers.set(static_cast<std::size_t>(layer)); }
  bool shows(Layer layer) const { return layers.test(static_cast<std::size_t>(layer)); }
};

void write_transcript(const Trace& trace, std::ostream& out, const TranscriptOptions& options);

}  // namespace mailscope::exporter
