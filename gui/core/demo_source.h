#pragma once
// The built-in run: one email from alice@outlook.com to bob@gmail.com, told in the four phases
// the GUI teaches (DNS, submission, relay, retrieval), on a small two-domain network built in
// code. The network, ARP, IPv4, UDP and TCP are the real simulated stack; the application
// dialogues are scripted lines (no SMTP or POP3 engine behind them) until the scenario World
// takes over — the lead plugs that in as another RunSource.
//
//   alice-pc 10.0.1.10 ─┐                                         ┌─ mx.gmail.com 10.0.2.25
//   dns.outlook.com .53 ─┼─ lan-outlook ─ r-outlook ══ r-gmail ─ lan-gmail ─┤
//   smtp.outlook.com .25 ┘                                        └─ bob-pc 10.0.2.10

#include <cstdint>

#include "gui/core/run_source.h"

namespace mailscope::gui {

class DemoRunSource final : public RunSource {
 public:
  explicit DemoRunSource(std::uint64_t seed = 1) : m_seed(seed) {}
  std::string name() const override { return "Built-in demo"; }
  Result<LoadedRun> load() override;

 private:
  std::uint64_t m_seed;
};

}  // namespace mailscope::gui
