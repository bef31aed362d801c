#include "services/dns_cache.h"

#include <algorithm>

namespace mailscope::services {

using wire::DnsName;
using wire::DnsRecord;
using wire::DnsType;

std::uint32_t seconds_left(TimeNs expires, TimeNs now) {
  if (expires <= now) return 0;
  return static_cast<std::uint32_t>((expires - now) / kSecond);
}

std::uint32_t DnsCache::clamp_ttl(std::uint32_t ttl, std::uint32_t max) const {
  // RFC 2181 §8: a TTL with the top bit set is treated as zero.
  if (ttl >= 0x8000'0000u) return 0;
  return std::min(ttl, max);
}

void DnsCache::put(Key key, Entry entry, TimeNs now) {
  const auto existing = m_entries.find(key);
  if (existing != m_entries.end()) {
    const bool keep_existing =
        existing->second.expires > now && existing->second.trust > entry.trust;
    if (keep_existing) return;
    existing->second = std::move(entry);
    return;
  }
  if (m_entries.size() >= m_limits.entries_max) purge_expired(now);
  if (m_entries.size() >= m_limits.entries_max) {
    // Full of live data: forget what would expire first.
    const auto victim = std::ranges::min_element(m_entries, [](const auto& a, const auto& b) {
      return a.second.expires < b.second.expires;
    });
    m_entries.erase(victim);
  }
  m_entries.emplace(std::move(key), std::move(entry));
}

void DnsCache::store(const std::vector<DnsRecord>& rrset, CacheTrust trust, TimeNs now) {
  if (rrset.empty() || m_limits.entries_max == 0) return;
  std::uint32_t ttl = UINT32_MAX;
  for (const DnsRecord& r : rrset)
    ttl = std::min(ttl, r.ttl);
  ttl = clamp_ttl(ttl, m_limits.ttl_max);
  if (ttl == 0) return;
  Entry entry{Kind::Rrset, trust, rrset, now + ttl * kSecond};
  put(Key{rrset.front().name, static_cast<std::uint16_t>(rrset.front().type())}, std::move(entry),
      now);
}

namespace {

std::uint32_t negative_ttl_of(const DnsRecord& soa) {
  const auto* data = std::get_if<wire::DnsSoa>(&soa.rdata);
  return data == nullptr ? 0 : std::min(soa.ttl, data->minimum);
}

}  // namespace

void DnsCache::store_nxdomain(const DnsName& name, const DnsRecord* soa, TimeNs now) {
  if (soa == nullptr || m_limits.entries_max == 0) return;
  const std::uint32_t ttl = clamp_ttl(negative_ttl_of(*soa), m_limits.negative_ttl_max);
  if (ttl == 0) return;
  put(Key{name, kAnyTypeKey},
      Entry{Kind::NxDomain, CacheTrust::Answer, {*soa}, now + ttl * kSecond}, now);
}

void DnsCache::store_nodata(const DnsName& name, DnsType type, const DnsRecord* soa, TimeNs now) {
  if (soa == nullptr || m_limits.entries_max == 0) return;
  const std::uint32_t ttl = clamp_ttl(negative_ttl_of(*soa), m_limits.negative_ttl_max);
  if (ttl == 0) return;
  put(Key{name, static_cast<std::uint16_t>(type)},
      Entry{Kind::NoData, CacheTrust::Answer, {*soa}, now + ttl * kSecond}, now);
}

const DnsCache::Entry* DnsCache::live(const Key& key, TimeNs now) const {
  const auto it = m_entries.find(key);
  if (it == m_entries.end() || it->second.expires <= now) return nullptr;
  return &it->second;
}

std::vector<DnsRecord> DnsCache::with_ttl_left(const Entry& entry, TimeNs now) {
  std::vector<DnsRecord> out = entry.records;
  const std::uint32_t left = seconds_left(entry.expires, now);
  for (DnsRecord& r : out)
    r.ttl = left;
  return out;
}

CacheAnswer DnsCache::lookup(const DnsName& name, DnsType type, TimeNs now) const {
  if (const Entry* nx = live(Key{name, kAnyTypeKey}, now)) {
    return CacheAnswer{CacheResult::NxDomain, with_ttl_left(*nx, now),
                       seconds_left(nx->expires, now)};
  }
  if (const Entry* e = live(Key{name, static_cast<std::uint16_t>(type)}, now)) {
    if (e->kind == Kind::NoData) {
      return CacheAnswer{CacheResult::NoData, with_ttl_left(*e, now),
                         seconds_left(e->expires, now)};
    }
    if (e->trust == CacheTrust::Answer) {
      return CacheAnswer{CacheResult::Positive, with_ttl_left(*e, now),
                         seconds_left(e->expires, now)};
    }
  }
  if (type != DnsType::CNAME) {
    const Entry* c = live(Key{name, static_cast<std::uint16_t>(DnsType::CNAME)}, now);
    if (c != nullptr && c->kind == Kind::Rrset && c->trust == CacheTrust::Answer) {
      return CacheAnswer{CacheResult::Cname, with_ttl_left(*c, now), seconds_left(c->expires, now)};
    }
  }
  return {};
}

std::optional<std::vector<DnsRecord>> DnsCache::rrset(const DnsName& name, DnsType type, TimeNs now,
                                                      CacheTrust trust) const {
  const Entry* e = live(Key{name, static_cast<std::uint16_t>(type)}, now);
  if (e == nullptr || e->kind != Kind::Rrset || e->trust < trust) return std::nullopt;
  return with_ttl_left(*e, now);
}

void DnsCache::purge_expired(TimeNs now) {
  std::erase_if(m_entries, [now](const auto& entry) { return entry.second.expires <= now; });
}

}  // namespace mailscope::services
