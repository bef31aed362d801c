#include "export/html_report.h"

#include <map>
#include <string>
#include <vector>

#include "export/encoding.h"
#include "export/event_text.h"
#include "export/html_assets.h"
#include "export/item_text.h"
#include "export/layer_lines.h"
#include "export/sequence_diagram.h"
#include "export/trace_index.h"
#include "wire/dissect.h"
#include "wire/dns_dissect.h"

namespace mailscope::exporter {
namespace {

constexpr std::size_t kFlushBytes = 1 << 16;
constexpr std::uint16_t kEtherTypeArp = 0x0806;

std::string_view style_class(ItemStyle style) {
  switch (style) {
    case ItemStyle::Dialogue:
      return "dialogue";
    case ItemStyle::Dns:
      return "dns";
    case ItemStyle::TlsMarker:
      return "tlsmarker";
    case ItemStyle::Tls:
      return "tls";
    case ItemStyle::Mail:
      return "mail";
    case ItemStyle::Action:
      return "action";
    case ItemStyle::Narration:
      return "narration";
    case ItemStyle::Note:
      return "note";
    case ItemStyle::Lower:
      return "lower";
  }
  return "note";
}

void append_fields(std::string& out, const std::vector<wire::Field>& fields) {
  for (const wire::Field& f : fields) {
    out += "<div class=\"d" + std::to_string(std::min<int>(f.depth, 3)) + "\">";
    append_html(out, f.name);
    if (!f.value.empty()) {
      out += ": ";
      append_html(out, f.value);
    }
    out += "</div>";
  }
}

class HtmlTranscript final : public TranscriptVisitor {
 public:
  HtmlTranscript(const Trace& trace, const TraceIndex& index, const TranscriptOptions& text,
                 const HtmlReportOptions& options, std::string& out, std::ostream& stream)
      : m_trace(trace),
        m_index(index),
        m_text(text),
        m_options(options),
        m_out(out),
        m_stream(stream) {
    // L1 lines would repeat the L2 frames; drops at L1 are listed all the same.
    m_lower.set();
    m_lower.reset(static_cast<std::size_t>(Layer::Physical));
  }

  void session_start(const Session& session, SessionStart how) override {
    if (m_items >= m_options.transcript_items_max) return;
    m_out += "<div class=\"session\">";
    append_html(m_out, session_heading(m_trace, m_index, session, how));
    m_out += "</div>\n";
  }

  void item(EventId id, const Session* session) override {
    if (m_items++ >= m_options.transcript_items_max) return;
    const TraceEvent& e = m_trace.event(id);
    const ItemText text = item_text(m_trace, m_index, m_text, id);
    m_out += "<div class=\"item ";
    m_out += style_class(text.style);
    if (session != nullptr) {
      m_out += ' ';
      m_out += protocol_class(session->application);
    }
    m_out += "\" id=\"e" + std::to_string(id) + "\">";
    const std::string details = layer_details(id, e);
    if (!details.empty()) m_out += "<details><summary>";
    m_out += "<span class=\"t\">" + format_time(e.time) + "</span><span class=\"x\">";
    for (std::size_t i = 0; i < text.lines.size(); ++i) {
      if (i > 0) m_out += '\n';
      append_html(m_out, text.lines[i]);
    }
    if (text.lines_omitted > 0)
      m_out += "\n… (" + std::to_string(text.lines_omitted) + " more lines)";
    m_out += "</span>";
    if (!details.empty())
      m_out += "</summary><div class=\"layers\">" + details + "</div></details>";
    m_out += "</div>\n";
    if (m_out.size() >= kFlushBytes) {
      m_stream.write(m_out.data(), static_cast<std::streamsize>(m_out.size()));
      m_out.clear();
    }
  }

  std::size_t items() const { return m_items; }

 private:
  // The lower layers of one item and the decoded fields of its first frames; empty if none.
  std::string layer_details(EventId id, const TraceEvent& e) {
    std::string out;
    const bool carries = (e.layer == Layer::Application &&
                          (e.kind == EventKind::Request || e.kind == EventKind::Response)) ||
                         e.kind == EventKind::Send;
    if (!carries) return out;
    const LayerLines lines =
        collect_layer_lines(m_trace, m_index, id, m_lower, Hops::First, m_options.layer_lines_max);
    if (!lines.lines.empty()) {
      out += "<table>";
      for (const EventId line : lines.lines) {
        const TraceEvent& l = m_trace.event(line);
        out += l.kind == EventKind::Drop ? "<tr class=\"drop\">" : "<tr>";
        out += "<td class=\"lay\">";
        out += to_string(l.layer);
        out += "</td><td>" + format_time(l.time) + "</td><td>";
        if (l.node < m_trace.node_count()) append_html(out, m_trace.node(l.node).name);
        out += "</td><td>";
        append_html(out, describe_event(m_trace, l));
        out += "</td></tr>";
      }
      out += "</table>";
      if (lines.omitted > 0)
        out += "<p class=\"note\">… " + std::to_string(lines.omitted) + " more lines</p>";
    }
    std::string fields;
    std::size_t frames = 0;
    for (const EventId line : lines.lines) {
      const TraceEvent& l = m_trace.event(line);
      // The frames that carried the message, not the ARP requests sent before them.
      if (l.layer != Layer::Link || l.kind != EventKind::Send || l.detail == kEtherTypeArp)
        continue;
      if (frames++ == m_options.frames_decoded_max) break;
      const auto bytes = m_trace.data(l, m_scratch);
      fields += "<h4>Frame sent by ";
      if (l.node < m_trace.node_count()) append_html(fields, m_trace.node(l.node).name);
      fields += " at " + format_time(l.time) + " (" + std::to_string(bytes.size()) + " bytes)</h4>";
      append_fields(fields, wire::dissect_frame(bytes).fields);
    }
    if (e.layer == Layer::Application && application_of(m_trace, e) == "dns" &&
        !m_trace.message(e).empty()) {
      std::vector<wire::Field> dns;
      wire::dissect_dns(m_trace.message(e), 0, 0, dns);
      fields += "<h4>DNS message</h4>";
      append_fields(fields, dns);
    }
    if (!fields.empty()) out += "<div class=\"fields\">" + fields + "</div>";
    return out;
  }

