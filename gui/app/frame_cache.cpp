#include "gui/app/frame_cache.h"

#define GLFW_INCLUDE_GLEXT
#include <GLFW/glfw3.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>

namespace mailscope::gui {

namespace {

// Framebuffer objects are OpenGL 3.0; libGL only promises 1.x symbols, so they are looked up.
struct FboFunctions {
  PFNGLGENFRAMEBUFFERSPROC gen = nullptr;
  PFNGLDELETEFRAMEBUFFERSPROC del = nullptr;
  PFNGLBINDFRAMEBUFFERPROC bind = nullptr;
  PFNGLFRAMEBUFFERTEXTURE2DPROC texture = nullptr;
  PFNGLCHECKFRAMEBUFFERSTATUSPROC status = nullptr;
  PFNGLBLITFRAMEBUFFERPROC blit = nullptr;
  bool ok() const { return gen && del && bind && texture && status && blit; }
};

const FboFunctions& fbo() {
  static const FboFunctions f = [] {
    FboFunctions g;
    g.gen = reinterpret_cast<PFNGLGENFRAMEBUFFERSPROC>(glfwGetProcAddress("glGenFramebuffers"));
    g.del =
        reinterpret_cast<PFNGLDELETEFRAMEBUFFERSPROC>(glfwGetProcAddress("glDeleteFramebuffers"));
    g.bind = reinterpret_cast<PFNGLBINDFRAMEBUFFERPROC>(glfwGetProcAddress("glBindFramebuffer"));
    g.texture = reinterpret_cast<PFNGLFRAMEBUFFERTEXTURE2DPROC>(
        glfwGetProcAddress("glFramebufferTexture2D"));
    g.status = reinterpret_cast<PFNGLCHECKFRAMEBUFFERSTATUSPROC>(
        glfwGetProcAddress("glCheckFramebufferStatus"));
    g.blit = reinterpret_cast<PFNGLBLITFRAMEBUFFERPROC>(glfwGetProcAddress("glBlitFramebuffer"));
    return g;
  }();
  return f;
}

void clear_target(int width, int height) {
  glViewport(0, 0, width, height);
  glClearColor(0.08f, 0.09f, 0.11f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
}

void draw_lists(std::span<ImDrawList* const> lists, const ImDrawData& like) {
  if (lists.empty()) return;
  ImDrawData part = make_draw_data(lists, like);
  ImGui_ImplOpenGL3_RenderDrawData(&part);
}

}  // namespace

FrameCache::FrameCache() = default;

FrameCache::~FrameCache() {
  release();
}

void FrameCache::release() {
  if (m_framebuffer != 0 && fbo().ok()) fbo().del(1, &m_framebuffer);
  if (m_texture != 0) glDeleteTextures(1, &m_texture);
  m_framebuffer = 0;
  m_texture = 0;
  m_width = m_height = 0;
}

bool FrameCache::ensure_target(int width, int height) {
  if (m_unsupported || !fbo().ok()) return false;
  if (m_framebuffer != 0 && width == m_width && height == m_height) return true;
  release();
  glGenTextures(1, &m_texture);
  glBindTexture(GL_TEXTURE_2D, m_texture);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
  fbo().gen(1, &m_framebuffer);
  fbo().bind(GL_FRAMEBUFFER, m_framebuffer);
  fbo().texture(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, m_texture, 0);
  const bool complete = fbo().status(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
  fbo().bind(GL_FRAMEBUFFER, 0);
  if (!complete) {
    release();
    m_unsupported = true;
    return false;
  }
  m_width = width;
  m_height = height;
  m_signature.invalidate();
  m_back_buffer_whole = false;
  return true;
}

Rgba read_back_buffer_pixel() {
  Rgba pixel;
  glReadBuffer(GL_BACK);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, 1, 1, GL_RGBA, GL_UNSIGNED_BYTE, &pixel.r);
  return pixel;
}

void FrameCache::copy_from_cache(const PixelRect& r) const {
  if (r.x1 <= r.x0 || r.y1 <= r.y0) return;
  fbo().blit(r.x0, r.y0, r.x1, r.y1, r.x0, r.y0, r.x1, r.y1, GL_COLOR_BUFFER_BIT, GL_NEAREST);
}

void FrameCache::measure_live(const ImDrawData& data, int width, int height) {
  m_live_rects.clear();
  const float sx = data.FramebufferScale.x, sy = data.FramebufferScale.y;
  constexpr int kFringe = 2;  // anti-aliased edges reach a pixel beyond the vertices
  for (const ImDrawList* list : m_layers.live) {
    if (list->VtxBuffer.Size == 0) continue;
    float x0 = FLT_MAX, y0 = FLT_MAX, x1 = -FLT_MAX, y1 = -FLT_MAX;
    for (const ImDrawVert& v : list->VtxBuffer) {
      x0 = std::min(x0, v.pos.x);
      y0 = std::min(y0, v.pos.y);
      x1 = std::max(x1, v.pos.x);
      y1 = std::max(y1, v.pos.y);
    }
    auto px = [](float v, float scale, int limit) {
      return std::clamp(static_cast<int>(std::floor(v * scale)), 0, limit);
    };
    const float ox = data.DisplayPos.x, oy = data.DisplayPos.y;
    PixelRect r;
    r.x0 = px(x0 - ox, sx, width) - kFringe;
    r.x1 = px(x1 - ox, sx, width) + 1 + kFringe;
    // OpenGL rows count from the bottom.
    r.y0 = height - px(y1 - oy, sy, height) - 1 - kFringe;
    r.y1 = height - px(y0 - oy, sy, height) + kFringe;
    r.x0 = std::clamp(r.x0, 0, width);
    r.x1 = std::clamp(r.x1, 0, width);
    r.y0 = std::clamp(r.y0, 0, height);
    r.y1 = std::clamp(r.y1, 0, height);
    m_live_rects.push_back(r);
  }
}

void FrameCache::render(const ImDrawData& data, std::span<const std::string> tile_windows,
                        int width, int height, Caching caching) {
  if (caching == Caching::Off || width <= 0 || height <= 0 || !ensure_target(width, height)) {
    clear_target(width, height);
    ImGui_ImplOpenGL3_RenderDrawData(const_cast<ImDrawData*>(&data));
    m_signature.invalidate();
    m_back_buffer_whole = false;
    return;
  }
  split_frame(data, tile_windows, m_layers);
  const auto& f = fbo();
  const bool changed = m_signature.update(m_layers.cached, data.DisplaySize, data.FramebufferScale);
  if (changed) {
    f.bind(GL_FRAMEBUFFER, m_framebuffer);
    clear_target(width, height);
    draw_lists(m_layers.cached, data);
    ++m_redrawn;
  } else {
    ++m_reused;
  }
  measure_live(data, width, height);
  // Bring the back buffer to "the panels and nothing else", then draw what changes every frame
  // over them. A full copy is the slow part under a software rasteriser, so when the back buffer
  // still holds the last frame only what the live layers covered then and now is copied back.
  f.bind(GL_READ_FRAMEBUFFER, m_framebuffer);
  f.bind(GL_DRAW_FRAMEBUFFER, 0);
  glDisable(GL_SCISSOR_TEST);
  if (changed || m_back_buffer != BackBuffer::Preserved || !m_back_buffer_whole) {
    copy_from_cache(PixelRect{0, 0, width, height});
  } else {
    for (const PixelRect& r : m_last_live_rects)
      copy_from_cache(r);
    for (const PixelRect& r : m_live_rects)
      copy_from_cache(r);
  }
  f.bind(GL_FRAMEBUFFER, 0);
  m_last_live_rects.swap(m_live_rects);
  m_back_buffer_whole = true;
  glViewport(0, 0, width, height);
  draw_lists(m_layers.live, data);
}

}  // namespace mailscope::gui
