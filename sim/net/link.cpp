#include "net/link.h"

namespace mailscope::net {

Link::Link(Simulator& sim, std::string name, LinkConfig config, Port& a, Port& b)
    : m_sim(sim),
      m_name(std::move(name)),
      m_config(config),
      m_ends{&a, &b},
      m_rng(sim.rng("link/" + m_name)) {
  a.link = this;
  a.side = 0;
  b.link = this;
  b.side = 1;
}

TimeNs Link::serialization_delay(std::uint32_t frame_bytes) const {
  if (m_config.bandwidth_bps == 0) return 0;
  const auto bits = static_cast<unsigned __int128>(frame_bytes + kEthernetWireOverhead) * 8;
  return static_cast<TimeNs>(bits * kSecond / m_config.bandwidth_bps);
}

void Link::transmit(const Port& from, BlobRef frame, EventId parent, FlowId flow) {
  Node& sender = *from.node;
  if (!m_up) {
    sender.record_drop(Layer::Physical, DropReason::LinkDown, frame, parent, flow);
    return;
  }
  Direction& dir = m_directions[from.side];
  if (dir.queue.empty() && dir.busy_until <= m_sim.now()) {
    send_now(from.side, Queued{frame, parent, flow});
    return;
  }
  if (dir.queue.size() >= m_config.queue_frames_max) {
    sender.record_drop(Layer::Link, DropReason::QueueFull, frame, parent, flow);
    return;
  }
  dir.queue.push_back(Queued{frame, parent, flow});
  if (!dir.start_scheduled) {
    dir.start_scheduled = true;
    const int side = from.side;
    m_sim.schedule_at(dir.busy_until, [this, side] { start_next(side); });
  }
}

void Link::start_next(int side) {
  Direction& dir = m_directions[side];
  dir.start_scheduled = false;
  if (dir.queue.empty()) return;
  const Queued next = dir.queue.front();
  dir.queue.pop_front();
  send_now(side, next);
  if (!dir.queue.empty()) {
    dir.start_scheduled = true;
    m_sim.schedule_at(dir.busy_until, [this, side] { start_next(side); });
  }
}

void Link::send_now(int side, const Queued& frame) {
  Direction& dir = m_directions[side];
  Node& sender = *m_ends[side]->node;
  const EventId sent =
      sender.record(Layer::Physical, EventKind::Send, frame.frame, frame.parent, frame.flow);
  ++m_frames_sent;
  dir.busy_until = m_sim.now() + serialization_delay(m_sim.trace().size(frame.frame));
  TimeNs arrival = dir.busy_until + m_config.latency;
  // Keep arrivals in order even if the latency was lowered meanwhile: a cable does not reorder.
  if (!dir.in_flight.empty() && arrival < dir.in_flight.back().arrival)
    arrival = dir.in_flight.back().arrival;
  const bool lost = m_rng.chance(m_config.loss);
  dir.in_flight.push_back(InFlight{frame.frame, sent, frame.flow, arrival, m_generation, lost});
  m_sim.schedule_at(arrival, [this, side] { arrive(side); });
}

void Link::arrive(int side) {
  Direction& dir = m_directions[side];
  const InFlight f = dir.in_flight.front();
  dir.in_flight.pop_front();
  const Port& to = *m_ends[1 - side];
  Node& receiver = *to.node;
  if (f.generation != m_generation) {
    receiver.record_drop(Layer::Physical, DropReason::LinkDown, f.frame, f.sent, f.flow);
  } else if (f.lost) {
    receiver.record_drop(Layer::Physical, DropReason::Loss, f.frame, f.sent, f.flow);
  } else if (!receiver.is_up()) {
    receiver.record_drop(Layer::Physical, DropReason::HostDown, f.frame, f.sent, f.flow);
  } else {
    const EventId received =
        receiver.record(Layer::Physical, EventKind::Receive, f.frame, f.sent, f.flow);
    receiver.on_frame(to.index, f.frame, received, f.flow);
  }
}

void Link::set_up(bool up) {
  if (up == m_up) return;
  m_up = up;
  if (up) return;
  ++m_generation;
  for (int side = 0; side < 2; ++side) {
    Direction& dir = m_directions[side];
    for (const Queued& q : dir.queue) {
      m_ends[side]->node->record_drop(Layer::Physical, DropReason::LinkDown, q.frame, q.parent,
                                      q.flow);
    }
    dir.queue.clear();
  }
}

}  // namespace mailscope::net
