#pragma once
// Simulator: the one clock, the one event queue and the root of all randomness.
//
// Events are ordered by (time, sequence number): two events at the same instant run in the order
// they were scheduled, which makes every run with the same seed identical. schedule_*() returns a
// TimerId; cancel() is O(1) and a cancelled event is skipped when it reaches the head of the queue.

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "core/buffer_pool.h"
#include "core/rng.h"
#include "core/time.h"
#include "core/trace.h"

namespace mailscope {

// Identifies a scheduled event; the default value names no event.
struct TimerId {
  std::uint64_t value = 0;
  explicit operator bool() const { return value != 0; }
  bool operator==(const TimerId&) const = default;
};

class Simulator {
 public:
  using Callback = std::function<void()>;

  explicit Simulator(std::uint64_t seed);
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  TimeNs now() const { return m_now; }
  std::uint64_t seed() const { return m_seed; }
  // A random stream for one component, derived from the seed and a stable name.
  Rng rng(std::string_view stream_name) const { return m_root_rng.fork(stream_name); }

  Trace& trace() { return m_trace; }
  const Trace& trace() const { return m_trace; }
  // Memory for buffers that come and go (TCP send buffers), from the trace's block supply.
  // Shared: a connection its application still holds may outlive the simulator.
  const std::shared_ptr<BufferPool>& buffers() { return m_buffers; }

  // Schedules fn at an absolute time; a time in the past runs at now() instead.
  TimerId schedule_at(TimeNs when, Callback fn);
  TimerId schedule_after(TimeNs delay, Callback fn) {
    return schedule_at(m_now + delay, std::move(fn));
  }
  // Returns false when the event already ran, was cancelled, or never existed.
  bool cancel(TimerId id);

  // Runs the next event. Returns false when the queue is empty.
  bool step();
  // Runs events until the queue is empty or max_events have run; returns how many ran.
  std::uint64_t run(std::uint64_t max_events = UINT64_MAX);
  // Runs every event with time <= until, then advances the clock to until.
  std::uint64_t run_until(TimeNs until);

  std::size_t pending() const { return m_live; }
  bool idle() const { return m_live == 0; }
  std::uint64_t events_run() const { return m_events_run; }
  // Time of the earliest pending event, or kTimeNever.
  TimeNs next_event_time();

 private:
  struct QueueEntry {
    TimeNs time;
    std::uint64_t sequence;
    std::uint32_t slot;
    std::uint32_t generation;
  };
  struct Slot {
    Callback fn;
    std::uint32_t generation = 1;  // bumped whenever the slot is freed; stale entries mismatch
  };
  static bool later(const QueueEntry& a, const QueueEntry& b) {
    return a.time != b.time ? a.time > b.time : a.sequence > b.sequence;
  }
  void drop_stale_head();

  TimeNs m_now = 0;
  std::uint64_t m_seed;
  Rng m_root_rng;
  Trace m_trace;
  std::shared_ptr<BufferPool> m_buffers = std::make_shared<BufferPool>(m_trace.block_supply());
  std::vector<QueueEntry> m_queue;  // binary min-heap by (time, sequence)
  std::vector<Slot> m_slots;
  std::vector<std::uint32_t> m_free_slots;
  std::uint64_t m_next_sequence = 0;
  std::uint64_t m_events_run = 0;
  std::size_t m_live = 0;
};

}  // namespace mailscope
