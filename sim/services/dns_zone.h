#pragma once
// DnsZone: the records one authoritative server holds for one zone (RFC 1034 §4.2): the zone's
// origin ("gmail.com."), its SOA and NS records at the apex, the data below it, and the
// delegations (NS records at a child name, plus glue addresses) that hand parts of the name
// space to other servers. Built from data: a scenario gives zone lines in master-file syntax
// ("gmail.com. 3600 IN MX 10 gmail-smtp-in.l.google.com.", see wire/dns_text.h).
//
// A zone answers one question: what does it know about (name, type)? find() says whether the
// name has the data, is an alias, lies below a zone cut, exists without that type, or does not
// exist at all. Turning that into a DNS response is DnsAuthority's job.

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "wire/dns_record.h"

namespace mailscope::services {

// What a zone knows about one (name, type).
enum class ZoneMatch {
  NotInZone,   // the name is not at or below the origin
  Answer,      // records of the type (the whole RRset) exist at the name
  Cname,       // the name is an alias: `records` holds its CNAME record
  Delegation,  // the name is at or below a zone cut: `records` holds the cut's NS RRset
  NoData,      // the name exists but has no record of the type (RFC 2308 "NODATA")
  NxDomain,    // the name does not exist (RFC 2308 "NXDOMAIN")
};
std::string_view to_string(ZoneMatch match);

struct ZoneLookup {
  ZoneMatch match = ZoneMatch::NotInZone;
  std::vector<wire::DnsRecord> records;
  wire::DnsName cut;  // for Delegation: the owner of the NS RRset (the child zone's origin)
};

class DnsZone {
 public:
  // Bounds what one scenario can put into a server.
  static constexpr std::size_t kRecordsMax = 10'000;

  explicit DnsZone(wire::DnsName origin) : m_origin(std::move(origin)) {}

  // A zone from master-file lines (one record each; blank lines and ';' comments skipped).
  // Checks each record (see add()) and the whole zone (see validate()). The error's `where`
  // names the line: "zone gmail.com. line 3".
  static Result<DnsZone> from_lines(const wire::DnsName& origin, std::span<const std::string> lines,
                                    std::uint32_t default_ttl = 3600);
  // The same, from one text with lines separated by '\n'.
  static Result<DnsZone> from_text(const wire::DnsName& origin, std::string_view text,
                                   std::uint32_t default_ttl = 3600);

  // Adds one record. Refused: a name outside the zone, a class other than IN, OPT records, a
  // second SOA, an SOA away from the apex, a CNAME next to other data at the same name or a
  // second CNAME (RFC 1034 §3.6.2), an exact duplicate, more than kRecordsMax records.
  std::optional<Error> add(wire::DnsRecord record);
  // parse_record(line) then add().
  std::optional<Error> add_line(std::string_view line, std::uint32_t default_ttl = 3600);
  // A delegation of `child` to `servers`, with glue addresses for those of them that need it
  // (a server named inside the child zone cannot be found without its address).
  std::optional<Error> add_delegation(const wire::DnsName& child,
                                      const std::vector<wire::DnsName>& servers,
                                      const std::vector<wire::DnsRecord>& glue,
                                      std::uint32_t ttl = 172800);

  // A zone is servable when it has exactly one SOA and at least one NS record at its apex.
  std::optional<Error> validate() const;

  const wire::DnsName& origin() const { return m_origin; }
  // The SOA record at the apex, or null before one was added.
  const wire::DnsRecord* soa() const;
  // The negative-caching TTL of RFC 2308 §3: the smaller of the SOA's TTL and its MINIMUM.
  std::uint32_t negative_ttl() const;
  // The SOA record as it goes into the authority section of a negative answer (its TTL is the
  // negative TTL). Precondition: soa() is not null.
  wire::DnsRecord negative_soa() const;
  // The NS RRset at the apex.
  std::vector<wire::DnsRecord> apex_ns() const;

  // What the zone knows about (name, type). ANY returns every record at the name.
  ZoneLookup find(const wire::DnsName& name, wire::DnsType type) const;
  // Address records (A and AAAA) held for `name`, whether authoritative data or glue; used for
  // the additional section. Empty when the zone holds none.
  std::vector<wire::DnsRecord> addresses(const wire::DnsName& name) const;

  std::size_t record_count() const { return m_record_count; }

 private:
  const std::vector<wire::DnsRecord>* node(const wire::DnsName& name) const;
  // The highest zone cut strictly below the origin at or above `name`, if any.
  std::optional<wire::DnsName> cut_above(const wire::DnsName& name) const;
  // True when some name below `name` holds records (an "empty non-terminal", RFC 8020).
  bool has_descendants(const wire::DnsName& name) const;

  wire::DnsName m_origin;
  // Every record by owner name, in canonical DNS order; each vector holds the records added
  // for that owner in insertion order. Empty vectors are never stored.
  std::map<wire::DnsName, std::vector<wire::DnsRecord>> m_nodes;
  std::size_t m_record_count = 0;  // sum of the vectors' sizes; <= kRecordsMax
};

}  // namespace mailscope::services
