#pragma once
// TraceIndex: what every export needs to know about a trace beyond the events themselves,
// computed once in linear time so that no view loops over the events more than a few times.
//
//   children   the events whose parent is a given event, in recording (= time) order;
//   sessions   the flows that carry an application protocol, numbered in the order their first
//              event was recorded, with the two hosts and the server's port resolved.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/trace.h"

namespace mailscope::exporter {

struct Session {
  FlowId flow = kNoFlow;
  std::uint32_t number = 0;  // 1, 2, ... in order of first event; 0 = not a session
  EventId first_event = kNoEvent;
  NodeId client = kNoNode;        // the side that opened the flow
  NodeId server = kNoNode;        // FlowInfo::server, or the first other node that answered
  std::uint16_t server_port = 0;  // from the flow label; 0 when the label has none
  std::string application;        // "smtp", "dns", ...
};

class TraceIndex {
 public:
  explicit TraceIndex(const Trace& trace);

  // The events whose parent is `id`, oldest first.
  std::span<const EventId> children(EventId id) const;
  // The session carried by `flow`, or null when the flow has no application protocol.
  const Session* session(FlowId flow) const;
  // Sessions in number order.
  std::span<const Session* const> sessions() const { return m_ordered; }
  // Whether the event is the application request/response of a session node: "C" for the
  // client, "S" for the server; empty otherwise.
  std::string_view side(const TraceEvent& event) const;

  // Whether `id` is the second end's record of a TLS state the other end of the flow has just
  // recorded ("TLS established: ..." is recorded by both): views show the state once.
  bool is_tls_state_echo(EventId id) const;

  // "client.outlook.com → smtp.outlook.com:587"
  std::string session_route(const Session& session) const;
  // "SMTP"
  static std::string protocol_label(std::string_view application);

 private:
  const Trace& m_trace;
  // Children of event i are m_child_ids[m_child_offsets[i] .. m_child_offsets[i + 1]).
  std::vector<std::uint32_t> m_child_offsets;
  std::vector<EventId> m_child_ids;
  std::vector<Session> m_sessions;  // indexed by flow id; number 0 for flows without protocol
  std::vector<const Session*> m_ordered;
  std::vector<EventId> m_tls_echoes;  // ascending
};

// The port after the last ':' of a flow label ("10.0.1.10:49152 -> 10.0.2.25:25" gives 25);
// 0 when there is none.
std::uint16_t label_server_port(std::string_view label);

}  // namespace mailscope::exporter
