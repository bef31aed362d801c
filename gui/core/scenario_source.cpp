#include "gui/core/scenario_source.h"

#include <map>
#include <set>

#include "gui/core/demo_source.h"
#include "scenario/loader.h"
#include "world/world.h"

namespace mailscope::gui {

bool scenario_runs_available() {
  return true;
}

namespace {

// The scenario's mail domains as labelled regions: each domain's servers and name server, the
// client machines of its users, and its LAN (switch and router) when no other domain shares it.
std::vector<TopoDomain> domains_of(const scenario::Scenario& s, const Trace& trace) {
  std::map<std::string, NodeId, std::less<>> by_name;
  for (NodeId id = 0; id < trace.node_count(); ++id)
    by_name.emplace(trace.node(id).name, id);
  std::map<std::string, int, std::less<>> lan_users;  // how many domains sit on each LAN
  for (const scenario::Domain& d : s.domains)
    ++lan_users[d.lan];
  std::vector<TopoDomain> out;
  for (const scenario::Domain& d : s.domains) {
    std::set<NodeId> nodes;
    auto add = [&](std::string_view name) {
      if (const auto it = by_name.find(name); it != by_name.end()) nodes.insert(it->second);
    };
    for (const scenario::MailServer& server : d.servers)
      add(server.host);
    add(d.nameserver);
    for (const scenario::User& u : s.users) {
      if (u.domain() == d.name) add(u.host);
    }
    if (lan_users[d.lan] == 1) {
      add(d.lan);
      for (const scenario::Lan& lan : s.lans) {
        if (lan.name == d.lan && !lan.router.empty()) add(lan.router);
      }
    }
    if (!nodes.empty()) out.push_back(TopoDomain{d.name, {nodes.begin(), nodes.end()}});
  }
  return out;
}

}  // namespace

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
  const scenario::Scenario& scenario = loaded.scenario();
  auto built = world::World::build(scenario, world::WorldOptions{m_seed, std::nullopt});
  if (!built) {
    return make_error(
        "the scenario loads but its world cannot be built: " + built.error().what,
        m_file.string() + (built.error().where.empty() ? "" : ": " + built.error().where));
  }
  world::World& w = **built;
  w.run();
  LoadedRun run;
  run.topology = snapshot_topology(w.network(), w.trace());
  run.topology.domains = domains_of(scenario, w.trace());
  const exporter::ScenarioMetadata meta = w.metadata();
  run.metadata.id = meta.id;
  run.metadata.title = meta.title;
  run.metadata.description = meta.summary;
  run.metadata.objectives = meta.objectives;
  run.metadata.seed = meta.seed;
  run.metadata.source = m_file.string();
  run.key_log = w.key_log().lines();
  // The trace leaves the world, which is destroyed with this function. Its simulator gets a
  // fresh trace with the same nodes and flows, so that anything recorded while sockets and
  // servers shut down lands in a valid trace (a moved-from one is not safe to record into).
  run.trace = std::make_unique<Trace>();
  std::swap(*run.trace, w.trace());
  for (NodeId id = 0; id < run.trace->node_count(); ++id)
    w.trace().add_node(run.trace->node(id).name, run.trace->node(id).kind);
  for (FlowId id = 1; id < run.trace->flow_count(); ++id)
    w.trace().add_flow(run.trace->flow(id));
  return run;
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
