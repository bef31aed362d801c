#include "world/trace_queries.h"

#include <cctype>

namespace mailscope::world {

std::string_view event_text(const Trace& trace, const TraceEvent& event) {
  // Below TLS the bytes are headers and segments, which say nothing as text.
  if (event.layer >= Layer::Tls && !trace.data_ref(event).empty()) {
    const auto bytes = trace.message(event);
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
  }
  return trace.text(event);
}

std::string_view application_of(const Trace& trace, const TraceEvent& event) {
  if (event.flow == kNoFlow) return {};
  return trace.flow(event.flow).application;
}

bool is_l7(const Trace& trace, const TraceEvent& event, EventKind kind,
           std::string_view application) {
  return event.layer == Layer::Application && event.kind == kind &&
         application_of(trace, event) == application;
}

std::optional<std::uint16_t> reply_code(std::string_view reply) {
  if (reply.size() < 3) return std::nullopt;
  std::uint16_t code = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(reply[i]))) return std::nullopt;
    code = static_cast<std::uint16_t>(code * 10 + (reply[i] - '0'));
  }
  return code;
}

std::string command_verb(std::string_view line) {
  std::string verb;
  for (char c : line) {
    if (c == ' ' || c == '\r' || c == '\n') break;
    verb += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return verb;
}

std::optional<std::uint16_t> server_port(const FlowInfo& flow) {
  const std::size_t colon = flow.label.rfind(':');
  if (colon == std::string::npos || flow.label.find(" -> ") == std::string::npos)
    return std::nullopt;
  std::uint32_t port = 0;
  for (std::size_t i = colon + 1; i < flow.label.size(); ++i) {
    const char c = flow.label[i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    port = port * 10 + static_cast<std::uint32_t>(c - '0');
    if (port > 65535) return std::nullopt;
  }
  return static_cast<std::uint16_t>(port);
}

std::optional<wire::DnsMessage> dns_message(const Trace& trace, const TraceEvent& event) {
  if (trace.data_ref(event).empty()) return std::nullopt;
  auto parsed = wire::DnsMessage::parse(trace.message(event));
  if (!parsed) return std::nullopt;
  return std::move(parsed).value();
}

std::string_view node_name(const Trace& trace, NodeId node) {
  if (node == kNoNode || node >= trace.node_count()) return {};
  return trace.node(node).name;
}

}  // namespace mailscope::world
