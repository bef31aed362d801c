#pragma once
// TopologySnapshot: what the GUI knows of a network — nodes, their interfaces, links and domains —
// copied out of a net::Network after the run, so that the GUI never holds simulation objects.
// Node ids are the trace's NodeIds, so trace events find their node here.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "core/trace.h"

namespace mailscope::net {
class Network;
}

namespace mailscope::gui {

// Which icon a node gets. Derived from the node's kind string, so scenario kinds such as
// "mail-server" or "dns-server" need no code here.
enum class NodeIcon : std::uint8_t { Host, Server, Router, Switch, Other, Count };
NodeIcon icon_for_kind(std::string_view kind);
std::string_view to_string(NodeIcon icon);

struct InterfaceInfo {
  std::string name;     // "eth0"
  std::string address;  // "10.0.1.10/24", empty when the interface has none (switch ports)
  std::string mac;      // "02:00:00:00:00:01", empty for switch ports
};

struct TopoNode {
  NodeId id = kNoNode;
  std::string name;
  std::string kind;
  NodeIcon icon = NodeIcon::Other;
  std::vector<InterfaceInfo> interfaces;
};

struct TopoLink {
  std::string name;
  NodeId a = kNoNode;
  NodeId b = kNoNode;
  TimeNs latency = 0;
  std::uint64_t bandwidth_bps = 0;  // 0 means infinitely fast
};

// A labelled region drawn behind its members (a mail domain and its LAN, say).
struct TopoDomain {
  std::string name;
  std::vector<NodeId> nodes;
};

class TopologySnapshot {
 public:
  // Invariant: node ids are unique; every link's ends are nodes of this snapshot.
  std::vector<TopoNode> nodes;
  std::vector<TopoLink> links;
  std::vector<TopoDomain> domains;

  // Index into `nodes` of the node with trace id `id`.
  std::optional<std::size_t> index_of(NodeId id) const;
  const TopoNode* find(NodeId id) const;
  // The first link joining a and b (either way round).
  std::optional<std::size_t> link_between(NodeId a, NodeId b) const;
  // Checks the invariant above; the GUI refuses a snapshot that breaks it.
  std::optional<std::string> validate() const;
};

// Copies the nodes, interfaces and links of `network`. Kinds come from the trace's node table.
TopologySnapshot snapshot_topology(net::Network& network, const Trace& trace);

}  // namespace mailscope::gui
