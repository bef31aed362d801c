#pragma once
// Small questions the World asks of trace events, shared by the narrator (as events happen) and
// the expectation checks (after the run).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/trace.h"
#include "wire/dns_message.h"

namespace mailscope::world {

// What the event says: its bytes read as text (L7 commands and replies, TLS records), else its
// text.
std::string_view event_text(const Trace& trace, const TraceEvent& event);
// The application protocol of the event's flow ("smtp", "dns", ...), or "" when none.
std::string_view application_of(const Trace& trace, const TraceEvent& event);
// True for an L7 request or response of `application`.
bool is_l7(const Trace& trace, const TraceEvent& event, EventKind kind,
           std::string_view application);
// The three-digit code an SMTP reply starts with.
std::optional<std::uint16_t> reply_code(std::string_view reply);
// The first word of a command line, upper-cased ("rcpt TO:<x>" -> "RCPT").
std::string command_verb(std::string_view line);
// The server's port of a flow ("10.0.1.10:49152 -> 10.0.2.25:25" -> 25).
std::optional<std::uint16_t> server_port(const FlowInfo& flow);
// The DNS message an L7 DNS event carries.
std::optional<wire::DnsMessage> dns_message(const Trace& trace, const TraceEvent& event);
// The name of the event's node ("" for none).
std::string_view node_name(const Trace& trace, NodeId node);

}  // namespace mailscope::world
