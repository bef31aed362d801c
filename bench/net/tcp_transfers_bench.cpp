// N concurrent 10 KiB TCP transfers across LAN - router - WAN - router - LAN
// (1 ms LAN, 10 ms WAN, 100 Mbit/s), trace kept in memory, no pcap written.
// Reports simulated frames (link transmissions) per second of wall time and trace bytes per frame.

#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "net/lan_wan_lan.h"
#include "net/tcp_stack.h"

namespace mailscope::net {
namespace {

constexpr std::size_t kTransferBytes = 10 * 1024;

struct Run {
  std::uint64_t frames = 0;
  std::uint64_t completed = 0;
  std::size_t trace_bytes = 0;
  std::size_t events = 0;
};

Run simulate(int transfers) {
  Simulator sim(42);
  Network network(sim);
  LanWanLanOptions options;
  // Deep queues: this measures the simulator, not a congestion collapse of 10,000 senders.
  options.lan.queue_frames_max = 1'000'000;
  options.wan.queue_frames_max = 1'000'000;
  const LanWanLan topology = build_lan_wan_lan(network, options);
  Host& client = *topology.clients[0];
  Host& server = *topology.servers[0];
  server.tcp().config().syn_backlog_max = 1'000'000;  // every SYN is accepted at once

  Run run;
  const std::vector<std::uint8_t> payload(kTransferBytes, 0x5a);
  auto listener = server.tcp().listen(80, [&run](std::shared_ptr<TcpStream> s) {
    TcpStream* raw = s.get();
    auto received = std::make_shared<std::size_t>(0);
    s->set_callbacks({.data = [received](wire::ByteView d, EventId) { *received += d.size(); },
                      .peer_closed =
                          [raw, received, &run] {
                            if (*received == kTransferBytes) ++run.completed;
                            raw->close();
                          }});
  });
  std::vector<std::shared_ptr<TcpStream>> streams;
  streams.reserve(static_cast<std::size_t>(transfers));
  for (int i = 0; i < transfers; ++i) {
    auto stream = client.tcp().connect(server.address(), 80, {});
    TcpStream* raw = stream.get();
    stream->set_callbacks({.connected = [raw, &payload] {
      raw->send(payload);
      raw->close();
    }});
    streams.push_back(std::move(stream));
  }
  sim.run();
  for (const auto& link : network.links())
    run.frames += link->frames_sent();
  run.trace_bytes = sim.trace().memory_bytes();
  run.events = sim.trace().size();
  return run;
}

void BM_ConcurrentTcpTransfers(benchmark::State& state) {
  const int transfers = static_cast<int>(state.range(0));
  Run last;
  std::uint64_t frames = 0;
  for (auto _ : state) {
    last = simulate(transfers);
    frames += last.frames;
  }
  if (last.completed != static_cast<std::uint64_t>(transfers)) {
    state.SkipWithError("not every transfer completed");
    return;
  }
  state.counters["frames/s"] =
      benchmark::Counter(static_cast<double>(frames), benchmark::Counter::kIsRate);
  state.counters["frames"] = static_cast<double>(last.frames);
  state.counters["events"] = static_cast<double>(last.events);
  state.counters["bytes/frame"] =
      static_cast<double>(last.trace_bytes) / static_cast<double>(last.frames);
}

BENCHMARK(BM_ConcurrentTcpTransfers)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace mailscope::net

BENCHMARK_MAIN();
