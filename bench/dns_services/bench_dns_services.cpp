// Throughput of the DNS services in the simulated network: a cached resolution (the stub asks
// the resolver, which answers from its cache) and an uncached one (root, then the domain),
// each a whole exchange of frames through switches and routers with every trace event
// recorded. Figures are resolutions per second of host CPU time (items_per_second).

#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "core/simulator.h"
#include "net/lan_wan_lan.h"
#include "net/network.h"
#include "services/dns_authoritative_server.h"
#include "services/dns_resolver.h"
#include "services/dns_stub.h"

namespace mailscope::services {
namespace {

wire::DnsName name(const char* text) {
  return wire::DnsName::parse(text).value();
}

// The LAN-WAN-LAN topology: client 10.0.1.10 and the resolver 10.0.1.11 on one side, a root
// server 10.0.2.25 that delegates gmail.com. to a second server 10.0.2.26 on the other.
struct World {
  World()
      : sim(1),
        network(sim),
        topology(
            net::build_lan_wan_lan(network, net::LanWanLanOptions{.clients = 2, .servers = 2})) {
    root = std::make_unique<AuthoritativeServer>(*topology.servers[0]);
    domain = std::make_unique<AuthoritativeServer>(*topology.servers[1]);
    const std::vector<std::string> root_zone = {
        ". 86400 IN SOA root. hostmaster.root. 1 1800 900 604800 86400",
        ". 86400 IN NS root.",
        "root. 86400 IN A 10.0.2.25",
        "gmail.com. 86400 IN NS ns.gmail.com.",
        "ns.gmail.com. 86400 IN A 10.0.2.26",
    };
    const std::vector<std::string> gmail_zone = {
        "gmail.com. 300 IN SOA ns.gmail.com. hostmaster.gmail.com. 1 900 900 1800 60",
        "gmail.com. 300 IN NS ns.gmail.com.",
        "gmail.com. 3600 IN MX 10 gmail-smtp-in.l.google.com.",
    };
    (void)root->add_zone(DnsZone::from_lines(name("."), root_zone).value());
    (void)domain->add_zone(DnsZone::from_lines(name("gmail.com."), gmail_zone).value());
    RecursiveResolverConfig config;
    config.root_hints = {topology.servers[0]->address()};
    resolver = std::make_unique<RecursiveResolver>(*topology.clients[1], config);
    StubResolverConfig stub_config;
    stub_config.resolver = topology.clients[1]->address();
    stub = std::make_unique<StubResolver>(*topology.clients[0], stub_config);
  }

  // One stub question to the end of its exchange; true when it was answered.
  bool ask() {
    bool ok = false;
    stub->query(name("gmail.com."), wire::DnsType::MX,
                [&](const StubResponse& r) { ok = r.status == LookupStatus::Ok; });
    sim.run();
    return ok;
  }

  Simulator sim;
  net::Network network;
  net::LanWanLan topology;
  std::unique_ptr<AuthoritativeServer> root;
  std::unique_ptr<AuthoritativeServer> domain;
  std::unique_ptr<RecursiveResolver> resolver;
  std::unique_ptr<StubResolver> stub;
};

// Stub -> resolver -> cache -> stub: 2 datagrams, 2 routers' worth of nothing (same LAN).
void BM_CachedResolution(benchmark::State& state) {
  // A fresh world every 10,000 questions keeps the trace (and memory) bounded.
  constexpr int kQuestionsPerWorld = 10'000;
  auto world = std::make_unique<World>();
  world->ask();  // fills the cache and the ARP tables
  int asked = 0;
  for (auto _ : state) {
    if (++asked == kQuestionsPerWorld) {
      state.PauseTiming();
      world = std::make_unique<World>();
      world->ask();
      asked = 0;
      state.ResumeTiming();
    }
    if (!world->ask()) state.SkipWithError("the cached question failed");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CachedResolution);

// A new world per question: root referral, domain answer, through both routers and the WAN
// (world construction included).
void BM_UncachedResolution(benchmark::State& state) {
  for (auto _ : state) {
    World world;
    if (!world.ask()) state.SkipWithError("the question failed");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_UncachedResolution);

}  // namespace
}  // namespace mailscope::services

BENCHMARK_MAIN();
