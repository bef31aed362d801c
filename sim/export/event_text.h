#pragma once
// One line of text for any trace event, as transcripts and lists show it.

#include <string>

#include "core/trace.h"

namespace mailscope::exporter {

// "IPv4 10.0.1.10 → 10.0.2.25 TTL=64 proto=TCP len=60", "DROP (loss): TCP 25 → 49152 [ACK] ...",
// "SYN_SENT -> ESTABLISHED", "EHLO client.example.com". No time or node: callers add them.
std::string describe_event(const Trace& trace, const TraceEvent& event);

}  // namespace mailscope::exporter
