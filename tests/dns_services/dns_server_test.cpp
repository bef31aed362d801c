// The authoritative server on the network, asked directly with hand-made datagrams: answers,
// referrals, negative answers, the error rcodes, truncation; then the stub's MX routing and
// DNS over TCP after truncation, and a pcap checked by tshark.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "dns_world.h"
#include "export/pcap_export.h"
#include "net/udp_socket.h"
#include "support/tshark.h"
#include "wire/dissect.h"

namespace mailscope::services {
namespace {

using testing::dns_dialogue;
using testing::dns_name;
using testing::dns_notes;
using testing::DnsWorld;
using testing::DnsWorldOptions;
using testing::ip;
using wire::DnsMessage;
using wire::DnsRcode;
using wire::DnsType;

// Sends `bytes` from the client to server:53 and returns what came back, if anything.
std::optional<wire::Bytes> exchange(DnsWorld& w, wire::Ipv4Addr server, const wire::Bytes& bytes) {
  auto socket = w.client->udp_bind(5353);
  std::optional<wire::Bytes> reply;
  socket->on_receive(
      [&](const net::UdpDatagram& d) { reply = wire::Bytes(d.payload.begin(), d.payload.end()); });
  socket->send_to(server, 53, bytes);
  w.sim.run();
  return reply;
}

wire::Bytes query_bytes(const char* name, DnsType type) {
  return DnsMessage::make_query(0x1234, dns_name(name), type, wire::DnsRecursion::NotDesired)
      .emit();
}

DnsWorldOptions authoritative_only() {
  DnsWorldOptions options;
  options.with_resolver = false;
  return options;
}

const wire::Ipv4Addr kGoogle = ip("216.239.32.10");
const wire::Ipv4Addr kTld = ip("192.5.6.30");
const wire::Ipv4Addr kExample = ip("10.0.5.53");

TEST(DnsServer, AnswersReferralsAndNegativeAnswers) {
  struct Case {
    const char* comment;
    wire::Ipv4Addr server;
    const char* name;
    DnsType type;
    std::vector<std::string> expected;  // dig's sections, one line per record
    DnsRcode rcode;
    bool aa;
  };
  const Case cases[] = {
      // The MX with its exchange's address in the additional section (google.com. is served
      // by the same server).
      {"answer with additional",
       kGoogle,
       "gmail.com",
       DnsType::MX,
       {"an gmail.com.\t\t3600\tIN\tMX\t10 gmail-smtp-in.l.google.com.",
        "ar gmail-smtp-in.l.google.com. 300\tIN\tA\t142.250.27.26"},
       DnsRcode::NOERROR,
       true},
      // The CNAME and its target, followed across two zones of one server.
      {"CNAME chased",
       kGoogle,
       "mail.gmail.com",
       DnsType::A,
       {"an mail.gmail.com.\t\t3600\tIN\tCNAME\tgooglemail.l.google.com.",
        "an googlemail.l.google.com. 300\tIN\tA\t142.250.27.17"},
       DnsRcode::NOERROR,
       true},
      // NODATA: NOERROR, no answer, the SOA with the negative TTL (min(300, 60)).
      {"NODATA",
       kGoogle,
       "gmail.com",
       DnsType::AAAA,
       {"ns gmail.com.\t\t60\tIN\tSOA\tns1.google.com. dns-admin.google.com. 1 900 900 1800 60"},
       DnsRcode::NOERROR,
       true},
      {"NXDOMAIN",
       kGoogle,
       "nothere.gmail.com",
       DnsType::A,
       {"ns gmail.com.\t\t60\tIN\tSOA\tns1.google.com. dns-admin.google.com. 1 900 900 1800 60"},
       DnsRcode::NXDOMAIN,
       true},
      // A referral: not authoritative, NS in authority, glue in additional.
      {"referral with glue",
       kTld,
       "www.gmail.com",
       DnsType::A,
       {"ns gmail.com.\t\t172800\tIN\tNS\tns1.google.com.",
        "ar ns1.google.com.\t\t172800\tIN\tA\t216.239.32.10"},
       DnsRcode::NOERROR,
       false},
      // The server named in net. gets no glue from org.
      {"referral without glue",
       kTld,
       "example.org",
       DnsType::MX,
       {"ns example.org.\t\t172800\tIN\tNS\tns.example.net."},
       DnsRcode::NOERROR,
       false},
      // An empty non-terminal exists (RFC 8020): NODATA, not NXDOMAIN.
      {"empty non-terminal",
       kGoogle,
       "l.google.com",
       DnsType::A,
       {"ns google.com.\t\t60\tIN\tSOA\tns1.google.com. dns-admin.google.com. 1 900 900 1800 60"},
       DnsRcode::NOERROR,
       true},
      // A name in none of the server's zones.
      {"outside its zones", kGoogle, "example.org", DnsType::A, {}, DnsRcode::REFUSED, false},
  };
  for (const Case& c : cases) {
    DnsWorld w(1, authoritative_only());
    const auto reply = exchange(w, c.server, query_bytes(c.name, c.type));
    ASSERT_TRUE(reply.has_value()) << c.comment;
    const auto response = DnsMessage::parse(*reply);
    ASSERT_TRUE(response.ok()) << c.comment;
    EXPECT_EQ(response->id, 0x1234) << c.comment;
    EXPECT_EQ(response->flags.rcode, c.rcode) << c.comment;
    EXPECT_EQ(response->flags.aa, c.aa) << c.comment;
    EXPECT_FALSE(response->flags.ra) << c.comment;
    ASSERT_EQ(response->questions.size(), 1u) << c.comment;
    std::vector<std::string> records;
    for (const auto& r : response->answers)
      records.push_back("an " + wire::to_string(r));
    for (const auto& r : response->authority)
      records.push_back("ns " + wire::to_string(r));
    for (const auto& r : response->additional)
      records.push_back("ar " + wire::to_string(r));
    EXPECT_EQ(records, c.expected) << c.comment;
  }
}

TEST(DnsServer, ErrorRcodes) {
  const auto with = [](wire::Bytes bytes, std::size_t at, std::uint8_t value) {
    bytes[at] = value;
    return bytes;
  };
  const wire::Bytes good = query_bytes("gmail.com", DnsType::MX);
  DnsMessage two = DnsMessage::make_query(0x1234, dns_name("gmail.com"), DnsType::MX);
  two.questions.push_back(two.questions.front());
  DnsMessage v1 = DnsMessage::make_query(0x1234, dns_name("gmail.com"), DnsType::MX);
  wire::DnsEdns edns;
  edns.version = 1;
  v1.additional.push_back(edns.to_record());
  DnsMessage chaos = DnsMessage::make_query(0x1234, dns_name("gmail.com"), DnsType::TXT);
  chaos.questions.front().qclass = wire::DnsClass::CH;

  struct Case {
    const char* comment;
    wire::Bytes query;
    std::optional<DnsRcode> rcode;  // nullopt: no reply at all
    std::size_t questions;          // echoed back
  };
  const Case cases[] = {
      // Opcode NOTIFY (4) in bits 11-14 of the flags.
      {"opcode NOTIFY", with(good, 2, 0x20), DnsRcode::NOTIMP, 0},
      // The question is cut in the middle of its name; the header still parses.
      {"question cut short", wire::Bytes(good.begin(), good.begin() + 17), DnsRcode::FORMERR, 0},
      {"two questions", two.emit(), DnsRcode::FORMERR, 0},
      // BADVERS is extended rcode 16: the header's 4 bits are 0, the OPT record has the rest.
      {"EDNS version 1", v1.emit(), DnsRcode::NOERROR, 1},
      {"class CH", chaos.emit(), DnsRcode::REFUSED, 1},
      // A response is never answered (servers could bounce errors forever).
      {"a response", with(good, 2, 0x80), std::nullopt, 0},
      {"shorter than a header", wire::Bytes(good.begin(), good.begin() + 11), std::nullopt, 0},
  };
  for (const Case& c : cases) {
    DnsWorld w(1, authoritative_only());
    const auto reply = exchange(w, kGoogle, c.query);
    if (!c.rcode) {
      EXPECT_FALSE(reply.has_value()) << c.comment;
      continue;
    }
    ASSERT_TRUE(reply.has_value()) << c.comment;
    const auto response = DnsMessage::parse(*reply);
    ASSERT_TRUE(response.ok()) << c.comment;
    EXPECT_EQ(response->id, 0x1234) << c.comment;
    EXPECT_TRUE(response->is_response()) << c.comment;
    EXPECT_EQ(response->flags.rcode, *c.rcode) << c.comment;
    EXPECT_EQ(response->questions.size(), c.questions) << c.comment;
    EXPECT_TRUE(response->answers.empty()) << c.comment;
  }
  DnsWorld w(1, authoritative_only());
  const auto reply = exchange(w, kGoogle, v1.emit());
  ASSERT_TRUE(reply.has_value());
  const auto edns_back = DnsMessage::parse(*reply)->edns();
  ASSERT_TRUE(edns_back.has_value());
  EXPECT_EQ(edns_back->extended_rcode, 1);
}

TEST(DnsServer, UdpResponsesAreTruncatedToTheClientsSize) {
  struct Case {
    const char* comment;
    std::optional<std::uint16_t> edns_size;
    std::size_t size_max;
  };
  const Case cases[] = {
      {"no EDNS: 512 octets", std::nullopt, 512},
      {"EDNS 1000", 1000, 1000},
      // Larger advertised sizes are capped at 1232 (no IP fragmentation).
      {"EDNS 4096 capped", 4096, 1232},
      // Sizes under 512 mean 512 (RFC 6891 §6.2.5).
      {"EDNS 100 raised", 100, 512},
  };
  for (const Case& c : cases) {
    DnsWorld w(1, authoritative_only());
    DnsMessage query = DnsMessage::make_query(7, dns_name("big.example.org"), DnsType::TXT,
                                              wire::DnsRecursion::NotDesired);
    if (c.edns_size) {
      wire::DnsEdns edns;
      edns.udp_payload_size = *c.edns_size;
      query.additional.push_back(edns.to_record());
    }
    const auto reply = exchange(w, kExample, query.emit());
    ASSERT_TRUE(reply.has_value()) << c.comment;
    EXPECT_LE(reply->size(), c.size_max) << c.comment;
    EXPECT_GT(reply->size(), c.size_max - 160) << c.comment;  // as many whole records as fit
    const auto response = DnsMessage::parse(*reply);
    ASSERT_TRUE(response.ok());
    EXPECT_TRUE(response->flags.tc) << c.comment;
    EXPECT_EQ(response->edns().has_value(), c.edns_size.has_value()) << c.comment;
  }
}

TEST(DnsServer, TruncatedAnswersAreFetchedAgainOverTcp) {
  DnsWorld w(1);  // the stub sends no EDNS (512), the resolver advertises 1232
  StubResponse r;
  w.stub->query(dns_name("big.example.org"), DnsType::TXT, [&](const StubResponse& s) { r = s; });
  w.sim.run();
  ASSERT_EQ(r.status, LookupStatus::Ok);
  EXPECT_EQ(r.message.answers.size(), 12u);
  EXPECT_FALSE(r.message.flags.tc);
  const auto notes = dns_notes(w.sim.trace());
  // Both hops truncate: the domain's server to the resolver (over 1232) and the resolver to the
  // stub (over 512); each client asks again over TCP.
  EXPECT_EQ(std::ranges::count(notes, "response truncated (TC): asking 10.0.5.53 again over TCP"),
            1);
  EXPECT_EQ(std::ranges::count(notes, "response truncated (TC): asking 10.0.1.53 again over TCP"),
            1);
  const auto dialogue = dns_dialogue(w.sim.trace());
  EXPECT_EQ(std::ranges::count(dialogue, "ns.example.net: response NOERROR aa tc an=8 ns=0 ar=1"),
            1);
  EXPECT_EQ(std::ranges::count(dialogue, "ns.example.net: response NOERROR aa an=12 ns=0 ar=1"), 1);
  EXPECT_EQ(std::ranges::count(dialogue, "resolver: response NOERROR tc an=3 ns=0 ar=0"), 1);
  EXPECT_EQ(std::ranges::count(dialogue, "resolver: response NOERROR an=12 ns=0 ar=0"), 1);
  // The question over TCP is a new question: the resolver answers it from its cache.
  EXPECT_EQ(notes.back(), "cache hit: big.example.org. TXT (TTL 3599 s left)");
  std::size_t tcp_dns_flows = 0;
  for (FlowId f = 1; f < w.sim.trace().flow_count(); ++f) {
    const FlowInfo& info = w.sim.trace().flow(f);
    if (info.transport == "tcp" && info.application == "dns") ++tcp_dns_flows;
  }
  EXPECT_EQ(tcp_dns_flows, 2u);
}

MxResult mx(DnsWorld& w, const char* domain) {
  MxResult out;
  w.stub->resolve_mx(dns_name(domain), [&](const MxResult& r) { out = r; });
  w.sim.run();
  return out;
}

std::vector<std::string> hosts(const MxResult& r) {
  std::vector<std::string> out;
  for (const auto& e : r.exchanges)
    out.push_back(std::to_string(e.preference) + " " + e.host.to_string());
  return out;
}

TEST(DnsStub, MxOrderIsByPreferenceWithSeededTies) {
  std::set<std::vector<std::string>> orders;
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    DnsWorld w(seed);
    const MxResult r = mx(w, "example.org");
    ASSERT_EQ(r.status, MxStatus::Ok);
    EXPECT_FALSE(r.implicit);
    const auto order = hosts(r);
    ASSERT_EQ(order.size(), 4u);
    EXPECT_EQ(order[3], "20 backup.example.org.");
    std::vector<std::string> first(order.begin(), order.begin() + 3);
    std::ranges::sort(first);
    EXPECT_EQ(first, (std::vector<std::string>{"10 mx1.example.org.", "10 mx2.example.org.",
                                               "10 mx3.example.org."}));
    // The resolver's answer has no additional section: each address was looked up.
    for (const auto& e : r.exchanges)
      EXPECT_EQ(e.addresses.size(), 1u) << e.host.to_string();
    orders.insert(order);
  }
  EXPECT_GT(orders.size(), 2u) << "ties must be shuffled";
  // One seed, one order.
  DnsWorld a(5), b(5);
  EXPECT_EQ(hosts(mx(a, "example.org")), hosts(mx(b, "example.org")));
}

TEST(DnsStub, MxSpecialCases) {
  struct Case {
    const char* comment;
    const char* domain;
    MxStatus status;
    bool implicit;
    std::vector<std::string> exchanges;
  };
  const Case cases[] = {
      {"ordinary", "gmail.com", MxStatus::Ok, false, {"10 gmail-smtp-in.l.google.com."}},
      // No MX but an address: the domain itself receives mail (RFC 5321 §5.1).
      {"implicit MX", "implicit.example.org", MxStatus::Ok, true, {"0 implicit.example.org."}},
      // "MX 0 ." says the domain accepts no mail, even though it has an address (RFC 7505).
      {"null MX", "nomail.example.org", MxStatus::NoMail, false, {}},
      // Neither MX nor address: nowhere to deliver.
      {"no MX, no address", "textonly.example.org", MxStatus::NoData, false, {}},
      {"no such domain", "nothere.example.org", MxStatus::NxDomain, false, {}},
  };
  for (const Case& c : cases) {
    DnsWorld w(1);
    const MxResult r = mx(w, c.domain);
    EXPECT_EQ(r.status, c.status) << c.comment << ": " << r.detail;
    EXPECT_EQ(r.implicit, c.implicit) << c.comment;
    EXPECT_EQ(hosts(r), c.exchanges) << c.comment;
    if (c.implicit) {
      EXPECT_EQ(r.exchanges[0].addresses, std::vector<wire::Ipv4Addr>{ip("10.0.5.40")});
    }
  }
}

TEST(DnsStub, ExchangeAddressesComeFromTheAdditionalSection) {
  // The simplest lesson: the client asks the domain's own server (it serves google.com. too).
  DnsWorldOptions options;
  options.with_resolver = false;
  options.stub.resolver = kGoogle;
  DnsWorld w(1, options);
  const MxResult r = mx(w, "gmail.com");
  ASSERT_EQ(r.status, MxStatus::Ok);
  ASSERT_EQ(r.exchanges.size(), 1u);
  EXPECT_EQ(r.exchanges[0].addresses, std::vector<wire::Ipv4Addr>{ip("142.250.27.26")});
  // One question, one answer: no A lookup was needed.
  EXPECT_EQ(dns_dialogue(w.sim.trace()),
            (std::vector<std::string>{"client -> 216.239.32.10: query gmail.com. MX +rd",
                                      "ns1.google.com: response NOERROR aa an=1 ns=0 ar=1"}));
}

TEST(DnsStub, RetriesAndTimesOutWhenTheResolverIsSilent) {
  DnsWorld w(1);
  w.resolver_host->power_off();
  StubResponse r;
  TimeNs done_at = 0;
  w.stub->query(dns_name("gmail.com"), DnsType::MX, [&](const StubResponse& s) {
    r = s;
    done_at = w.sim.now();
  });
  w.sim.run();
  EXPECT_EQ(r.status, LookupStatus::Timeout);
  EXPECT_EQ(dns_dialogue(w.sim.trace()).size(), 2u);  // two tries
  // Two tries of 5 s; ARP for the dead resolver fails before the first timeout but a host that
  // gets no ARP answer reports nothing to UDP, so the stub waits the full time.
  EXPECT_EQ(done_at, 10 * kSecond);
}

TEST(DnsPcap, ResolutionPassesTsharkChecks) {
  ASSERT_TRUE(mailscope::testing::tshark_available())
      << "tshark is needed (scripts/test.sh installs it)";
  DnsWorld w(1);
  MxResult r;
  w.stub->resolve_mx(dns_name("gmail.com"), [&](const MxResult& m) { r = m; });
  w.stub->query(dns_name("big.example.org"), DnsType::TXT, [](const StubResponse&) {});
  w.sim.run();
  ASSERT_EQ(r.status, MxStatus::Ok);
  // Capture at the resolver only: every link would show each packet several times.
  const auto path = mailscope::testing::write_temp_file(
      "mailscope-dns.pcap", exporter::pcap_bytes(w.sim.trace(), {.tap = w.resolver_host->id()}));
  const auto report = mailscope::testing::tshark_expert(path);
  EXPECT_EQ(report.exit_status, 0) << report.output;
  EXPECT_FALSE(report.has_errors()) << report.output;
  EXPECT_FALSE(report.has_malformed()) << report.output;
  const std::string summary = mailscope::testing::tshark_summary(path);
  EXPECT_NE(summary.find("Standard query 0x"), std::string::npos) << summary;
  EXPECT_NE(summary.find(" MX gmail.com"), std::string::npos) << summary;
  EXPECT_NE(summary.find("Standard query response 0x"), std::string::npos) << summary;
  EXPECT_NE(summary.find("MX gmail.com MX 10 gmail-smtp-in.l.google.com"), std::string::npos)
      << summary;
  EXPECT_NE(summary.find("TXT big.example.org"), std::string::npos) << summary;
}

}  // namespace
}  // namespace mailscope::services

