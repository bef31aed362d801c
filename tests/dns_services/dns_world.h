#pragma once
// A small Internet for the DNS tests: a client LAN with the recursive resolver, a WAN, and the
// root, TLD and domain name servers on LANs of their own behind a second router.
//
//   client 10.0.1.10, resolver 10.0.1.53 --[lan-a]-- r1 ==wan== r2 --+-- a.root-servers.net
//   198.41.0.4
//                                                                    +-- a.gtld-servers.net
//                                                                    192.5.6.30
//                                                                    +-- ns1.google.com
//                                                                    216.239.32.10
//                                                                    +-- ns.example.net 10.0.5.53
//
// Zones: "." on the root server; com., org. and net. on the TLD server; gmail.com. and
// google.com. on ns1.google.com; example.net. and example.org. on ns.example.net. The org. zone
// delegates example.org. to ns.example.net without glue (the name is in net.), so resolving
// anything in example.org. first needs the address of ns.example.net.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/simulator.h"
#include "net/network.h"
#include "services/dns_authoritative_server.h"
#include "services/dns_resolver.h"
#include "services/dns_stub.h"
#include "wire/dns_format.h"

namespace mailscope::services::testing {

inline wire::Ipv4Addr ip(const char* text) {
  return *wire::Ipv4Addr::parse(text);
}
inline wire::Ipv4Cidr cidr(const char* text) {
  return *wire::Ipv4Cidr::parse(text);
}
inline wire::DnsName dns_name(const char* text) {
  return *wire::DnsName::parse(text);
}

inline DnsZone zone(const char* origin, const std::vector<std::string>& lines) {
  auto z = DnsZone::from_lines(dns_name(origin), lines);
  EXPECT_TRUE(z.ok()) << (z.ok() ? "" : z.error().to_string());
  return std::move(z).value();
}

inline const std::vector<std::string> kRootZone = {
    ". 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 2024010101 1800 900 604800 86400",
    ". 518400 IN NS a.root-servers.net.",
    "a.root-servers.net. 518400 IN A 198.41.0.4",
    "com. 172800 IN NS a.gtld-servers.net.",
    "org. 172800 IN NS a.gtld-servers.net.",
    "net. 172800 IN NS a.gtld-servers.net.",
    "a.gtld-servers.net. 172800 IN A 192.5.6.30",
};

inline const std::vector<std::string> kComZone = {
    "com. 900 IN SOA a.gtld-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 86400",
    "com. 172800 IN NS a.gtld-servers.net.",
    "gmail.com. 172800 IN NS ns1.google.com.",
    "google.com. 172800 IN NS ns1.google.com.",
    "ns1.google.com. 172800 IN A 216.239.32.10",
};

inline const std::vector<std::string> kOrgZone = {
    "org. 900 IN SOA a.gtld-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 86400",
    "org. 172800 IN NS a.gtld-servers.net.",
    "example.org. 172800 IN NS ns.example.net.",
};

inline const std::vector<std::string> kNetZone = {
    "net. 900 IN SOA a.gtld-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 86400",
    "net. 172800 IN NS a.gtld-servers.net.",
    "example.net. 172800 IN NS ns.example.net.",
    "ns.example.net. 172800 IN A 10.0.5.53",
};

inline const std::vector<std::string> kGmailZone = {
    "gmail.com. 300 IN SOA ns1.google.com. dns-admin.google.com. 1 900 900 1800 60",
    "gmail.com. 345600 IN NS ns1.google.com.",
    "gmail.com. 3600 IN MX 10 gmail-smtp-in.l.google.com.",
    "mail.gmail.com. 3600 IN CNAME googlemail.l.google.com.",
};

inline const std::vector<std::string> kGoogleZone = {
    "google.com. 300 IN SOA ns1.google.com. dns-admin.google.com. 1 900 900 1800 60",
    "google.com. 345600 IN NS ns1.google.com.",
    "ns1.google.com. 345600 IN A 216.239.32.10",
    "gmail-smtp-in.l.google.com. 300 IN A 142.250.27.26",
    "googlemail.l.google.com. 300 IN A 142.250.27.17",
};

inline const std::vector<std::string> kExampleNetZone = {
    "example.net. 3600 IN SOA ns.example.net. hostmaster.example.net. 1 7200 900 1209600 300",
    "example.net. 3600 IN NS ns.example.net.",
    "ns.example.net. 3600 IN A 10.0.5.53",
};

// Built in code rather than listed: the TXT-heavy name's answer exceeds 1232 octets.
inline std::vector<std::string> example_org_zone() {
  std::vector<std::string> lines = {
      "example.org. 3600 IN SOA ns.example.net. hostmaster.example.org. 1 7200 900 1209600 300",
      "example.org. 3600 IN NS ns.example.net.",
      // Four exchanges, three of equal preference: their order is the stub's seeded choice.
      "example.org. 3600 IN MX 10 mx1.example.org.",
      "example.org. 3600 IN MX 10 mx2.example.org.",
      "example.org. 3600 IN MX 10 mx3.example.org.",
      "example.org. 3600 IN MX 20 backup.example.org.",
      "mx1.example.org. 3600 IN A 10.0.5.21",
      "mx2.example.org. 3600 IN A 10.0.5.22",
      "mx3.example.org. 3600 IN A 10.0.5.23",
      "backup.example.org. 3600 IN A 10.0.5.29",
      // No MX, one address: the implicit MX of RFC 5321 §5.1.
      "implicit.example.org. 3600 IN A 10.0.5.40",
      // A null MX (RFC 7505).
      "nomail.example.org. 3600 IN MX 0 .",
      "nomail.example.org. 3600 IN A 10.0.5.41",
      // Neither MX nor address.
      "textonly.example.org. 3600 IN TXT \"nothing to see\"",
      // An alias inside the zone and one leaving it.
      "www.example.org. 3600 IN CNAME web.example.org.",
      "web.example.org. 3600 IN A 10.0.5.80",
      "gmailalias.example.org. 3600 IN CNAME gmail-smtp-in.l.google.com.",
      // Two aliases of each other.
      "loop1.example.org. 3600 IN CNAME loop2.example.org.",
      "loop2.example.org. 3600 IN CNAME loop1.example.org.",
  };
  for (int i = 0; i < 12; ++i) {
    lines.push_back("big.example.org. 3600 IN TXT \"v=record" + std::to_string(100 + i) + " " +
                    std::string(120, 'x') + "\"");
  }
  return lines;
}

struct DnsWorldOptions {
  bool with_resolver = true;
  RecursiveResolverConfig resolver;  // root_hints filled in when empty
  StubResolverConfig stub;           // resolver address filled in when unset
};

struct DnsWorld {
  explicit DnsWorld(std::uint64_t seed, DnsWorldOptions options = {}) : sim(seed), network(sim) {
    net::LinkConfig lan{1 * kMillisecond, 100'000'000, 1500, 1000, 0.0};
    net::LinkConfig wan{10 * kMillisecond, 100'000'000, 1500, 1000, 0.0};
    auto& lan_a = network.add_switch("lan-a");
    r1 = &network.add_router("r1");
    r2 = &network.add_router("r2");
    network.attach(*r1, lan_a, cidr("10.0.1.1/24"), lan);
    network.connect(*r1, cidr("192.0.2.1/30"), *r2, cidr("192.0.2.2/30"), wan);
    r1->set_default_gateway(ip("192.0.2.2"));
    r2->routes().add(net::Route{cidr("10.0.1.0/24"), ip("192.0.2.1"),
                                r2->routes().lookup(ip("192.0.2.1"))->interface});
    client = &add_host("client", "host", lan_a, "10.0.1.10/24", "10.0.1.1");
    resolver_host = &add_host("resolver", "dns-server", lan_a, "10.0.1.53/24", "10.0.1.1");
    root_host = &server_lan("a.root-servers.net", "198.41.0.4/24", "198.41.0.1/24", lan);
    tld_host = &server_lan("a.gtld-servers.net", "192.5.6.30/24", "192.5.6.1/24", lan);
    google_host = &server_lan("ns1.google.com", "216.239.32.10/24", "216.239.32.1/24", lan);
    example_host = &server_lan("ns.example.net", "10.0.5.53/24", "10.0.5.1/24", lan);

    root = std::make_unique<AuthoritativeServer>(*root_host);
    tld = std::make_unique<AuthoritativeServer>(*tld_host);
    google = std::make_unique<AuthoritativeServer>(*google_host);
    example = std::make_unique<AuthoritativeServer>(*example_host);
    expect_ok(root->add_zone(zone(".", kRootZone)));
    expect_ok(tld->add_zone(zone("com.", kComZone)));
    expect_ok(tld->add_zone(zone("org.", kOrgZone)));
    expect_ok(tld->add_zone(zone("net.", kNetZone)));
    expect_ok(google->add_zone(zone("gmail.com.", kGmailZone)));
    expect_ok(google->add_zone(zone("google.com.", kGoogleZone)));
    expect_ok(example->add_zone(zone("example.net.", kExampleNetZone)));
    expect_ok(example->add_zone(zone("example.org.", example_org_zone())));

    if (options.with_resolver) {
      if (options.resolver.root_hints.empty()) options.resolver.root_hints = {ip("198.41.0.4")};
      resolver = std::make_unique<RecursiveResolver>(*resolver_host, options.resolver);
    }
    if (options.stub.resolver.is_unspecified()) options.stub.resolver = ip("10.0.1.53");
    stub = std::make_unique<StubResolver>(*client, options.stub);
  }

