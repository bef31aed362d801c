// World::build_dns: the name servers the scenario planned. In single mode one server holds every
// domain's zone and answers the clients directly; in hierarchy mode root, TLD and domain servers
// hold one zone each and a recursive resolver per LAN walks down from the root.

#include <string>

#include "services/dns_authoritative_server.h"
#include "services/dns_resolver.h"
#include "services/dns_zone.h"
#include "world/world.h"

namespace mailscope::world {

namespace {

Result<services::DnsZone> make_zone(const scenario::ZonePlan& plan) {
  auto origin = wire::DnsName::parse(plan.origin.empty() ? "." : plan.origin + ".");
  if (!origin) return origin.error();
  services::DnsZone zone(*origin);
  for (const wire::DnsRecord& record : plan.records) {
    if (auto error = zone.add(record))
      return Error{error->what, "zone " + origin->to_string() + " on " + plan.server};
  }
  if (auto error = zone.validate())
    return Error{error->what, "zone " + origin->to_string() + " on " + plan.server};
  return zone;
}

}  // namespace

std::optional<Error> World::build_dns() {
  wire::Ipv4Addr root_address;
  for (const scenario::HostPlan& plan : m_scenario.hosts) {
    if (plan.role == scenario::HostRole::DnsRoot) root_address = plan.address;
  }
  for (const scenario::HostPlan& plan : m_scenario.hosts) {
    net::Host& host = *m_hosts.at(plan.name);
    switch (plan.role) {
      case scenario::HostRole::DnsSingle:
      case scenario::HostRole::DnsRoot:
      case scenario::HostRole::DnsTld:
      case scenario::HostRole::DnsDomain: {
        auto server = std::make_unique<services::AuthoritativeServer>(host);
        for (const scenario::ZonePlan& zone_plan : m_scenario.zones) {
          if (zone_plan.server != plan.name) continue;
          auto zone = make_zone(zone_plan);
          if (!zone) return zone.error();
          if (auto error = server->add_zone(std::move(zone).value())) return error;
        }
        m_authoritative_by_host[plan.name] = server.get();
        m_authoritative.push_back(std::move(server));
        break;
      }
      case scenario::HostRole::DnsResolver: {
        services::RecursiveResolverConfig config;
        config.root_hints = {root_address};
        auto resolver = std::make_unique<services::RecursiveResolver>(host, config);
        m_resolver_by_host[plan.name] = resolver.get();
        m_resolvers.push_back(std::move(resolver));
        break;
      }
      case scenario::HostRole::MailServer:
      case scenario::HostRole::Client:
        break;
    }
  }
  return std::nullopt;
}

}  // namespace mailscope::world
