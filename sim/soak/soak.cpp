#include "soak/soak.h"

#include "scenario/loader.h"

namespace mailscope::soak {

Result<std::unique_ptr<world::World>> build_soak_world(const GeneratedSoak& generated) {
  auto loaded = scenario::load_scenario_text(generated.json, "soak.json");
  if (!loaded.ok())
    return make_error("generated scenario rejected: " + loaded.error_text(), "soak");
  return world::World::build(loaded.scenario());
}

Result<SoakRun> run_soak(std::uint64_t seed, const SoakSizes& sizes) {
  SoakRun run;
  run.generated = generate_soak(seed, sizes);
  auto built = build_soak_world(run.generated);
  if (!built.ok()) return built.error();
  world::World& world = **built;
  run.report = world.run();
  run.check = check_soak(world, run.generated.messages);
  run.trace_digest = world.trace().digest();
  return run;
}

}  // namespace mailscope::soak
