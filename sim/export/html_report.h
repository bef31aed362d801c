#pragma once
// The HTML report: ONE self-contained file (inline CSS and JavaScript, no network fetches, a
// Content-Security-Policy that forbids them) with the scenario's summary and objectives, an SVG
// sequence diagram, the transcript, and for each message the segments, packets and frames that
// carried it and the decoded fields of its first frame, expanding on click. Everything taken
// from the trace is HTML-escaped; the only script is the report's own, pinned by its hash.

#include <cstddef>
#include <ostream>

#include "core/trace.h"
#include "export/metadata.h"
#include "export/transcript.h"

namespace mailscope::exporter {

struct HtmlReportOptions {
  Credentials credentials = Credentials::Show;
  DnsStyle dns = DnsStyle::Dig;
  std::size_t diagram_rows_max = 1500;
  std::size_t transcript_items_max = 20000;  // items listed; the rest are counted
  std::size_t frames_decoded_max = 2;        // frames per message whose fields are shown
  std::size_t layer_lines_max = 200;         // lower-layer lines per message
};

void write_html_report(const Trace& trace, const ScenarioMetadata& metadata, std::ostream& out,
                       const HtmlReportOptions& options = {});

}  // namespace mailscope::exporter
