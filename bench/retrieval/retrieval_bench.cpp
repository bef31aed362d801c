// Fetching a full mailbox over the virtual network: bob's mail program downloads 1,000 messages
// of about 2 kB from mail.b.test across the LAN-WAN-LAN topology, by IMAP (993: UID SEARCH,
// UID FETCH BODY.PEEK[], UID STORE \Seen) or by POP3 (995: UIDL, 1,000 RETRs). One iteration = one
// whole session with a fresh client (TCP and TLS handshakes, the dialogue, LOGOUT/QUIT, closing),
// run until the network is quiet again. Items are messages, so items_per_second is messages/s.

#include <benchmark/benchmark.h>

#include <memory>

#include "mail/builder.h"
#include "net/lan_wan_lan.h"
#include "net/network.h"
#include "services/imap_server.h"
#include "services/mail_server.h"
#include "services/mail_user_agent.h"
#include "services/pop3_server.h"

namespace mailscope::services {
namespace {

constexpr std::size_t kMessages = 1000;

struct BenchWorld {
  BenchWorld() : sim(1), network(sim), topology(net::build_lan_wan_lan(network, options())) {
    tls = std::move(ScenarioTls::create(sim, "Bench", clock)).value();
    context =
        std::make_unique<ServiceContext>(ServiceContext{sim, tls->crypto, tls->ca, nullptr, clock});
    (void)storage.add_user("bob", "bob-secret");
    MailServerOptions mail_options;
    mail_options.hostname = "mail.b.test";
    mail_options.domains = {"b.test"};
    net::Host& server_host = *topology.servers[0];
    mail =
        std::move(MailServer::create(*context, server_host, storage, router, mail_options)).value();
    ImapServerOptions imap_options;
    imap_options.hostname = "mail.b.test";
    imap = std::move(ImapServer::create(*context, server_host, storage, imap_options)).value();
    Pop3ServerOptions pop3_options;
    pop3_options.hostname = "mail.b.test";
    pop3 = std::move(Pop3Server::create(*context, server_host, storage, pop3_options)).value();
    for (std::size_t i = 0; i < kMessages; ++i) {
      mail::NewMessage m;
      m.from = "Alice <alice@a.test>";
      m.to = {"bob@b.test"};
      m.subject = "Message " + std::to_string(i);
      for (int line = 0; line < 28; ++line)
        m.text += std::string(70, static_cast<char>('a' + line % 26)) + "\n";
      (void)storage.store().deliver("bob", mail::build_text_message(m), 0);
    }
  }
  static net::LanWanLanOptions options() {
    net::LanWanLanOptions o;
    o.servers = 1;
    return o;
  }

  // One fetch by a client that has nothing yet; returns the number of messages downloaded.
  std::size_t fetch(FetchProtocol protocol) {
    MuaOptions o;
    o.account = {"bob@b.test", "bob-secret", "Bob"};
    o.fetch.protocol = protocol;
    o.fetch.security = ConnectionSecurity::Implicit;
    o.fetch.port = protocol == FetchProtocol::Imap ? 993 : 995;
    o.fetch.server_name = "mail.b.test";
    o.fetch.server_address = topology.servers[0]->address();
    MailUserAgent bob(*context, *topology.clients[0], o);
    std::size_t fetched = 0;
    bob.fetch([&](const FetchOutcome& outcome) { fetched = outcome.ok ? outcome.fetched : 0; });
    sim.run();
    return fetched;
  }

  mail::MailClock clock{1'767'258'000, 0};
  Simulator sim;
  net::Network network;
  net::LanWanLan topology;
  std::unique_ptr<ScenarioTls> tls;
  std::unique_ptr<ServiceContext> context;
  StaticMailRouter router;
  MailServerStorage storage;
  std::unique_ptr<MailServer> mail;
  std::unique_ptr<ImapServer> imap;
  std::unique_ptr<Pop3Server> pop3;
};

void run(benchmark::State& state, FetchProtocol protocol) {
  BenchWorld world;
  for (auto _ : state) {
    const std::size_t fetched = world.fetch(protocol);
    if (fetched != kMessages) {
      state.SkipWithError("the fetch did not download every message");
      break;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kMessages));
}

void BM_ImapFetch1000(benchmark::State& state) {
  run(state, FetchProtocol::Imap);
}
void BM_Pop3Retr1000(benchmark::State& state) {
  run(state, FetchProtocol::Pop3);
}
BENCHMARK(BM_ImapFetch1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Pop3Retr1000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace mailscope::services

BENCHMARK_MAIN();
