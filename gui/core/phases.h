#pragma once
// Phases: the chapters of an email's story — looking up a name (DNS), handing the message to
// the sender's server (submission), server-to-server transfer (relay) and the recipient fetching
// it (retrieval). They are derived from the trace alone: each flow's application and the kinds
// of its two nodes give its phase kind, and consecutive events of the same kind form one phase.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/trace.h"

namespace mailscope::gui {

enum class PhaseKind : std::uint8_t { Dns, Submission, Relay, Retrieval, Other, Count };
std::string_view to_string(PhaseKind kind);  // "DNS", "Submission", "Relay", "Retrieval", "Other"

struct Phase {
  PhaseKind kind = PhaseKind::Other;
  EventId first = 0;      // first event of the phase
  EventId last = 0;       // last event; phases are contiguous, in order and do not overlap
  FlowId flow = kNoFlow;  // the flow that opened the phase
  std::string label;      // "SMTP submission: alice-pc → smtp.outlook.com"
};

// The phase kind of one flow:
//   application dns                   -> Dns
//   application smtp, server port 587 or 465, or a client that is not a server -> Submission
//   application smtp between servers  -> Relay
//   application imap or pop3          -> Retrieval
//   anything else (ping, bare TCP)    -> Other
PhaseKind classify_flow(const Trace& trace, FlowId flow);

// Splits the whole trace into phases. Only events that move data vote (sends, receives,
// forwards, drops, requests, responses); events without a flow inherit their parent's vote.
// The others (actions, narration, state changes) join the phase that follows them, or the last.
// Every event belongs to exactly one phase; an empty trace has none.
std::vector<Phase> derive_phases(const Trace& trace);

// For every flow (index = FlowId), its server: FlowInfo::server when the producer set it, else
// the first node other than the client that sent or received the flow's transport or
// application data. kNoNode when neither is known.
std::vector<NodeId> flow_servers(const Trace& trace);

// The server port written at the end of a flow label ("10.0.1.10:49152 -> 10.0.2.25:25" -> 25);
// 0 when the label does not end in a port.
std::uint16_t server_port_from_label(std::string_view label);

}  // namespace mailscope::gui
