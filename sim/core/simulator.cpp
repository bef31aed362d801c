#include "core/simulator.h"

#include <algorithm>

namespace mailscope {

Simulator::Simulator(std::uint64_t seed) : m_seed(seed), m_root_rng(seed) {}

TimerId Simulator::schedule_at(TimeNs when, Callback fn) {
  if (when < m_now) when = m_now;
  std::uint32_t slot;
  if (!m_free_slots.empty()) {
    slot = m_free_slots.back();
    m_free_slots.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(m_slots.size());
    m_slots.emplace_back();
  }
  Slot& s = m_slots[slot];
  s.fn = std::move(fn);
  m_queue.push_back(QueueEntry{when, m_next_sequence++, slot, s.generation});
  std::push_heap(m_queue.begin(), m_queue.end(), later);
  ++m_live;
  return TimerId{(static_cast<std::uint64_t>(s.generation) << 32) | slot};
}

bool Simulator::cancel(TimerId id) {
  if (!id) return false;
  const auto slot = static_cast<std::uint32_t>(id.value & 0xffffffffu);
  const auto generation = static_cast<std::uint32_t>(id.value >> 32);
  if (slot >= m_slots.size() || m_slots[slot].generation != generation) return false;
  Slot& s = m_slots[slot];
  s.fn = nullptr;
  ++s.generation;
  m_free_slots.push_back(slot);
  --m_live;
  return true;
}

void Simulator::drop_stale_head() {
  while (!m_queue.empty()) {
    const QueueEntry& head = m_queue.front();
    if (m_slots[head.slot].generation == head.generation) return;
    std::pop_heap(m_queue.begin(), m_queue.end(), later);
    m_queue.pop_back();
  }
}

TimeNs Simulator::next_event_time() {
  drop_stale_head();
  return m_queue.empty() ? kTimeNever : m_queue.front().time;
}

bool Simulator::step() {
  drop_stale_head();
  if (m_queue.empty()) return false;
  std::pop_heap(m_queue.begin(), m_queue.end(), later);
  const QueueEntry entry = m_queue.back();
  m_queue.pop_back();
  Slot& s = m_slots[entry.slot];
  Callback fn = std::move(s.fn);
  s.fn = nullptr;
  ++s.generation;
  m_free_slots.push_back(entry.slot);
  --m_live;
  m_now = entry.time;
  ++m_events_run;
  fn();
  return true;
}

std::uint64_t Simulator::run(std::uint64_t max_events) {
  std::uint64_t ran = 0;
  while (ran < max_events && step())
    ++ran;
  return ran;
}

std::uint64_t Simulator::run_until(TimeNs until) {
  std::uint64_t ran = 0;
  while (next_event_time() <= until && step())
    ++ran;
  if (m_now < until) m_now = until;
  return ran;
}

}  // namespace mailscope
