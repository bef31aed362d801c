#include "gui/core/run_source.h"

namespace mailscope::gui {

std::optional<Error> validate_run(const LoadedRun& run) {
  if (!run.trace) return make_error("the run has no trace", "trace");
  if (auto problem = run.topology.validate()) return make_error(*problem, "topology");
  const Trace& trace = *run.trace;
  for (std::size_t i = 0; i < trace.size(); ++i) {
    const TraceEvent& e = trace.event(static_cast<EventId>(i));
    if (e.node != kNoNode && e.node >= trace.node_count())
      return make_error("event names an unknown node", "trace.events[" + std::to_string(i) + "]");
    if (e.flow >= trace.flow_count())
      return make_error("event names an unknown flow", "trace.events[" + std::to_string(i) + "]");
    if (e.parent != kNoEvent && e.parent >= i)
      return make_error("event's parent is not an earlier event",
                        "trace.events[" + std::to_string(i) + "]");
  }
  return std::nullopt;
}

}  // namespace mailscope::gui
