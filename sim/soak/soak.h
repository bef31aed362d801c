#pragma once
// One soak run: generate the lesson for a seed, load it through the real loader, build the world,
// run it until it quiesces (or the drain time is over), check the invariants.
//
//   auto result = soak::run_soak(7, soak::SoakSizes{...});
//   if (!result.ok()) ...;                    // the generated scenario did not load or build
//   if (!result->check.violations.empty()) ...;  // "rerun with --seed 7"

#include <cstdint>
#include <memory>

#include "core/result.h"
#include "soak/checker.h"
#include "soak/generator.h"
#include "world/world.h"

namespace mailscope::soak {

struct SoakRun {
  GeneratedSoak generated;
  world::RunReport report;
  SoakCheck check;
  std::uint64_t trace_digest = 0;  // equal digests: the same run, event for event
};

// Loads and builds the generated lesson (without running it).
Result<std::unique_ptr<world::World>> build_soak_world(const GeneratedSoak& generated);

Result<SoakRun> run_soak(std::uint64_t seed, const SoakSizes& sizes);

}  // namespace mailscope::soak
