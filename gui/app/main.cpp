// mailscope-gui: the desktop front end. Interactive by default; --screenshot renders one moment
// to a PNG and --bench-frames times playback, both without user input.
//
// Sections: the App (one loaded run and its view-model) · screenshot · benchmark · main.

#include <stb_image_write.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <memory>
#include <vector>

#include "gui/app/options.h"
#include "gui/app/window.h"
#include "gui/core/demo_source.h"
#include "gui/core/recent_files.h"
#include "gui/core/scenario_source.h"
#include "gui/core/session.h"
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

// Plays the run with a fixed 1/60 s of playback per frame (so every machine renders the same
// frames) and measures how long each frame really takes, swap included.
int bench(Window& window, Dashboard& dashboard, Session& session, const Options& o,
          double startup_ms) {
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
  const double worst = *std::max_element(frame_ms.begin(), frame_ms.end());
  int w = 0, h = 0;
  (void)window.read_back_buffer(w, h);
  std::printf("first frame after %.1f ms (launch to first frame)\n", startup_ms);
  std::printf("%s: %zu events, %zu steps%s\n", vm.run().metadata.id.c_str(), vm.trace().size(),
              vm.step_count(), session.comparing() ? " (compare mode)" : "");
  std::printf("%d frames at %dx%d, speed %.1fx: median %.2f ms, p95 %.2f ms, max %.2f ms\n",
              *o.bench_frames, w, h, o.speed, median, p95, worst);
  std::printf("median split: panels %.2f ms, render %.2f ms, swap %.2f ms\n",
              percentile(draw_ms, 0.5), percentile(render_ms, 0.5),
              median - percentile(draw_ms, 0.5) - percentile(render_ms, 0.5));
  std::printf("panels redrawn in %d frames, reused in %d\n", window.cache().redrawn(),
              window.cache().reused());
  return 0;
}

// What start-up prepares on a second thread while the window's OpenGL context is created: the
// font atlas, the lessons and the first run. Nothing here touches ImGui's context or GL.
struct Prepared {
  std::unique_ptr<ImFontAtlas> atlas;
  Fonts fonts;
  LessonBook lessons;
  std::string lessons_error;  // empty when the lessons loaded
  std::unique_ptr<Session> session;
  bool opened = false;  // the first run (and the compared one) opened
};

Prepared prepare(const Options& o, float scale, const std::filesystem::path& scenario_dir) {
  Prepared p;
  p.atlas = std::make_unique<ImFontAtlas>();
  p.fonts = load_fonts(*p.atlas, 15.0f * scale, o.font_dir);
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  p.atlas->GetTexDataAsRGBA32(&pixels, &w, &h);  // builds the atlas here, not in the first frame
  const std::string lesson_dir = o.lessons_dir.empty() ? default_lesson_dir() : o.lessons_dir;
  if (auto loaded = p.lessons.load_directory(lesson_dir); !loaded)
    p.lessons_error = loaded.error().to_string();

  p.session = std::make_unique<Session>();
  Session& session = *p.session;
  if (auto recent = recent_files_path(std::getenv("XDG_CONFIG_HOME"), std::getenv("HOME"))) {
    if (auto list = RecentFiles::load(*recent)) session.recent() = std::move(list).value();
    session.set_recent_file(*recent);
  }
  // What to show first: the run named on the command line, else the default lesson, else the
  // built-in demo. A run that cannot be opened leaves the error dialog on screen (and, in the
  // headless modes, makes the exit status 1).
  const std::string first = !o.scenario.empty()         ? o.scenario
                            : scenario_runs_available() ? std::string(scenario::kDefaultScenarioId)
                                                        : std::string(kDemoCrossDomain);
  auto open_spec = [&](const std::string& spec, bool compare) {
    auto source = make_source(spec, scenario_dir, o.seed);
    if (!source) {
      session.show_error("Cannot open " + spec, source.error());
      return false;
    }
    return compare ? session.open_compare(**source, spec) : session.open(**source, spec);
  };
  p.opened = open_spec(first, false);
  if (!p.opened && o.scenario.empty() && first != kDemoCrossDomain) {
    // The default lesson could not run (the World may lack a service it needs): start with the
    // built-in demo rather than an empty window, and say why.
    const ErrorDialog& e = *session.error();
    std::fprintf(stderr, "mailscope-gui: %s: %s; showing the built-in demo\n", e.title.c_str(),
                 e.summary.c_str());
    p.opened = open_spec(std::string(kDemoCrossDomain), false);
  }
  if (p.opened && o.compare) p.opened = open_spec(*o.compare, true);
  if (session.has_run()) session.vm().set_speed(o.speed);
  return p;
}

int run(const Options& o) {
  using Clock = std::chrono::steady_clock;
  const auto launched = Clock::now();
  const bool headless = o.screenshot.has_value() || o.bench_frames.has_value();
  const std::filesystem::path scenario_dir = o.scenario_dir.empty()
                                                 ? scenario::bundled_scenario_dir()
                                                 : std::filesystem::path(o.scenario_dir);
  std::future<Prepared> preparing;
  auto window = Window::open(
      o.width, o.height, "MailScope", o.hidden ? Visibility::Hidden : Visibility::Shown,
      headless ? VSync::Off : VSync::On, [&](float scale) {
        preparing = std::async(std::launch::async, prepare, std::cref(o), scale, scenario_dir);
      });
  if (!window) {
    std::fprintf(stderr,
                 "mailscope-gui: cannot open a window (%s).\n"
                 "There is no display to draw on. Run `mailscope` for the text transcript of the "
                 "same run, or start the GUI under a virtual display: xvfb-run -a mailscope-gui\n",
                 window.error().what.c_str());
    return kExitNoDisplay;
  }
  Window& win = **window;
  Prepared prepared = preparing.get();
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
  Session& session = *prepared.session;
  if (!prepared.opened) {
    const ErrorDialog& e = *session.error();
    std::fprintf(stderr, "mailscope-gui: %s: %s\n", e.title.c_str(), e.summary.c_str());
    for (const std::string& line : e.lines)
      std::fprintf(stderr, "  %s\n", line.c_str());
    if (headless) return 1;
  }
  Dashboard dashboard(ui);
  dashboard.set_platform_keys(win.platform_keys());

  // The first frame, timed from launch: what a student waits for.
  win.poll_events(0);
  win.begin_frame(headless);
  dashboard.draw(session, ImGui::GetIO().DisplaySize);
  win.render(dashboard.tile_windows(), caching(o));
  win.swap();
  const double startup_ms =
      std::chrono::duration<double, std::milli>(Clock::now() - launched).count();

  if (o.screenshot) return screenshot(win, dashboard, session, o);
  if (o.bench_frames) return bench(win, dashboard, session, o, startup_ms);

  if (session.has_run()) {
    seek(session.vm(), o);
    session.vm().settle();
  }
  double last = win.now_s();
  std::optional<std::filesystem::path> pending_shot;
  while (!win.should_close() && !dashboard.quit_requested()) {
    // Idle (paused, animation over): sleep until input instead of spinning.
    const bool animating =
        session.has_run() && (session.vm().playing() || session.vm().step_progress() < 1.0 ||
                              (session.comparing() && session.compare_vm().step_progress() < 1.0));
    win.poll_events(animating ? 0 : 0.25);
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
  const auto parsed = mailscope::gui::parse_options(argc, argv);
  if (parsed.exit_code) return *parsed.exit_code;
  return mailscope::gui::run(parsed.options);
}
