#include "gui/core/conversation.h"

#include <algorithm>

#include "wire/dns_format.h"
#include "wire/dns_message.h"

namespace mailscope::gui {

namespace {

// Commands whose argument is a secret when the producer flagged the event (detail bit 0).
std::string mask_line(const std::string& line) {
  const auto space = line.find(' ');
  if (space == std::string::npos) return "••••••";
  return line.substr(0, space + 1) + "•••••• (hidden: credentials)";
}

std::string header_text(const Trace& trace, FlowId flow, Protocol protocol, NodeId server) {
  const FlowInfo& info = trace.flow(flow);
  auto name = [&trace](NodeId id) {
    return id < trace.node_count() ? trace.node(id).name : std::string("?");
  };
  std::string out =
      std::string(to_string(protocol)) + "  " + name(info.client) + " → " + name(server);
  if (!info.label.empty()) out += "   (" + info.label + ")";
  return out;
}

}  // namespace

std::vector<std::string> message_lines(const Trace& trace, const TraceEvent& event,
                                       Protocol protocol, Credentials credentials,
                                       std::size_t lines_max) {
  std::vector<std::string> lines;
  const auto bytes = trace.message(event);
  if (protocol == Protocol::Dns) {
    const auto message = wire::DnsMessage::parse(bytes);
    lines.push_back(message ? wire::summarize(*message)
                            : "DNS message (" + std::to_string(bytes.size()) +
                                  " bytes, does not parse: " + message.error().what + ")");
    return lines;
  }
  std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (text.empty()) text = trace.text(event);
  const bool secret = (event.detail & 1u) != 0 && credentials == Credentials::Mask;
  std::size_t total = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(start, end - start));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    for (char& c : line) {
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t') c = '.';
    }
    if (lines.size() < lines_max) lines.push_back(secret ? mask_line(line) : line);
    ++total;
    start = end + 1;
  }
  if (total > lines.size() && !lines.empty()) {
    lines.back() = "… (" + std::to_string(total - lines.size() + 1) + " more lines)";
  }
  if (lines.empty()) lines.emplace_back();
  return lines;
}

Conversation::Conversation(const RunIndex& index, const Filter& filter, ConversationOptions options)
    : m_filter(filter), m_options(options) {
  const Trace& trace = index.trace();
  const std::vector<NodeId> servers = flow_servers(trace);
  FlowId last_flow = kNoFlow;
  bool first = true;
  for (EventId id : index.messages()) {
    const Protocol protocol = index.protocol(id);
    if (!filter.shows(protocol)) continue;
    const TraceEvent& e = trace.event(id);
    if (first || e.flow != last_flow) {
      m_rows.push_back(
          ConversationRow{RowKind::FlowHeader, id, e.flow, protocol,
                          header_text(trace, e.flow, protocol,
                                      e.flow < servers.size() ? servers[e.flow] : kNoNode)});
      last_flow = e.flow;
      first = false;
    }
    const RowKind kind = e.kind == EventKind::Request ? RowKind::Client : RowKind::Server;
    for (std::string& line :
         message_lines(trace, e, protocol, options.credentials, options.lines_per_message_max)) {
      m_rows.push_back(ConversationRow{kind, id, e.flow, protocol, std::move(line)});
    }
  }
}

std::pair<std::size_t, std::size_t> Conversation::rows_of(EventId event) const {
  // Rows are in event order; a header shares its event with the message below it.
  auto lo = std::lower_bound(m_rows.begin(), m_rows.end(), event,
                             [](const ConversationRow& r, EventId e) { return r.event < e; });
  while (lo != m_rows.end() && lo->event == event && lo->kind == RowKind::FlowHeader)
    ++lo;
  auto hi = lo;
  while (hi != m_rows.end() && hi->event == event)
    ++hi;
  return {static_cast<std::size_t>(lo - m_rows.begin()),
          static_cast<std::size_t>(hi - m_rows.begin())};
}

}  // namespace mailscope::gui
