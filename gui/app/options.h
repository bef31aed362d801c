#pragma once
// The command line of mailscope-gui.

#include <cstdint>
#include <optional>
#include <string>

namespace mailscope::gui {

struct Options {
  // What to open: "demo", "demo-same-domain", a bundled lesson id or a .json path. Empty: the
  // default (the cross-domain lesson when scenarios can run, else the built-in demo).
  std::string scenario;
  std::optional<std::string> compare;     // open this beside it, in compare mode
  std::string scenario_dir;               // where bundled lessons are; empty: the default
  std::optional<std::string> screenshot;  // render one moment to this PNG and exit
  std::optional<std::size_t> step;        // the moment, as the timeline numbers steps (from 1)
  std::optional<double> time_s;           // or as virtual time in seconds
  int width = 1280;
  int height = 800;
  std::optional<int> bench_frames;  // render this many frames of playback, print timings, exit
  double speed = 1.0;               // playback speed for --bench-frames and at start
  std::uint64_t seed = 1;
  std::string lessons_dir;  // empty: the default (assets/lessons)
  std::string font_dir = "/usr/share/fonts/truetype/dejavu";
  bool hidden = false;  // do not show the window (headless modes on a real display)
  // Keep the panels' pixels between frames (frame_cache.h); off draws every pixel every frame.
  bool frame_cache = true;
  bool startup_trace = false;  // print when each phase of start-up ended (startup_trace.h)
};

// Parses argv; on --help or an error prints what is needed and returns the exit code to use.
struct ParsedOptions {
  Options options;
  std::optional<int> exit_code;
};
ParsedOptions parse_options(int argc, char** argv);

}  // namespace mailscope::gui
