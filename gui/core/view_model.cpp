#include "gui/core/view_model.h"

#include <algorithm>
#include <array>

namespace mailscope::gui {

namespace {

constexpr std::array<std::string_view, static_cast<std::size_t>(Command::Count)> kCommandNames{
    "play/pause",   "step forward", "step back",      "layer forward", "layer back", "next message",
    "prev message", "next phase",   "previous phase", "home",          "end"};
static_assert(kCommandNames.size() == static_cast<std::size_t>(Command::Count));

// Loops that walk parent links or steps stop after this many iterations whatever the trace holds.
constexpr int kWalkMax = 1 << 16;

// The event at which the journey reached its addressee highest up the stack; the journey's last
// event when it never arrived.
EventId journey_target(const Trace& trace, const Journey& j) {
  if (j.events.empty()) return kNoEvent;
  EventId best = kNoEvent;
  int best_layer = -1;
  for (EventId e : j.events) {
    const TraceEvent& ev = trace.event(e);
    if (ev.node != j.destination || ev.kind != EventKind::Receive) continue;
    if (static_cast<int>(ev.layer) > best_layer) {
      best_layer = static_cast<int>(ev.layer);
      best = e;
    }
  }
  return best != kNoEvent ? best : j.events.back();
}

}  // namespace

std::string_view to_string(Command command) {
  const auto i = static_cast<std::size_t>(command);
  return i < kCommandNames.size() ? kCommandNames[i] : "?";
}

ViewModel::ViewModel(const LoadedRun& run) : m_run(run), m_index(*run.trace, run.topology) {
  rebuild_visible();
  m_step = 0;
  moved();
  m_playback.settle();
}

EventId ViewModel::current_event() const {
  return m_step < m_visible.size() ? m_visible[m_step] : kNoEvent;
}

void ViewModel::rebuild_visible() {
  m_visible.clear();
  const Trace& trace = *m_run.trace;
  for (EventId id = 0; id < trace.size(); ++id) {
    if (m_filter.allows(m_index.protocol(id), trace.event(id).layer)) m_visible.push_back(id);
  }
}

void ViewModel::moved() {
  m_selected_event = kNoEvent;
  const EventId e = current_event();
  m_journey = e == kNoEvent ? Journey{} : m_index.journey(e);
  m_playback.start_step(e == kNoEvent ? 0.5 : step_duration_s(trace().event(e)));
  ++m_revision;
}

double ViewModel::step_duration_s(const TraceEvent& event) {
  if (event.layer == Layer::Physical && event.kind == EventKind::Send) return 1.0;
  if (event.layer == Layer::Application &&
      (event.kind == EventKind::Request || event.kind == EventKind::Response))
    return 1.4;
  if (event.kind == EventKind::Narration || event.kind == EventKind::Action) return 1.6;
  if (event.kind == EventKind::Drop) return 1.2;
  return 0.45;
}

void ViewModel::seek_step(std::size_t step) {
  if (m_visible.empty()) return;
  m_step = std::min(step, m_visible.size() - 1);
  moved();
}

std::size_t ViewModel::step_at_or_after(EventId id) const {
  return static_cast<std::size_t>(std::lower_bound(m_visible.begin(), m_visible.end(), id) -
                                  m_visible.begin());
}

void ViewModel::seek_event(EventId id) {
  if (m_visible.empty()) return;
  const auto it = std::upper_bound(m_visible.begin(), m_visible.end(), id);
  seek_step(it == m_visible.begin() ? 0 : static_cast<std::size_t>(it - m_visible.begin() - 1));
}

void ViewModel::seek_time(TimeNs t) {
  if (m_visible.empty()) return;
  const Trace& tr = trace();
  // Events are recorded in time order, so visible events are sorted by time too.
  const auto it = std::upper_bound(m_visible.begin(), m_visible.end(), t,
                                   [&tr](TimeNs v, EventId e) { return v < tr.event(e).time; });
  seek_step(it == m_visible.begin() ? 0 : static_cast<std::size_t>(it - m_visible.begin() - 1));
}

void ViewModel::step_forward() {
  if (m_step + 1 < m_visible.size()) seek_step(m_step + 1);
}

void ViewModel::step_back() {
  if (m_step > 0) seek_step(m_step - 1);
}

void ViewModel::home() {
  seek_step(0);
}

void ViewModel::end() {
  if (!m_visible.empty()) seek_step(m_visible.size() - 1);
}

bool ViewModel::step_layer(Direction direction) {
  const EventId cur = current_event();
  if (cur == kNoEvent) return false;
  const Trace& tr = trace();
  auto visible = [this](EventId e) {
    return std::binary_search(m_visible.begin(), m_visible.end(), e);
  };
  if (direction == Direction::Backward) {
    EventId e = cur;
    for (int i = 0; i < kWalkMax; ++i) {
      const EventId parent = tr.event(e).parent;
      if (parent == kNoEvent || parent >= e) return false;
      e = parent;
      if (visible(e)) {
        seek_event(e);
        return true;
      }
    }
    return false;
  }
  // Forward: along the path from the current event to the journey's addressee when the current
  // event is on it; otherwise into the first child (a reply or ACK once the PDU has arrived).
  const Journey& j = m_journey;
  std::vector<EventId> path;  // target up to (excluding) cur, reversed below
  const EventId target = journey_target(tr, j);
  for (EventId e = target; e != kNoEvent && e > cur && path.size() < j.events.size();) {
    path.push_back(e);
    const EventId parent = tr.event(e).parent;
    if (parent == kNoEvent || parent >= e) {
      path.clear();
      break;
    }
    if (parent == cur) break;
    if (parent < cur) {
      path.clear();
      break;
    }
    e = parent;
  }
  if (!path.empty() && tr.event(path.back()).parent == cur) {
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
      if (visible(*it)) {
        seek_event(*it);
        return true;
      }
    }
  }
  // Off the path, or at its end: breadth-first through descendants for the first visible one.
  std::vector<EventId> frontier(m_index.children(cur).begin(), m_index.children(cur).end());
  for (int i = 0; i < kWalkMax && !frontier.empty(); ++i) {
    std::vector<EventId> next;
    for (EventId e : frontier) {
      if (visible(e)) {
        seek_event(e);
        return true;
      }
      for (EventId c : m_index.children(e))
        next.push_back(c);
    }
    std::sort(next.begin(), next.end());
    frontier = std::move(next);
  }
  return false;
}

