// Iterative resolution over the simulated network: referrals from the root to the TLD to the
// domain's server, caching, negative answers, failures and their timing, determinism.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "dns_world.h"
#include "export/transcript.h"

namespace mailscope::services {
namespace {

using testing::dns_dialogue;
using testing::dns_name;
using testing::dns_notes;
using testing::DnsWorld;
using testing::DnsWorldOptions;
using testing::ip;
using testing::l4_sends;
using wire::DnsType;

StubResponse ask(DnsWorld& w, const char* name, DnsType type) {
  StubResponse out;
  bool done = false;
  w.stub->query(dns_name(name), type, [&](const StubResponse& r) {
    out = r;
    done = true;
  });
  w.sim.run();
  EXPECT_TRUE(done);
  return out;
}

bool contains(const std::vector<std::string>& lines, const std::string& line) {
  return std::ranges::find(lines, line) != lines.end();
}

TEST(DnsResolution, FollowsReferralsFromTheRootToTheDomain) {
  DnsWorld w(1);
  const StubResponse r = ask(w, "gmail.com", DnsType::MX);
  ASSERT_EQ(r.status, LookupStatus::Ok);
  ASSERT_EQ(r.message.answers.size(), 1u);
  EXPECT_EQ(wire::to_string(r.message.answers[0]),
            "gmail.com.\t\t3600\tIN\tMX\t10 gmail-smtp-in.l.google.com.");
  EXPECT_TRUE(r.message.flags.ra);
  EXPECT_FALSE(r.message.flags.aa);  // a resolver's answer is not authoritative
  // ar=2 on the referrals: the glue address and the OPT record (the resolver sent EDNS).
  EXPECT_EQ(dns_dialogue(w.sim.trace()),
            (std::vector<std::string>{
                "client -> 10.0.1.53: query gmail.com. MX +rd",
                "resolver -> 198.41.0.4: query gmail.com. MX",
                "a.root-servers.net: response NOERROR an=0 ns=1 ar=2 (referral com.)",
                "resolver -> 192.5.6.30: query gmail.com. MX",
                "a.gtld-servers.net: response NOERROR an=0 ns=1 ar=2 (referral gmail.com.)",
                "resolver -> 216.239.32.10: query gmail.com. MX",
                "ns1.google.com: response NOERROR aa an=1 ns=0 ar=2",
                "resolver: response NOERROR an=1 ns=0 ar=0",
            }));
  EXPECT_EQ(dns_notes(w.sim.trace()),
            (std::vector<std::string>{
                "referral from 198.41.0.4: com. is served by a.gtld-servers.net. (192.5.6.30)",
                "referral from 192.5.6.30: gmail.com. is served by ns1.google.com. "
                "(216.239.32.10)",
                "answer: gmail.com. MX (1 record), cached for 3600 s",
            }));
  EXPECT_EQ(w.resolver->upstream_queries(), 3u);
}

TEST(DnsResolution, TraceEventsFollowTheConventions) {
  DnsWorld w(1);
  ask(w, "gmail.com", DnsType::MX);
  const Trace& trace = w.sim.trace();
  std::size_t requests = 0, receives = 0;
  for (EventId id = 0; id < trace.size(); ++id) {
    const TraceEvent& e = trace.event(id);
    if (e.layer == Layer::Transport && e.kind == EventKind::Send && e.detail == 17) {
      // Every datagram sent hangs below the DNS message it carries.
      ASSERT_NE(e.parent, kNoEvent);
      const TraceEvent& l7 = trace.event(e.parent);
      EXPECT_EQ(l7.layer, Layer::Application);
      EXPECT_TRUE(l7.kind == EventKind::Request || l7.kind == EventKind::Response);
      EXPECT_EQ(trace.flow(e.flow).application, "dns");
      ++requests;
    }
    if (e.layer == Layer::Application && e.kind == EventKind::Receive) {
      // Every message received hangs below the datagram that delivered it.
      ASSERT_NE(e.parent, kNoEvent);
      EXPECT_EQ(trace.event(e.parent).layer, Layer::Transport);
      EXPECT_EQ(trace.event(e.parent).node, e.node);
      ++receives;
    }
  }
  EXPECT_EQ(requests, 8u);
  EXPECT_EQ(receives, 8u);
  // The summary is the event's text, the message its data.
  for (const TraceEvent& e : trace.events()) {
    if (e.layer != Layer::Application || e.kind != EventKind::Request) continue;
    const auto message = wire::DnsMessage::parse(trace.message(e));
    ASSERT_TRUE(message.ok());
    EXPECT_EQ(trace.text(e), wire::summarize(*message));
  }
}

TEST(DnsResolution, SecondLookupWithinTheTtlSendsNoPacket) {
  DnsWorld w(1);
  ask(w, "gmail.com", DnsType::MX);
  const TimeNs later = w.sim.now() + 59 * kSecond;
  w.sim.run_until(later);
  const StubResponse r = ask(w, "gmail.com", DnsType::MX);
  ASSERT_EQ(r.status, LookupStatus::Ok);
  EXPECT_EQ(l4_sends(w.sim.trace(), *w.resolver_host, later), 1u);  // the answer to the client
  EXPECT_EQ(w.resolver->upstream_queries(), 3u);
  EXPECT_EQ(w.resolver->cache_hits(), 1u);
  // The cached record's TTL counts down: 3600 s minus the time since it arrived (rounded down).
  ASSERT_EQ(r.message.answers.size(), 1u);
  const std::uint32_t left = r.message.answers[0].ttl;
  EXPECT_GE(left, 3540u);
  EXPECT_LE(left, 3541u);
  EXPECT_EQ(dns_notes(w.sim.trace(), later),
            std::vector<std::string>{"cache hit: gmail.com. MX (TTL " + std::to_string(left) +
                                     " s left)"});
}

TEST(DnsResolution, AfterTheTtlTheResolverAsksAgain) {
  DnsWorld w(1);
  ask(w, "gmail.com", DnsType::MX);
  const TimeNs later = w.sim.now() + 3601 * kSecond;
  w.sim.run_until(later);
  ask(w, "gmail.com", DnsType::MX);
  // The MX expired, but the NS records of com. and gmail.com. (2 days) did not: one query, to
  // the domain's server directly.
  EXPECT_EQ(dns_dialogue(w.sim.trace(), later),
            (std::vector<std::string>{
                "client -> 10.0.1.53: query gmail.com. MX +rd",
                "resolver -> 216.239.32.10: query gmail.com. MX",
                "ns1.google.com: response NOERROR aa an=1 ns=0 ar=2",
                "resolver: response NOERROR an=1 ns=0 ar=0",
            }));
}

TEST(DnsResolution, NxDomainIsCachedForTheNegativeTtl) {
  DnsWorld w(1);
  const StubResponse r = ask(w, "nothere.gmail.com", DnsType::A);
  EXPECT_EQ(r.status, LookupStatus::NxDomain);
  ASSERT_EQ(r.message.authority.size(), 1u);
  // gmail.com.'s SOA: TTL 300, MINIMUM 60 -> negative TTL 60 (RFC 2308 §3).
  EXPECT_EQ(r.message.authority[0].type(), DnsType::SOA);
  EXPECT_EQ(r.message.authority[0].ttl, 60u);
  EXPECT_TRUE(contains(dns_notes(w.sim.trace()),
                       "216.239.32.10 says nothere.gmail.com. does not exist (NXDOMAIN); "
                       "remembered for 60 s"));

  const TimeNs within = w.sim.now() + 30 * kSecond;
  w.sim.run_until(within);
  EXPECT_EQ(ask(w, "nothere.gmail.com", DnsType::MX).status, LookupStatus::NxDomain);
  EXPECT_EQ(w.resolver->upstream_queries(), 3u);  // NXDOMAIN covers every type of the name
  const auto notes = dns_notes(w.sim.trace(), within);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_TRUE(notes[0].starts_with("cache hit: nothere.gmail.com. does not exist (NXDOMAIN, 2"))
      << notes[0];

  const TimeNs after = w.sim.now() + 61 * kSecond;
  w.sim.run_until(after);
  EXPECT_EQ(ask(w, "nothere.gmail.com", DnsType::A).status, LookupStatus::NxDomain);
  EXPECT_EQ(w.resolver->upstream_queries(), 4u);
}

TEST(DnsResolution, NoDataIsCachedPerType) {
  DnsWorld w(1);
  const StubResponse r = ask(w, "gmail.com", DnsType::AAAA);
  EXPECT_EQ(r.status, LookupStatus::NoData);
  EXPECT_EQ(r.message.flags.rcode, wire::DnsRcode::NOERROR);
  EXPECT_TRUE(r.message.answers.empty());
  ASSERT_EQ(r.message.authority.size(), 1u);
  EXPECT_EQ(r.message.authority[0].type(), DnsType::SOA);
  const std::uint64_t queries = w.resolver->upstream_queries();
  EXPECT_EQ(ask(w, "gmail.com", DnsType::AAAA).status, LookupStatus::NoData);
  EXPECT_EQ(w.resolver->upstream_queries(), queries);
  // Another type of the same name is not covered.
  EXPECT_EQ(ask(w, "gmail.com", DnsType::MX).status, LookupStatus::Ok);
  EXPECT_EQ(w.resolver->upstream_queries(), queries + 1);
}

TEST(DnsResolution, ServFailAfterTheOnlyServerIsDownWithTheRetryTiming) {
  DnsWorld w(1);
  // Warm up: the resolver learns where gmail.com.'s server is, and the router its MAC address
  // (otherwise the router's failed ARP would come back as ICMP host unreachable, which ends a
  // try early).
  ask(w, "gmail.com", DnsType::MX);
  w.google_host->power_off();
  const TimeNs start = w.sim.now();
  const StubResponse r = ask(w, "gmail.com", DnsType::A);
  EXPECT_EQ(r.status, LookupStatus::ServFail);
  EXPECT_EQ(r.message.flags.rcode, wire::DnsRcode::SERVFAIL);
  // Three tries to the dead server, 800 ms then 1600 ms apart (doubling, capped at 1600 ms),
  // and SERVFAIL 1600 ms after the last one.
  const Trace& trace = w.sim.trace();
  std::vector<TimeNs> tries;
  TimeNs servfail = 0;
  for (const TraceEvent& e : trace.events()) {
    if (e.time < start || e.node != w.resolver_host->id() || e.layer != Layer::Application) {
      continue;
    }
    if (e.kind == EventKind::Request &&
        trace.flow(e.flow).label.find("-> 216.239.32.10:53") != std::string::npos) {
      tries.push_back(e.time);
    }
    if (e.kind == EventKind::Note && trace.text(e).starts_with("SERVFAIL")) servfail = e.time;
  }
  ASSERT_EQ(tries.size(), 3u);
  EXPECT_EQ(tries[1] - tries[0], 800 * kMillisecond);
  EXPECT_EQ(tries[2] - tries[1], 1600 * kMillisecond);
  EXPECT_EQ(servfail - tries[2], 1600 * kMillisecond);
  EXPECT_EQ(dns_notes(trace, start),
            (std::vector<std::string>{
                "no answer from 216.239.32.10: no response from 216.239.32.10 within 800 ms",
                "retry 2/3: asking 216.239.32.10 for gmail.com. A, waiting up to 1600 ms",
                "no answer from 216.239.32.10: no response from 216.239.32.10 within 1600 ms",
                "retry 3/3: asking 216.239.32.10 for gmail.com. A, waiting up to 1600 ms",
                "no answer from 216.239.32.10: no response from 216.239.32.10 within 1600 ms",
                "SERVFAIL: no server of gmail.com. answered gmail.com. A (3 attempts)",
            }));
  // The failure is not cached: once the server is back, the next question succeeds.
  w.google_host->power_on();
  EXPECT_EQ(ask(w, "gmail.com", DnsType::A).status, LookupStatus::NoData);
}

TEST(DnsResolution, FallsBackToTheOtherServersOfTheZone) {
  DnsWorldOptions options;
  // A second root hint that nobody answers at, tried first.
  options.resolver.root_hints = {ip("198.41.0.99"), ip("198.41.0.4")};
  DnsWorld w(1, options);
  const StubResponse r = ask(w, "gmail.com", DnsType::MX);
  EXPECT_EQ(r.status, LookupStatus::Ok);
  const auto dialogue = dns_dialogue(w.sim.trace());
  ASSERT_GE(dialogue.size(), 3u);
  EXPECT_EQ(dialogue[1], "resolver -> 198.41.0.99: query gmail.com. MX");
  EXPECT_EQ(dialogue[2], "resolver -> 198.41.0.4: query gmail.com. MX");
  EXPECT_TRUE(contains(dns_notes(w.sim.trace()),
                       "retry 2/3: asking 198.41.0.4 for gmail.com. MX, waiting up to 1600 ms"));
}

TEST(DnsResolution, ServerNamesWithoutGlueAreLookedUpFirst) {
  DnsWorld w(1);
  const StubResponse r = ask(w, "web.example.org", DnsType::A);
  ASSERT_EQ(r.status, LookupStatus::Ok);
  EXPECT_EQ(dns_dialogue(w.sim.trace()),
            (std::vector<std::string>{
                "client -> 10.0.1.53: query web.example.org. A +rd",
                "resolver -> 198.41.0.4: query web.example.org. A",
                "a.root-servers.net: response NOERROR an=0 ns=1 ar=2 (referral org.)",
                "resolver -> 192.5.6.30: query web.example.org. A",
                "a.gtld-servers.net: response NOERROR an=0 ns=1 ar=1 (referral example.org.)",
                // ns.example.net. has no glue in org.: find its address through net.
                "resolver -> 198.41.0.4: query ns.example.net. A",
                "a.root-servers.net: response NOERROR an=0 ns=1 ar=2 (referral net.)",
                "resolver -> 192.5.6.30: query ns.example.net. A",
                "a.gtld-servers.net: response NOERROR an=0 ns=1 ar=2 (referral example.net.)",
                "resolver -> 10.0.5.53: query ns.example.net. A",
                "ns.example.net: response NOERROR aa an=1 ns=0 ar=1",
                "resolver -> 10.0.5.53: query web.example.org. A",
                "ns.example.net: response NOERROR aa an=1 ns=0 ar=1",
                "resolver: response NOERROR an=1 ns=0 ar=0",
            }));
  EXPECT_TRUE(contains(dns_notes(w.sim.trace()),
                       "looking up the address of ns.example.net. first (the referral to "
                       "example.org. gave no glue)"));
}

TEST(DnsResolution, CnameChasingInsideAZoneAndAcrossZones) {
  DnsWorld w(1);
  AddressResult inside;
  w.stub->resolve_a(dns_name("www.example.org"), [&](const AddressResult& r) { inside = r; });
  w.sim.run();
  ASSERT_EQ(inside.status, LookupStatus::Ok);
  EXPECT_EQ(inside.canonical_name, dns_name("web.example.org"));
  EXPECT_EQ(inside.addresses, std::vector<wire::Ipv4Addr>{ip("10.0.5.80")});

  // The alias points into google.com.: the resolver restarts from what it has cached for com.
  AddressResult across;
  w.stub->resolve_a(dns_name("gmailalias.example.org"),
                    [&](const AddressResult& r) { across = r; });
  w.sim.run();
  ASSERT_EQ(across.status, LookupStatus::Ok);
  EXPECT_EQ(across.canonical_name, dns_name("gmail-smtp-in.l.google.com"));
  EXPECT_EQ(across.addresses, std::vector<wire::Ipv4Addr>{ip("142.250.27.26")});
  EXPECT_TRUE(
      contains(dns_notes(w.sim.trace()),
               "gmailalias.example.org. is an alias (CNAME) of gmail-smtp-in.l.google.com."));
}

TEST(DnsResolution, CnameLoopsEndInServFail) {
  DnsWorld w(1);
  const StubResponse r = ask(w, "loop1.example.org", DnsType::A);
  EXPECT_EQ(r.status, LookupStatus::ServFail);
  EXPECT_TRUE(contains(dns_notes(w.sim.trace()), "SERVFAIL: more than 8 CNAMEs"));
}

TEST(DnsResolution, LocalZonesAreAnsweredWithoutAskingAnyone) {
  DnsWorld w(1);
  auto local = DnsZone::from_lines(dns_name("lan.test."),
                                   std::vector<std::string>{
                                       "lan.test. 60 IN SOA ns.lan.test. h.lan.test. 1 1 1 1 60",
                                       "lan.test. 60 IN NS ns.lan.test.",
                                       "printer.lan.test. 60 IN A 10.0.1.99",
                                   });
  ASSERT_TRUE(local.ok());
  ASSERT_FALSE(w.resolver->add_local_zone(std::move(*local)).has_value());
  const StubResponse r = ask(w, "printer.lan.test", DnsType::A);
  EXPECT_EQ(r.status, LookupStatus::Ok);
  EXPECT_TRUE(r.message.flags.aa);
  EXPECT_TRUE(r.message.flags.ra);
  EXPECT_EQ(w.resolver->upstream_queries(), 0u);
}

TEST(DnsResolution, ResolverRefusesClientsOutsideItsNetwork) {
  DnsWorldOptions options;
  options.resolver.allowed_clients = {testing::cidr("10.0.9.0/24")};
  DnsWorld w(1, options);
  const StubResponse r = ask(w, "gmail.com", DnsType::MX);
  EXPECT_EQ(r.status, LookupStatus::ServFail);
  EXPECT_EQ(r.message.flags.rcode, wire::DnsRcode::REFUSED);
  EXPECT_EQ(w.resolver->upstream_queries(), 0u);
}

TEST(DnsResolution, ForwardOnlyModePassesQuestionsToOneServer) {
  DnsWorld w(1);
  // A second resolver on the client that forwards to the first one.
  RecursiveResolverConfig config;
  config.forwarder = ip("10.0.1.53");
  RecursiveResolver forwarder(*w.client, config);
  ASSERT_TRUE(forwarder.listening());
  Resolution result;
  forwarder.resolve(dns_name("gmail.com"), DnsType::MX, kNoEvent,
                    [&](const Resolution& r) { result = r; });
  w.sim.run();
  EXPECT_EQ(result.rcode, wire::DnsRcode::NOERROR);
  ASSERT_EQ(result.answers.size(), 1u);
  const auto dialogue = dns_dialogue(w.sim.trace());
  ASSERT_FALSE(dialogue.empty());
  EXPECT_EQ(dialogue.front(), "client -> 10.0.1.53: query gmail.com. MX +rd");
  EXPECT_EQ(forwarder.upstream_queries(), 1u);
  // Cached at the forwarder too.
  forwarder.resolve(dns_name("gmail.com"), DnsType::MX, kNoEvent,
                    [&](const Resolution& r) { result = r; });
  w.sim.run();
  EXPECT_EQ(forwarder.upstream_queries(), 1u);
  EXPECT_EQ(forwarder.cache_hits(), 1u);
}

TEST(DnsResolution, TheWholeExchangeIsDeterministic) {
  const auto run = [](std::uint64_t seed) {
    DnsWorld w(seed);
    MxResult mx;
    w.stub->resolve_mx(dns_name("example.org"), [&](const MxResult& r) { mx = r; });
    w.sim.run();
    EXPECT_EQ(mx.status, MxStatus::Ok);
    w.stub->resolve_mx(dns_name("gmail.com"), [&](const MxResult& r) { mx = r; });
    w.sim.run();
    EXPECT_EQ(mx.status, MxStatus::Ok);
    return w.sim.trace().digest();
  };
  EXPECT_EQ(run(7), run(7));
  EXPECT_NE(run(7), run(8));  // ids and ports come from the seed
}

}  // namespace
}  // namespace mailscope::services

namespace mailscope::services {
namespace {

TEST(DnsTranscript, ShowsMessagesAsSummaries) {
  testing::DnsWorld w(1);
  w.stub->query(testing::dns_name("gmail.com"), wire::DnsType::MX, [](const StubResponse&) {});
  w.sim.run();
  exporter::TranscriptOptions options;
  options.show(Layer::Application);
  std::ostringstream out;
  exporter::write_transcript(w.sim.trace(), out, options);
  const std::string text = out.str();
  if (std::getenv("MAILSCOPE_PRINT_TRANSCRIPT") != nullptr) std::cout << text;
  EXPECT_NE(text.find("Standard query 0x"), std::string::npos) << text;
  EXPECT_NE(text.find("Standard query response 0x"), std::string::npos) << text;
  EXPECT_NE(text.find("MX gmail.com MX 10 gmail-smtp-in.l.google.com"), std::string::npos) << text;
  EXPECT_NE(text.find("referral from 198.41.0.4: com. is served by a.gtld-servers.net."),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace mailscope::services
