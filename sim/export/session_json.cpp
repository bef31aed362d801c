#include "export/session_json.h"

#include <string>
#include <vector>

#include "export/encoding.h"
#include "export/event_text.h"
#include "wire/dissect.h"
#include "wire/dns_dissect.h"

namespace mailscope::exporter {
namespace {

constexpr std::size_t kFlushBytes = 1 << 16;

class JsonOut {
 public:
  explicit JsonOut(std::ostream& out) : m_out(out) {}
  ~JsonOut() { flush(); }
  JsonOut(const JsonOut&) = delete;
  JsonOut& operator=(const JsonOut&) = delete;

  std::string& buffer() { return m_buffer; }
  void raw(std::string_view text) { m_buffer += text; }
  void key(std::string_view name) {
    append_json_string(m_buffer, name);
    m_buffer += ':';
  }
  void string(std::string_view text) { append_json_string(m_buffer, text); }
  template <typename Int>
  void number(Int value) {
    m_buffer += std::to_string(value);
  }
  void id_or_null(std::uint32_t value, std::uint32_t none) {
    if (value == none)
      m_buffer += "null";
    else
      number(value);
  }
  void maybe_flush() {
    if (m_buffer.size() >= kFlushBytes) flush();
  }
  void flush() {
    m_out.write(m_buffer.data(), static_cast<std::streamsize>(m_buffer.size()));
    m_buffer.clear();
  }

 private:
  std::ostream& m_out;
  std::string m_buffer;
};

std::string_view encoding_name(ByteEncoding encoding) {
  switch (encoding) {
    case ByteEncoding::Base64:
      return "base64";
    case ByteEncoding::Hex:
      return "hex";
    case ByteEncoding::None:
      return "none";
  }
  return "none";
}

void write_fields(JsonOut& json, const std::vector<wire::Field>& fields) {
  json.raw(",\"fields\":[");
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const wire::Field& f = fields[i];
    if (i > 0) json.raw(",");
    json.raw("{\"depth\":");
    json.number(static_cast<unsigned>(f.depth));
    json.raw(",\"name\":");
    json.string(f.name);
    json.raw(",\"value\":");
    json.string(f.value);
    json.raw(",\"offset\":");
    json.number(f.offset);
    json.raw(",\"length\":");
    json.number(f.length);
    json.raw("}");
  }
  json.raw("]");
}

void write_event(JsonOut& json, const Trace& trace, EventId id, const SessionJsonOptions& options) {
  const TraceEvent& e = trace.event(id);
  json.raw("{\"id\":");
  json.number(id);
  json.raw(",\"time_ns\":");
  json.number(e.time);
  json.raw(",\"time\":");
  json.string(format_time(e.time));
  json.raw(",\"node\":");
  json.id_or_null(e.node, kNoNode);
  json.raw(",\"node_name\":");
  if (e.node < trace.node_count())
    json.string(trace.node(e.node).name);
  else
    json.raw("null");
  json.raw(",\"layer\":");
  json.string(to_string(e.layer));
  json.raw(",\"kind\":");
  json.string(to_string(e.kind));
  json.raw(",\"detail\":");
  json.number(e.detail);
  if (e.kind == EventKind::Drop) {
    json.raw(",\"drop_reason\":");
    json.string(to_string(static_cast<DropReason>(e.detail)));
  }
  if (carries_credentials(e)) json.raw(",\"credentials\":true");
  json.raw(",\"flow\":");
  json.id_or_null(e.flow, kNoFlow);
  json.raw(",\"parent\":");
  json.id_or_null(e.parent, kNoEvent);
  json.raw(",\"summary\":");
  json.string(describe_event(trace, e));
  const std::string_view text = trace.text(e);
  if (!text.empty()) {
    json.raw(",\"text\":");
    json.string(text);
  }
  Trace::Scratch scratch;
  const auto bytes = trace.data(e, scratch);
  if (!bytes.empty()) {
    json.raw(",\"data_size\":");
    json.number(bytes.size());
    if (options.bytes != ByteEncoding::None) {
      json.raw(",\"data\":\"");
      if (options.bytes == ByteEncoding::Hex)
        append_hex(json.buffer(), bytes);
      else
        append_base64(json.buffer(), bytes);
      json.raw("\"");
    }
    if (options.decode == Decode::Fields) {
      if (e.layer == Layer::Physical || e.layer == Layer::Link) {
        write_fields(json, wire::dissect_frame(bytes).fields);
      } else if (e.layer == Layer::Application && application_of(trace, e) == "dns" &&
                 (e.kind == EventKind::Request || e.kind == EventKind::Response)) {
        std::vector<wire::Field> fields;
        wire::dissect_dns(bytes, 0, 0, fields);
        write_fields(json, fields);
      }
    }
  }
  json.raw("}");
}

}  // namespace

void write_session_json(const Trace& trace, const ScenarioMetadata& metadata, std::ostream& out,
                        const SessionJsonOptions& options) {
  JsonOut json(out);
  json.raw("{\"format\":\"mailscope-session\",\"version\":");
  json.number(kSessionJsonVersion);
  json.raw(",\n\"scenario\":{\"id\":");
  json.string(metadata.id);
  json.raw(",\"title\":");
  json.string(metadata.title);
  json.raw(",\"seed\":");
  json.number(metadata.seed);
  json.raw(",\"summary\":");
  json.string(metadata.summary);
  json.raw(",\"objectives\":[");
  for (std::size_t i = 0; i < metadata.objectives.size(); ++i) {
    if (i > 0) json.raw(",");
    json.string(metadata.objectives[i]);
  }
  json.raw("]},\n\"data_encoding\":");
  json.string(encoding_name(options.bytes));
  json.raw(",\"event_count\":");
  json.number(trace.size());
  json.raw(",\n\"nodes\":[");
  for (std::size_t n = 0; n < trace.node_count(); ++n) {
    const NodeInfo& node = trace.node(static_cast<NodeId>(n));
    json.raw(n == 0 ? "\n" : ",\n");
    json.raw("{\"id\":");
    json.number(n);
    json.raw(",\"name\":");
    json.string(node.name);
    json.raw(",\"kind\":");
    json.string(node.kind);
    json.raw("}");
  }
  json.raw("],\n\"flows\":[");
  for (std::size_t f = 1; f < trace.flow_count(); ++f) {
    const FlowInfo& flow = trace.flow(static_cast<FlowId>(f));
    json.raw(f == 1 ? "\n" : ",\n");
    json.raw("{\"id\":");
    json.number(f);
    json.raw(",\"client\":");
    json.id_or_null(flow.client, kNoNode);
    json.raw(",\"server\":");
    json.id_or_null(flow.server, kNoNode);
    json.raw(",\"transport\":");
    json.string(flow.transport);
    json.raw(",\"application\":");
    json.string(flow.application);
    json.raw(",\"label\":");
    json.string(flow.label);
    json.raw("}");
    json.maybe_flush();
  }
  json.raw("],\n\"events\":[");
  for (std::size_t i = 0; i < trace.size(); ++i) {
    json.raw(i == 0 ? "\n" : ",\n");
    write_event(json, trace, static_cast<EventId>(i), options);
    json.maybe_flush();
  }
  json.raw("]}\n");
}

}  // namespace mailscope::exporter
