#pragma once
// What the SMTP server and client bindings share: turning an engine's Send action and the
// observations that follow it into L7 units, and recording the engine's other observations
// (state changes, protocol violations) in the trace.

#include <cstddef>
#include <vector>

#include "proto/smtp/actions.h"
#include "services/app_connection.h"

namespace mailscope::services {

// The L7 units of the Send at actions[index]: one per CommandSent that follows it (a pipelined
// group is several commands in one write), one Response for a ReplySent, or one Request holding
// the whole write when nothing names it (message content). `consumed` is the number of following
// observations used.
struct SendUnits {
  std::vector<L7Unit> units;
  std::size_t consumed = 0;
};
SendUnits units_for_send(const std::vector<smtp::SmtpAction>& actions, std::size_t index);

// Records StateChanged as an L7 state event and ProtocolViolation as a note; ignores the rest.
void record_observation(AppConnection& connection, const smtp::SmtpAction& action, EventId cause);

}  // namespace mailscope::services
