// bench_soak: the fault-injection soak of docs/reliability.md. For each seed it generates a
// multi-domain lesson full of mail and faults (sim/soak/generator.h), runs it until it quiesces
// and checks the invariants (sim/soak/checker.h), printing one line of figures per seed. A seed
// with a violation prints each violation and "rerun with --seed N"; the exit status is then 1.
//
//   bench_soak --seeds 1..20 --messages 2000 --domains 8
//   bench_soak --seed 13 --messages 2000 --domains 8 --verbose

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include <CLI/CLI.hpp>

#include "soak/soak.h"

namespace {

bool parse_range(const std::string& text, std::uint64_t& first, std::uint64_t& last) {
  const std::size_t dots = text.find("..");
  try {
    if (dots == std::string::npos) {
      first = last = std::stoull(text);
    } else {
      first = std::stoull(text.substr(0, dots));
      last = std::stoull(text.substr(dots + 2));
    }
  } catch (const std::exception&) {
    return false;
  }
  return first <= last;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Fault-injection soak: generated worlds, many seeds, invariants checked"};
  std::string seeds = "1..5";
  std::uint64_t one_seed = 0;
  mailscope::soak::SoakSizes sizes;
  sizes.messages = 2000;
  sizes.domains = 8;
  bool verbose = false;
  std::string write_scenario;
  app.add_option("--seeds", seeds, "seeds to run, A..B (inclusive) or one number");
  auto* seed_option = app.add_option("--seed", one_seed, "run this one seed");
  app.add_option("--messages", sizes.messages, "messages per seed (1..15000)");
  app.add_option("--domains", sizes.domains, "mail domains (2..50)");
  app.add_option("--users", sizes.users_per_domain, "users per domain (1..50)");
  app.add_option("--intensity", sizes.fault_intensity, "fault intensity, 0 (none) .. 1");
  app.add_option("--interval", sizes.message_interval_s, "mean seconds between two sends");
  app.add_flag("--verbose", verbose, "print the generated fault plan and the run's end");
  app.add_option(
      "--write-scenario", write_scenario,
      "write the first seed's generated lesson to this file (for mailscope run) and stop");
  CLI11_PARSE(app, argc, argv);

  std::uint64_t first = 0;
  std::uint64_t last = 0;
  if (*seed_option) {
    first = last = one_seed;
  } else if (!parse_range(seeds, first, last)) {
    std::fprintf(stderr, "--seeds: expected A..B or N, got '%s'\n", seeds.c_str());
    return 2;
  }

  if (!write_scenario.empty()) {
    std::ofstream out(write_scenario);
    out << mailscope::soak::generate_soak(first, sizes).json << "\n";
    return out.good() ? 0 : 2;
  }

  std::printf("soak: seeds %llu..%llu, %u messages, %u domains x %u users, intensity %.2f\n",
              static_cast<unsigned long long>(first), static_cast<unsigned long long>(last),
              sizes.messages, sizes.domains, sizes.users_per_domain, sizes.fault_intensity);
  std::printf("%6s %6s %6s %6s %6s %6s %5s %8s %5s %5s %5s %6s %4s %4s %6s %8s %7s\n", "seed",
              "msgs", "250s", "rcpts", "deliv", "bounce", "dups", "marked", "1047", "crash",
              "c<dot", "c>dot", "part", "dns", "queue", "virt_s", "wall_s");
  std::uint64_t failed_seeds = 0;
  std::uint64_t total_messages = 0;
  std::uint64_t total_checked = 0;
  double total_wall = 0;
  for (std::uint64_t seed = first; seed <= last; ++seed) {
    const auto start = std::chrono::steady_clock::now();
    auto run = mailscope::soak::run_soak(seed, sizes);
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    total_wall += wall;
    if (!run.ok()) {
      std::printf("%6llu  error: %s\nrerun with --seed %llu\n",
                  static_cast<unsigned long long>(seed), run.error().to_string().c_str(),
                  static_cast<unsigned long long>(seed));
      ++failed_seeds;
      continue;
    }
    const auto& c = run->check.counts;
    const auto& k = run->check.crashes;
    const auto& plan = run->generated.faults;
    std::printf("%6llu %6u %6u %6u %6u %6u %5u %8u %5u %5u %5u %6u %4u %4u %6u %8.0f %7.1f\n",
                static_cast<unsigned long long>(seed), c.messages, c.accepted, c.recipients_checked,
                c.delivered, c.bounced, c.duplicates, c.duplicates_marked, c.windows, k.crashes,
                k.crashes_before_dot, k.crashes_after_dot, plan.partitions, plan.dns_outages,
                c.queue_left, static_cast<double>(run->report.end_ns) / 1e9, wall);
    if (verbose) {
      std::printf(
          "       lossy links %u (max %.1f %%), greylisting %u, sessions cut before/after the dot "
          "%u/%u, taken without 250 %u, delivered and bounced after a window %u, quiesced %s, "
          "trace events %llu, digest %016llx\n",
          plan.lossy_links, plan.loss_max * 100, plan.greylisting, k.sessions_before_dot,
          k.sessions_after_dot, c.taken_without_250, c.bounced_after_window,
          run->report.quiesced ? "yes" : "no", static_cast<unsigned long long>(run->report.events),
          static_cast<unsigned long long>(run->trace_digest));
    }
    total_messages += c.messages;
    total_checked += c.recipients_checked;
    if (!run->check.violations.empty()) {
      ++failed_seeds;
      for (const auto& v : run->check.violations) {
        std::printf("  VIOLATION %s: %s%s%s: %s\n", std::string(to_string(v.kind)).c_str(),
                    v.message.c_str(), v.recipient.empty() ? "" : " to ", v.recipient.c_str(),
                    v.detail.c_str());
      }
      std::printf("rerun with --seed %llu --messages %u --domains %u --users %u --intensity %g\n",
                  static_cast<unsigned long long>(seed), sizes.messages, sizes.domains,
                  sizes.users_per_domain, sizes.fault_intensity);
    }
    std::fflush(stdout);
  }
  std::printf(
      "total: %llu seeds, %llu messages, %llu recipients checked, %llu failing seeds, "
      "%.1f s\n",
      static_cast<unsigned long long>(last - first + 1),
      static_cast<unsigned long long>(total_messages),
      static_cast<unsigned long long>(total_checked), static_cast<unsigned long long>(failed_seeds),
      total_wall);
  return failed_seeds == 0 ? 0 : 1;
}