bool ViewModel::step_message(Direction direction) {
  const EventId cur = current_event();
  if (cur == kNoEvent) return false;
  const auto messages = m_index.messages();
  if (direction == Direction::Forward) {
    auto it = std::upper_bound(messages.begin(), messages.end(), cur);
    for (; it != messages.end(); ++it) {
      const std::size_t s = step_at_or_after(*it);
      if (s < m_visible.size() && s > m_step) {
        seek_step(s);
        return true;
      }
    }
    return false;
  }
  auto it = std::lower_bound(messages.begin(), messages.end(), cur);
  while (it != messages.begin()) {
    --it;
    const std::size_t s = step_at_or_after(*it);
    if (s < m_step) {
      seek_step(s);
      return true;
    }
  }
  return false;
}

bool ViewModel::step_phase(Direction direction) {
  const auto current = current_phase();
  if (!current) return false;
  const auto phases = m_index.phases();
  if (direction == Direction::Forward) {
    for (std::size_t p = *current + 1; p < phases.size(); ++p) {
      const std::size_t s = step_at_or_after(phases[p].first);
      if (s < m_visible.size() && s > m_step) {
        seek_step(s);
        return true;
      }
    }
    return false;
  }
  // Back to the start of this phase, or of the previous one when already at the start.
  for (std::size_t p = *current + 1; p-- > 0;) {
    const std::size_t s = step_at_or_after(phases[p].first);
    if (s < m_step) {
      seek_step(s);
      return true;
    }
  }
  return false;
}

void ViewModel::execute(Command command) {
  switch (command) {
    case Command::PlayPause:
      set_playing(!playing());
      break;
    case Command::StepForward:
      step_forward();
      break;
    case Command::StepBack:
      step_back();
      break;
    case Command::LayerForward:
      step_layer(Direction::Forward);
      break;
    case Command::LayerBack:
      step_layer(Direction::Backward);
      break;
    case Command::MessageNext:
      step_message(Direction::Forward);
      break;
    case Command::MessagePrev:
      step_message(Direction::Backward);
      break;
    case Command::PhaseNext:
      step_phase(Direction::Forward);
      break;
    case Command::PhasePrev:
      step_phase(Direction::Backward);
      break;
    case Command::Home:
      home();
      break;
    case Command::End:
      end();
      break;
    case Command::Count:
      break;
  }
}

void ViewModel::set_filter(const Filter& filter) {
  if (filter == m_filter) return;
  const EventId cur = current_event();
  m_filter = filter;
  rebuild_visible();
  if (m_visible.empty()) {
    m_step = 0;
    moved();
    return;
  }
  const auto it = std::upper_bound(m_visible.begin(), m_visible.end(), cur);
  m_step = it == m_visible.begin() ? 0 : static_cast<std::size_t>(it - m_visible.begin() - 1);
  moved();
  m_playback.settle();
}

EventId ViewModel::selected_event() const {
  return m_selected_event != kNoEvent ? m_selected_event : current_event();
}

void ViewModel::set_playing(bool playing) {
  if (playing && !m_visible.empty() && m_step + 1 >= m_visible.size()) home();
  m_playback.set_playing(playing && m_visible.size() > 1);
}

void ViewModel::tick(double seconds) {
  double left = m_playback.advance(seconds);
  for (int i = 0; i < kWalkMax && m_playback.playing() && m_playback.progress() >= 1.0; ++i) {
    if (m_step + 1 >= m_visible.size()) {
      m_playback.set_playing(false);
      break;
    }
    ++m_step;
    moved();
    left = m_playback.advance(left);
    if (left <= 0) break;
  }
}

std::optional<std::size_t> ViewModel::current_phase() const {
  const EventId e = current_event();
  if (e == kNoEvent) return std::nullopt;
  return m_index.phase_of(e);
}

EventId ViewModel::current_message() const {
  const EventId e = current_event();
  if (e == kNoEvent) return kNoEvent;
  const auto messages = m_index.messages();
  const auto it = std::upper_bound(messages.begin(), messages.end(), e);
  return it == messages.begin() ? kNoEvent : *(it - 1);
}

}  // namespace mailscope::gui
