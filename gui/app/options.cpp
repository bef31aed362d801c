#include "gui/app/options.h"

#include <CLI/CLI.hpp>

#include <cstdio>

namespace mailscope::gui {

ParsedOptions parse_options(int argc, char** argv) {
  ParsedOptions out;
  Options& o = out.options;
  CLI::App app{"mailscope-gui: watch an email travel through every layer of a simulated network"};
  app.set_version_flag("--version", std::string("mailscope-gui ") + MAILSCOPE_VERSION);
  std::string size;
  std::string screenshot;
  std::size_t step = 0;
  double time_s = 0;
  int bench = 0;
  app.add_option("scenario", o.scenario,
                 "What to open: demo, demo-same-domain, a bundled lesson id or a .json file");
  std::string compare;
  auto* compare_opt = app.add_option(
      "--compare", compare, "Open this run beside the first, stepped together (compare mode)");
  app.add_option("--scenarios", o.scenario_dir, "Directory of the bundled lessons");
  auto* shot = app.add_option("--screenshot", screenshot,
                              "Render the chosen moment (after its animation) to a PNG and exit");
  auto* step_opt =
      app.add_option("--step", step, "The step to show, numbered as in the timeline (1 = first)")
          ->check(CLI::Range(std::size_t{1}, SIZE_MAX));
  auto* time_opt = app.add_option("--time", time_s, "The moment to show, in virtual seconds")
                       ->check(CLI::NonNegativeNumber);
  step_opt->excludes(time_opt);
  app.add_option("--size", size, "Window size WxH (default 1280x800)");
  auto* bench_opt = app.add_option("--bench-frames", bench,
                                   "Render N frames of playback, print frame times and exit")
                        ->check(CLI::Range(1, 1'000'000));
  bench_opt->excludes(shot);
  app.add_option("--speed", o.speed, "Playback speed, 0.1 to 10 (default 1)")
      ->check(CLI::Range(0.1, 10.0));
  app.add_option("--seed", o.seed, "Seed of the built-in demo run");
  app.add_option("--lessons", o.lessons_dir, "Directory of lesson files (default assets/lessons)");
  app.add_option("--fonts", o.font_dir, "Directory holding the DejaVu fonts");
  app.add_flag("--hidden", o.hidden,
               "Do not show the window (with --screenshot or --bench-frames)");
  bool no_frame_cache = false;
  app.add_flag("--no-frame-cache", no_frame_cache,
               "Draw every pixel of every frame (slower without a GPU; for comparison)");
  app.add_flag("--startup-trace", o.startup_trace,
               "Print when each phase of start-up ended, from launch to the first frame and the "
               "run being ready");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    out.exit_code = app.exit(e);
    return out;
  }
  o.frame_cache = !no_frame_cache;
  if (compare_opt->count() > 0) o.compare = compare;
  if (!screenshot.empty()) o.screenshot = screenshot;
  if (step_opt->count() > 0) o.step = step;
  if (time_opt->count() > 0) o.time_s = time_s;
  if (bench_opt->count() > 0) o.bench_frames = bench;
  if (!size.empty()) {
    int w = 0, h = 0;
    char x = 0;
    if (std::sscanf(size.c_str(), "%d%c%d", &w, &x, &h) != 3 || (x != 'x' && x != 'X') || w < 320 ||
        h < 240 || w > 8192 || h > 8192) {
      std::fprintf(stderr, "mailscope-gui: --size wants WxH between 320x240 and 8192x8192\n");
      out.exit_code = 1;
      return out;
    }
    o.width = w;
    o.height = h;
  }
  return out;
}

}  // namespace mailscope::gui
