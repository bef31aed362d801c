#include "wire/dns_text.h"

#include <gtest/gtest.h>

#include "dns/dns_random.h"
#include "dns/dns_vectors.h"
#include "wire/dns_format.h"

namespace mailscope::wire {
namespace {

using test::name;

TEST(DnsText, ParsesZoneLines) {
  struct Case {
    const char* line;
    DnsRecord record;
  };
  const Case cases[] = {
      {"gmail.com. 3600 IN MX 10 gmail-smtp-in.l.google.com.",
       {name("gmail.com."), DnsClass::IN, 3600, DnsMx{10, name("gmail-smtp-in.l.google.com.")}}},
      // Class before TTL, and a comment.
      {"mx.example. IN 60 A 192.0.2.25 ; the MTA",
       {name("mx.example."), DnsClass::IN, 60, DnsA{Ipv4Addr::from_octets(192, 0, 2, 25)}}},
      // TTL and class omitted: the default TTL and IN.
      {"example. MX 0 .", {name("example."), DnsClass::IN, 3600, DnsMx{0, DnsName::root()}}},
      // Quoted strings with spaces and escapes, and a bare string.
      {"example. 300 TXT \"v=spf1 mx -all\" \"a\\\"b\" bare",
       {name("example."), DnsClass::IN, 300, DnsTxt{{"v=spf1 mx -all", "a\"b", "bare"}}}},
      {"example. 300 IN SOA ns1.example. hostmaster.example. 1 7200 900 1209600 300",
       {name("example."), DnsClass::IN, 300,
        DnsSoa{name("ns1.example."), name("hostmaster.example."), 1, 7200, 900, 1209600, 300}}},
      // Generic RDATA for an unknown type, hex in two groups.
      {"x. 0 IN TYPE65280 \\# 4 0a00 0001",
       {name("x."), DnsClass::IN, 0, DnsOpaque{65280, {0x0a, 0, 0, 1}}}},
  };
  for (const auto& c : cases) {
    const auto parsed = parse_record(c.line);
    ASSERT_TRUE(parsed.ok()) << c.line << ": " << parsed.error().to_string();
    EXPECT_EQ(*parsed, c.record) << c.line;
  }
}

TEST(DnsText, RejectsBadLines) {
  const char* bad[] = {
      "example.",                             // no type
      "example. 60 IN",                       // no type after the class
      "example. 60 IN BOGUS 1",               // unknown type
      "example. 60 IN A 300.1.1.1",           // bad address
      "example. 60 IN A 1.2.3.4 5.6.7.8",     // too many fields
      "example. 60 IN MX mx.example.",        // preference missing
      "example. 60 IN MX 70000 mx.example.",  // preference above 65535
      "example. 60 IN TXT \"open",            // unterminated quote
      "example. 60 IN TXT",                   // no string
      "example. 60 IN AAAA 1::2::3",          // two gaps
      "example. 60 IN TYPE99 \\# 3 0a00",     // hex shorter than the length
      "example. 60 CH A 1.2.3.4",             // outside IN only the generic form
      "a..b. 60 IN A 1.2.3.4",                // bad owner
  };
  for (const char* line : bad)
    EXPECT_FALSE(parse_record(line).ok()) << line;
}

TEST(DnsText, Ipv6Forms) {
  const auto v6 = parse_ipv6("2001:db8::1");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(format_ipv6(*v6), "2001:db8::1");
  EXPECT_TRUE(parse_ipv6("::").has_value());
  EXPECT_TRUE(parse_ipv6("1:2:3:4:5:6:7:8").has_value());
  EXPECT_FALSE(parse_ipv6("1:2:3:4:5:6:7").has_value());     // too few groups without a gap
  EXPECT_FALSE(parse_ipv6("1:2:3:4::5:6:7:8").has_value());  // a gap must stand for a group
  EXPECT_FALSE(parse_ipv6("12345::").has_value());           // group over four digits
  EXPECT_FALSE(parse_ipv6(":1::").has_value());              // empty group
}

TEST(DnsText, RandomRecordsRoundTripThroughText) {
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    test::RandomMessages gen(seed);
    for (int i = 0; i < 10; ++i) {
      const DnsRecord record = gen.record();
      const std::string line = to_string(record);
      const auto parsed = parse_record(line);
      ASSERT_TRUE(parsed.ok()) << "seed " << seed << ": " << line << ": "
                               << parsed.error().to_string();
      ASSERT_EQ(*parsed, record) << "seed " << seed << ": " << line;
      ASSERT_EQ(to_string(*parsed), line) << "seed " << seed;
    }
  }
}

}  // namespace
}  // namespace mailscope::wire
