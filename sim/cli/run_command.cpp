#include "cli/run_command.h"

#include <iostream>

#include "cli/layers.h"
#include "cli/progress.h"
#include "scenario/loader.h"
#include "world/expectations.h"

namespace mailscope::cli {

std::optional<scenario::Scenario> load_for_command(const std::string& id_or_path) {
  const std::string wanted =
      id_or_path.empty() ? std::string(scenario::kDefaultScenarioId) : id_or_path;
  const auto path = scenario::find_scenario(wanted);
  if (!path) {
    std::cerr << "mailscope: no scenario file or bundled lesson named '" << wanted
              << "' (see `mailscope list`)\n";
    return std::nullopt;
  }
  auto loaded = scenario::load_scenario_file(*path);
  if (!loaded.ok()) {
    std::cerr << loaded.error_text();
    return std::nullopt;
  }
  return std::move(loaded).scenario();
}

int run_command(const RunArgs& args) {
  exporter::TranscriptOptions transcript;
  if (!parse_layers_option(args.layers, transcript)) return 2;
  if (args.until_s && *args.until_s < 0) {
    std::cerr << "mailscope: --until: a time in seconds, not negative\n";
    return 2;
  }
  auto scenario = load_for_command(args.scenario);
  if (!scenario) return 2;
  auto built = world::World::build(*scenario, world::WorldOptions{args.seed, std::nullopt});
  if (!built) {
    std::cerr << "mailscope: cannot build the world of " << scenario->meta.id << ": "
              << built.error().to_string() << "\n";
    return 2;
  }
  world::World& world = **built;
  if (!args.quiet) {
    std::cerr << "mailscope: " << scenario->meta.id << " — " << scenario->meta.title << " (seed "
              << world.seed() << ")\n";
  }

  world::RunOptions options;
  if (args.until_s) options.until_ns = static_cast<TimeNs>(*args.until_s * kSecond);
  ProgressBar progress;
  options.progress = [&progress](TimeNs now, TimeNs end) { progress.update(now, end); };
  const world::RunReport report = world.run(options);

  int status = 0;
  if (auto error = write_exports(world, args.exports, transcript)) {
    std::cerr << "mailscope: " << error->to_string() << "\n";
    status = 2;
  }
  if (!args.quiet) {
    ExportPaths to_stdout;
    to_stdout.transcript = "-";
    (void)write_exports(world, to_stdout, transcript);
  }

  const auto results = world::check_expectations(world);
  std::size_t failed = 0;
  for (const world::ExpectationResult& result : results) {
    if (!result.passed) ++failed;
    if (result.passed && args.quiet) continue;
    std::cerr << (result.passed ? "PASS  " : "FAIL  ") << result.description << " ("
              << result.observed << ")\n";
  }
  if (!args.quiet) {
    std::cerr << "mailscope: " << results.size() - failed << " of " << results.size()
              << " expectations hold; virtual time " << format_time(report.end_ns) << ", "
              << report.events << " trace events\n";
  }
  if (status != 0) return status;
  return failed == 0 ? 0 : 1;
}

}  // namespace mailscope::cli
