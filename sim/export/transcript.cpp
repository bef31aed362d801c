#include "export/transcript.h"

#include <algorithm>
#include <array>
#include <string>

#include "export/event_text.h"
#include "export/item_text.h"

namespace mailscope::exporter {
namespace {

bool chain_ancestor_is_item(const Trace& trace, const TraceIndex& index,
                            const TranscriptOptions& options, EventId id) {
  for (EventId a = chain_parent(trace, id); a != kNoEvent; a = chain_parent(trace, a))
    if (is_transcript_item(trace, index, options, a)) return true;
  return false;
}

// A frame a router sends for a packet it forwards belongs to that packet's path.
bool is_hop_frame(const Trace& trace, const TraceEvent& e) {
  if (e.parent >= trace.size()) return false;
  const TraceEvent& p = trace.event(e.parent);
  return p.layer == Layer::Network && p.kind == EventKind::Forward;
}

// Writes the transcript text as the walk hands out items.
class TextWriter final : public TranscriptVisitor {
 public:
  TextWriter(const Trace& trace, const TraceIndex& index, const TranscriptOptions& options,
             std::ostream& out)
      : m_trace(trace), m_index(index), m_options(options), m_out(out) {
    // Events are recorded in time order, so the last one has the widest time.
    m_time_width = trace.size() == 0 ? 0 : format_time(trace.event(static_cast<EventId>(trace.size() - 1)).time).size();
    for (std::size_t n = 0; n < trace.node_count(); ++n)
      m_node_width = std::max(m_node_width, trace.node(static_cast<NodeId>(n)).name.size());
    m_lower = has_lower_layer(options.layers) || options.shows(Layer::Tls);
  }

  void session_start(const Session& session, SessionStart how) override {
    if (started()) m_buffer += '\n';
    m_buffer += session_heading(m_trace, m_index, session, how);
    m_buffer += '\n';
    flush();
  }

  void item(EventId id, const Session*) override {
    const TraceEvent& e = m_trace.event(id);
    const ItemText text = item_text(m_trace, m_index, m_options, id);
    append_time(e.time);
    m_buffer += text.lines.front();
    m_buffer += '\n';
    for (std::size_t i = 1; i < text.lines.size(); ++i) {
      if (!text.lines[i].empty()) {
        m_buffer.append(m_time_width + 2, ' ');
        m_buffer += text.lines[i];
      }
      m_buffer += '\n';
    }
    if (text.lines_omitted > 0) {
      m_buffer.append(m_time_width + 2, ' ');
      m_buffer += "… (" + std::to_string(text.lines_omitted) + " more lines)\n";
    }
    if (m_lower) layer_lines(id);
    flush();
  }

  // Writes the drops section and everything still buffered.
  void finish() {
    write_drops();
    write_out();
  }

 private:
  void append_time(TimeNs t) {
    const std::string time = format_time(t);
    if (time.size() < m_time_width) m_buffer.append(m_time_width - time.size(), ' ');
    m_buffer += time;
    m_buffer += "  ";
  }

  void append_node(NodeId id) {
    const std::string& name = id < m_trace.node_count() ? m_trace.node(id).name : kNoName;
    m_buffer += name;
    if (name.size() < m_node_width) m_buffer.append(m_node_width - name.size(), ' ');
  }

  // "   L4  0.256145s  client  TCP 47941 → 25 [PSH, ACK] ..."
  void layer_line(const TraceEvent& e) {
    m_buffer.append(m_time_width + 4 + 2 * static_cast<std::size_t>(layer_indent(e.layer)), ' ');
    const std::string_view layer = to_string(e.layer);
    m_buffer += layer;
    m_buffer.append(layer.size() < 4 ? 4 - layer.size() : 1, ' ');
    const std::string time = format_time(e.time);
    if (time.size() < m_time_width) m_buffer.append(m_time_width - time.size(), ' ');
    m_buffer += time;
    m_buffer += "  ";
    append_node(e.node);
    m_buffer += "  ";
    m_buffer += describe_event(m_trace, e);
    m_buffer += '\n';
  }

  void layer_lines(EventId id) {
    const LayerLines lines = collect_layer_lines(m_trace, m_index, id, m_options.layers,
                                                 m_options.hops, m_options.layer_lines_max);
    for (const EventId line : lines.lines)
      layer_line(m_trace.event(line));
    if (lines.omitted > 0) {
      m_buffer.append(m_time_width + 4, ' ');
      m_buffer += "… (" + std::to_string(lines.omitted) + " more lower-layer lines)\n";
    }
  }

  void write_drops() {
    if (m_options.drops == DropList::Hide) return;
    std::array<std::size_t, static_cast<std::size_t>(DropReason::Count) + 1> by_reason{};
    std::size_t total = 0;
    for (const TraceEvent& e : m_trace.events()) {
      if (e.kind != EventKind::Drop) continue;
      ++total;
      ++by_reason[std::min<std::size_t>(e.detail, by_reason.size() - 1)];
    }
    if (total == 0) return;
    if (started()) m_buffer += '\n';
    m_buffer += "=== Drops: " + std::to_string(total) + " (";
    bool first = true;
    for (std::size_t r = 0; r < by_reason.size(); ++r) {
      if (by_reason[r] == 0) continue;
      if (!first) m_buffer += ", ";
      first = false;
      m_buffer += r < static_cast<std::size_t>(DropReason::Count)
                      ? std::string(to_string(static_cast<DropReason>(r)))
                      : std::string("unknown");
      m_buffer += " " + std::to_string(by_reason[r]);
    }
    m_buffer += ") ===\n";
    if (!has_lower_layer(m_options.layers)) {
      m_buffer += "(show lower layers to list them)\n";
      return;
    }
    std::size_t listed = 0;
    for (const TraceEvent& e : m_trace.events()) {
      if (e.kind != EventKind::Drop) continue;
      if (listed == m_options.drops_listed_max) {
        m_buffer += "… (" + std::to_string(total - listed) + " more drops)\n";
        break;
      }
      ++listed;
      append_time(e.time);
      append_node(e.node);
      m_buffer += "  ";
      const std::string_view layer = to_string(e.layer);
      m_buffer += layer;
      m_buffer.append(layer.size() < 4 ? 4 - layer.size() : 1, ' ');
      m_buffer += describe_event(m_trace, e);
      m_buffer += '\n';
      if (m_buffer.size() > kFlushBytes) flush();
    }
  }

