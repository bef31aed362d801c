#include "wire/dns_message.h"

#include <gtest/gtest.h>

#include "core/rng.h"
#include "dns/dns_random.h"
#include "dns/dns_vectors.h"

namespace mailscope::wire {
namespace {

using test::kQueryBytes;
using test::kResponseBytes;
using test::name;

TEST(DnsMessage, QueryVectorBothWays) {
  EXPECT_EQ(test::query_message().emit(), kQueryBytes);
  const auto parsed = DnsMessage::parse(kQueryBytes);
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  EXPECT_EQ(*parsed, test::query_message());
  EXPECT_EQ(parsed->id, 0x1234);
  EXPECT_TRUE(parsed->flags.rd);
  EXPECT_FALSE(parsed->flags.qr);
}

TEST(DnsMessage, CompressedResponseVectorBothWays) {
  EXPECT_EQ(test::response_message().emit(), kResponseBytes);
  const auto parsed = DnsMessage::parse(kResponseBytes);
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  EXPECT_EQ(*parsed, test::response_message());
  const auto& mx = std::get<DnsMx>(parsed->answers.at(0).rdata);
  EXPECT_EQ(mx.preference, 10);
  EXPECT_EQ(mx.exchange.to_string(), "gmail-smtp-in.l.google.com.");
  EXPECT_EQ(std::get<DnsA>(parsed->additional.at(0).rdata).address.to_string(), "142.250.27.26");
}

TEST(DnsMessage, ReadsUncompressedNamesFromOtherEmitters) {
  // The same response without compression must parse to the same value.
  Bytes plain(kResponseBytes.begin(), kResponseBytes.begin() + 27);
  const auto append = [&plain](std::initializer_list<std::uint8_t> b) {
    plain.insert(plain.end(), b);
  };
  append({5,    'g',  'm',  'a', 'i', 'l',  3,    'c', 'o', 'm', 0, 0x00,
          0x0f, 0x00, 0x01, 0,   0,   0x0e, 0x10, 0,   30,  0,   10});
  const Bytes exchange = {13, 'g', 'm', 'a', 'i', 'l', '-', 's', 'm', 't', 'p', '-', 'i', 'n',
                          1,  'l', 6,   'g', 'o', 'o', 'g', 'l', 'e', 3,   'c', 'o', 'm', 0};
  plain.insert(plain.end(), exchange.begin(), exchange.end());
  plain.insert(plain.end(), exchange.begin(), exchange.end());
  append({0, 1, 0, 1, 0, 0, 1, 0x2c, 0, 4, 142, 250, 27, 26});
  const auto parsed = DnsMessage::parse(plain);
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  EXPECT_EQ(*parsed, test::response_message());
  EXPECT_EQ(parsed->emit(), kResponseBytes);  // and we compress it again
}

TEST(DnsMessage, CompressionKeepsCase) {
  // "GMAIL.com." differs in case from the question's "gmail.com.": it is written in full so
  // that it comes back exactly as given, while "com." is still shared.
  DnsMessage m = test::query_message();
  m.answers.push_back(DnsRecord{name("GMAIL.com."), DnsClass::IN, 60, DnsA{Ipv4Addr{1}}});
  const Bytes bytes = m.emit();
  const Bytes owner = {5, 'G', 'M', 'A', 'I', 'L', 0xc0, 18};
  EXPECT_TRUE(std::search(bytes.begin(), bytes.end(), owner.begin(), owner.end()) != bytes.end());
  const auto parsed = DnsMessage::parse(bytes);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->answers[0].name.to_string(), "GMAIL.com.");
}

TEST(DnsMessage, CompressesNamesInRdata) {
  DnsMessage m = DnsMessage::make_response(test::query_message());
  const auto zone = name("example.org.");
  m.authority.push_back(DnsRecord{zone, DnsClass::IN, 3600,
                                  DnsSoa{name("ns1.example.org."), name("hostmaster.example.org."),
                                         2024010101, 7200, 900, 1209600, 300}});
  m.authority.push_back(DnsRecord{zone, DnsClass::IN, 3600, DnsNs{name("ns1.example.org.")}});
  m.answers.push_back(
      DnsRecord{name("www.example.org."), DnsClass::IN, 60, DnsCname{name("example.org.")}});
  m.answers.push_back(DnsRecord{name("1.2.0.192.in-addr.arpa."), DnsClass::IN, 60,
                                DnsPtr{name("www.example.org.")}});
  const Bytes bytes = m.emit();
  const auto parsed = DnsMessage::parse(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  EXPECT_EQ(*parsed, m);
  // "example.org." appears in full once; later uses are pointers, so the message is short.
  const Bytes label = {7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'o', 'r', 'g', 0};
  const auto first = std::search(bytes.begin(), bytes.end(), label.begin(), label.end());
  ASSERT_NE(first, bytes.end());
  EXPECT_EQ(std::search(first + 1, bytes.end(), label.begin(), label.end()), bytes.end());
  // 27 (header, question) + 29 (CNAME) + 36 (PTR) + 51 (SOA: "ns1" and "hostmaster" + pointers)
  // + 14 (NS: owner and host both pointers).
  EXPECT_EQ(bytes.size(), 157u);
}

TEST(DnsMessage, TrailingBytesPolicy) {
  Bytes bytes = kQueryBytes;
  bytes.push_back(0);
  const auto strict = DnsMessage::parse(bytes);
  ASSERT_FALSE(strict.ok());
  EXPECT_EQ(strict.error().where, "message");
  EXPECT_EQ(strict.error().offset, kQueryBytes.size());
  const auto lenient = DnsMessage::parse(bytes, TrailingBytes::Ignore);
  ASSERT_TRUE(lenient.ok());
  EXPECT_EQ(*lenient, test::query_message());
}

TEST(DnsMessage, UnknownTypesAndClassesAreKept) {
  DnsMessage m;
  m.id = 7;
  m.flags.opcode = static_cast<DnsOpcode>(9);
  m.flags.rcode = static_cast<DnsRcode>(14);
  m.flags.z = true;
  m.questions.push_back(
      DnsQuestion{name("x."), static_cast<DnsType>(65280), static_cast<DnsClass>(42)});
  // A typed number outside class IN stays opaque: CH's A record has another layout.
  m.answers.push_back(DnsRecord{name("x."), DnsClass::CH, 0, DnsOpaque{1, {0, 1, 2, 3, 4, 5}}});
  m.answers.push_back(DnsRecord{name("x."), DnsClass::IN, 0, DnsOpaque{65280, {}}});
  const auto parsed = DnsMessage::parse(m.emit());
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  EXPECT_EQ(*parsed, m);
  EXPECT_EQ(parsed->emit(), m.emit());
}

TEST(DnsMessage, EdnsRecordFields) {
  DnsEdns edns;
  edns.udp_payload_size = 1232;
  edns.dnssec_ok = true;
  DnsMessage m = test::query_message();
  m.additional.push_back(edns.to_record());
  const auto parsed = DnsMessage::parse(m.emit());
  ASSERT_TRUE(parsed.ok());
  ASSERT_TRUE(parsed->edns().has_value());
  EXPECT_EQ(*parsed->edns(), edns);
  EXPECT_FALSE(test::query_message().edns().has_value());
}

TEST(DnsMessage, MakeResponseCopiesTheQuery) {
  auto query = test::query_message();
  query.flags.cd = true;
  const auto response = DnsMessage::make_response(query, DnsRcode::NXDOMAIN);
  EXPECT_TRUE(response.is_response());
  EXPECT_EQ(response.id, query.id);
  EXPECT_TRUE(response.flags.rd);
  EXPECT_TRUE(response.flags.cd);
  EXPECT_EQ(response.flags.rcode, DnsRcode::NXDOMAIN);
  EXPECT_EQ(response.questions, query.questions);
}

TEST(DnsMessage, TxtSplitsLongStringsAndNeverEmitsEmptyRdata) {
  DnsMessage m;
  m.answers.push_back(
      DnsRecord{name("k._domainkey.example."), DnsClass::IN, 0, DnsTxt{{std::string(300, 'k')}}});
  m.answers.push_back(DnsRecord{name("e.example."), DnsClass::IN, 0, DnsTxt{}});
  const auto parsed = DnsMessage::parse(m.emit());
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  EXPECT_EQ(std::get<DnsTxt>(parsed->answers[0].rdata).strings,
            (std::vector<std::string>{std::string(255, 'k'), std::string(45, 'k')}));
  EXPECT_EQ(std::get<DnsTxt>(parsed->answers[1].rdata).strings, std::vector<std::string>{""});
}

// --- seeded random round trips ---------------------------------------------------------------

using test::RandomMessages;

TEST(DnsMessage, RandomRoundTrips) {
  // Seeded: a failure names its seed, and rerunning reproduces it.
  for (std::uint64_t seed = 1; seed <= 500; ++seed) {
    RandomMessages gen(seed);
    const DnsMessage m = gen.message();
    const Bytes bytes = m.emit();
    const auto parsed = DnsMessage::parse(bytes);
    ASSERT_TRUE(parsed.ok()) << "seed " << seed << ": " << parsed.error().to_string();
    ASSERT_EQ(*parsed, m) << "seed " << seed;
    ASSERT_EQ(parsed->emit(), bytes) << "seed " << seed;  // case and layout preserved exactly
  }
}

TEST(DnsMessage, PointersOnlyTargetTheFirst16KiB) {
  // A message longer than 0x4000 octets: names first written beyond that offset cannot be
  // pointer targets, and the round trip shows no pointer was mis-encoded.
  DnsMessage m;
  for (int i = 0; i < 400; ++i) {
    const auto owner = name("host" + std::to_string(i) + ".example.");
    m.answers.push_back(DnsRecord{owner, DnsClass::IN, 1, DnsTxt{{std::string(60, 't')}}});
    m.answers.push_back(
        DnsRecord{owner, DnsClass::IN, 1, DnsA{Ipv4Addr{static_cast<std::uint32_t>(i)}}});
  }
  const Bytes bytes = m.emit();
  ASSERT_GT(bytes.size(), 0x4000u);
  const auto parsed = DnsMessage::parse(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  EXPECT_EQ(*parsed, m);
}

// --- truncation for UDP ------------------------------------------------------------------------

DnsMessage large_response(std::size_t answers, bool with_opt) {
  DnsMessage m = DnsMessage::make_response(test::query_message());
  for (std::size_t i = 0; i < answers; ++i) {
    m.answers.push_back(
        DnsRecord{name("gmail.com."), DnsClass::IN, 3600,
                  DnsMx{static_cast<std::uint16_t>(i),
                        name("alt" + std::to_string(i) + ".gmail-smtp-in.l.google.com.")}});
  }
  m.authority.push_back(
      DnsRecord{name("gmail.com."), DnsClass::IN, 3600, DnsNs{name("ns1.google.com.")}});
  for (std::size_t i = 0; i < answers; ++i) {
    m.additional.push_back(
        DnsRecord{name("alt" + std::to_string(i) + ".gmail-smtp-in.l.google.com."), DnsClass::IN,
                  300, DnsA{Ipv4Addr{static_cast<std::uint32_t>(i)}}});
  }
  if (with_opt) m.additional.push_back(DnsEdns{}.to_record());
  return m;
}

TEST(DnsMessage, SmallMessageIsNotTruncated) {
  const auto m = test::response_message();
  EXPECT_EQ(m.emit_truncated(512), m.emit());
}

TEST(DnsMessage, TruncationDropsWholeRecordsAndSetsTc) {
  const auto m = large_response(30, false);
  ASSERT_GT(m.emit().size(), 512u);
  const Bytes bytes = m.emit_truncated(512);
  EXPECT_LE(bytes.size(), 512u);
  const auto parsed = DnsMessage::parse(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  EXPECT_TRUE(parsed->flags.tc);
  EXPECT_EQ(parsed->questions, m.questions);
  ASSERT_GT(parsed->answers.size(), 0u);
  ASSERT_LT(parsed->answers.size(), m.answers.size());
  // What is kept is a prefix of the answers, unchanged; nothing after them survives.
  for (std::size_t i = 0; i < parsed->answers.size(); ++i)
    EXPECT_EQ(parsed->answers[i], m.answers[i]);
  EXPECT_TRUE(parsed->authority.empty());
  EXPECT_TRUE(parsed->additional.empty());
  // And it is the longest such prefix: one more record would not fit.
  DnsMessage bigger = *parsed;
  bigger.answers.push_back(m.answers[parsed->answers.size()]);
  EXPECT_GT(bigger.emit().size(), 512u);
}

TEST(DnsMessage, TruncationDropsAdditionalFirst) {
  const auto m = large_response(8, false);
  const std::size_t full = m.emit().size();
  const Bytes bytes = m.emit_truncated(full - 1);
  const auto parsed = DnsMessage::parse(bytes);
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->flags.tc);
  EXPECT_EQ(parsed->answers, m.answers);
  EXPECT_EQ(parsed->authority, m.authority);
  EXPECT_EQ(parsed->additional.size(), m.additional.size() - 1);
}

TEST(DnsMessage, TruncationKeepsTheOptRecord) {
  const auto m = large_response(30, true);
  const Bytes bytes = m.emit_truncated(512);
  EXPECT_LE(bytes.size(), 512u);
  const auto parsed = DnsMessage::parse(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  EXPECT_TRUE(parsed->flags.tc);
  ASSERT_EQ(parsed->additional.size(), 1u);
  EXPECT_EQ(parsed->edns(), DnsEdns{});
}

TEST(DnsMessage, TruncationBelowTheQuestionKeepsHeaderAndQuestion) {
  const auto m = large_response(3, false);
  const auto parsed = DnsMessage::parse(m.emit_truncated(10));
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->flags.tc);
  EXPECT_EQ(parsed->questions, m.questions);
  EXPECT_TRUE(parsed->answers.empty());
}

TEST(DnsMessage, RandomTruncationsAlwaysFitAndParse) {
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    RandomMessages gen(seed);
    const DnsMessage m = gen.message();
    const std::size_t floor = DnsMessage{m.id, m.flags, m.questions, {}, {}, {}}.emit().size();
    for (const std::size_t limit : {std::size_t{512}, floor + 20, floor}) {
      const Bytes bytes = m.emit_truncated(limit);
      EXPECT_LE(bytes.size(), std::max(limit, floor)) << "seed " << seed;
      const auto parsed = DnsMessage::parse(bytes);
      ASSERT_TRUE(parsed.ok()) << "seed " << seed << ": " << parsed.error().to_string();
      EXPECT_EQ(parsed->flags.tc, m.flags.tc || bytes.size() < m.emit().size()) << "seed " << seed;
    }
  }
}

}  // namespace
}  // namespace mailscope::wire
