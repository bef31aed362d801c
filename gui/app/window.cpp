#include "gui/app/window.h"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <cfloat>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace mailscope::gui {

namespace {

// GLFW reports errors through a callback; keep the last one to explain a failed start. Only the
// start-up path (one thread, before any window exists) reads it.
std::string& last_glfw_error() {
  static std::string error;
  return error;
}

void on_glfw_error(int code, const char* description) {
  last_glfw_error() = description != nullptr ? description : "GLFW error " + std::to_string(code);
}

}  // namespace

Result<std::unique_ptr<Window>> Window::open(int width, int height, const std::string& title,
                                             Visibility visibility, VSync vsync,
                                             const std::function<void(float)>& display_ready,
                                             StartupTrace* trace) {
  auto mark = [trace](std::string_view phase) {
    if (trace != nullptr) trace->mark(Lane::Main, phase);
  };
  glfwSetErrorCallback(on_glfw_error);
  if (glfwInit() == GLFW_FALSE) return make_error(last_glfw_error(), "display");
  mark("glfwInit");
  float monitor_scale = 1.0f;
  if (GLFWmonitor* monitor = glfwGetPrimaryMonitor()) {
    float xs = 1, ys = 1;
    glfwGetMonitorContentScale(monitor, &xs, &ys);
    monitor_scale = std::clamp(std::max(xs, ys), 1.0f, 4.0f);
  }
  // Creating the OpenGL context is the slow part of starting (a software driver compiles its
  // code then); the caller prepares fonts and the run meanwhile.
  mark("monitor content scale");
  if (display_ready) display_ready(monitor_scale);
  mark("workers started");
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_VISIBLE, visibility == Visibility::Shown ? GLFW_TRUE : GLFW_FALSE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  GLFWwindow* raw = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
  mark("glfwCreateWindow (window, GL context)");
  if (raw == nullptr) {
    const std::string why = last_glfw_error();
    glfwTerminate();
    return make_error(why.empty() ? "cannot create an OpenGL 3.3 window" : why, "window");
  }
  glfwMakeContextCurrent(raw);
  glfwSwapInterval(vsync == VSync::On ? 1 : 0);
  mark("context current, swap interval");
  std::unique_ptr<Window> window(new Window(raw));
  window->m_trace = trace;
  window->m_scale = monitor_scale;
  window->m_cache = std::make_unique<FrameCache>();
  return window;
}

void Window::init_imgui(std::unique_ptr<ImFontAtlas> fonts) {
  if (m_imgui) return;
  m_fonts = std::move(fonts);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext(m_fonts.get());
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // the layout is fixed; nothing to remember between runs
  ImGui_ImplGlfw_InitForOpenGL(m_window, true);
  ImGui_ImplOpenGL3_Init("#version 330");
  m_imgui = true;
  mark("ImGui context and backends");
}

Window::~Window() {
  m_cache.reset();
  if (m_imgui) {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
  }
  m_fonts.reset();  // after the context that used it
  glfwDestroyWindow(m_window);
  glfwTerminate();
}

bool Window::should_close() const {
  return glfwWindowShouldClose(m_window) != 0;
}

void Window::poll_events(double timeout_s) {
  if (timeout_s > 0)
    glfwWaitEventsTimeout(timeout_s);
  else
    glfwPollEvents();
}

double Window::now_s() const {
  return glfwGetTime();
}

void Window::begin_frame(bool ignore_mouse) {
  ImGui_ImplOpenGL3_NewFrame();
  mark("GL device objects (shaders, font texture)");
  ImGui_ImplGlfw_NewFrame();
  if (ignore_mouse) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    std::fill(std::begin(io.MouseDown), std::end(io.MouseDown), false);
    io.MouseWheel = 0;
  }
  ImGui::NewFrame();
  mark("ImGui NewFrame");
}

void Window::render(std::span<const std::string> tile_windows, Caching caching) {
  ImGui::Render();
  mark("panels built (ImGui::Render)");
  int w = 0, h = 0;
  glfwGetFramebufferSize(m_window, &w, &h);
  // The first frame is drawn straight into the back buffer: drawing through the offscreen image
  // needs more shader variants (the panels for another target format, the copy back), and under
  // llvmpipe compiling those costs 50-80 ms on the way to the first picture. The second frame
  // makes the image.
  m_cache->render(*ImGui::GetDrawData(), tile_windows, w, h,
                  m_frames == 0 ? Caching::Off : caching);
  mark("GL draw calls issued");
}

void Window::swap() {
  if (!m_back_buffer_check.pending()) {
    glfwSwapBuffers(m_window);
    ++m_frames;
    return;
  }
  // The first swap also tells whether swaps keep the back buffer (BackBufferCheck). Reading the
  // pixel before it costs nothing extra: the swap waits for the frame's pixels anyway.
  const Rgba before = read_back_buffer_pixel();
  glfwSwapBuffers(m_window);
  m_back_buffer_check.observe(before, read_back_buffer_pixel());
  m_cache->set_back_buffer(m_back_buffer_check.verdict());
  mark(m_back_buffer_check.verdict() == BackBuffer::Preserved
           ? "first swap (back buffer kept)"
           : "first swap (back buffer not kept)");
  ++m_frames;
}

std::vector<std::uint8_t> Window::read_back_buffer(int& width, int& height) const {
  glfwGetFramebufferSize(m_window, &width, &height);
  const auto row = static_cast<std::size_t>(width) * 4;
  std::vector<std::uint8_t> pixels(row * static_cast<std::size_t>(height));
  glReadBuffer(GL_BACK);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  // OpenGL's rows go bottom-up; images go top-down. The window is opaque whatever alpha the
  // blending left in the buffer.
  std::vector<std::uint8_t> flipped(pixels.size());
  for (int y = 0; y < height; ++y) {
    std::memcpy(flipped.data() + static_cast<std::size_t>(y) * row,
                pixels.data() + static_cast<std::size_t>(height - 1 - y) * row, row);
  }
  for (std::size_t i = 3; i < flipped.size(); i += 4)
    flipped[i] = 255;
  return flipped;
}

PlatformKeys Window::platform_keys() const {
  PlatformKeys keys;
  keys.help = GLFW_KEY_F1;
  keys.quit = GLFW_KEY_Q;
  keys.open = GLFW_KEY_O;
  keys.export_run = GLFW_KEY_E;
  return keys;
}

}  // namespace mailscope::gui
