// How fast the IMAP engines move a mailbox: FETCH of 1,000 messages through the server engine,
// and the same bytes read back by the client engine. The cost of the protocol alone, on
// in-memory bytes, without network or TLS.

#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "mail/mail_store.h"
#include "proto/imap/client_session.h"
#include "proto/imap/server_session.h"

namespace mailscope::imap {
namespace {

constexpr int kMessages = 1000;

class AcceptAll : public ImapServerPolicy {
 public:
  AuthVerdict authenticate(std::string_view, std::string_view) override {
    return AuthVerdict::Accept;
  }
};

// A message of about body_bytes in 76-octet lines.
std::string make_message(int n, std::size_t body_bytes) {
  std::string m = "From: Alice <alice@example.com>\r\nTo: bob@example.org\r\nSubject: message " +
                  std::to_string(n) + "\r\nDate: Mon, 02 Sep 2024 08:00:00 +0000\r\n\r\n";
  while (m.size() < body_bytes)
    m += std::string(74, 'a' + static_cast<char>(n % 26)) + "\r\n";
  return m;
}

std::unique_ptr<mail::MailStore> make_store(std::size_t body_bytes) {
  auto store = std::make_unique<mail::MailStore>();
  (void)store->add_user("bob");
  for (int i = 0; i < kMessages; ++i) {
    (void)store->deliver("bob", make_message(i, body_bytes), i * kSecond);
  }
  return store;
}

// One UID FETCH 1:* of a whole mailbox per iteration, on a session that stays selected.
void BM_ServerFetchMailbox(benchmark::State& state) {
  const std::string items =
      state.range(1) == 0 ? "(UID FLAGS BODY.PEEK[])" : "(UID FLAGS ENVELOPE BODYSTRUCTURE)";
  auto store = make_store(static_cast<std::size_t>(state.range(0)));
  AcceptAll policy;
  ImapServerConfig config;
  config.role = ServerRole::ImplicitTls;
  ImapServerSession session(config, policy, *store, 0);
  (void)session.start(0);
  (void)session.on_bytes(0, std::string_view("a LOGIN bob pw\r\nb SELECT INBOX\r\n"));
  const std::string command = "c UID FETCH 1:* " + items + "\r\n";
  std::size_t bytes = 0;
  for (auto _ : state) {
    const ImapOutput out = session.on_bytes(0, command);
    for (const ImapAction& action : out.actions) {
      if (const Send* send = std::get_if<Send>(&action)) bytes += send->bytes.size();
    }
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * kMessages);
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_ServerFetchMailbox)
    ->Args({2048, 0})
    ->Args({2048, 1})
    ->Args({32768, 0})
    ->Unit(benchmark::kMillisecond);

// The client engine reading the responses of a whole-mailbox FETCH (framing, literals, parse).
void BM_ClientReadFetch(benchmark::State& state) {
  auto store = make_store(static_cast<std::size_t>(state.range(0)));
  AcceptAll policy;
  ImapServerConfig config;
  config.role = ServerRole::ImplicitTls;
  ImapServerSession server(config, policy, *store, 0);
  const std::string greeting = server.start(0).sent_bytes();
  std::string replies = server.on_bytes(0, std::string_view("A001 LOGIN bob pw\r\n")).sent_bytes();
  replies += server.on_bytes(0, std::string_view("A002 SELECT INBOX\r\n")).sent_bytes();
  replies += server.on_bytes(0, std::string_view("A003 UID FETCH 1:* (UID FLAGS BODY.PEEK[])\r\n"))
                 .sent_bytes();
  std::size_t fetched = 0;
  for (auto _ : state) {
    ImapClientConfig client_config;
    client_config.transport = ClientTransport::ImplicitTls;
    ImapClientSession client(client_config, 0);
    client.set_untagged_handler([&](const Response& r) { fetched += r.keyword == "FETCH"; });
    client.login("bob", "pw");
    client.select("INBOX");
    client.fetch("1:*", "(UID FLAGS BODY.PEEK[])", UidMode::Uid);
    (void)client.on_bytes(0, greeting);
    const ImapOutput out = client.on_bytes(0, replies);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * kMessages);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * replies.size()));
  state.counters["fetched"] =
      static_cast<double>(fetched) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_ClientReadFetch)->Arg(2048)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace mailscope::imap

BENCHMARK_MAIN();
