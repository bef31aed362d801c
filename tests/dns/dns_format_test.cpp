#include "wire/dns_format.h"

#include <gtest/gtest.h>

#include "dns/dns_vectors.h"

namespace mailscope::wire {
namespace {

using test::name;

DnsMessage nxdomain_response() {
  DnsMessage query = DnsMessage::make_query(0xbeef, name("nothere.example."), DnsType::MX);
  query.additional.push_back(DnsEdns{}.to_record());
  DnsMessage m = DnsMessage::make_response(query, DnsRcode::NXDOMAIN);
  m.flags.aa = true;
  m.authority.push_back(DnsRecord{name("example."), DnsClass::IN, 300,
                                  DnsSoa{name("ns1.example."), name("hostmaster.example."),
                                         2024060101, 7200, 900, 1209600, 300}});
  DnsEdns edns;
  edns.dnssec_ok = true;
  m.additional.push_back(edns.to_record());
  return m;
}

TEST(DnsFormat, DigOutputForTheMxResponse) {
  const auto parsed = DnsMessage::parse(test::kResponseBytes);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(format_dig(*parsed),
            ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 4660\n"
            ";; flags: qr aa rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n"
            "\n"
            ";; QUESTION SECTION:\n"
            ";gmail.com.\t\t\tIN\tMX\n"
            "\n"
            ";; ANSWER SECTION:\n"
            "gmail.com.\t\t3600\tIN\tMX\t10 gmail-smtp-in.l.google.com.\n"
            "\n"
            ";; ADDITIONAL SECTION:\n"
            "gmail-smtp-in.l.google.com. 300\tIN\tA\t142.250.27.26\n"
            "\n");
}

TEST(DnsFormat, DigOutputForNxdomainWithEdns) {
  const auto m = nxdomain_response();
  EXPECT_EQ(
      format_dig(m),
      ";; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 48879\n"
      ";; flags: qr aa rd; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1\n"
      ";; WARNING: recursion requested but not available\n"
      "\n"
      ";; OPT PSEUDOSECTION:\n"
      "; EDNS: version: 0, flags: do; udp: 1232\n"
      "\n"
      ";; QUESTION SECTION:\n"
      ";nothere.example.\t\tIN\tMX\n"
      "\n"
      ";; AUTHORITY SECTION:\n"
      "example.\t\t300\tIN\tSOA\tns1.example. hostmaster.example. 2024060101 7200 900 1209600 300\n"
      "\n");
}

TEST(DnsFormat, DigOutputForAQueryWithoutFlags) {
  const auto q = DnsMessage::make_query(1, DnsName::root(), DnsType::NS, DnsRecursion::NotDesired);
  EXPECT_EQ(format_dig(q),
            ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 1\n"
            ";; flags:; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 0\n"
            "\n"
            ";; QUESTION SECTION:\n"
            ";.\t\t\t\tIN\tNS\n"
            "\n");
}

TEST(DnsFormat, RecordLines) {
  struct Case {
    DnsRecord record;
    const char* text;
  };
  DnsAaaa v6;
  v6.address = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  const Case cases[] = {
      // A, in the TTL column at 24.
      {{name("mx.example."), DnsClass::IN, 60, DnsA{Ipv4Addr::from_octets(192, 0, 2, 25)}},
       "mx.example.\t\t60\tIN\tA\t192.0.2.25"},
      // AAAA in RFC 5952 form.
      {{name("mx.example."), DnsClass::IN, 60, v6}, "mx.example.\t\t60\tIN\tAAAA\t2001:db8::1"},
      // Null MX (RFC 7505).
      {{name("example."), DnsClass::IN, 60, DnsMx{0, DnsName::root()}},
       "example.\t\t60\tIN\tMX\t0 ."},
      {{name("example."), DnsClass::IN, 60, DnsNs{name("ns1.example.")}},
       "example.\t\t60\tIN\tNS\tns1.example."},
      {{name("www.example."), DnsClass::IN, 60, DnsCname{name("example.")}},
       "www.example.\t\t60\tIN\tCNAME\texample."},
      {{name("25.2.0.192.in-addr.arpa."), DnsClass::IN, 60, DnsPtr{name("mx.example.")}},
       "25.2.0.192.in-addr.arpa. 60\tIN\tPTR\tmx.example."},
      // TXT strings quoted, quotes and non-printable octets escaped.
      {{name("example."), DnsClass::IN, 60, DnsTxt{{"v=spf1 mx -all", "say \"hi\"\n"}}},
       "example.\t\t60\tIN\tTXT\t\"v=spf1 mx -all\" \"say \\\"hi\\\"\\010\""},
      // Unknown type and class in RFC 3597 form.
      {{name("x."), static_cast<DnsClass>(42), 0, DnsOpaque{65280, {0x0a, 0, 0, 1}}},
       "x.\t\t\t0\tCLASS42\tTYPE65280 \\# 4 0A000001"},  // type past column 48: one space
      {{name("x."), DnsClass::IN, 0, DnsOpaque{99, {}}}, "x.\t\t\t0\tIN\tTYPE99\t\\# 0"},
      // An owner of exactly 24 columns gets one space.
      {{name("abcdefghijklmnopqrstuvw."), DnsClass::IN, 1, DnsA{}},
       "abcdefghijklmnopqrstuvw. 1\tIN\tA\t0.0.0.0"},
  };
  for (const auto& c : cases)
    EXPECT_EQ(to_string(c.record), c.text);
}

TEST(DnsFormat, Ipv6Text) {
  const auto v6 = [](std::initializer_list<std::uint8_t> b) {
    std::array<std::uint8_t, 16> a{};
    std::copy(b.begin(), b.end(), a.begin());
    return format_ipv6(a);
  };
  EXPECT_EQ(v6({}), "::");                                                 // all zero
  EXPECT_EQ(v6({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}), "::1");  // loopback
  EXPECT_EQ(v6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}),
            "2001:db8:0:1::1");  // one zero group stays
  EXPECT_EQ(v6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1}),
            "2001:db8::1:0:0:1");  // first of equal runs
  EXPECT_EQ(v6({0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x00, 0, 0, 0, 0, 0, 0}),
            "fe80::200:0:0:0");  // longest run wins
}

