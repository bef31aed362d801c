#include "export/trace_index.h"

#include <algorithm>
#include <cctype>

namespace mailscope::exporter {

std::uint16_t label_server_port(std::string_view label) {
  const auto colon = label.rfind(':');
  if (colon == std::string_view::npos || colon + 1 >= label.size()) return 0;
  std::uint32_t port = 0;
  for (std::size_t i = colon + 1; i < label.size(); ++i) {
    const char c = label[i];
    if (c < '0' || c > '9') return 0;
    port = port * 10 + static_cast<std::uint32_t>(c - '0');
    if (port > 65535) return 0;
  }
  return static_cast<std::uint16_t>(port);
}

TraceIndex::TraceIndex(const Trace& trace) : m_trace(trace) {
  const std::size_t n = trace.size();

  // Counting sort of events by parent: children keep recording order, and the two arrays cost
  // eight bytes per event however deep the trees are. First m_child_offsets[p] counts up to the
  // end of p's children; filling from the last event backwards then moves it down to their start.
  m_child_offsets.assign(n + 1, 0);
  for (const TraceEvent& e : trace.events())
    if (e.parent < n) ++m_child_offsets[e.parent];
  for (std::size_t i = 1; i <= n; ++i)
    m_child_offsets[i] += m_child_offsets[i - 1];
  m_child_ids.resize(m_child_offsets[n]);
  for (std::size_t i = n; i-- > 0;) {
    const EventId parent = trace.event(static_cast<EventId>(i)).parent;
    if (parent < n) m_child_ids[--m_child_offsets[parent]] = static_cast<EventId>(i);
  }

  m_sessions.resize(trace.flow_count());
  for (std::size_t f = 1; f < trace.flow_count(); ++f) {
    const FlowInfo& info = trace.flow(static_cast<FlowId>(f));
    Session& s = m_sessions[f];
    s.flow = static_cast<FlowId>(f);
    s.client = info.client;
    s.server = info.server;
    s.application = info.application;
    s.server_port = label_server_port(info.label);
  }
  // A flow whose service did not name the server: the first other node that replied at L7,
  // else the first other node that received one of its segments.
  std::vector<NodeId> first_receiver(m_sessions.size(), kNoNode);
  struct LastTlsState {
    std::string_view text;
    NodeId node = kNoNode;
  };
  std::vector<LastTlsState> last_tls(m_sessions.size());
  std::uint32_t next_number = 1;
  for (std::size_t i = 0; i < n; ++i) {
    const TraceEvent& e = trace.event(static_cast<EventId>(i));
    if (e.flow == kNoFlow || e.flow >= m_sessions.size()) continue;
    if (e.layer == Layer::Tls && e.kind == EventKind::StateChange) {
      LastTlsState& last = last_tls[e.flow];
      const std::string_view text = trace.text(e);
      if (last.node != kNoNode && last.node != e.node && last.text == text) {
        m_tls_echoes.push_back(static_cast<EventId>(i));
        last = {};
      } else {
        last = {text, e.node};
      }
    }
    Session& s = m_sessions[e.flow];
    if (s.application.empty()) continue;
    if (s.number == 0) {
      s.number = next_number++;
      s.first_event = static_cast<EventId>(i);
    }
    if (s.server == kNoNode && e.node != s.client) {
      if (e.layer == Layer::Application && e.kind == EventKind::Response) {
        s.server = e.node;
      } else if (e.layer == Layer::Transport && e.kind == EventKind::Receive &&
                 first_receiver[e.flow] == kNoNode) {
        first_receiver[e.flow] = e.node;
      }
    }
  }
  for (Session& s : m_sessions) {
    if (s.number == 0) continue;
    if (s.server == kNoNode) s.server = first_receiver[s.flow];
    m_ordered.push_back(&s);
  }
  std::sort(m_ordered.begin(), m_ordered.end(),
            [](const Session* a, const Session* b) { return a->number < b->number; });
}

std::span<const EventId> TraceIndex::children(EventId id) const {
  if (id >= m_child_offsets.size() - 1) return {};
  const std::uint32_t begin = m_child_offsets[id];
  const std::uint32_t end = m_child_offsets[id + 1];
  return std::span<const EventId>(m_child_ids.data() + begin, end - begin);
}

bool TraceIndex::is_tls_state_echo(EventId id) const {
  return std::binary_search(m_tls_echoes.begin(), m_tls_echoes.end(), id);
}

const Session* TraceIndex::session(FlowId flow) const {
  if (flow == kNoFlow || flow >= m_sessions.size()) return nullptr;
  const Session& s = m_sessions[flow];
  return s.number == 0 ? nullptr : &s;
}

std::string_view TraceIndex::side(const TraceEvent& event) const {
  const Session* s = session(event.flow);
  if (s == nullptr) return {};
  if (event.node == s->client) return "C";
  if (event.node == s->server) return "S";
  return {};
}

std::string TraceIndex::session_route(const Session& session) const {
  auto name = [this](NodeId id) {
    return id < m_trace.node_count() ? m_trace.node(id).name : std::string("?");
  };
  std::string route = name(session.client) + " → " + name(session.server);
  if (session.server_port != 0) route += ":" + std::to_string(session.server_port);
  return route;
}

std::string TraceIndex::protocol_label(std::string_view application) {
  std::string label(application);
  for (char& c : label)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return label;
}

}  // namespace mailscope::exporter
