#pragma once
// The text of one transcript item: "C: EHLO client.example.com", a multi-line reply as several
// "S: " lines, a DNS message in dig's layout, "--- TLS established ... ---", "[mail] mta: queued
// ...". Used by the text transcript and the HTML report, so both say the same thing.

#include <string>
#include <vector>

#include "core/trace.h"
#include "export/trace_index.h"
#include "export/transcript.h"

namespace mailscope::exporter {

// How a view may style an item.
enum class ItemStyle {
  Dialogue,   // an application command or reply
  Dns,        // a DNS query or response
  TlsMarker,  // TLS established / failed / closed
  Tls,        // a handshake message or a TLS note
  Mail,       // queued, deferred, delivered, bounced
  Action,     // a user action
  Narration,  // teaching text
  Note,       // an application note or state change
  Lower,      // a segment, packet or frame shown on its own, a TCP state or note
};

struct ItemText {
  ItemStyle style = ItemStyle::Note;
  // The first line goes next to the time; the others are continuation lines. Never empty.
  std::vector<std::string> lines;
  std::size_t lines_omitted = 0;  // lines cut by TranscriptOptions::message_lines_max
};

ItemText item_text(const Trace& trace, const TraceIndex& index, const TranscriptOptions& options,
                   EventId event);

// "=== Session 1: SMTP client → server:25 (tcp 10.0.1.10:47941 -> 10.0.2.25:25) ===" or
// "--- Session 1 continued: SMTP client → server:25 ---".
std::string session_heading(const Trace& trace, const TraceIndex& index, const Session& session,
                            SessionStart how);

// How far a lower-layer line is indented: TLS 0, L4 1, L3 2, L2 3, L1 4.
int layer_indent(Layer layer);

}  // namespace mailscope::exporter