  const Trace& m_trace;
  Trace::Scratch m_scratch;  // a forwarded frame's pieces, gathered to be dissected
  const TraceIndex& m_index;
  const TranscriptOptions& m_text;
  const HtmlReportOptions& m_options;
  std::string& m_out;
  std::ostream& m_stream;
  LayerSet m_lower;  // the layers the details show: TLS, L4, L3, L2
  std::size_t m_items = 0;
};

void append_header(std::string& out, const Trace& trace, const TraceIndex& index,
                   const ScenarioMetadata& metadata) {
  const std::string title = metadata.title.empty() ? "MailScope session" : metadata.title;
  out += "<header><h1>";
  append_html(out, title);
  out += "</h1><p class=\"meta\">";
  if (!metadata.id.empty()) {
    out += "Scenario <code>";
    append_html(out, metadata.id);
    out += "</code> · ";
  }
  out +=
      "seed " + std::to_string(metadata.seed) + " · " + std::to_string(trace.size()) + " events · ";
  std::map<std::string, std::size_t> by_protocol;
  for (const Session* s : index.sessions())
    ++by_protocol[TraceIndex::protocol_label(s->application)];
  out += std::to_string(index.sessions().size()) + " sessions";
  if (!by_protocol.empty()) {
    out += " (";
    bool first = true;
    for (const auto& [protocol, count] : by_protocol) {
      if (!first) out += ", ";
      first = false;
      append_html(out, protocol);
      out += " " + std::to_string(count);
    }
    out += ")";
  }
  std::size_t drops = 0, delivered = 0, bounced = 0, deferred = 0;
  for (const TraceEvent& e : trace.events()) {
    drops += e.kind == EventKind::Drop;
    delivered += e.kind == EventKind::MailDelivered;
    bounced += e.kind == EventKind::MailBounced;
    deferred += e.kind == EventKind::MailDeferred;
  }
  out += " · " + std::to_string(delivered) + " delivered, " + std::to_string(deferred) +
         " deferred, " + std::to_string(bounced) + " bounced · " + std::to_string(drops) +
         " drops</p>";
  if (!metadata.summary.empty()) {
    out += "<p>";
    append_html(out, metadata.summary);
    out += "</p>";
  }
  if (!metadata.objectives.empty()) {
    out += "<p><b>Objectives</b></p><ul>";
    for (const std::string& objective : metadata.objectives) {
      out += "<li>";
      append_html(out, objective);
      out += "</li>";
    }
    out += "</ul>";
  }
  out += "</header>\n";
}

}  // namespace

void write_html_report(const Trace& trace, const ScenarioMetadata& metadata, std::ostream& stream,
                       const HtmlReportOptions& options) {
  const TraceIndex index(trace);
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"";
  append_html(out, report_content_security_policy());
  out += "\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  append_html(out, metadata.title.empty() ? std::string("MailScope session")
                                          : "MailScope: " + metadata.title);
  out += "</title>\n<style>";
  out += report_style();
  out += "</style></head>\n<body>\n";
  append_header(out, trace, index, metadata);

  out +=
      "<section><h2>Sequence diagram</h2><p class=\"legend\">"
      "<span><b style=\"background:var(--smtp)\"></b>SMTP</span>"
      "<span><b style=\"background:var(--imap)\"></b>IMAP</span>"
      "<span><b style=\"background:var(--pop3)\"></b>POP3</span>"
      "<span><b style=\"background:var(--dns)\"></b>DNS</span>"
      "<span><b style=\"background:var(--tls)\"></b>TLS handshake</span>"
      "<span>[TLS] = encrypted on the wire</span> · click an arrow for its details</p>"
      "<div class=\"diagram\">\n";
  SequenceDiagramOptions diagram;
  diagram.rows_max = options.diagram_rows_max;
  diagram.credentials = options.credentials;
  append_sequence_diagram(out, trace, index, diagram);
  out += "</div></section>\n";

  out +=
      "<section><h2>Transcript</h2><p class=\"tools\"><button id=\"expand-all\" "
      "type=\"button\">Expand all</button><button id=\"collapse-all\" type=\"button\">"
      "Collapse all</button> Click a line to see the segments, packets and frames that "
      "carried it.</p><div class=\"transcript\">\n";
  // L7 and TLS: the handshake messages the diagram draws have entries too; records and
  // segments appear in the details of the message they carried.
  TranscriptOptions text;
  text.show(Layer::Application);
  text.show(Layer::Tls);
  text.credentials = options.credentials;
  text.dns = options.dns;
  HtmlTranscript transcript(trace, index, text, options, out, stream);
  walk_transcript(trace, index, text, transcript);
  if (transcript.items() > options.transcript_items_max)
    out += "<p class=\"note\">… " +
           std::to_string(transcript.items() - options.transcript_items_max) +
           " more items: see the text transcript.</p>\n";
  out += "</div></section>\n<script>";
  out += report_script();
  out += "</script>\n</body></html>\n";
  stream.write(out.data(), static_cast<std::streamsize>(out.size()));
}

}  // namespace mailscope::exporter
