#include "gui/core/topology.h"

#include <algorithm>
#include <array>
#include <set>

#include "net/host.h"
#include "net/network.h"
#include "net/switch.h"

namespace mailscope::gui {

NodeIcon icon_for_kind(std::string_view kind) {
  if (kind == "router" || kind.ends_with("-router") || kind == "gateway") return NodeIcon::Router;
  if (kind == "switch" || kind.ends_with("-switch") || kind == "hub") return NodeIcon::Switch;
  if (kind.ends_with("server") || kind == "mta" || kind == "resolver") return NodeIcon::Server;
  if (kind == "host" || kind == "pc" || kind == "laptop" || kind == "client" ||
      kind == "workstation" || kind.ends_with("-pc"))
    return NodeIcon::Host;
  return NodeIcon::Other;
}

std::string_view to_string(NodeIcon icon) {
  static constexpr std::array<std::string_view, static_cast<std::size_t>(NodeIcon::Count)> kNames{
      "host", "server", "router", "switch", "other"};
  static_assert(kNames.size() == static_cast<std::size_t>(NodeIcon::Count));
  const auto i = static_cast<std::size_t>(icon);
  return i < kNames.size() ? kNames[i] : "other";
}

std::optional<std::size_t> TopologySnapshot::index_of(NodeId id) const {
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].id == id) return i;
  }
  return std::nullopt;
}

const TopoNode* TopologySnapshot::find(NodeId id) const {
  const auto i = index_of(id);
  return i ? &nodes[*i] : nullptr;
}

std::optional<std::size_t> TopologySnapshot::link_between(NodeId a, NodeId b) const {
  for (std::size_t i = 0; i < links.size(); ++i) {
    const TopoLink& l = links[i];
    if ((l.a == a && l.b == b) || (l.a == b && l.b == a)) return i;
  }
  return std::nullopt;
}

std::optional<std::string> TopologySnapshot::validate() const {
  std::set<NodeId> ids;
  for (const TopoNode& n : nodes) {
    if (n.id == kNoNode) return "node " + n.name + " has no id";
    if (!ids.insert(n.id).second) return "two nodes share id " + std::to_string(n.id);
  }
  for (const TopoLink& l : links) {
    if (!ids.contains(l.a) || !ids.contains(l.b)) return "link " + l.name + " ends at no node";
  }
  for (const TopoDomain& d : domains) {
    for (NodeId id : d.nodes) {
      if (!ids.contains(id)) return "domain " + d.name + " names an unknown node";
    }
  }
  return std::nullopt;
}

TopologySnapshot snapshot_topology(net::Network& network, const Trace& trace) {
  TopologySnapshot out;
  for (const auto& node : network.nodes()) {
    TopoNode n;
    n.id = node->id();
    n.name = node->name();
    n.kind = node->id() < trace.node_count() ? trace.node(node->id()).kind : std::string();
    n.icon = icon_for_kind(n.kind);
    if (auto* host = dynamic_cast<net::Host*>(node.get())) {
      for (std::uint32_t i = 0; i < host->interface_count(); ++i) {
        const net::Interface& iface = host->interface(i);
        InterfaceInfo info;
        info.name = iface.name;
        if (iface.address) info.address = iface.address->to_string();
        info.mac = iface.mac.to_string();
        n.interfaces.push_back(std::move(info));
      }
    } else if (auto* sw = dynamic_cast<net::Switch*>(node.get())) {
      for (std::uint32_t i = 0; i < sw->port_count(); ++i) {
        n.interfaces.push_back(InterfaceInfo{"port" + std::to_string(i + 1), {}, {}});
      }
    }
    out.nodes.push_back(std::move(n));
  }
  for (const auto& link : network.links()) {
    TopoLink l;
    l.name = link->name();
    l.a = link->end(0).node->id();
    l.b = link->end(1).node->id();
    l.latency = link->config().latency;
    l.bandwidth_bps = link->config().bandwidth_bps;
    out.links.push_back(std::move(l));
  }
  return out;
}

}  // namespace mailscope::gui
