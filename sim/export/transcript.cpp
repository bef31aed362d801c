#include "export/transcript.h"

#include <cstdio>

#include "export/event_text.h"

namespace mailscope::exporter {

void write_transcript(const Trace& trace, std::ostream& out, const TranscriptOptions& options) {
  std::size_t name_width = 4;
  for (std::size_t n = 0; n < trace.node_count(); ++n)
    name_width = std::max(name_width, trace.node(static_cast<NodeId>(n)).name.size());
  for (const TraceEvent& e : trace.events()) {
    const bool drop = e.kind == EventKind::Drop;
    if (!options.shows(e.layer) && !(drop && options.show_drops)) continue;
    const std::string& node = e.node == kNoNode ? std::string("-") : trace.node(e.node).name;
    char prefix[64];
    std::snprintf(prefix, sizeof prefix, "%-4s %-9s", std::string(to_string(e.layer)).c_str(),
                  std::string(to_string(e.kind)).c_str());
    out << format_time(e.time) << "  " << node << std::string(name_width - node.size() + 2, ' ')
        << prefix << "  " << describe_event(trace, e) << '\n';
  }
}

}  // namespace mailscope::exporter
