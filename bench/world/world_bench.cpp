// bench_world DOMAINS USERS MESSAGES: generates a lesson with that many domains (each a LAN with
// its own router, all joined to one internet router), users spread over them and messages sent
// between random users, then loads, builds and runs it headless and writes every export, printing
// wall time per stage and the peak resident memory. `mailscope run` does the same work. A fourth
// argument `discard` counts the text exports instead of keeping them and writes the pcap to
// /dev/null.

#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <streambuf>
#include <string>

#include "core/rng.h"
#include "export/html_report.h"
#include "export/pcap_export.h"
#include "export/session_json.h"
#include "export/transcript.h"
#include "scenario/loader.h"
#include "world/expectations.h"
#include "world/world.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Counts what is written and keeps nothing.
struct CountingBuffer : std::streambuf {
  std::uintmax_t count = 0;
  int_type overflow(int_type c) override {
    if (c != traits_type::eof()) ++count;
    return c;
  }
  std::streamsize xsputn(const char*, std::streamsize n) override {
    count += static_cast<std::uintmax_t>(n);
    return n;
  }
};

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

std::string generate(int domains, int users, int messages) {
  std::ostringstream s;
  s << R"({"id": "generated", "title": "Generated load", "level": "advanced",
  "description": "Many domains, users and messages.", "objectives": ["Measure"], "seed": 1,
  "duration_s": )"
    << (messages / 20 + 3600) << R"(,
  "network": {"lans": [)";
  for (int d = 0; d < domains; ++d)
    s << (d ? "," : "") << R"({"name": "lan)" << d << R"(", "router": "gw)" << d << R"("})";
  s << R"(], "routers": [{"name": "internet"})";
  for (int d = 0; d < domains; ++d)
    s << R"(,{"name": "gw)" << d << R"("})";
  s << R"(], "wan": [)";
  for (int d = 0; d < domains; ++d) {
    s << (d ? "," : "") << R"({"name": "wan)" << d << R"(", "between": ["internet", "gw)" << d
      << R"("], "latency_ms": 5, "bandwidth_mbps": 100})";
  }
  s << R"(]}, "dns": {"mode": "single", "lan": "lan0"}, "domains": [)";
  for (int d = 0; d < domains; ++d) {
    s << (d ? "," : "") << R"({"name": "d)" << d << R"(.example", "lan": "lan)" << d
      << R"(", "servers": [{"host": "mail.d)" << d
      << R"(.example", "services": ["smtp", "submission"]}]})";
  }
  s << R"(], "users": [)";
  for (int u = 0; u < users; ++u) {
    s << (u ? "," : "") << R"({"address": "u)" << u << "@d" << (u % domains)
      << R"(.example", "password": "pw", "lan": "lan)" << (u % domains) << R"("})";
  }
  s << R"(], "timeline": [)";
  mailscope::Rng rng(42);
  for (int m = 0; m < messages; ++m) {
    const auto from = rng.below(static_cast<std::uint64_t>(users));
    const auto to = rng.below(static_cast<std::uint64_t>(users));
    s << (m ? "," : "") << R"({"at_s": )" << (1.0 + m * 0.05) << R"(, "do": "send", "from": "u)"
      << from << "@d" << (from % static_cast<std::uint64_t>(domains)) << R"(.example", "to": ["u)"
      << to << "@d" << (to % static_cast<std::uint64_t>(domains))
      << R"(.example"], "subject": "Message )" << m << R"(", "body": "Hello."})";
  }
  s << R"(], "expect": []})";
  return s.str();
}

}  // namespace

