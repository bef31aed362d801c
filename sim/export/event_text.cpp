#include "export/event_text.h"

#include "wire/dissect.h"

namespace mailscope::exporter {
namespace {

// Application payloads are lines; show them without their line ending.
std::string one_line(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.remove_suffix(1);
  return std::string(text);
}

}  // namespace

std::string describe_event(const Trace& trace, const TraceEvent& e) {
  const std::string text = one_line(trace.text(e.text));
  const auto bytes = trace.bytes(e.data);
  switch (e.kind) {
    case EventKind::Drop: {
      std::string line = "DROP (" + std::string(to_string(static_cast<DropReason>(e.detail))) + ")";
      if (!bytes.empty()) line += ": " + wire::summarize_pdu(e.layer, 0, bytes);
      return line;
    }
    case EventKind::Send:
    case EventKind::Receive:
    case EventKind::Forward:
      if (e.layer == Layer::Application || e.layer == Layer::Tls) break;
      return wire::summarize_pdu(e.layer, e.detail, bytes);
    default:
      break;
  }
  if (!text.empty()) return text;
  return one_line(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace mailscope::exporter
