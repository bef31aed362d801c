#pragma once
// ViewModel: the one object every panel reads. It holds a cursor into the run's events (the
// current step), the selection, the filters and the playback clock. Moving backwards is moving
// the cursor: nothing is ever undone or re-simulated.
//
// Sections: steps and seeking · jumps (layer, message, phase) · filters · selection · playback ·
// what the current step is about.
//
// A step is an index into the visible events: those the filter lets through, in trace order.
// Invariant: when there is at least one visible event, 0 <= step() < step_count(); the list is
// rebuilt only when the filter changes.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/time.h"
#include "core/trace.h"
#include "gui/core/filter.h"
#include "gui/core/playback.h"
#include "gui/core/run_index.h"
#include "gui/core/run_source.h"

namespace mailscope::gui {

enum class Direction : std::uint8_t { Forward, Backward };

// What a key or a button asks for; the GUI maps keys to these, tests call execute() directly.
enum class Command : std::uint8_t {
  PlayPause,
  StepForward,
  StepBack,
  LayerForward,  // follow the current PDU one event further (down the stack, across the wire)
  LayerBack,     // back to the event that carried it one layer up / one hop earlier
  MessageNext,   // next application request or response
  MessagePrev,
  PhaseNext,
  PhasePrev,
  Home,
  End,
  Count
};
std::string_view to_string(Command command);

class ViewModel {
 public:
  // `run` must outlive the view-model and must have passed validate_run().
  explicit ViewModel(const LoadedRun& run);

  const LoadedRun& run() const { return m_run; }
  const Trace& trace() const { return *m_run.trace; }
  const TopologySnapshot& topology() const { return m_run.topology; }
  const RunIndex& index() const { return m_index; }

  // ---- Steps and seeking
  std::size_t step_count() const { return m_visible.size(); }
  std::size_t step() const { return m_step; }
  std::span<const EventId> visible_events() const { return m_visible; }
  // The event of the current step, or kNoEvent when nothing is visible.
  EventId current_event() const;
  void seek_step(std::size_t step);
  // The last visible event at or before `id` (the first visible one if none is before).
  void seek_event(EventId id);
  // The last visible event at or before time `t`.
  void seek_time(TimeNs t);
  void step_forward();
  void step_back();
  void home();
  void end();
  // The first visible step whose event is at or after `id` (step_count() when none).
  std::size_t step_at_or_after(EventId id) const;

  // ---- Jumps; each returns false and leaves the cursor when there is nowhere to go.
  bool step_layer(Direction direction);
  bool step_message(Direction direction);
  bool step_phase(Direction direction);
  void execute(Command command);

  // ---- Filters
  const Filter& filter() const { return m_filter; }
  // Keeps the current event if it stays visible, else moves to the nearest earlier one.
  void set_filter(const Filter& filter);

  // ---- Selection
  NodeId selected_node() const { return m_selected_node; }
  void select_node(NodeId node) { m_selected_node = node; }
  // The event the inspector shows: one picked in a panel, or else the current step's.
  EventId selected_event() const;
  // Picks an event without moving the cursor; cleared by the next cursor move.
  void select_event(EventId id) { m_selected_event = id; }

  // ---- Playback
  bool playing() const { return m_playback.playing(); }
  void set_playing(bool playing);
  double speed() const { return m_playback.speed(); }
  void set_speed(double speed) { m_playback.set_speed(speed); }
  // Advances the animation and, while playing, the cursor; `seconds` is wall time since the
  // last frame. Playback stops at the last step.
  void tick(double seconds);
  // 0..1: how far the current step's animation has got.
  double step_progress() const { return m_playback.progress(); }
  void settle() { m_playback.settle(); }
  // How long a step's animation lasts at 1x: a frame crossing a wire and an application message
  // are given time to be watched; the stack steps between them are quick.
  static double step_duration_s(const TraceEvent& event);

  // ---- What the current step is about
  // The phase containing the current event (nullopt when nothing is visible).
  std::optional<std::size_t> current_phase() const;
  // The journey of the current event, cached until the cursor moves.
  const Journey& current_journey() const { return m_journey; }
  // The last application message at or before the current event (kNoEvent before the first).
  EventId current_message() const;
  // Bumped whenever the cursor or selection moves, so panels can cache per step.
  std::uint64_t revision() const { return m_revision; }

 private:
  void rebuild_visible();
  void moved();  // after any cursor change: reset selection, restart the animation, journey

  const LoadedRun& m_run;
  RunIndex m_index;
  Filter m_filter;
  std::vector<EventId> m_visible;  // ascending event ids the filter lets through
  std::size_t m_step = 0;
  NodeId m_selected_node = kNoNode;
  EventId m_selected_event = kNoEvent;
  Playback m_playback;
  Journey m_journey;
  std::uint64_t m_revision = 0;
};

}  // namespace mailscope::gui