  static void expect_ok(const std::optional<Error>& error) {
    EXPECT_FALSE(error.has_value()) << (error ? error->to_string() : "");
  }

  net::Host& add_host(const char* name, const char* kind, net::Switch& lan, const char* address,
                      const char* gateway) {
    net::Host& h = network.add_host(name, kind);
    network.attach(h, lan, cidr(address), net::LinkConfig{});
    h.set_default_gateway(ip(gateway));
    return h;
  }

  // A LAN of its own behind r2 with one name server on it.
  net::Host& server_lan(const char* name, const char* address, const char* router_address,
                        const net::LinkConfig& link) {
    auto& lan = network.add_switch(std::string("lan-") + name);
    network.attach(*r2, lan, cidr(router_address), link);
    net::Host& h = network.add_host(name, "dns-server");
    network.attach(h, lan, cidr(address), link);
    h.set_default_gateway(cidr(router_address).address);
    return h;
  }

  Simulator sim;
  net::Network network;
  net::Host* r1 = nullptr;
  net::Host* r2 = nullptr;
  net::Host* client = nullptr;
  net::Host* resolver_host = nullptr;
  net::Host* root_host = nullptr;
  net::Host* tld_host = nullptr;
  net::Host* google_host = nullptr;
  net::Host* example_host = nullptr;
  // Services after the network: they are destroyed first.
  std::unique_ptr<AuthoritativeServer> root;
  std::unique_ptr<AuthoritativeServer> tld;
  std::unique_ptr<AuthoritativeServer> google;
  std::unique_ptr<AuthoritativeServer> example;
  std::unique_ptr<RecursiveResolver> resolver;
  std::unique_ptr<StubResolver> stub;
};

// The DNS messages of a run, one line each: who sent it, to whom (queries), and what it holds.
//   "resolver -> 198.41.0.4: query gmail.com. MX"
//   "a.root-servers.net: response NOERROR an=0 ns=1 ar=1 (referral com.)"
inline std::vector<std::string> dns_dialogue(const Trace& trace, TimeNs from = 0) {
  std::vector<std::string> out;
  for (const TraceEvent& e : trace.events()) {
    if (e.time < from || e.layer != Layer::Application) continue;
    if (e.kind != EventKind::Request && e.kind != EventKind::Response) continue;
    auto message = wire::DnsMessage::parse(trace.message(e));
    if (!message) {
      out.push_back("unparsable");
      continue;
    }
    const std::string node = trace.node(e.node).name;
    const auto& q = message->questions.front();
    if (e.kind == EventKind::Request) {
      const std::string& label = trace.flow(e.flow).label;
      std::string dst = label.substr(label.find("-> ") + 3);
      dst = dst.substr(0, dst.find(':'));
      out.push_back(node + " -> " + dst + ": query " + q.name.to_string() + " " +
                    wire::to_string(q.type) + (message->flags.rd ? " +rd" : ""));
      continue;
    }
    std::string line = node + ": response " + wire::to_string(message->flags.rcode) +
                       (message->flags.aa ? " aa" : "") + (message->flags.tc ? " tc" : "") +
                       " an=" + std::to_string(message->answers.size()) +
                       " ns=" + std::to_string(message->authority.size()) +
                       " ar=" + std::to_string(message->additional.size());
    const bool referral = message->answers.empty() && !message->authority.empty() &&
                          message->authority.front().type() == wire::DnsType::NS;
    if (referral) line += " (referral " + message->authority.front().name.to_string() + ")";
    out.push_back(line);
  }
  return out;
}

// The text of every L7 note, in order.
inline std::vector<std::string> dns_notes(const Trace& trace, TimeNs from = 0) {
  std::vector<std::string> out;
  for (const TraceEvent& e : trace.events()) {
    if (e.time >= from && e.layer == Layer::Application && e.kind == EventKind::Note) {
      out.emplace_back(trace.text(e));
    }
  }
  return out;
}

// How many datagrams or segments `host` sent from `from` on.
inline std::size_t l4_sends(const Trace& trace, const net::Host& host, TimeNs from = 0) {
  std::size_t n = 0;
  for (const TraceEvent& e : trace.events()) {
    if (e.time >= from && e.node == host.id() && e.layer == Layer::Transport &&
        e.kind == EventKind::Send) {
      ++n;
    }
  }
  return n;
}

}  // namespace mailscope::services::testing
