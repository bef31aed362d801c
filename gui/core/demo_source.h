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
#include <string_view>

#include "gui/core/run_source.h"

namespace mailscope::gui {

// Which email the demo tells. CrossDomain: alice@outlook.com to bob@gmail.com (DNS, submission,
// MX lookup, relay, retrieval). SameDomain: alice@outlook.com to carol@outlook.com on the same
// network plus carol-pc: the server delivers locally, so there is no MX lookup and no relay —
// the pair compare mode shows side by side.
enum class DemoStory : std::uint8_t { CrossDomain, SameDomain };

// The names the command line and the scenario browser use for the two built-in runs.
inline constexpr std::string_view kDemoCrossDomain = "demo";
inline constexpr std::string_view kDemoSameDomain = "demo-same-domain";

class DemoRunSource final : public RunSource {
 public:
  explicit DemoRunSource(std::uint64_t seed = 1, DemoStory story = DemoStory::CrossDomain)
      : m_seed(seed), m_story(story) {}
  std::string name() const override;
  Result<LoadedRun> load() override;

 private:
  std::uint64_t m_seed;
  DemoStory m_story;
};

}  // namespace mailscope::gui
