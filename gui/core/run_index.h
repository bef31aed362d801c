#pragma once
// RunIndex: everything the views need that the trace does not store directly, computed once
// when a run is loaded: each event's children (the reverse of parent links), its protocol, the
// list of application messages, the phases, and which link each frame crossed.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/trace.h"
#include "gui/core/filter.h"
#include "gui/core/phases.h"
#include "gui/core/topology.h"

namespace mailscope::gui {

// One PDU's trip: the event that created it (an application message, a TCP segment, a ping, an
// ARP frame) and every event that carried those same bytes — down the sender's stack, across
// each link, through switches and routers and up the receiver's stack — in trace order.
struct Journey {
  EventId origin = kNoEvent;
  std::vector<EventId> events;
  NodeId sender = kNoNode;
  // The node that took the PDU highest up its stack (the addressee); kNoNode if it never arrived.
  NodeId destination = kNoNode;
  bool contains(EventId id) const;
};

// True when `event` is the same PDU as `parent`, one step further on: encapsulation on the
// sending node, a wire crossing, decapsulation or forwarding on a receiving node, or a drop.
// False when `event` is a new PDU the parent caused (a reply, an ACK, an ICMP error, ARP).
bool continues_parent(const TraceEvent& event, const TraceEvent& parent);

class RunIndex {
 public:
  RunIndex(const Trace& trace, const TopologySnapshot& topology);

  std::span<const EventId> children(EventId id) const;
  Protocol protocol(EventId id) const { return m_protocol[id]; }
  // Application requests and responses, in trace order.
  std::span<const EventId> messages() const { return m_messages; }
  std::span<const Phase> phases() const { return m_phases; }
  // Index of the phase containing event `id`; nullopt for an empty trace.
  std::optional<std::size_t> phase_of(EventId id) const;
  // For an L1 send: the event that ended its crossing on the other side (L1 receive or drop).
  EventId crossing_end(EventId l1_send) const;
  // For an L1 send or receive: the topology link it crossed.
  std::optional<std::size_t> link_of(EventId id) const;
  // The journey that event `id` is part of.
  Journey journey(EventId id) const;

  const Trace& trace() const { return m_trace; }
  const TopologySnapshot& topology() const { return m_topology; }

 private:
  Protocol classify(EventId id) const;

  const Trace& m_trace;
  const TopologySnapshot& m_topology;
  // Invariant: children of e are m_children[m_child_begin[e] .. m_child_begin[e + 1]), ascending.
  std::vector<std::uint32_t> m_child_begin;
  std::vector<EventId> m_children;
  std::vector<Protocol> m_protocol;  // one per event
  std::vector<EventId> m_messages;
  std::vector<Phase> m_phases;
};

}  // namespace mailscope::gui
