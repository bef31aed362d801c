// mailscope-gui: the desktop front end. Interactive by default; --screenshot renders one moment
// to a PNG and --bench-frames times playback, both without user input.
//
// Sections: the App (one loaded run and its view-model) · screenshot · benchmark · main.

#include <stb_image_write.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <vector>

#include "gui/app/options.h"
#include "gui/app/window.h"
#include "gui/core/demo_source.h"
#include "gui/core/first_run.h"
#include "gui/core/recent_files.h"
#include "gui/core/scenario_source.h"
#include "gui/core/session.h"
#include "gui/core/startup_trace.h"
#include "gui/panels/dashboard.h"
#include "scenario/loader.h"

namespace mailscope::gui {
namespace {

constexpr int kExitNoDisplay = 2;
constexpr int kSettleFrames = 3;  // ImGui sizes some windows from the previous frame's contents
constexpr int kAnimationFrames = 4;

void seek(ViewModel& vm, const Options& o) {
  if (o.step) vm.seek_step(*o.step - 1);
  if (o.time_s) vm.seek_time(static_cast<TimeNs>(*o.time_s * static_cast<double>(kSecond)));
}

Caching caching(const Options& o) {
  return o.frame_cache ? Caching::On : Caching::Off;
}

// Reads the back buffer (call after render, before swap) and writes it as a PNG.
bool write_png(Window& window, const std::string& path, int& w, int& h) {
  const std::vector<std::uint8_t> pixels = window.read_back_buffer(w, h);
  return stbi_write_png(path.c_str(), w, h, 4, pixels.data(), w * 4) != 0;
}

int screenshot(Window& window, Dashboard& dashboard, Session& session, const Options& o) {
  ViewModel& vm = session.vm();
  seek(vm, o);
  int w = 0, h = 0;
  // The step's animation plays for a few frames before it is settled, as on screen: the picture
  // must not depend on what earlier frames drew (the frame cache's partial copies included).
  for (int i = 0; i < kAnimationFrames + kSettleFrames; ++i) {
    if (i < kAnimationFrames) {
      session.tick(0.1);
    } else {
      vm.settle();
      if (session.comparing()) {
        session.sync().follow();
        session.compare_vm().settle();
      }
    }
    window.poll_events(0);
    window.begin_frame(true);
    dashboard.draw(session, ImGui::GetIO().DisplaySize);
    window.render(dashboard.tile_windows(), caching(o));
    if (i + 1 == kAnimationFrames + kSettleFrames && !write_png(window, *o.screenshot, w, h)) {
      std::fprintf(stderr, "mailscope-gui: cannot write %s\n", o.screenshot->c_str());
      return 1;
    }
    window.swap();
  }
  std::printf("wrote %s (%dx%d, step %zu of %zu", o.screenshot->c_str(), w, h, vm.step() + 1,
              vm.step_count());
  if (session.comparing()) {
    std::printf("; B at step %zu of %zu", session.compare_vm().step() + 1,
                session.compare_vm().step_count());
  }
  std::printf(")\n");
  return 0;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// How long start-up took, from launch: to the first frame on screen, and to the first run being
// simulated and ready (before or after that frame: the frame does not wait for it).
struct StartupTimes {
  double first_frame_ms = 0;
  double run_ready_ms = 0;
  bool first_frame_showed_run = false;  // else it showed the "Simulating …" card
};

// Plays the run with a fixed 1/60 s of playback per frame (so every machine renders the same
// frames) and measures how long each frame really takes, swap included.
int bench(Window& window, Dashboard& dashboard, Session& session, const Options& o,
          const StartupTimes& startup) {
  ViewModel& vm = session.vm();
  using Clock = std::chrono::steady_clock;
  seek(vm, o);
  vm.settle();
  vm.set_speed(o.speed);
  vm.set_playing(true);
  std::vector<double> frame_ms, draw_ms, render_ms;
  frame_ms.reserve(static_cast<std::size_t>(*o.bench_frames));
  auto ms = [](Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
  };
  for (int i = 0; i < *o.bench_frames; ++i) {
    const auto start = Clock::now();
    window.poll_events(0);
    if (!vm.playing()) vm.set_playing(true);  // loop from the start when the run ends
    session.tick(1.0 / 60.0);
    window.begin_frame(true);
    dashboard.draw(session, ImGui::GetIO().DisplaySize);
    const auto drawn = Clock::now();
    window.render(dashboard.tile_windows(), caching(o));
    const auto rendered = Clock::now();
    window.swap();
    const auto end = Clock::now();
    frame_ms.push_back(ms(start, end));
    draw_ms.push_back(ms(start, drawn));
    render_ms.push_back(ms(drawn, rendered));
  }
  const double median = percentile(frame_ms, 0.5);
  const double p95 = percentile(frame_ms, 0.95);
  // The first timed frame is the first through the frame cache (the window's first frame is drawn
  // without it): it makes the offscreen image and compiles its shaders, once per process.
  const double first = frame_ms.front();
  const double worst_after_first =
      frame_ms.size() > 1 ? *std::max_element(frame_ms.begin() + 1, frame_ms.end()) : first;
  int w = 0, h = 0;
  (void)window.read_back_buffer(w, h);
  std::printf("first frame after %.1f ms (launch to first frame)\n", startup.first_frame_ms);
  std::printf("run ready after %.1f ms (launch to the run simulated, %s)\n", startup.run_ready_ms,
              startup.first_frame_showed_run
                  ? "before the first frame, which showed it"
                  : "after the first frame, which showed the simulating card");
  std::printf("%s: %zu events, %zu steps%s\n", vm.run().metadata.id.c_str(), vm.trace().size(),
              vm.step_count(), session.comparing() ? " (compare mode)" : "");
  std::printf(
      "%d frames at %dx%d, speed %.1fx: median %.2f ms, p95 %.2f ms, max %.2f ms after the "
      "first (%.2f ms, setting up the frame cache)\n",
      *o.bench_frames, w, h, o.speed, median, p95, worst_after_first, first);
  std::printf("median split: panels %.2f ms, render %.2f ms, swap %.2f ms\n",
              percentile(draw_ms, 0.5), percentile(render_ms, 0.5),
              median - percentile(draw_ms, 0.5) - percentile(render_ms, 0.5));
  std::printf("panels redrawn in %d frames, reused in %d\n", window.cache().redrawn(),
              window.cache().reused());
  return 0;
}

// Start-up work done on other threads while the window's OpenGL context is created, in two parts
// so that the first frame waits only for the quick one:
//   - the font atlas and the lessons (prepare_ui), which the first frame needs;
//   - the first run (open_first_run), whose World may take most of a second to simulate; until
//     it is ready the window shows what is being simulated (first_run.h, preparing_view.h).
// Nothing here touches ImGui's context or GL.
struct PreparedUi {
  std::unique_ptr<ImFontAtlas> atlas;
  Fonts fonts;
  LessonBook lessons;
  std::string lessons_error;  // empty when the lessons loaded
};

PreparedUi prepare_ui(const Options& o, float scale, StartupTrace& trace) {
  PreparedUi p;
  p.atlas = std::make_unique<ImFontAtlas>();
  p.fonts = load_fonts(*p.atlas, 15.0f * scale, o.font_dir);
  trace.mark(Lane::Ui, "fonts read");
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  p.atlas->GetTexDataAsRGBA32(&pixels, &w, &h);  // builds the atlas here, not in the first frame
  trace.mark(Lane::Ui, "font atlas built " + std::to_string(w) + "x" + std::to_string(h));
  const std::string lesson_dir = o.lessons_dir.empty() ? default_lesson_dir() : o.lessons_dir;
  if (auto loaded = p.lessons.load_directory(lesson_dir); !loaded)
    p.lessons_error = loaded.error().to_string();
  trace.mark(Lane::Ui, "lessons loaded");
  return p;
}

// What to show first: the run named on the command line, else the default lesson, else the
// built-in demo.
std::string first_spec(const Options& o) {
  if (!o.scenario.empty()) return o.scenario;
  return scenario_runs_available() ? std::string(scenario::kDefaultScenarioId)
                                   : std::string(kDemoCrossDomain);
}

// Opens `first` (and the run to compare with) into a new session. A run that cannot be opened
// leaves the session's error dialog set (and, in the headless modes, makes the exit status 1).
std::unique_ptr<Session> open_first_run(const Options& o, const std::filesystem::path& scenario_dir,
                                        const std::string& first) {
  auto out = std::make_unique<Session>();
  Session& session = *out;
  if (auto recent = recent_files_path(std::getenv("XDG_CONFIG_HOME"), std::getenv("HOME"))) {
    if (auto list = RecentFiles::load(*recent)) session.recent() = std::move(list).value();
    session.set_recent_file(*recent);
  }
  auto open_spec = [&](const std::string& spec, bool compare) {
    auto source = make_source(spec, scenario_dir, o.seed);
    if (!source) {
      session.show_error("Cannot open " + spec, source.error());
      return false;
    }
    return compare ? session.open_compare(**source, spec) : session.open(**source, spec);
  };
  bool opened = open_spec(first, false);
  if (!opened && o.scenario.empty() && first != kDemoCrossDomain) {
    // The default lesson could not run (the World may lack a service it needs): start with the
    // built-in demo rather than an empty window, and say why.
    const ErrorDialog& e = *session.error();
    std::fprintf(stderr, "mailscope-gui: %s: %s; showing the built-in demo\n", e.title.c_str(),
                 e.summary.c_str());
    opened = open_spec(std::string(kDemoCrossDomain), false);
  }
  if (opened && o.compare) (void)open_spec(*o.compare, true);
  if (session.has_run()) session.vm().set_speed(o.speed);
  return out;
}

// The run is simulated while the window is created and first drawn, and on a busy machine the
// two compete for a core. Linux gives each thread a nice value of its own: the worker opening the
// run steps aside for the thread that draws. Best effort; a failure changes only the timing.
void yield_to_the_window() {
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
}

// Reports a first run that could not be opened on stderr (its dialog is on screen too); returns
// whether it opened.
bool report_first_run(const Session& session) {
  if (!session.error()) return true;
  const ErrorDialog& e = *session.error();
  std::fprintf(stderr, "mailscope-gui: %s: %s\n", e.title.c_str(), e.summary.c_str());
  for (const std::string& line : e.lines)
    std::fprintf(stderr, "  %s\n", line.c_str());
  return false;
}

// How long the process ran before main(): the kernel's start time of the process (in clock
// ticks since boot, 10 ms on Linux) against the boot-time clock now: the process's age. Negative
// when unknown.
double process_age_ms() {
  std::FILE* f = std::fopen("/proc/self/stat", "r");
  if (f == nullptr) return -1;
  char buf[1024] = {};
  const std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  buf[n] = 0;
  // The command name (field 2) may hold spaces; the fields after it follow its closing ')'.
  const char* p = std::strrchr(buf, ')');
  if (p == nullptr) return -1;
  unsigned long long start_ticks = 0;
  // Fields 3 to 21 are skipped; field 22 is the start time.
  if (std::sscanf(p + 1,
                  " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d "
                  "%llu",
                  &start_ticks) != 1)
    return -1;
  timespec now{};
  if (clock_gettime(CLOCK_BOOTTIME, &now) != 0) return -1;
  const double now_ms =
      static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
  const double start_ms =
      static_cast<double>(start_ticks) * 1e3 / static_cast<double>(sysconf(_SC_CLK_TCK));
  return now_ms - start_ms;
}

int run(const Options& o, StartupTrace& trace) {
  using Clock = std::chrono::steady_clock;
  auto ms_since = [](Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
  };
  const auto launched = trace.launched();
  const bool headless = o.screenshot.has_value() || o.bench_frames.has_value();
  const std::filesystem::path scenario_dir = o.scenario_dir.empty()
                                                 ? scenario::bundled_scenario_dir()
                                                 : std::filesystem::path(o.scenario_dir);
  const std::string first = first_spec(o);
  // Written by the worker before it hands the session over, read after: the future orders them.
  Clock::time_point run_opened;
  std::optional<FirstRun> first_run;
  std::future<PreparedUi> preparing_ui;
  auto window = Window::open(
      o.width, o.height, "MailScope", o.hidden ? Visibility::Hidden : Visibility::Shown,
      headless ? VSync::Off : VSync::On,
      [&](float scale) {
        // Both start once there is a display, so that a machine without one exits at once.
        first_run.emplace(
            [&] {
              yield_to_the_window();
              auto session = open_first_run(o, scenario_dir, first);
              run_opened = Clock::now();
              trace.mark(Lane::Run, "run opened (simulated, indexed)", run_opened);
              return session;
            },
            preparing_status(first, o.compare.value_or(std::string())));
        preparing_ui =
            std::async(std::launch::async, prepare_ui, std::cref(o), scale, std::ref(trace));
      },
      &trace);
  if (!window) {
    std::fprintf(stderr,
                 "mailscope-gui: cannot open a window (%s).\n"
                 "There is no display to draw on. Run `mailscope` for the text transcript of the "
                 "same run, or start the GUI under a virtual display: xvfb-run -a mailscope-gui\n",
                 window.error().what.c_str());
    return kExitNoDisplay;
  }
  Window& win = **window;
  PreparedUi prepared = preparing_ui.get();
  trace.mark(Lane::Main, "fonts and lessons received");
  win.init_imgui(std::move(prepared.atlas));
  ImGui::GetIO().FontDefault = prepared.fonts.regular;
  UiShared ui;
  ui.scale = win.content_scale();
  ui.fonts = prepared.fonts;
  ui.lessons = std::move(prepared.lessons);
  ui.seed = o.seed;
  ui.scenario_dir = scenario_dir;
  apply_style(ui.scale);
  if (!prepared.lessons_error.empty())
    std::fprintf(stderr, "mailscope-gui: lessons not loaded: %s\n", prepared.lessons_error.c_str());
  Dashboard dashboard(ui);
  dashboard.set_platform_keys(win.platform_keys());
  trace.mark(Lane::Main, "style, dashboard");

  // Called once, on the frame the run is swapped in: reports a failed open, and in the
  // interactive mode moves to the moment asked for. False: the headless modes must exit 1.
  auto run_arrived = [&](Session& session) {
    const bool opened = report_first_run(session);
    if (!headless && session.has_run()) {
      seek(session.vm(), o);
      session.vm().settle();
    }
    return opened || !headless;
  };
  // A run that was ready before the window (a small lesson) is shown in the first frame.
  if (first_run->poll() && !run_arrived(first_run->session())) return 1;

  // The first frame, timed from launch: what a student waits for.
  const bool first_frame_showed_run = first_run->ready();
  win.poll_events(0);
  win.begin_frame(headless);
  dashboard.draw(first_run->session(), ImGui::GetIO().DisplaySize);
  win.render(dashboard.tile_windows(), caching(o));
  win.swap();
  const double startup_ms = ms_since(launched, Clock::now());
  // The trace is printed once the run is ready too (at once in the headless modes, which wait).
  bool trace_printed = !trace.enabled();
  auto print_trace = [&] {
    if (trace_printed) return;
    trace_printed = true;
    const double age_ms = process_age_ms();
    const double ms_before_main_value =
        age_ms < 0 ? 0 : std::max(0.0, age_ms - ms_since(launched, Clock::now()));
    std::printf(
        "start-up phases (ms since main(), + ms since the lane's previous mark; the time before "
        "main() is\nthe kernel's count, to 10 ms):\n%s",
        format_startup_trace(trace.marks(), ms_before_main_value).c_str());
    std::fflush(stdout);  // the interactive mode may be ended by a signal, long after
  };

  if (headless) {
    // The headless modes render a moment of the real run: they wait for it.
    if (first_run->wait() && !run_arrived(first_run->session())) return 1;
    print_trace();
    const StartupTimes times{startup_ms, ms_since(launched, run_opened), first_frame_showed_run};
    if (o.screenshot) return screenshot(win, dashboard, first_run->session(), o);
    return bench(win, dashboard, first_run->session(), o, times);
  }

  double last = win.now_s();
  std::optional<std::filesystem::path> pending_shot;
  while (!win.should_close() && !dashboard.quit_requested()) {
    const bool preparing = !first_run->ready();
    Session& shown = first_run->session();
    // Idle (paused, animation over): sleep until input instead of spinning. While the run is
    // being prepared, wake often enough to turn the mark and to swap the run in soon after.
    const bool animating =
        shown.has_run() && (shown.vm().playing() || shown.vm().step_progress() < 1.0 ||
                            (shown.comparing() && shown.compare_vm().step_progress() < 1.0));
    win.poll_events(animating ? 0 : preparing ? 0.05 : 0.25);
    if (first_run->poll()) (void)run_arrived(first_run->session());
    if (first_run->ready()) print_trace();
    Session& session = first_run->session();
    const double now = win.now_s();
    session.tick(std::min(now - last, 0.25));
    last = now;
    win.begin_frame(false);
    dashboard.draw(session, ImGui::GetIO().DisplaySize);
    win.render(dashboard.tile_windows(), caching(o));
    // A screenshot asked for in the export dialog is taken a frame later, without the dialog.
    if (pending_shot) {
      int w = 0, h = 0;
      ui.status = write_png(win, pending_shot->string(), w, h)
                      ? "wrote " + pending_shot->string()
                      : "cannot write " + pending_shot->string();
      pending_shot.reset();
    }
    if (auto shot = dashboard.take_screenshot_request()) pending_shot = std::move(shot);
    win.swap();
  }
  return 0;
}

}  // namespace
}  // namespace mailscope::gui

int main(int argc, char** argv) {
  using mailscope::gui::StartupTrace;
  const auto launched = StartupTrace::Clock::now();
  const auto parsed = mailscope::gui::parse_options(argc, argv);
  if (parsed.exit_code) return *parsed.exit_code;
  StartupTrace trace(launched, parsed.options.startup_trace ? StartupTrace::Recording::On
                                                            : StartupTrace::Recording::Off);
  trace.mark(mailscope::gui::Lane::Main, "options parsed");
  return mailscope::gui::run(parsed.options, trace);
}
