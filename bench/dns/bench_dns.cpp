// Throughput of the DNS wire code on typical messages: a one-question query, and the response
// a resolver gets for gmail.com MX (five exchanges with their A records as glue, 4 NS in the
// authority section). Figures are messages per second (items_per_second).

#include <benchmark/benchmark.h>

#include <string>

#include "wire/dns_format.h"
#include "wire/dns_message.h"

namespace mailscope::wire {
namespace {

DnsName name(const std::string& text) {
  return DnsName::parse(text).value();
}

DnsMessage typical_query() {
  return DnsMessage::make_query(0x1234, name("gmail.com."), DnsType::MX);
}

DnsMessage typical_response() {
  DnsMessage m = DnsMessage::make_response(typical_query());
  m.flags.ra = true;
  const char* const prefixes[] = {"", "alt1.", "alt2.", "alt3.", "alt4."};
  for (std::uint16_t i = 0; i < 5; ++i) {
    const auto exchange = name(std::string(prefixes[i]) + "gmail-smtp-in.l.google.com.");
    m.answers.push_back(DnsRecord{name("gmail.com."), DnsClass::IN, 3600,
                                  DnsMx{static_cast<std::uint16_t>(5 + 5 * i), exchange}});
    m.additional.push_back(
        DnsRecord{exchange, DnsClass::IN, 300,
                  DnsA{Ipv4Addr::from_octets(142, 250, 27, static_cast<std::uint8_t>(26 + i))}});
  }
  for (int i = 1; i <= 4; ++i) {
    m.authority.push_back(DnsRecord{name("gmail.com."), DnsClass::IN, 86400,
                                    DnsNs{name("ns" + std::to_string(i) + ".google.com.")}});
  }
  m.additional.push_back(DnsEdns{}.to_record());
  return m;
}

void BM_ParseQuery(benchmark::State& state) {
  const Bytes bytes = typical_query().emit();
  for (auto _ : state) {
    auto parsed = DnsMessage::parse(bytes);
    benchmark::DoNotOptimize(parsed);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes.size()));
}
BENCHMARK(BM_ParseQuery);

void BM_ParseResponse(benchmark::State& state) {
  const Bytes bytes = typical_response().emit();
  for (auto _ : state) {
    auto parsed = DnsMessage::parse(bytes);
    benchmark::DoNotOptimize(parsed);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes.size()));
  state.counters["bytes_per_message"] = static_cast<double>(bytes.size());
}
BENCHMARK(BM_ParseResponse);

void BM_EmitQuery(benchmark::State& state) {
  const DnsMessage m = typical_query();
  for (auto _ : state) {
    auto bytes = m.emit();
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EmitQuery);

void BM_EmitResponse(benchmark::State& state) {
  const DnsMessage m = typical_response();
  for (auto _ : state) {
    auto bytes = m.emit();
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EmitResponse);

void BM_ParseEmitResponse(benchmark::State& state) {
  const Bytes bytes = typical_response().emit();
  for (auto _ : state) {
    auto parsed = DnsMessage::parse(bytes);
    auto again = parsed->emit();
    benchmark::DoNotOptimize(again);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseEmitResponse);

void BM_EmitTruncatedResponse(benchmark::State& state) {
  DnsMessage m = typical_response();
  for (int i = 0; i < 20; ++i)
    m.answers.push_back(m.answers[static_cast<std::size_t>(i % 5)]);  // ~1 KB: must truncate
  for (auto _ : state) {
    auto bytes = m.emit_truncated(512);
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EmitTruncatedResponse);

void BM_FormatDigResponse(benchmark::State& state) {
  const DnsMessage m = typical_response();
  for (auto _ : state) {
    auto text = format_dig(m);
    benchmark::DoNotOptimize(text);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FormatDigResponse);

}  // namespace
}  // namespace mailscope::wire

BENCHMARK_MAIN();
