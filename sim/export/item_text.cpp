#include "export/item_text.h"

#include "export/event_text.h"
#include "wire/dns_format.h"
#include "wire/dns_message.h"

namespace mailscope::exporter {
namespace {

constexpr std::string_view kEncryptedNote = " (the following lines were encrypted on the wire)";

std::string node_name(const Trace& trace, NodeId id) {
  return id < trace.node_count() ? trace.node(id).name : std::string("-");
}

// "C", "S", or the node's name when it is neither end of a session.
std::string speaker(const Trace& trace, const TraceIndex& index, const TraceEvent& e) {
  const std::string_view side = index.side(e);
  return side.empty() ? node_name(trace, e.node) : std::string(side);
}

// Adds `line` unless the message already has its maximum of lines.
void add_line(ItemText& out, const TranscriptOptions& options, std::string line) {
  if (out.lines.size() < std::max<std::size_t>(options.message_lines_max, 1))
    out.lines.push_back(std::move(line));
  else
    ++out.lines_omitted;
}

void text_message(ItemText& out, const TranscriptOptions& options, const TraceEvent& e,
                  const std::string& who, std::string_view text) {
  const bool mask = options.credentials == Credentials::Mask && carries_credentials(e);
  const std::string prefix = who + ": ";
  const auto lines = split_lines(text);
  for (const std::string_view line : lines) {
    const std::string shown = mask ? mask_credentials(line) : std::string(line);
    // An empty line (the one between a message's header and body) gets no trailing space.
    add_line(out, options,
             shown.empty() ? who + ":" : prefix + printable_line(shown, options.line_chars_max));
  }
  if (lines.empty()) add_line(out, options, prefix + "(empty)");
}

void dns_message(ItemText& out, const TranscriptOptions& options, const std::string& who,
                 wire::ByteView bytes) {
  const auto message = wire::DnsMessage::parse(bytes, wire::TrailingBytes::Ignore);
  if (!message) {
    add_line(out, options,
             who + ": DNS message (malformed: " + message.error().to_string() + "), " +
                 std::to_string(bytes.size()) + " bytes");
    return;
  }
  add_line(out, options, who + ": " + wire::summarize(*message));
  if (options.dns != DnsStyle::Dig) return;
  // dig's layout below the summary, aligned after "C: "; its final blank line is dropped.
  const std::string indent(who.size() + 2, ' ');
  const std::string dig = wire::format_dig(*message);
  auto lines = split_lines(dig);
  while (!lines.empty() && lines.back().empty())
    lines.pop_back();
  for (const std::string_view line : lines)
    add_line(out, options, line.empty() ? std::string() : indent + std::string(line));
}

std::string tagged(std::string_view tag, const Trace& trace, const TraceEvent& e,
                   const std::string& text) {
  return "[" + std::string(tag) + "] " + node_name(trace, e.node) + ": " + text;
}

void tagged_lines(ItemText& out, const Trace& trace, const TranscriptOptions& options,
                  std::string_view tag, const TraceEvent& e) {
  const auto lines = split_lines(trace.text(e));
  if (lines.empty()) {
    add_line(out, options, tagged(tag, trace, e, describe_event(trace, e)));
    return;
  }
  add_line(out, options, tagged(tag, trace, e, printable_line(lines[0], options.line_chars_max)));
  for (std::size_t i = 1; i < lines.size(); ++i)
    add_line(out, options, "  " + printable_line(lines[i], options.line_chars_max));
}

void application_item(ItemText& out, const Trace& trace, const TraceIndex& index,
                      const TranscriptOptions& options, const TraceEvent& e) {
  switch (e.kind) {
    case EventKind::Request:
    case EventKind::Response: {
      const std::string who = speaker(trace, index, e);
      const auto bytes = trace.message(e);
      if (application_of(trace, e) == "dns" && !bytes.empty()) {
        out.style = ItemStyle::Dns;
        dns_message(out, options, who, bytes);
        return;
      }
      out.style = ItemStyle::Dialogue;
      text_message(out, options, e, who, bytes.empty() ? trace.text(e) : as_text(bytes));
      return;
    }
    case EventKind::Narration: {
      out.style = ItemStyle::Narration;
      const auto lines = split_lines(trace.text(e));
      for (const std::string_view line : lines)
        add_line(out, options, "# " + printable_line(line, options.line_chars_max));
      if (lines.empty()) add_line(out, options, "#");
      return;
    }
    case EventKind::Action:
      out.style = ItemStyle::Action;
      tagged_lines(out, trace, options, "action", e);
      return;
    case EventKind::MailQueued:
    case EventKind::MailDelivered:
    case EventKind::MailDeferred:
    case EventKind::MailBounced:
      out.style = ItemStyle::Mail;
      tagged_lines(out, trace, options, "mail", e);
      return;
    case EventKind::StateChange:
      out.style = ItemStyle::Note;
      tagged_lines(out, trace, options, "state", e);
      return;
    default:
      out.style = ItemStyle::Note;
      tagged_lines(out, trace, options, "note", e);
      return;
  }
}

void tls_item(ItemText& out, const Trace& trace, const TraceIndex& index,
              const TranscriptOptions& options, const TraceEvent& e) {
  const auto lines = split_lines(trace.text(e));
  const std::string text =
      lines.empty() ? std::string() : printable_line(lines.front(), options.line_chars_max);
  switch (e.kind) {
    case EventKind::StateChange: {
      out.style = ItemStyle::TlsMarker;
      std::string line = "--- " + text + " ---";
      if (text.starts_with("TLS established")) line += kEncryptedNote;
      add_line(out, options, std::move(line));
      return;
    }
    case EventKind::Send:
    case EventKind::Receive:
      out.style = ItemStyle::Tls;
      if (!text.empty()) {
        add_line(out, options, speaker(trace, index, e) + ": [TLS] " + text);
      } else {
        add_line(out, options, tagged("TLS", trace, e, describe_event(trace, e)));
      }
      return;
    default:
      out.style = ItemStyle::Tls;
      add_line(out, options, tagged("TLS", trace, e, text));
      return;
  }
}

}  // namespace

int layer_indent(Layer layer) {
  switch (layer) {
    case Layer::Transport:
      return 1;
    case Layer::Network:
      return 2;
    case Layer::Link:
      return 3;
    case Layer::Physical:
      return 4;
    default:
      return 0;
  }
}

ItemText item_text(const Trace& trace, const TraceIndex& index, const TranscriptOptions& options,
                   EventId id) {
  ItemText out;
  const TraceEvent& e = trace.event(id);
  if (e.layer == Layer::Application) {
    application_item(out, trace, index, options, e);
  } else if (e.layer == Layer::Tls) {
    tls_item(out, trace, index, options, e);
  } else {
    out.style = ItemStyle::Lower;
    std::string tag(to_string(e.layer));
    if (e.kind != EventKind::Send) tag += " " + std::string(to_string(e.kind));
    add_line(out, options, tagged(tag, trace, e, describe_event(trace, e)));
  }
  if (out.lines.empty()) out.lines.emplace_back();
  return out;
}

std::string session_heading(const Trace& trace, const TraceIndex& index, const Session& session,
                            SessionStart how) {
  const std::string what =
      TraceIndex::protocol_label(session.application) + " " + index.session_route(session);
  const std::string number = "Session " + std::to_string(session.number);
  if (how == SessionStart::Continued) return "--- " + number + " continued: " + what + " ---";
  const FlowInfo& flow = trace.flow(session.flow);
  std::string line = "=== " + number + ": " + what;
  if (!flow.transport.empty() || !flow.label.empty())
    line += " (" + flow.transport + (flow.transport.empty() ? "" : " ") + flow.label + ")";
  return line + " ===";
}

}  // namespace mailscope::exporter