TEST(DnsFormat, SummaryLikeTshark) {
  EXPECT_EQ(summarize(test::query_message()), "Standard query 0x1234 MX gmail.com");
  EXPECT_EQ(summarize(DnsMessage::parse(test::kResponseBytes).value()),
            "Standard query response 0x1234 MX gmail.com MX 10 gmail-smtp-in.l.google.com A "
            "142.250.27.26");
  EXPECT_EQ(summarize(nxdomain_response()),
            "Standard query response 0xbeef No such name MX nothere.example SOA ns1.example OPT");
  EXPECT_EQ(summarize(DnsMessage::make_query(2, DnsName::root(), DnsType::NS)),
            "Standard query 0x0002 NS <Root>");
}

TEST(DnsFormat, Durations) {
  EXPECT_EQ(describe_seconds(0), "0 seconds");
  EXPECT_EQ(describe_seconds(1), "1 second");
  EXPECT_EQ(describe_seconds(3600), "1 hour");
  EXPECT_EQ(describe_seconds(1209600), "14 days");
  EXPECT_EQ(describe_seconds(90061), "1 day, 1 hour, 1 minute, 1 second");
}

TEST(DnsFormat, TypeAndClassNames) {
  EXPECT_EQ(to_string(DnsType::MX), "MX");
  EXPECT_EQ(to_string(static_cast<DnsType>(64)), "TYPE64");
  EXPECT_EQ(parse_dns_type("mx"), DnsType::MX);
  EXPECT_EQ(parse_dns_type("TYPE64"), static_cast<DnsType>(64));
  EXPECT_EQ(parse_dns_type("TYPE65536"), std::nullopt);
  EXPECT_EQ(parse_dns_type("MXX"), std::nullopt);
  EXPECT_EQ(parse_dns_class("in"), DnsClass::IN);
  EXPECT_EQ(to_string(static_cast<DnsClass>(42)), "CLASS42");
  EXPECT_EQ(to_string(static_cast<DnsRcode>(12)), "RESERVED12");
  EXPECT_EQ(to_string(static_cast<DnsOpcode>(3)), "RESERVED3");
}

TEST(DnsFormat, FlagsWordRoundTrips) {
  for (std::uint32_t word = 0; word <= 0xffff; ++word) {
    ASSERT_EQ(DnsFlags::from_wire(static_cast<std::uint16_t>(word)).to_wire(), word);
  }
  const auto f = DnsFlags::from_wire(0x8580);
  EXPECT_TRUE(f.qr && f.aa && f.rd && f.ra);
  EXPECT_FALSE(f.tc || f.z || f.ad || f.cd);
}

}  // namespace
}  // namespace mailscope::wire
