#pragma once
// `mailscope run`: load a scenario, build its world, play it, write the exports and check the
// expectations. Exit status: 0 when every expectation holds, 1 when one fails, 2 for a usage or
// scenario error.

#include <cstdint>
#include <optional>
#include <string>

#include "cli/exports.h"
#include "scenario/scenario.h"

namespace mailscope::cli {

struct RunArgs {
  std::string scenario;  // a path or a bundled id; "" for the default lesson
  std::optional<std::uint64_t> seed;
  ExportPaths exports;  // exports.transcript is an extra file; stdout gets it unless quiet
  std::string layers = "7";
  std::optional<double> until_s;
  bool quiet = false;
};

int run_command(const RunArgs& args);

// Loads SCENARIO (path or bundled id; "" for the default) or prints why not; exit status 2 then.
std::optional<scenario::Scenario> load_for_command(const std::string& id_or_path);

}  // namespace mailscope::cli
