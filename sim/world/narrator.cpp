#include "world/narrator.h"

#include "wire/dns_format.h"
#include "wire/dns_types.h"
#include "world/trace_queries.h"

namespace mailscope::world {

namespace {

using scenario::Trigger;

bool contains(std::string_view haystack, std::string_view needle) {
  return needle.empty() || haystack.find(needle) != std::string_view::npos;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Whether the event is of the rule's kind, before the rule's filters are applied.
bool is_trigger(const Trace& trace, Trigger on, const TraceEvent& event) {
  const std::string_view text = event_text(trace, event);
  switch (on) {
    case Trigger::DnsQuery:
      return is_l7(trace, event, EventKind::Request, "dns");
    case Trigger::DnsResponse:
      return is_l7(trace, event, EventKind::Response, "dns");
    case Trigger::SmtpCommand:
      return is_l7(trace, event, EventKind::Request, "smtp");
    case Trigger::SmtpReply:
      return is_l7(trace, event, EventKind::Response, "smtp");
    case Trigger::ImapCommand:
      return is_l7(trace, event, EventKind::Request, "imap");
    case Trigger::Pop3Command:
      return is_l7(trace, event, EventKind::Request, "pop3");
    case Trigger::TlsEstablished:
      return event.layer == Layer::Tls && event.kind == EventKind::StateChange &&
             starts_with(text, "TLS established");
    case Trigger::TlsFailed:
      return event.layer == Layer::Tls && event.kind == EventKind::StateChange &&
             starts_with(text, "TLS failed");
    case Trigger::TcpConnect:
      // Once per connection: the side that opened it.
      return event.layer == Layer::Transport && event.kind == EventKind::StateChange &&
             text == "SYN_SENT -> ESTABLISHED";
    case Trigger::TcpRetransmission:
      return event.layer == Layer::Transport && event.kind == EventKind::Note &&
             starts_with(text, "retransmission");
    case Trigger::ConnectionRefused:
      return event.layer == Layer::Transport && event.kind == EventKind::Note &&
             contains(text, "connection refused");
    case Trigger::MailQueued:
      return event.kind == EventKind::MailQueued;
    case Trigger::MailDeferred:
      return event.kind == EventKind::MailDeferred;
    case Trigger::MailDelivered:
      return event.kind == EventKind::MailDelivered;
    case Trigger::MailBounced:
      return event.kind == EventKind::MailBounced;
    case Trigger::PacketDropped:
      return event.kind == EventKind::Drop;
  }
  return false;
}

}  // namespace

Narrator::Narrator(Trace& trace, const std::vector<scenario::NarrationRule>& rules)
    : m_trace(trace), m_rules(rules), m_spent(rules.size(), false) {
  if (!m_rules.empty()) m_trace.set_observer([this](EventId id) { on_event(id); });
}

Narrator::~Narrator() {
  if (!m_rules.empty()) m_trace.set_observer({});
}

bool Narrator::matches(const scenario::NarrationRule& rule, const TraceEvent& event) const {
  if (!is_trigger(m_trace, rule.on, event)) return false;
  if (!rule.host.empty()) {
    // A connection concerns both its ends; everything else happens on one node.
    bool at_host = node_name(m_trace, event.node) == rule.host;
    if (!at_host && rule.on == Trigger::TcpConnect && event.flow != kNoFlow)
      at_host = node_name(m_trace, m_trace.flow(event.flow).server) == rule.host;
    if (!at_host) return false;
  }
  const std::string_view text = event_text(m_trace, event);
  if (rule.port) {
    if (event.flow == kNoFlow || server_port(m_trace.flow(event.flow)) != rule.port) return false;
  }
  if (rule.on == Trigger::DnsQuery || rule.on == Trigger::DnsResponse) {
    const auto message = dns_message(m_trace, event);
    if (!message) return false;
    if (!rule.dns_type.empty()) {
      if (message->questions.empty() ||
          wire::to_string(message->questions.front().type) != rule.dns_type)
        return false;
    }
    // `contains` names an rcode ("NXDOMAIN") or a piece of the summary ("gmail.com").
    if (!rule.contains.empty() && wire::to_string(message->flags.rcode) != rule.contains &&
        !contains(wire::summarize(*message), rule.contains))
      return false;
    return true;
  }
  if (rule.code && reply_code(text) != rule.code) return false;
  return contains(text, rule.contains);
}

void Narrator::on_event(EventId id) {
  const TraceEvent& event = m_trace.event(id);
  if (event.kind == EventKind::Narration) return;
  for (std::size_t i = 0; i < m_rules.size(); ++i) {
    const scenario::NarrationRule& rule = m_rules[i];
    if (m_spent[i] || !matches(rule, event)) continue;
    if (rule.occurrence == scenario::Occurrence::First) m_spent[i] = true;
    TraceEvent narration;
    narration.time = event.time;
    narration.parent = id;
    narration.node = event.node;
    narration.flow = event.flow;
    narration.layer = Layer::Application;
    narration.kind = EventKind::Narration;
    m_trace.record(narration, {}, m_trace.store(rule.text));
  }
}

}  // namespace mailscope::world
