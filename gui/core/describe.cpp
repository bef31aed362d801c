#include "gui/core/describe.h"

#include "export/event_text.h"
#include "gui/core/conversation.h"

namespace mailscope::gui {

std::string describe_step(const RunIndex& index, EventId id) {
  const Trace& trace = index.trace();
  if (id >= trace.size()) return {};
  const TraceEvent& e = trace.event(id);
  if (e.layer == Layer::Application &&
      (e.kind == EventKind::Request || e.kind == EventKind::Response) &&
      !trace.message(e).empty()) {
    const auto lines = message_lines(trace, e, index.protocol(id), Credentials::Mask, 2);
    return lines.empty() ? std::string() : lines.front();
  }
  return exporter::describe_event(trace, e);
}

}  // namespace mailscope::gui
