#pragma once
// Window: a GLFW window with an OpenGL 3.3 core context and Dear ImGui's GLFW and OpenGL3
// backends. Opening it fails cleanly (with GLFW's reason) when there is no display.

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "gui/app/frame_cache.h"
#include "gui/core/startup_trace.h"
#include "gui/panels/dashboard.h"

struct GLFWwindow;

namespace mailscope::gui {

enum class Visibility : std::uint8_t { Shown, Hidden };
enum class VSync : std::uint8_t { On, Off };

class Window {
 public:
  // Creates the window. `display_ready` (may be empty) is called with the monitor's content
  // scale once the display is known and before the slow OpenGL context creation, so that the
  // caller can start other work in parallel.
  static Result<std::unique_ptr<Window>> open(int width, int height, const std::string& title,
                                              Visibility visibility, VSync vsync,
                                              const std::function<void(float)>& display_ready = {},
                                              StartupTrace* trace = nullptr);
  // Creates the ImGui context and backends with `fonts` (an atlas built beforehand, possibly on
  // another thread); the window keeps the atlas until the context is gone.
  void init_imgui(std::unique_ptr<ImFontAtlas> fonts);
  ~Window();
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;

  // The monitor's content scale (2 on a high-DPI screen), at least 1.
  float content_scale() const { return m_scale; }
  bool should_close() const;
  // Waits up to `timeout_s` for input (0 polls without waiting).
  void poll_events(double timeout_s);
  double now_s() const;
  // Starts an ImGui frame; with `ignore_mouse` the mouse is treated as absent (screenshots).
  void begin_frame(bool ignore_mouse);
  // Renders ImGui's draw data into the back buffer (no swap yet). The draw lists of
  // `tile_windows` are kept between frames while they do not change (frame_cache.h).
  void render(std::span<const std::string> tile_windows, Caching caching = Caching::On);
  const FrameCache& cache() const { return *m_cache; }
  void swap();
  // The back buffer as RGBA rows, top row first; call after render() and before swap().
  std::vector<std::uint8_t> read_back_buffer(int& width, int& height) const;
  // The GLFW key codes of the shortcuts ImGui 1.86 does not name.
  PlatformKeys platform_keys() const;

 private:
  explicit Window(GLFWwindow* window) : m_window(window) {}
  void mark(std::string_view phase) const {
    if (m_trace != nullptr && m_frames == 0) m_trace->mark(Lane::Main, phase);
  }
  GLFWwindow* m_window;
  StartupTrace* m_trace = nullptr;       // may be null; marks phases until the first swap
  int m_frames = 0;                      // swapped so far
  std::unique_ptr<FrameCache> m_cache;   // made once the GL context is current; freed first
  BackBufferCheck m_back_buffer_check;   // decided on the first swap, then handed to m_cache
  std::unique_ptr<ImFontAtlas> m_fonts;  // outlives the ImGui context
  bool m_imgui = false;                  // init_imgui() was called
  float m_scale = 1.0f;
};

}  // namespace mailscope::gui
