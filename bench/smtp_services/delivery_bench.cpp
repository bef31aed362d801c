// End-to-end same-domain delivery on the virtual network: alice's PC connects to her provider's
// MSA across the LAN-WAN-LAN topology, submits one message (STARTTLS + AUTH, or plaintext), and the
// server stores it in carol's mailbox. One iteration = one whole submission until the network is
// quiet again (TCP handshake, TLS handshake, SMTP dialogue, local delivery, closing, TIME_WAIT).

#include <benchmark/benchmark.h>

#include <memory>

#include "mail/builder.h"
#include "net/lan_wan_lan.h"
#include "net/network.h"
#include "services/mail_server.h"
#include "services/submission_client.h"

namespace mailscope::services {
namespace {

struct BenchWorld {
  explicit BenchWorld(bool plaintext_auth)
      : sim(1), network(sim), topology(net::build_lan_wan_lan(network, topology_options())) {
    tls = std::move(ScenarioTls::create(sim, "Bench", clock)).value();
    context =
        std::make_unique<ServiceContext>(ServiceContext{sim, tls->crypto, tls->ca, nullptr, clock});
    (void)storage.add_user("alice", "alice-secret");
    (void)storage.add_user("carol", "carol-secret");
    MailServerOptions options;
    options.hostname = "mail.a.test";
    options.domains = {"a.test"};
    options.allow_plaintext_auth = plaintext_auth;
    server = std::move(MailServer::create(*context, *topology.servers[0], storage, router,
                                          std::move(options)))
                 .value();
    mail::NewMessage m;
    m.from = "Alice <alice@a.test>";
    m.to = {"carol@a.test"};
    m.subject = "Benchmark";
    m.text = std::string(20, 'x') + "\n";
    content = mail::build_text_message(m);
  }
  static net::LanWanLanOptions topology_options() {
    net::LanWanLanOptions o;
    o.servers = 1;
    return o;
  }

  bool submit_one(SubmissionSecurity security) {
    SubmissionOptions options;
    options.server_name = "mail.a.test";
    options.server_address = topology.servers[0]->address();
    options.security = security;
    options.credentials = smtp::Credentials{"alice", "alice-secret"};
    bool accepted = false;
    auto handle =
        SubmissionClient::submit(*context, *topology.clients[0], options,
                                 smtp::OutgoingMessage{"alice@a.test", {"carol@a.test"}, content},
                                 [&](const SubmissionResult& r) { accepted = r.accepted; });
    sim.run();
    return accepted;
  }

  mail::MailClock clock{1'767'258'000, 0};
  Simulator sim;
  net::Network network;
  net::LanWanLan topology;
  std::unique_ptr<ScenarioTls> tls;
  std::unique_ptr<ServiceContext> context;
  StaticMailRouter router;
  MailServerStorage storage;
  std::unique_ptr<MailServer> server;
  std::string content;
};

void run(benchmark::State& state, SubmissionSecurity security) {
  BenchWorld world(security == SubmissionSecurity::Plaintext);
  std::int64_t delivered = 0;
  for (auto _ : state) {
    if (!world.submit_one(security)) {
      state.SkipWithError("submission failed");
      break;
    }
    ++delivered;
  }
  state.SetItemsProcessed(delivered);
  state.counters["events_per_delivery"] =
      benchmark::Counter(static_cast<double>(world.sim.trace().size()) /
                         static_cast<double>(delivered ? delivered : 1));
}

void BM_SameDomainDeliveryStartTls(benchmark::State& state) {
  run(state, SubmissionSecurity::StartTls);
}
void BM_SameDomainDeliveryImplicitTls(benchmark::State& state) {
  run(state, SubmissionSecurity::ImplicitTls);
}
void BM_SameDomainDeliveryPlaintext(benchmark::State& state) {
  run(state, SubmissionSecurity::Plaintext);
}

BENCHMARK(BM_SameDomainDeliveryStartTls)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SameDomainDeliveryImplicitTls)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SameDomainDeliveryPlaintext)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace mailscope::services

BENCHMARK_MAIN();
