// A long run exports in linear time: the parent->children index is built once, and no export
// looks at more than a message's own subtree per message. (A quadratic loop over these 60 000
// events would not finish in the test's time limit.)

#include <gtest/gtest.h>

#include <sstream>

#include "export/html_report.h"
#include "export/session_json.h"
#include "export/transcript.h"

namespace mailscope::exporter {
namespace {

Trace large_trace(std::size_t messages) {
  Trace trace;
  const NodeId client = trace.add_node("client", "host");
  const NodeId server = trace.add_node("server", "mail-server");
  const FlowId flow =
      trace.add_flow({client, server, "tcp", "smtp", "10.0.0.1:1000 -> 10.0.0.2:25"});
  const BlobRef line = trace.store(std::string_view("NOOP\r\n"));
  const BlobRef reply = trace.store(std::string_view("250 2.0.0 OK\r\n"));
  const BlobRef bytes = trace.store(std::string_view("not a real frame"));
  for (std::size_t i = 0; i < messages; ++i) {
    const bool request = i % 2 == 0;
    TraceEvent e;
    e.time = static_cast<TimeNs>(i) * kMillisecond;
    e.node = request ? client : server;
    e.flow = flow;
    e.kind = request ? EventKind::Request : EventKind::Response;
    EventId parent = trace.record(e, request ? line : reply);
    for (const Layer layer : {Layer::Transport, Layer::Network, Layer::Link, Layer::Physical}) {
      TraceEvent below = e;
      below.layer = layer;
      below.kind = EventKind::Send;
      below.parent = parent;
      parent = trace.record(below, bytes);
    }
  }
  return trace;
}

TEST(LargeTrace, EveryExportFinishes) {
  const Trace trace = large_trace(12000);
  std::ostringstream transcript, json, html;
  auto options = TranscriptOptions::all_layers();
  write_transcript(trace, transcript, options);
  write_session_json(trace, {}, json);
  HtmlReportOptions html_options;
  html_options.transcript_items_max = 2000;
  write_html_report(trace, {}, html, html_options);
  // One item line and four layer lines per message.
  const std::string text = transcript.str();
  EXPECT_EQ(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')),
            12000u * 5 + 1);  // + the session heading
  EXPECT_GT(json.str().size(), 60000u * 100);
  EXPECT_NE(html.str().find("10000 more items"), std::string::npos);
}

}  // namespace
}  // namespace mailscope::exporter