namespace mailscope::services {
namespace {

// The frame dissector shows DNS on port 53 (UDP, and TCP when a segment holds one message).
TEST(DnsDissect, FramesOnPort53ShowTheDnsMessage) {
  testing::DnsWorld w(1);
  w.stub->query(testing::dns_name("big.example.org"), wire::DnsType::TXT,
                [](const StubResponse&) {});
  w.sim.run();
  std::vector<std::string> summaries;
  bool has_tree = false;
  bool has_tcp_length = false;
  Trace::Scratch scratch;
  for (const TraceEvent& e : w.sim.trace().events()) {
    if (e.layer != Layer::Physical || e.kind != EventKind::Send) continue;
    const auto d = wire::dissect_frame(w.sim.trace().data(e, scratch));
    if (d.summary.starts_with("DNS ")) summaries.push_back(d.summary);
    for (const auto& f : d.fields) {
      has_tree = has_tree || f.name.starts_with("Domain Name System");
      has_tcp_length = has_tcp_length || f.name == "DNS over TCP length";
    }
  }
  EXPECT_TRUE(has_tree);
  ASSERT_FALSE(summaries.empty());
  EXPECT_TRUE(summaries.front().starts_with("DNS Standard query 0x")) << summaries.front();
  EXPECT_NE(summaries.front().find("TXT big.example.org"), std::string::npos);
  // The queries asked again over TCP are decoded too (each fits in one segment; the long
  // answers do not, and stay data).
  EXPECT_TRUE(has_tcp_length);
}

}  // namespace
}  // namespace mailscope::services
