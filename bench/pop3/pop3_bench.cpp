// How fast the POP3 engines move mail on in-memory bytes: the cost of the protocol alone, without
// network, TLS or a real disk. The maildrop holds 1,000 messages; each benchmark retrieves all of
// them.

#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "mail/mail_store.h"
#include "proto/pop3/client_session.h"
#include "proto/pop3/server_session.h"

namespace mailscope::pop3 {
namespace {

constexpr int kMessages = 1'000;

class AcceptAll : public Pop3AuthPolicy {
 public:
  AuthVerdict authenticate(std::string_view, std::string_view) override {
    return AuthVerdict::Accept;
  }
};

// A message of about body_bytes in 76-octet lines, every tenth starting with a dot.
std::string make_message(std::size_t body_bytes, int index) {
  std::string m = "From: <bob@example.org>\r\nTo: <alice@example.com>\r\nSubject: bench " +
                  std::to_string(index) + "\r\n\r\n";
  std::size_t line = 0;
  while (m.size() < body_bytes) {
    m += (line++ % 10 == 0) ? "." : "";
    m += std::string(74, static_cast<char>('a' + line % 26)) + "\r\n";
  }
  return m;
}

std::unique_ptr<mail::MailStore> make_store(std::size_t message_bytes, std::uint64_t* total) {
  auto store = std::make_unique<mail::MailStore>();
  (void)store->add_user("alice");
  *total = 0;
  for (int i = 0; i < kMessages; ++i) {
    const std::string m = make_message(message_bytes, i);
    *total += m.size();
    (void)store->deliver("alice", m, 0);
  }
  return store;
}

Pop3ServerConfig server_config() {
  Pop3ServerConfig c;
  c.role = ServerRole::Pop3s;  // TLS itself is not measured here
  return c;
}

// The server alone: RETR 1 .. RETR 1000 in one logged-in session, one command per call.
void BM_ServerRetr(benchmark::State& state) {
  std::uint64_t total = 0;
  auto store = make_store(static_cast<std::size_t>(state.range(0)), &total);
  AcceptAll auth;
  std::vector<std::string> commands;
  for (int i = 1; i <= kMessages; ++i)
    commands.push_back("RETR " + std::to_string(i) + "\r\n");
  std::uint64_t sent = 0;
  for (auto _ : state) {
    Pop3ServerSession session(server_config(), *store, auth, 0);
    session.start(0);
    session.on_bytes(0, "USER alice\r\nPASS x\r\n");
    for (const std::string& command : commands) {
      const Pop3Output out = session.on_bytes(0, command);
      for (const Pop3Action& action : out.actions) {
        if (const Send* send = std::get_if<Send>(&action)) sent += send->bytes.size();
      }
    }
    session.on_connection_lost(0);
  }
  benchmark::DoNotOptimize(sent);
  state.SetItemsProcessed(state.iterations() * kMessages);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(total));
}
BENCHMARK(BM_ServerRetr)->Arg(1'000)->Arg(4'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

// Client and server engines together, as the simulated MUA fetches a full maildrop in "leave on
// server" mode: CAPA, AUTH, STAT, UIDL, 1,000 RETR with stuffing and un-stuffing, QUIT.
void BM_ClientServerSession(benchmark::State& state) {
  std::uint64_t total = 0;
  auto store = make_store(static_cast<std::size_t>(state.range(0)), &total);
  AcceptAll auth;
  Pop3ClientConfig config;
  config.user = "alice";
  config.password = "x";
  config.transport = ClientTransport::ImplicitTls;
  config.mode = RetrievalMode::LeaveOnServer;
  std::size_t retrieved = 0;
  for (auto _ : state) {
    Pop3ServerSession server(server_config(), *store, auth, 0);
    Pop3ClientSession client(config, 0);
    std::string to_client = server.start(0).sent_bytes();
    client.start(0);
    while (!client.finished() && !to_client.empty()) {
      const Pop3Output from_client = client.on_bytes(0, to_client);
      for (const Pop3Action& action : from_client.actions) {
        retrieved += std::holds_alternative<MessageRetrieved>(action) ? 1 : 0;
      }
      to_client = server.on_bytes(0, from_client.sent_bytes()).sent_bytes();
    }
  }
  if (retrieved != static_cast<std::size_t>(state.iterations()) * kMessages) {
    state.SkipWithError("not every message was retrieved");
  }
  state.SetItemsProcessed(state.iterations() * kMessages);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(total));
}
BENCHMARK(BM_ClientServerSession)
    ->Arg(1'000)
    ->Arg(4'000)
    ->Arg(100'000)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace mailscope::pop3

BENCHMARK_MAIN();
