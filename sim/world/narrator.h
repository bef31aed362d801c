#pragma once
// Narrator: attaches the scenario's narration rules to the trace as it is written. When an event
// matches a rule (an MX query, a STARTTLS command, a retransmission...), a Narration event with
// the rule's text is recorded right after it on the same node, its parent the matching event —
// so every view shows the explanation exactly when the thing happens.

#include <vector>

#include "core/trace.h"
#include "scenario/scenario.h"

namespace mailscope::world {

class Narrator {
 public:
  Narrator(Trace& trace, const std::vector<scenario::NarrationRule>& rules);
  ~Narrator();  // detaches from the trace
  Narrator(const Narrator&) = delete;
  Narrator& operator=(const Narrator&) = delete;

 private:
  void on_event(EventId id);
  bool matches(const scenario::NarrationRule& rule, const TraceEvent& event) const;

  Trace& m_trace;
  const std::vector<scenario::NarrationRule>& m_rules;
  std::vector<bool> m_spent;  // per rule: a "first" rule that has already spoken
};

}  // namespace mailscope::world
