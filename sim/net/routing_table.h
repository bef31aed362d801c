#pragma once
// A static IPv4 routing table with longest-prefix match, as `ip route` shows it.

#include <cstdint>
#include <optional>
#include <vector>

#include "wire/address.h"

namespace mailscope::net {

struct Route {
  wire::Ipv4Cidr destination;  // network part only matters; 0.0.0.0/0 is the default route
  wire::Ipv4Addr gateway;      // 0.0.0.0 for a directly connected network
  std::uint32_t interface = 0;
};

class RoutingTable {
 public:
  void add(Route route);
  // The most specific route covering dst; among equal prefixes, the one added first.
  std::optional<Route> lookup(wire::Ipv4Addr dst) const;
  const std::vector<Route>& routes() const { return m_routes; }

 private:
  std::vector<Route> m_routes;  // kept sorted by prefix length, longest first
};

}  // namespace mailscope::net
