#include "services/dns_authority.h"

#include <algorithm>

namespace mailscope::services {

using wire::DnsMessage;
using wire::DnsName;
using wire::DnsRecord;
using wire::DnsType;

std::optional<Error> DnsAuthority::add_zone(DnsZone zone) {
  if (auto error = zone.validate()) return error;
  if (m_zones.size() >= kZonesMax) {
    return make_error("a server holds at most " + std::to_string(kZonesMax) + " zones");
  }
  for (const DnsZone& existing : m_zones) {
    if (existing.origin() == zone.origin()) {
      return make_error("the zone " + zone.origin().to_string() + " is already served");
    }
  }
  m_zones.push_back(std::move(zone));
  return std::nullopt;
}

const DnsZone* DnsAuthority::zone_for(const DnsName& name) const {
  const DnsZone* best = nullptr;
  for (const DnsZone& zone : m_zones) {
    if (!name.is_subdomain_of(zone.origin())) continue;
    if (best == nullptr || zone.origin().label_count() > best->origin().label_count()) best = &zone;
  }
  return best;
}

void DnsAuthority::add_additional(const DnsName& host, DnsMessage& response) const {
  const DnsZone* zone = zone_for(host);
  if (zone == nullptr) return;
  for (DnsRecord& record : zone->addresses(host)) {
    if (std::ranges::find(response.additional, record) == response.additional.end()) {
      response.additional.push_back(std::move(record));
    }
  }
}

std::optional<DnsMessage> DnsAuthority::answer(const DnsMessage& query) const {
  const wire::DnsQuestion& question = query.questions.front();
  const DnsZone* zone = zone_for(question.name);
  if (zone == nullptr) return std::nullopt;

  DnsMessage response = DnsMessage::make_response(query);
  DnsName name = question.name;
  // Each step either ends the answer or moves `name` along a CNAME into another served zone.
  for (std::size_t step = 0; step <= kCnameChainMax; ++step) {
    const ZoneLookup found = zone->find(name, question.type);
    switch (found.match) {
      case ZoneMatch::Answer:
        response.flags.aa = true;
        for (const DnsRecord& record : found.records) {
          response.answers.push_back(record);
          if (const auto* mx = std::get_if<wire::DnsMx>(&record.rdata)) {
            add_additional(mx->exchange, response);
          } else if (const auto* ns = std::get_if<wire::DnsNs>(&record.rdata)) {
            add_additional(ns->host, response);
          }
        }
        return response;
      case ZoneMatch::Cname: {
        response.flags.aa = true;
        response.answers.push_back(found.records.front());
        name = std::get<wire::DnsCname>(found.records.front().rdata).target;
        const DnsZone* next = zone_for(name);
        // A target we do not serve is for the resolver to chase (RFC 1034 §4.3.2 step 3a).
        if (next == nullptr) return response;
        zone = next;
        break;
      }
      case ZoneMatch::Delegation:
        // AA describes the first answer record: keep it if a CNAME of ours came before.
        response.authority = found.records;
        for (const DnsRecord& record : found.records) {
          const DnsName& host = std::get<wire::DnsNs>(record.rdata).host;
          // Glue is only needed (and only trusted) for servers named inside the child zone,
          // but a server of ours may hold addresses for others too; give what we hold.
          if (host.is_subdomain_of(zone->origin())) {
            for (DnsRecord& glue : zone->addresses(host))
              response.additional.push_back(glue);
          }
        }
        return response;
      case ZoneMatch::NoData:
        response.flags.aa = true;
        response.authority.push_back(zone->negative_soa());
        return response;
      case ZoneMatch::NxDomain:
        // After a CNAME the rcode describes the last name of the chain (RFC 6604).
        response.flags.aa = true;
        response.flags.rcode = wire::DnsRcode::NXDOMAIN;
        response.authority.push_back(zone->negative_soa());
        return response;
      case ZoneMatch::NotInZone:
        return response;
    }
  }
  // The chain is longer than we follow: give what we have, the resolver decides.
  return response;
}

}  // namespace mailscope::services
