#pragma once
// Node: anything with ports that frames arrive on (hosts, routers, switches). It registers itself
// with the trace and records events in its own name.

#include <cstdint>
#include <string>
#include <vector>

#include "core/simulator.h"
#include "core/trace.h"

namespace mailscope::net {

class Link;
class Node;

// One end of a link: a host interface or a switch port.
struct Port {
  Node* node = nullptr;
  std::uint32_t index = 0;  // interface or port number on the node
  Link* link = nullptr;     // null while unplugged
  int side = 0;             // which end of the link this port is
};

class Node {
 public:
  Node(Simulator& sim, std::string name, std::string kind);
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  const std::string& name() const { return m_name; }
  NodeId id() const { return m_id; }
  Simulator& sim() { return m_sim; }

  // A frame finished arriving on one of our ports; `l1_event` is its L1 receive event.
  virtual void on_frame(std::uint32_t port, BlobRef frame, EventId l1_event, FlowId flow) = 0;
  // A node that is down ignores frames; links record the drop.
  bool is_up() const { return m_up; }

  // Records an event at the current time in this node's name.
  EventId record(Layer layer, EventKind kind, BlobRef data, EventId parent, FlowId flow,
                 std::uint16_t detail = 0, BlobRef text = {});
  EventId record_drop(Layer layer, DropReason reason, BlobRef data, EventId parent, FlowId flow);
  EventId note(Layer layer, std::string_view text, EventId parent = kNoEvent,
               FlowId flow = kNoFlow);

 protected:
  void set_up(bool up) { m_up = up; }

 private:
  Simulator& m_sim;
  std::string m_name;
  NodeId m_id;
  bool m_up = true;
};

}  // namespace mailscope::net
