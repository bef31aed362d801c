// How many mail transactions per second the server engine handles on in-memory bytes: the cost
// of the protocol alone, without network, TLS or storage.

#include <benchmark/benchmark.h>

#include <string>

#include "proto/smtp/server_session.h"

namespace mailscope::smtp {
namespace {

class AcceptAll : public SmtpServerPolicy {
 public:
  SenderVerdict check_sender(const Envelope&, const Path&) override {
    return SenderVerdict::Accept;
  }
  RecipientVerdict check_recipient(const Envelope&, const Path&) override {
    return RecipientVerdict::Accept;
  }
  AuthVerdict authenticate(std::string_view, std::string_view) override {
    return AuthVerdict::Accept;
  }
  SmtpReply accept_message(const Envelope&, std::string_view data) override {
    bytes += data.size();
    return make_reply(250, "2.0.0", "Ok: queued");
  }
  std::uint64_t bytes = 0;
};

// A message of about body_bytes in 76-octet lines, with a few dot-stuffed lines.
std::string make_content(std::size_t body_bytes) {
  std::string content =
      "From: <alice@example.org>\r\nTo: <bob@example.com>\r\nSubject: bench\r\n\r\n";
  std::size_t line = 0;
  while (content.size() < body_bytes) {
    content += (line++ % 10 == 0) ? ".." : "";
    content += std::string(74, 'a' + static_cast<char>(line % 26)) + "\r\n";
  }
  return content + ".\r\n";
}

// One pipelined transaction (MAIL, two RCPT, DATA) and its content per iteration, on one
// long-lived session, as an MTA receiving a stream of messages sees it.
void BM_ServerTransaction(benchmark::State& state) {
  AcceptAll policy;
  SmtpServerConfig config;
  SmtpServerSession session(config, policy, 0);
  session.start(0);
  session.on_bytes(0, "EHLO client.example.org\r\n");
  const std::string commands =
      "MAIL FROM:<alice@example.org> SIZE=4000\r\nRCPT TO:<bob@example.com>\r\n"
      "RCPT TO:<carol@example.com>\r\nDATA\r\n";
  const std::string content = make_content(static_cast<std::size_t>(state.range(0)));
  std::size_t replies = 0;
  for (auto _ : state) {
    SmtpOutput a = session.on_bytes(0, commands);
    SmtpOutput b = session.on_bytes(0, content);
    replies += a.actions.size() + b.actions.size();
  }
  benchmark::DoNotOptimize(replies);
  if (session.closed()) state.SkipWithError("session closed");
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(commands.size() + content.size()));
}
BENCHMARK(BM_ServerTransaction)->Arg(1'000)->Arg(4'000)->Arg(100'000);

// A whole session per iteration: greeting, EHLO, one transaction, QUIT.
void BM_ServerSession(benchmark::State& state) {
  AcceptAll policy;
  SmtpServerConfig config;
  const std::string content = make_content(4'000);
  for (auto _ : state) {
    SmtpServerSession session(config, policy, 0);
    session.start(0);
    session.on_bytes(0, "EHLO client.example.org\r\n");
    session.on_bytes(0, "MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\n");
    session.on_bytes(0, content);
    SmtpOutput out = session.on_bytes(0, "QUIT\r\n");
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ServerSession);

}  // namespace
}  // namespace mailscope::smtp

BENCHMARK_MAIN();
