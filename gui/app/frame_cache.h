#pragma once
// FrameCache: draws a frame's ImGui draw data, keeping the tiled panels in an offscreen image
// between frames (see gui/panels/frame_layers.h for why and when that is exact). Needs a current
// OpenGL 3.3 context and ImGui's OpenGL3 backend initialised.

#include <span>
#include <string>
#include <vector>

#include <imgui.h>

#include "gui/panels/frame_layers.h"

namespace mailscope::gui {

enum class Caching : std::uint8_t { On, Off };

// A rectangle in framebuffer pixels, origin at the bottom left as OpenGL counts.
struct PixelRect {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // x0 <= x1, y0 <= y1; empty when equal
};

// The bottom-left pixel of the window's back buffer (for BackBufferCheck).
Rgba read_back_buffer_pixel();

class FrameCache {
 public:
  FrameCache();
  ~FrameCache();
  FrameCache(const FrameCache&) = delete;
  FrameCache& operator=(const FrameCache&) = delete;

  // When the back buffer is preserved (Window finds out on the first swap), a frame that changes
  // only the live layers copies back just the areas those layers covered in this frame and the
  // last, instead of every pixel.
  void set_back_buffer(BackBuffer back_buffer) { m_back_buffer = back_buffer; }
  // Renders `data` into the window's back buffer (framebuffer 0), `width`×`height` pixels.
  // With Caching::Off, or when the offscreen image cannot be made, everything is drawn.
  void render(const ImDrawData& data, std::span<const std::string> tile_windows, int width,
              int height, Caching caching);
  // How many frames redrew the cached panels, and how many reused them (for the benchmark).
  int redrawn() const { return m_redrawn; }
  int reused() const { return m_reused; }

 private:
  bool ensure_target(int width, int height);
  void copy_from_cache(const PixelRect& rect) const;
  // The framebuffer area each live list may touch this frame, into m_live_rects.
  void measure_live(const ImDrawData& data, int width, int height);
  void release();

  FrameLayers m_layers;
  DrawSignature m_signature;
  unsigned int m_framebuffer = 0;  // 0 until made; holds m_texture as colour attachment
  unsigned int m_texture = 0;
  int m_width = 0;  // of m_texture
  int m_height = 0;
  bool m_unsupported = false;  // the driver refused the offscreen target: draw everything
  BackBuffer m_back_buffer = BackBuffer::Undefined;
  std::vector<PixelRect> m_live_rects;       // this frame's
  std::vector<PixelRect> m_last_live_rects;  // the previous frame's: what must be repaired
  bool m_back_buffer_whole = false;  // the back buffer holds the cache plus the last live layers
  int m_redrawn = 0;
  int m_reused = 0;
};

}  // namespace mailscope::gui
