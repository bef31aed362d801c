#pragma once
// The text transcript: the dialogue of every session as students know it from the course notes
// ("C: EHLO client.example.com" / "S: 250-..."), with virtual timestamps, session headers naming
// the hosts, DNS messages as dig prints them, TLS start marked, and mail events, user actions and
// narration interleaved in time order. Lower layers, when asked for, appear under the message
// they carried. docs/transcripts.md explains every line.
//
//   === Session 1: SMTP client → server:25 (tcp 10.0.1.10:47941 -> 10.0.2.25:25) ===
//   0.242100s  S: 220 server ESMTP MailScope demo
//                L4  0.242100s  server  TCP 25 → 47941 [PSH, ACK] Seq=... Len=33

#include <cstddef>
#include <ostream>

#include "core/trace.h"
#include "export/layer_lines.h"
#include "export/trace_index.h"

namespace mailscope::exporter {

// Chronological: one timeline; a header is printed whenever the session changes.
// BySession: each session's lines together, sessions in the order they started; events outside
// any session stay in time order between them.
enum class Grouping { Chronological, BySession };
// Dig: the summary line, then the message as `dig` prints it. OneLine: the summary only.
enum class DnsStyle { Dig, OneLine };
// Show: AUTH lines as sent (the lesson on why TLS matters needs them). Mask: "AUTH PLAIN ********".
enum class Credentials { Show, Mask };
// Application state changes ("READY -> MAIL") are protocol internals: hidden unless asked.
enum class AppStates { Hide, Show };
// The list of drops at the end (when lower layers are shown; otherwise a one-line count).
enum class DropList { Show, Hide };

struct TranscriptOptions {
  LayerSet layers;  // which layers to show; L7 alone gives the dialogue only
  DropList drops = DropList::Show;
  Grouping grouping = Grouping::Chronological;
  DnsStyle dns = DnsStyle::Dig;
  Credentials credentials = Credentials::Show;
  Hops hops = Hops::First;  // All: every switch and router on the path, with its TTL and MACs
  AppStates app_states = AppStates::Hide;
  std::size_t message_lines_max = 500;           // lines of one message (a long DATA body is cut)
  std::size_t line_chars_max = 1000;             // bytes of one line
  std::size_t drops_listed_max = 1000;           // drops listed at the end; the rest are counted
  std::size_t layer_lines_max = kLayerLinesMax;  // lower-layer lines under one message

  static TranscriptOptions all_layers() {
    TranscriptOptions o;
    o.layers.set();
    return o;
  }
  void show(Layer layer) { layers.set(static_cast<std::size_t>(layer)); }
  bool shows(Layer layer) const { return has_layer(layers, layer); }
};

void write_transcript(const Trace& trace, std::ostream& out, const TranscriptOptions& options);

// --- The walk shared with the HTML report ------------------------------------------------

enum class SessionStart { First, Continued };

// Receives the transcript's items in output order.
class TranscriptVisitor {
 public:
  virtual ~TranscriptVisitor() = default;
  // The lines of `session` start (First) or resume after another session's (Continued).
  virtual void session_start(const Session& session, SessionStart how) = 0;
  // One item (a message, a marker, a mail event, a standalone segment ...); `session` is null
  // for items outside any session.
  virtual void item(EventId event, const Session* session) = 0;
};

// Whether `event` is a top-level item under `options` (rather than hidden, or shown under the
// message that it carried).
bool is_transcript_item(const Trace& trace, const TraceIndex& index,
                        const TranscriptOptions& options, EventId event);

void walk_transcript(const Trace& trace, const TraceIndex& index, const TranscriptOptions& options,
                     TranscriptVisitor& visitor);

}  // namespace mailscope::exporter