  bool started() const { return m_written || !m_buffer.empty(); }

  // Writes the buffer once it holds a block worth a write call.
  void flush() {
    if (m_buffer.size() >= kFlushBytes) write_out();
  }

  void write_out() {
    if (m_buffer.empty()) return;
    m_out.write(m_buffer.data(), static_cast<std::streamsize>(m_buffer.size()));
    m_written = true;
    m_buffer.clear();
  }
  static constexpr std::size_t kFlushBytes = 1 << 16;
  inline static const std::string kNoName = "-";
  const Trace& m_trace;
  const TraceIndex& m_index;
  const TranscriptOptions& m_options;
  std::ostream& m_out;
  std::string m_buffer;  // text not yet written; flushed in blocks of kFlushBytes
  std::size_t m_time_width = 0;
  std::size_t m_node_width = 0;
  bool m_lower = false;
  bool m_written = false;  // whether any text has reached m_out
};

}  // namespace

bool is_transcript_item(const Trace& trace, const TraceIndex& index,
                        const TranscriptOptions& options, EventId id) {
  const TraceEvent& e = trace.event(id);
  if (e.kind == EventKind::Drop) return false;
  const bool l7 = options.shows(Layer::Application);
  switch (e.layer) {
    case Layer::Application:
      if (!l7) return false;
      if (e.kind == EventKind::StateChange) return options.app_states == AppStates::Show;
      return true;
    case Layer::Tls:
      if (e.kind == EventKind::StateChange)
        return (l7 || options.shows(Layer::Tls)) && !index.is_tls_state_echo(id);
      if (e.kind == EventKind::Note) return l7 || options.shows(Layer::Tls);
      // Handshake messages and records of the sender; the receiver's copy would repeat them.
      if (e.kind != EventKind::Send || !options.shows(Layer::Tls)) return false;
      return !chain_ancestor_is_item(trace, index, options, id);
    case Layer::Transport:
      if (e.kind == EventKind::StateChange) return options.shows(Layer::Transport);
      if (e.kind == EventKind::Note)
        return options.shows(Layer::Transport) || (l7 && index.session(e.flow) != nullptr);
      if (e.kind != EventKind::Send || !options.shows(Layer::Transport)) return false;
      return !chain_ancestor_is_item(trace, index, options, id);
    case Layer::Network:
    case Layer::Link:
      if (!options.shows(e.layer)) return false;
      if (e.kind == EventKind::Note || e.kind == EventKind::StateChange) return true;
      if (e.kind != EventKind::Send || is_hop_frame(trace, e)) return false;
      return !chain_ancestor_is_item(trace, index, options, id);
    default:
      return false;
  }
}

void walk_transcript(const Trace& trace, const TraceIndex& index, const TranscriptOptions& options,
                     TranscriptVisitor& visitor) {
  const std::size_t n = trace.size();
  std::vector<bool> started(trace.flow_count(), false);
  auto start = [&](const Session& s) {
    visitor.session_start(s, started[s.flow] ? SessionStart::Continued : SessionStart::First);
    started[s.flow] = true;
  };

  if (options.grouping == Grouping::Chronological) {
    const Session* current = nullptr;
    for (std::size_t i = 0; i < n; ++i) {
      const auto id = static_cast<EventId>(i);
      if (!is_transcript_item(trace, index, options, id)) continue;
      const Session* s = index.session(trace.event(id).flow);
      // Items outside sessions (a mail event, a narration) do not end the session's block.
      if (s != nullptr && s != current) {
        start(*s);
        current = s;
      }
      visitor.item(id, s);
    }
    return;
  }

  // BySession: items per session, then sessions in order with the loose items between them.
  std::vector<std::vector<EventId>> per_session(trace.flow_count());
  std::vector<EventId> loose;
  for (std::size_t i = 0; i < n; ++i) {
    const auto id = static_cast<EventId>(i);
    if (!is_transcript_item(trace, index, options, id)) continue;
    const Session* s = index.session(trace.event(id).flow);
    if (s == nullptr)
      loose.push_back(id);
    else
      per_session[s->flow].push_back(id);
  }
  std::size_t next_loose = 0;
  for (const Session* s : index.sessions()) {
    const auto& items = per_session[s->flow];
    if (items.empty()) continue;
    while (next_loose < loose.size() && loose[next_loose] < items.front())
      visitor.item(loose[next_loose++], nullptr);
    start(*s);
    for (const EventId id : items)
      visitor.item(id, s);
  }
  while (next_loose < loose.size())
    visitor.item(loose[next_loose++], nullptr);
}

void write_transcript(const Trace& trace, std::ostream& out, const TranscriptOptions& options) {
  const TraceIndex index(trace);
  TextWriter writer(trace, index, options, out);
  walk_transcript(trace, index, options, writer);
  writer.finish();
}

}  // namespace mailscope::exporter
