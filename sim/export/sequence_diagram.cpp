#include "export/sequence_diagram.h"

#include <algorithm>
#include <vector>

#include "export/encoding.h"
#include "export/event_text.h"

namespace mailscope::exporter {
namespace {

// Geometry, in SVG user units (pixels at 100 %).
constexpr int kTimeColumn = 96;  // left margin holding the time of each row
constexpr int kLaneWidth = 220;  // distance between two lifelines
constexpr int kTop = 56;         // below the participant boxes
constexpr int kRowHeight = 26;
constexpr int kBoxWidth = 180;
constexpr int kBoxHeight = 30;

enum class RowKind { Message, Handshake, TlsBand };

struct Row {
  EventId event;
  RowKind kind;
  std::size_t from;  // lane of the sender
  std::size_t to;    // lane of the receiver
  bool encrypted;    // sent inside an established TLS session
};

int lane_x(std::size_t lane) {
  return kTimeColumn + kLaneWidth / 2 + static_cast<int>(lane) * kLaneWidth;
}

std::string arrow_label(const Trace& trace, const TraceEvent& e, std::size_t chars_max,
                        Credentials credentials) {
  std::string label = describe_event(trace, e);
  if (credentials == Credentials::Mask && carries_credentials(e)) {
    const auto lines = split_lines(as_text(trace.message(e)));
    label = mask_credentials(lines.empty() ? std::string_view() : lines.front());
  }
  if (label.size() > chars_max) {
    std::size_t at = chars_max;
    while (at > 0 && (static_cast<unsigned char>(label[at]) & 0xc0) == 0x80)
      --at;
    label.resize(at);
    label += "…";
  }
  return label;
}

}  // namespace

std::string_view protocol_class(std::string_view application) {
  if (application == "smtp" || application == "imap" || application == "pop3" ||
      application == "dns")
    return application;
  return "other";
}

void append_sequence_diagram(std::string& out, const Trace& trace, const TraceIndex& index,
                             const SequenceDiagramOptions& options) {
  // Lanes: the hosts of the sessions, in the order they first appear.
  std::vector<std::size_t> lane_of(trace.node_count(), SIZE_MAX);
  std::vector<NodeId> lanes;
  auto lane = [&](NodeId node) {
    if (node >= lane_of.size()) return SIZE_MAX;
    if (lane_of[node] == SIZE_MAX) {
      lane_of[node] = lanes.size();
      lanes.push_back(node);
    }
    return lane_of[node];
  };
  for (const Session* s : index.sessions()) {
    lane(s->client);
    lane(s->server);
  }

  std::vector<Row> rows;
  std::size_t left_out = 0;
  std::vector<bool> encrypted(trace.flow_count(), false);
  for (std::size_t i = 0; i < trace.size(); ++i) {
    const TraceEvent& e = trace.event(static_cast<EventId>(i));
    const Session* s = index.session(e.flow);
    if (s == nullptr || s->client == kNoNode || s->server == kNoNode) continue;
    Row row{static_cast<EventId>(i), RowKind::Message, 0, 0, encrypted[e.flow]};
    const bool from_client = e.node == s->client;
    if (!from_client && e.node != s->server) continue;
    row.from = lane(from_client ? s->client : s->server);
    row.to = lane(from_client ? s->server : s->client);
    if (e.layer == Layer::Application &&
        (e.kind == EventKind::Request || e.kind == EventKind::Response)) {
      row.kind = RowKind::Message;
    } else if (e.layer == Layer::Tls && e.kind == EventKind::Send && !trace.text(e).empty()) {
      row.kind = RowKind::Handshake;
    } else if (e.layer == Layer::Tls && e.kind == EventKind::StateChange) {
      // Both ends record the state; draw it once, from the client's record.
      if (!from_client) {
        if (trace.text(e).starts_with("TLS established")) encrypted[e.flow] = true;
        continue;
      }
      row.kind = RowKind::TlsBand;
      if (trace.text(e).starts_with("TLS established")) encrypted[e.flow] = true;
      if (trace.text(e).starts_with("TLS closed") || trace.text(e).starts_with("TLS failed"))
        encrypted[e.flow] = false;
    } else {
      continue;
    }
    if (rows.size() < options.rows_max)
      rows.push_back(row);
    else
      ++left_out;
  }

  if (rows.empty()) {
    out += "<p class=\"empty\">No application messages to draw.</p>\n";
    return;
  }
  const int width = kTimeColumn + static_cast<int>(lanes.size()) * kLaneWidth + 20;
  const int height = kTop + static_cast<int>(rows.size() + 1) * kRowHeight;
  out += "<svg class=\"seq\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
         std::to_string(width) + "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " +
         std::to_string(width) + " " + std::to_string(height) +
         "\" role=\"img\" aria-label=\"Sequence diagram of the application messages\">\n";
  out += "<defs>";
  for (const char* cls : {"smtp", "imap", "pop3", "dns", "other", "tls"}) {
    out += "<marker id=\"arrow-";
    out += cls;
    out += "\" class=\"head ";
    out += cls;
    out +=
        "\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerUnits=\"userSpaceOnUse\" "
        "markerWidth=\"10\" markerHeight=\"10\" "
        "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\"/></marker>";
  }
  out += "</defs>\n";

  // Lifelines and participant boxes.
  for (std::size_t l = 0; l < lanes.size(); ++l) {
    const int x = lane_x(l);
    out += "<line class=\"life\" x1=\"" + std::to_string(x) + "\" y1=\"" +
           std::to_string(kTop - 10) + "\" x2=\"" + std::to_string(x) + "\" y2=\"" +
           std::to_string(height - 4) + "\"/>";
    out += "<rect class=\"host\" x=\"" + std::to_string(x - kBoxWidth / 2) + "\" y=\"8\" width=\"" +
           std::to_string(kBoxWidth) + "\" height=\"" + std::to_string(kBoxHeight) +
           "\" rx=\"4\"/>";
    out += "<text class=\"hostname\" x=\"" + std::to_string(x) + "\" y=\"28\">";
    append_html(out, trace.node(lanes[l]).name);
    out += "</text>\n";
  }

  for (std::size_t r = 0; r < rows.size(); ++r) {
    const Row& row = rows[r];
    const TraceEvent& e = trace.event(row.event);
    const Session& s = *index.session(e.flow);
    const int y = kTop + static_cast<int>(r + 1) * kRowHeight;
    const int x1 = lane_x(row.from);
    const int x2 = lane_x(row.to);
    const std::string cls(protocol_class(s.application));
    out += "<text class=\"time\" x=\"4\" y=\"" + std::to_string(y + 4) + "\">" +
           format_time(e.time) + "</text>";
    if (row.kind == RowKind::TlsBand) {
      const int left = std::min(x1, x2) - 8;
      const int band = std::abs(x2 - x1) + 16;
      out += "<g class=\"tlsband\" data-target=\"e" + std::to_string(row.event) + "\"><rect x=\"" +
             std::to_string(left) + "\" y=\"" + std::to_string(y - 11) + "\" width=\"" +
             std::to_string(band) + "\" height=\"18\" rx=\"3\"/><text x=\"" +
             std::to_string((x1 + x2) / 2) + "\" y=\"" + std::to_string(y + 2) + "\">";
      append_html(out, arrow_label(trace, e, options.label_chars_max, options.credentials));
      out += "</text></g>\n";
      continue;
    }
    const bool handshake = row.kind == RowKind::Handshake;
    const std::string marker = handshake ? "tls" : cls;
    std::string group_class = handshake ? "msg tls" : "msg " + cls;
    if (row.encrypted && !handshake) group_class += " enc";
    out += "<g class=\"" + group_class + "\" data-target=\"e" + std::to_string(row.event) +
           "\" tabindex=\"0\"><title>";
    append_html(out, format_time(e.time) + " " + trace.node(e.node).name + ": " +
                         arrow_label(trace, e, 200, options.credentials));
    out += "</title>";
    // A message to oneself (both ends on one host) is a short loop to the right.
    const int end = x1 == x2 ? x1 + 40 : x2;
    out += "<line x1=\"" + std::to_string(x1) + "\" y1=\"" + std::to_string(y) + "\" x2=\"" +
           std::to_string(end) + "\" y2=\"" + std::to_string(y) + "\" marker-end=\"url(#arrow-" +
           marker + ")\"/>";
    out +=
        "<text x=\"" + std::to_string((x1 + end) / 2) + "\" y=\"" + std::to_string(y - 5) + "\">";
    if (row.encrypted && !handshake) out += "[TLS] ";
    append_html(out, arrow_label(trace, e, options.label_chars_max, options.credentials));
    out += "</text></g>\n";
  }
  out += "</svg>\n";
  if (left_out > 0)
    out += "<p class=\"note\">The diagram shows the first " + std::to_string(rows.size()) +
           " rows; " + std::to_string(left_out) + " more are in the transcript.</p>\n";
}

}  // namespace mailscope::exporter
