#pragma once
// DnsAuthority: the answering logic of an authoritative name server (RFC 1034 §4.3.2, RFC 2308),
// sans-I/O: a query in, a response out. It holds the zones the server serves, picks the zone
// closest to the question, and builds one of:
//
//   answer     AA set, the RRset in the answer section (CNAMEs chased through the served zones),
//              addresses of MX exchanges and NS hosts in the additional section;
//   referral   AA clear, the child zone's NS RRset in authority, glue addresses in additional;
//   NODATA     AA set, NOERROR, empty answer, the zone's SOA in authority;
//   NXDOMAIN   AA set, the zone's SOA in authority (its TTL is the negative TTL).
//
// Names outside every served zone get no answer here (nullopt): the server refuses them, or a
// resolver that also serves zones resolves them.

#include <cstddef>
#include <optional>
#include <vector>

#include "services/dns_zone.h"
#include "wire/dns_message.h"

namespace mailscope::services {

class DnsAuthority {
 public:
  // How many CNAMEs one answer follows before it stops (a loop ends here too).
  static constexpr std::size_t kCnameChainMax = 8;
  static constexpr std::size_t kZonesMax = 256;

  // Adds a zone; refused when it does not validate, when a zone with the same origin is already
  // served, or beyond kZonesMax zones.
  std::optional<Error> add_zone(DnsZone zone);
  const std::vector<DnsZone>& zones() const { return m_zones; }

  // The served zone with the longest origin containing `name`, or null.
  const DnsZone* zone_for(const wire::DnsName& name) const;

  // The response to a validated standard query (one question, class IN; see check_query in
  // dns_server_rules.h), or nullopt when no served zone contains the question's name.
  std::optional<wire::DnsMessage> answer(const wire::DnsMessage& query) const;

 private:
  // Adds addresses we hold for `host` to the additional section, once each.
  void add_additional(const wire::DnsName& host, wire::DnsMessage& response) const;

  std::vector<DnsZone> m_zones;
};

}  // namespace mailscope::services
