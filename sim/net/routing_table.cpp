#include "net/routing_table.h"

#include <algorithm>

namespace mailscope::net {

void RoutingTable::add(Route route) {
  route.destination.address = route.destination.network();
  // Insert after every route with a longer or equal prefix, so lookup() can stop at the first hit.
  const auto at = std::find_if(m_routes.begin(), m_routes.end(), [&](const Route& r) {
    return r.destination.prefix_len < route.destination.prefix_len;
  });
  m_routes.insert(at, route);
}

std::optional<Route> RoutingTable::lookup(wire::Ipv4Addr dst) const {
  for (const Route& r : m_routes) {
    if (r.destination.contains(dst)) return r;
  }
  return std::nullopt;
}

}  // namespace mailscope::net
