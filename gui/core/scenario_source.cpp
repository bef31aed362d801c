#include "gui/core/scenario_source.h"

#include "gui/core/demo_source.h"
#include "scenario/loader.h"

namespace mailscope::gui {

bool scenario_runs_available() {
  return false;
}

Result<LoadedRun> ScenarioRunSource::load() {
  m_diagnostics.clear();
  const scenario::LoadResult loaded = scenario::load_scenario_file(m_file);
  if (!loaded.ok()) {
    for (const scenario::Diagnostic& d : loaded.diagnostics())
      m_diagnostics.push_back(d.to_string(loaded.file()));
    const std::size_t n = m_diagnostics.size();
    return make_error(n == 1 ? "the scenario has a problem"
                             : "the scenario has " + std::to_string(n) + " problems",
                      m_file.string());
  }
  (void)m_seed;
  return make_error(
      "\"" + loaded.scenario().meta.title +
          "\" is a valid scenario, but this build of mailscope-gui cannot run scenario files yet: "
          "the World that builds a simulation from a scenario (sim/world) is not part of it. "
          "The built-in demos (File → Scenario browser) run",
      m_file.string());
}

Catalog load_catalog(const std::filesystem::path& scenario_dir) {
  Catalog catalog;
  catalog.entries.push_back({std::string(kDemoCrossDomain),
                             "Built-in demo: alice@outlook.com writes to bob@gmail.com", "built-in",
                             "DNS, submission, MX lookup, relay between two providers, POP3 "
                             "retrieval, on the real simulated network stack.",
                             CatalogEntry::Origin::BuiltIn});
  catalog.entries.push_back({std::string(kDemoSameDomain),
                             "Built-in demo: alice@outlook.com writes to carol@outlook.com",
                             "built-in",
                             "The same email inside one provider: local delivery, no MX lookup "
                             "and no relay. Compare it with the cross-domain demo.",
                             CatalogEntry::Origin::BuiltIn});
  const scenario::ScenarioList list = scenario::list_bundled(scenario_dir);
  for (const scenario::ScenarioSummary& s : list.scenarios) {
    catalog.entries.push_back({s.id, s.title, std::string(scenario::to_string(s.level)),
                               s.description, CatalogEntry::Origin::Bundled});
  }
  for (const scenario::LoadResult& broken : list.broken) {
    catalog.broken.push_back(broken.diagnostics().empty()
                                 ? broken.file()
                                 : broken.diagnostics().front().to_string(broken.file()));
  }
  return catalog;
}

bool is_file_spec(std::string_view spec) {
  return spec.find('/') != std::string_view::npos || spec.ends_with(".json");
}

Result<std::unique_ptr<RunSource>> make_source(std::string_view spec,
                                               const std::filesystem::path& scenario_dir,
                                               std::uint64_t seed) {
  if (spec == kDemoCrossDomain)
    return std::unique_ptr<RunSource>(std::make_unique<DemoRunSource>(seed));
  if (spec == kDemoSameDomain) {
    return std::unique_ptr<RunSource>(std::make_unique<DemoRunSource>(seed, DemoStory::SameDomain));
  }
  const auto path = scenario::find_scenario(spec, scenario_dir);
  if (!path) {
    return make_error(
        "no such scenario: not a built-in run (demo, demo-same-domain), not a "
        "lesson in " +
            scenario_dir.string() + " and not a file",
        std::string(spec));
  }
  return std::unique_ptr<RunSource>(std::make_unique<ScenarioRunSource>(*path, seed));
}

}  // namespace mailscope::gui
