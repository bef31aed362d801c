#pragma once
// DnsCache: what a recursive resolver remembers, for as long as the data's TTL allows, in
// virtual time (RFC 1035 §7.4, RFC 2181 §5.4.1, RFC 2308). It holds
//
//   - positive RRsets (all records of one name and type), marked with how far they can be
//     trusted: NS records and glue learnt from a referral only steer the resolver to the next
//     servers; records from an authoritative answer may also be given to clients;
//   - negative answers: NXDOMAIN for a name (whatever the type) and NODATA for a name and type,
//     each with the zone's SOA record, kept for the SOA's negative TTL.
//
// A lookup returns the records with the TTL that is left, so a client sees it count down.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "core/time.h"
#include "wire/dns_record.h"

namespace mailscope::services {

enum class CacheTrust {
  Referral,  // NS records and glue from a referral (RFC 2181 §5.4.1: lowest rank we keep)
  Answer,    // the answer section of an authoritative (or forwarded) response
};

enum class CacheResult { Miss, Positive, Cname, NxDomain, NoData };

struct CacheAnswer {
  CacheResult result = CacheResult::Miss;
  // Positive: the RRset; Cname: the one CNAME record; NxDomain/NoData: the SOA (may be empty
  // when the negative answer came without one). TTLs are what is left, in seconds.
  std::vector<wire::DnsRecord> records;
  std::uint32_t ttl_left = 0;  // seconds
};

struct DnsCacheLimits {
  std::size_t entries_max = 10'000;         // RRsets and negative answers together
  std::uint32_t ttl_max = 86'400;           // seconds; longer TTLs are shortened to this
  std::uint32_t negative_ttl_max = 10'800;  // seconds; RFC 2308 §5 suggests at most 3 hours
};

class DnsCache {
 public:
  explicit DnsCache(DnsCacheLimits limits = {}) : m_limits(limits) {}

  // Stores an RRset: every record must have the same owner and type. The RRset lives for its
  // smallest TTL (RFC 2181 §5.2); a TTL of 0 (or one of 2^31 seconds or more, RFC 2181 §8) is
  // not stored. Data of lower trust never replaces live data of higher trust.
  void store(const std::vector<wire::DnsRecord>& rrset, CacheTrust trust, TimeNs now);
  // Stores a negative answer; `soa` (may be null) gives its TTL: min(SOA TTL, SOA MINIMUM).
  // A negative answer without an SOA is not stored (RFC 2308 §5).
  void store_nxdomain(const wire::DnsName& name, const wire::DnsRecord* soa, TimeNs now);
  void store_nodata(const wire::DnsName& name, wire::DnsType type, const wire::DnsRecord* soa,
                    TimeNs now);

  // What a client may be told about (name, type): a positive RRset of Answer trust, a CNAME at
  // the name (for any other type), NXDOMAIN or NODATA, or a miss.
  CacheAnswer lookup(const wire::DnsName& name, wire::DnsType type, TimeNs now) const;
  // A live RRset of at least `trust` (records with their remaining TTL), for the resolver's own
  // use: NS sets of zones and addresses of name servers.
  std::optional<std::vector<wire::DnsRecord>> rrset(const wire::DnsName& name, wire::DnsType type,
                                                    TimeNs now,
                                                    CacheTrust trust = CacheTrust::Referral) const;

  std::size_t size() const { return m_entries.size(); }
  void clear() { m_entries.clear(); }
  // Drops entries whose TTL has run out.
  void purge_expired(TimeNs now);

 private:
  enum class Kind { Rrset, NxDomain, NoData };
  struct Entry {
    Kind kind = Kind::Rrset;
    CacheTrust trust = CacheTrust::Answer;
    std::vector<wire::DnsRecord> records;  // the RRset, or the SOA of a negative answer
    TimeNs expires = 0;                    // the entry is live while now < expires
  };
  // NXDOMAIN is stored under type 0, which no record has: it covers every type of the name.
  using Key = std::pair<wire::DnsName, std::uint16_t>;
  static constexpr std::uint16_t kAnyTypeKey = 0;

  void put(Key key, Entry entry, TimeNs now);
  const Entry* live(const Key& key, TimeNs now) const;
  std::uint32_t clamp_ttl(std::uint32_t ttl, std::uint32_t max) const;
  static std::vector<wire::DnsRecord> with_ttl_left(const Entry& entry, TimeNs now);

  DnsCacheLimits m_limits;
  std::map<Key, Entry> m_entries;  // size() <= entries_max
};

// Seconds left until `expires`, rounded down.
std::uint32_t seconds_left(TimeNs expires, TimeNs now);

}  // namespace mailscope::services
