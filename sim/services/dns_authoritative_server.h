#pragma once
// AuthoritativeServer: a name server bound to a Host's UDP and TCP port 53 that answers from
// the zones it holds (DnsAuthority) and refuses everything else (REFUSED), as an authoritative-
// only server should: it never recurses. One server may hold the root zone, a TLD and a
// domain's zone, or all of them at once for simpler lessons.
//
//   AuthoritativeServer root(root_host);
//   root.add_zone(*DnsZone::from_lines(DnsName::root(), root_lines));

#include <optional>

#include "net/host.h"
#include "services/dns_authority.h"
#include "services/dns_listener.h"

namespace mailscope::services {

class AuthoritativeServer {
 public:
  explicit AuthoritativeServer(net::Host& host);

  // See DnsAuthority::add_zone.
  std::optional<Error> add_zone(DnsZone zone) { return m_authority.add_zone(std::move(zone)); }
  const DnsAuthority& authority() const { return m_authority; }
  // False when port 53 was already taken on the host.
  bool listening() const { return m_listener.listening(); }
  void set_fault(DnsServerFault fault) { m_listener.set_fault(fault); }
  std::uint64_t queries_answered() const { return m_queries_answered; }

 private:
  void on_query(const DnsServerQuery& query, const DnsListener::Respond& respond);

  net::Host& m_host;
  DnsAuthority m_authority;
  std::uint64_t m_queries_answered = 0;
  DnsListener m_listener;  // last: it calls on_query, which uses the members above
};

}  // namespace mailscope::services
