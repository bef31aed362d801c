// The sans-I/O parts: what a zone knows, the cache's TTLs and trust, the server's checks.

#include <gtest/gtest.h>

#include "dns_world.h"
#include "services/dns_cache.h"
#include "services/dns_server_rules.h"
#include "wire/dns_text.h"

namespace mailscope::services {
namespace {

using testing::dns_name;
using wire::DnsType;

TEST(DnsZone, FindClassifiesEveryName) {
  const DnsZone z = testing::zone("com.", testing::kComZone);
  struct Case {
    const char* comment;
    const char* name;
    DnsType type;
    ZoneMatch match;
    std::size_t records;
  };
  const Case cases[] = {
      {"the apex NS", "com", DnsType::NS, ZoneMatch::Answer, 1},
      {"the apex without MX", "com", DnsType::MX, ZoneMatch::NoData, 0},
      // At and below a cut the child zone answers, even for glue names.
      {"at a cut", "gmail.com", DnsType::MX, ZoneMatch::Delegation, 1},
      {"below a cut", "www.gmail.com", DnsType::A, ZoneMatch::Delegation, 1},
      {"glue below a cut", "ns1.google.com", DnsType::A, ZoneMatch::Delegation, 1},
      {"nothing there", "nothere.com", DnsType::A, ZoneMatch::NxDomain, 0},
      {"another zone", "example.org", DnsType::A, ZoneMatch::NotInZone, 0},
      // Names compare without case (RFC 4343).
      {"case", "GMAIL.Com", DnsType::A, ZoneMatch::Delegation, 1},
  };
  for (const Case& c : cases) {
    const ZoneLookup found = z.find(dns_name(c.name), c.type);
    EXPECT_EQ(found.match, c.match) << c.comment;
    EXPECT_EQ(found.records.size(), c.records) << c.comment;
  }
  EXPECT_EQ(z.negative_ttl(), 900u);  // min(SOA TTL 900, MINIMUM 86400)
}

TEST(DnsZone, RejectsWhatAZoneCannotHold) {
  struct Case {
    const char* comment;
    std::vector<std::string> lines;
    const char* error;
  };
  const std::string soa = "t. 60 IN SOA ns.t. h.t. 1 1 1 1 60";
  const std::string ns = "t. 60 IN NS ns.t.";
  const Case cases[] = {
      {"outside", {soa, ns, "x.org. 60 IN A 10.0.0.1"}, "x.org. is outside the zone t."},
      {"second SOA", {soa, soa, ns}, "the zone already has an SOA record"},
      {"CNAME and data",
       {soa, ns, "a.t. 60 IN A 10.0.0.1", "a.t. 60 IN CNAME b.t."},
       "a.t. cannot hold a CNAME and other data"},
      {"duplicate", {soa, ns, ns}, "duplicate record"},
      {"no SOA", {ns}, "the zone has no SOA record at its apex"},
      {"no NS", {soa}, "the zone has no NS record at its apex"},
      // A line the record parser refuses; its own message is kept.
      {"bad line", {soa, ns, "a.t. 60 IN A 10.0.0"}, ""},
  };
  for (const Case& c : cases) {
    const auto z = DnsZone::from_lines(dns_name("t."), c.lines);
    ASSERT_FALSE(z.ok()) << c.comment;
    EXPECT_NE(z.error().what.find(c.error), std::string::npos)
        << c.comment << ": " << z.error().to_string();
  }
}

wire::DnsRecord record(const std::string& line) {
  return *wire::parse_record(line);
}

TEST(DnsCache, TtlsCountDownAndExpire) {
  DnsCache cache;
  cache.store({record("gmail.com. 300 IN MX 10 a.gmail.com."),
               record("gmail.com. 100 IN MX 20 b.gmail.com.")},
              CacheTrust::Answer, 0);
  // The RRset lives for its smallest TTL (RFC 2181 §5.2).
  CacheAnswer hit = cache.lookup(dns_name("gmail.com"), DnsType::MX, 40 * kSecond);
  ASSERT_EQ(hit.result, CacheResult::Positive);
  EXPECT_EQ(hit.ttl_left, 60u);
  EXPECT_EQ(hit.records[0].ttl, 60u);
  EXPECT_EQ(hit.records.size(), 2u);
  EXPECT_EQ(cache.lookup(dns_name("gmail.com"), DnsType::MX, 100 * kSecond).result,
            CacheResult::Miss);
  // TTL 0 and TTLs with the top bit set are not stored (RFC 2181 §8).
  cache.store({record("a.t. 0 IN A 10.0.0.1")}, CacheTrust::Answer, 0);
  cache.store({record("b.t. 2147483648 IN A 10.0.0.1")}, CacheTrust::Answer, 0);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(DnsCache, ReferralDataIsNotGivenToClients) {
  DnsCache cache;
  cache.store({record("ns1.google.com. 3600 IN A 216.239.32.10")}, CacheTrust::Referral, 0);
  EXPECT_EQ(cache.lookup(dns_name("ns1.google.com"), DnsType::A, 0).result, CacheResult::Miss);
  EXPECT_TRUE(cache.rrset(dns_name("ns1.google.com"), DnsType::A, 0).has_value());
  // An answer replaces glue; glue never replaces a live answer.
  cache.store({record("ns1.google.com. 3600 IN A 216.239.32.11")}, CacheTrust::Answer, 0);
  cache.store({record("ns1.google.com. 3600 IN A 216.239.32.12")}, CacheTrust::Referral, 0);
  const CacheAnswer hit = cache.lookup(dns_name("ns1.google.com"), DnsType::A, 0);
  ASSERT_EQ(hit.result, CacheResult::Positive);
  EXPECT_EQ(std::get<wire::DnsA>(hit.records[0].rdata).address, testing::ip("216.239.32.11"));
}

TEST(DnsCache, NegativeAnswersAndAliases) {
  DnsCache cache;
  const auto soa = record("t. 600 IN SOA ns.t. h.t. 1 1 1 1 30");
  cache.store_nxdomain(dns_name("gone.t"), &soa, 0);
  cache.store_nodata(dns_name("t"), DnsType::AAAA, &soa, 0);
  cache.store({record("www.t. 60 IN CNAME web.t.")}, CacheTrust::Answer, 0);
  // NXDOMAIN covers every type; NODATA only its own.
  EXPECT_EQ(cache.lookup(dns_name("gone.t"), DnsType::MX, kSecond).result, CacheResult::NxDomain);
  EXPECT_EQ(cache.lookup(dns_name("t"), DnsType::AAAA, kSecond).result, CacheResult::NoData);
  EXPECT_EQ(cache.lookup(dns_name("t"), DnsType::A, kSecond).result, CacheResult::Miss);
  EXPECT_EQ(cache.lookup(dns_name("www.t"), DnsType::A, kSecond).result, CacheResult::Cname);
  // The negative TTL is min(SOA TTL, MINIMUM) = 30 s.
  EXPECT_EQ(cache.lookup(dns_name("gone.t"), DnsType::A, 30 * kSecond).result, CacheResult::Miss);
  // Without an SOA nothing is remembered (RFC 2308 §5).
  cache.store_nxdomain(dns_name("other.t"), nullptr, 0);
  EXPECT_EQ(cache.lookup(dns_name("other.t"), DnsType::A, 0).result, CacheResult::Miss);
}

TEST(DnsCache, IsBounded) {
  DnsCache cache(DnsCacheLimits{.entries_max = 3, .ttl_max = 86400, .negative_ttl_max = 10800});
  for (int i = 0; i < 5; ++i) {
    cache.store({record("h" + std::to_string(i) + ".t. " + std::to_string(100 + i) +
                        " IN A 10.0.0." + std::to_string(i))},
                CacheTrust::Answer, 0);
  }
  EXPECT_EQ(cache.size(), 3u);
  // What would expire first went first.
  EXPECT_EQ(cache.lookup(dns_name("h0.t"), DnsType::A, 0).result, CacheResult::Miss);
  EXPECT_EQ(cache.lookup(dns_name("h4.t"), DnsType::A, 0).result, CacheResult::Positive);
}

TEST(DnsServerRules, ResponseSizes) {
  auto query = wire::DnsMessage::make_query(1, dns_name("t"), DnsType::TXT);
  EXPECT_EQ(response_size_max(query, DnsTransport::Udp), 512u);
  EXPECT_EQ(response_size_max(query, DnsTransport::Tcp), 65535u);
  wire::DnsEdns edns;
  edns.udp_payload_size = 1400;
  query.additional.push_back(edns.to_record());
  EXPECT_EQ(response_size_max(query, DnsTransport::Udp), 1232u);
  // Our OPT record is added to the answer of an EDNS query.
  const auto bytes =
      finish_response(query, wire::DnsMessage::make_response(query), DnsTransport::Udp);
  const auto response = wire::DnsMessage::parse(bytes);
  ASSERT_TRUE(response.ok());
  ASSERT_TRUE(response->edns().has_value());
  EXPECT_EQ(response->edns()->udp_payload_size, kEdnsUdpSizeMax);
}

}  // namespace
}  // namespace mailscope::services
