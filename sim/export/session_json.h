#pragma once
// The session JSON: every trace event with its bytes, plus the nodes and flows, under a versioned
// header. The schema is docs/session-json.md. Written as a stream, one event per line, so memory
// does not grow with the number of events.

#include <ostream>

#include "core/trace.h"
#include "export/metadata.h"

namespace mailscope::exporter {

enum class ByteEncoding { Base64, Hex, None };
// Fields: add the dissector's field tree to frames (L1, L2) and DNS messages (L7).
enum class Decode { None, Fields };

struct SessionJsonOptions {
  ByteEncoding bytes = ByteEncoding::Base64;
  Decode decode = Decode::None;
};

constexpr int kSessionJsonVersion = 1;

void write_session_json(const Trace& trace, const ScenarioMetadata& metadata, std::ostream& out,
                        const SessionJsonOptions& options = {});

}  // namespace mailscope::exporter
