#pragma once
// The report's sequence diagram as inline SVG: the hosts of every session as lifelines, one arrow
// per application message (coloured by protocol), TLS handshake messages as dashed arrows, TLS
// established as a band across the two lifelines, time flowing down. Each arrow links to the
// message's entry in the report's transcript (data-target = "e<event id>").

#include <cstddef>
#include <string>

#include "core/trace.h"
#include "export/trace_index.h"
#include "export/transcript.h"

namespace mailscope::exporter {

struct SequenceDiagramOptions {
  std::size_t rows_max = 1500;       // arrows and markers drawn; a note says how many were left out
  std::size_t label_chars_max = 56;  // characters of a message shown on its arrow
  Credentials credentials = Credentials::Show;
};

// Appends the <svg> element (or a paragraph saying there is nothing to draw) to `out`.
void append_sequence_diagram(std::string& out, const Trace& trace, const TraceIndex& index,
                             const SequenceDiagramOptions& options = {});

// The CSS class of a protocol's colour: "smtp", "imap", "pop3", "dns" or "other".
std::string_view protocol_class(std::string_view application);

}  // namespace mailscope::exporter
