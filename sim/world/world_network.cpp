// World::build_network: switches for LANs, routers, WAN links, hosts and static routes, exactly
// as the scenario planned them.

#include <string>

#include "net/host.h"
#include "net/switch.h"
#include "world/world.h"

namespace mailscope::world {

namespace {

std::string_view node_kind(scenario::HostRole role) {
  switch (role) {
    case scenario::HostRole::MailServer:
      return "mail-server";
    case scenario::HostRole::Client:
      return "host";
    default:
      return "dns-server";
  }
}

}  // namespace

std::optional<Error> World::build_network() {
  std::map<std::string, net::Switch*, std::less<>> switches;
  for (const scenario::Lan& lan : m_scenario.lans)
    switches[lan.name] = &m_network.add_switch(lan.name);

  for (const scenario::Router& router : m_scenario.routers)
    m_hosts[router.name] = &m_network.add_router(router.name);
  for (const scenario::Lan& lan : m_scenario.lans) {
    if (lan.router.empty()) continue;
    net::Host& router = *m_hosts.at(lan.router);
    m_network.attach(router, *switches.at(lan.name),
                     wire::Ipv4Cidr{lan.router_address, lan.subnet.prefix_len}, lan.link);
  }
  // The interface a router reaches each WAN through, for its static routes.
  std::map<std::pair<std::string, std::string>, std::uint32_t> wan_interface;
  for (const scenario::Wan& wan : m_scenario.wans) {
    net::Host& a = *m_hosts.at(wan.router_a);
    net::Host& b = *m_hosts.at(wan.router_b);
    net::Link& link =
        m_network.connect(a, wire::Ipv4Cidr{wan.address_a, wan.subnet.prefix_len}, b,
                          wire::Ipv4Cidr{wan.address_b, wan.subnet.prefix_len}, wan.link);
    m_wans[wan.name] = &link;
    wan_interface[{wan.router_a, wan.name}] = static_cast<std::uint32_t>(a.interface_count() - 1);
    wan_interface[{wan.router_b, wan.name}] = static_cast<std::uint32_t>(b.interface_count() - 1);
  }
  for (const scenario::RoutePlan& route : m_scenario.routes) {
    const auto it = wan_interface.find({route.router, route.via_wan});
    if (it == wan_interface.end())
      return Error{
          "route on " + route.router + " names WAN " + route.via_wan + ", which does not reach it",
          ""};
    m_hosts.at(route.router)
        ->routes()
        .add(net::Route{route.destination, route.gateway, it->second});
  }

  for (const scenario::HostPlan& plan : m_scenario.hosts) {
    const scenario::Lan* lan = m_scenario.find_lan(plan.lan);
    if (lan == nullptr) return Error{"host " + plan.name + " is on unknown LAN " + plan.lan, ""};
    net::Host& host = m_network.add_host(plan.name, std::string(node_kind(plan.role)));
    m_network.attach(host, *switches.at(plan.lan),
                     wire::Ipv4Cidr{plan.address, lan->subnet.prefix_len}, lan->link);
    if (plan.gateway != wire::Ipv4Addr{}) host.set_default_gateway(plan.gateway);
    m_hosts[plan.name] = &host;
  }
  return std::nullopt;
}

}  // namespace mailscope::world