int main(int argc, char** argv) {
  const int domains = argc > 1 ? std::atoi(argv[1]) : 100;
  const int users = argc > 2 ? std::atoi(argv[2]) : 1000;
  const int messages = argc > 3 ? std::atoi(argv[3]) : 10000;
  const bool discard = argc > 4 && std::string(argv[4]) == "discard";
  if (domains < 1 || users < domains || messages < 0) {
    std::fprintf(stderr,
                 "usage: bench_world DOMAINS USERS MESSAGES [discard] (USERS >= DOMAINS >= 1)\n");
    return 2;
  }
  auto start = Clock::now();
  const std::string text = generate(domains, users, messages);
  // A lesson a person writes stays far below the loader's limits; 100,000 messages do not.
  mailscope::scenario::LoadLimits limits;
  limits.json.input_bytes_max = std::size_t{1} << 30;
  limits.json.values_max = 100'000'000;
  limits.list_items_max = 10'000'000;
  auto loaded = mailscope::scenario::load_scenario_text(text, "generated.json", limits);
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s", loaded.error_text().c_str());
    return 1;
  }
  const double load_s = seconds_since(start);

  start = Clock::now();
  auto built = mailscope::world::World::build(loaded.scenario());
  if (!built.ok()) {
    std::fprintf(stderr, "%s\n", built.error().to_string().c_str());
    return 1;
  }
  mailscope::world::World& world = **built;
  const double build_s = seconds_since(start);

  start = Clock::now();
  const auto report = world.run();
  const double run_s = seconds_since(start);
  const double run_peak_mib = peak_rss_mib();

  // Delivered = messages in every mailbox, counted from the stores.
  std::size_t delivered = 0;
  for (auto& host : world.mail_hosts()) {
    for (int u = 0; u < users; ++u) {
      auto box = host->storage->store().messages("u" + std::to_string(u), "INBOX");
      if (box) delivered += box->size();
    }
  }

  start = Clock::now();
  const auto dir = std::filesystem::temp_directory_path() / "mailscope-bench-world";
  std::filesystem::create_directories(dir);
  // Peak memory after each export, to tell which one needs it.
  std::string export_peaks;
  auto note_peak = [&export_peaks](const char* what) {
    export_peaks += std::string(" ") + what + " " + std::to_string(std::lround(peak_rss_mib()));
  };
  std::uintmax_t export_bytes = 0;
  {
    // With "discard" the text exports are counted, not kept, and the pcap goes to /dev/null:
    // 100,000 messages would write about 50 GB.
    CountingBuffer counter;
    auto sink = [&](const char* name) -> std::unique_ptr<std::ostream> {
      if (discard) return std::make_unique<std::ostream>(&counter);
      return std::make_unique<std::ofstream>(dir / name);
    };
    mailscope::exporter::write_transcript(world.trace(), *sink("run.txt"), {});
    note_peak("transcript");
    mailscope::exporter::write_session_json(world.trace(), world.metadata(), *sink("run.json"));
    note_peak("json");
    mailscope::exporter::write_html_report(world.trace(), world.metadata(), *sink("run.html"));
    note_peak("html");
    (void)mailscope::exporter::write_pcap(world.trace(),
                                          discard ? "/dev/null" : (dir / "run.pcap").string());
    note_peak("pcap");
    export_bytes = counter.count;
  }
  const double export_s = seconds_since(start);
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    export_bytes += entry.file_size();
  std::filesystem::remove_all(dir);

  std::printf(
      "domains %d  users %d  messages %d\n"
      "load %.2f s  build %.2f s  run %.2f s  exports %.2f s\n"
      "virtual %.1f s  trace events %llu  trace memory %.0f MiB  exports %.0f MiB\n"
      "delivered %zu of %d  peak RSS %.0f MiB (after the run %.0f MiB; after%s)\n",
      domains, users, messages, load_s, build_s, run_s, export_s,
      static_cast<double>(report.end_ns) / 1e9, static_cast<unsigned long long>(report.events),
      static_cast<double>(world.trace().memory_bytes()) / (1 << 20),
      static_cast<double>(export_bytes) / (1 << 20), delivered, messages, peak_rss_mib(),
      run_peak_mib, export_peaks.c_str());
  return delivered == static_cast<std::size_t>(messages) ? 0 : 1;
}
