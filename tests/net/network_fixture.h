#pragma once
// Helpers shared by the network tests: a world on the LAN-WAN-LAN topology, and trace queries.

#include <algorithm>
#include <functional>
#include <memory>

#include "core/simulator.h"
#include "net/lan_wan_lan.h"
#include "net/network.h"

namespace mailscope::net::testing {

struct World {
  explicit World(std::uint64_t seed, LanWanLanOptions options = {})
      : sim(seed), network(sim), topology(build_lan_wan_lan(network, options)) {}
  Host& client() { return *topology.clients.at(0); }
  Host& server() { return *topology.servers.at(0); }

  Simulator sim;
  Network network;
  LanWanLan topology;
};

inline std::size_t count_events(const Trace& trace,
                                const std::function<bool(const TraceEvent&)>& match) {
  return static_cast<std::size_t>(
      std::count_if(trace.events().begin(), trace.events().end(), match));
}

inline std::size_t count_drops(const Trace& trace, DropReason reason) {
  return count_events(trace, [&](const TraceEvent& e) {
    return e.kind == EventKind::Drop && e.detail == static_cast<std::uint16_t>(reason);
  });
}

}  // namespace mailscope::net::testing
