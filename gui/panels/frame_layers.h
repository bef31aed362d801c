#pragma once
// Frame layers: which of a frame's ImGui draw lists can be kept from the previous frame.
//
// Under a software rasteriser (Mesa llvmpipe, which is what students without a GPU and every
// test machine get), filling the pixels of the six panels costs far more than building them.
// During playback only the moving packet changes from one frame to the next, and the panels
// change when the step does. So the renderer splits the frame in two:
//   cached  the tiled panels and their child windows: drawn into an offscreen image only when
//           their draw lists differ from the previous frame's, else that image is reused;
//   live    everything else, drawn over the image every frame, in ImGui's order: the
//           topology's packet layer (a child window named kLiveLayerName), the menu bar,
//           popups, tooltips and dialogs.
// This is exact because the tiled panels never overlap each other, a live layer only covers its
// own panel, and every other window is drawn after the panels.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <imgui.h>

namespace mailscope::gui {

// The name of a child window whose contents change every frame (and are never cached).
inline constexpr const char* kLiveLayerName = "##live";

struct FrameLayers {
  std::vector<ImDrawList*> cached;  // in draw order
  std::vector<ImDrawList*> live;    // in draw order
};

// Sorts the draw lists of `data`: a list is cached when the window that owns it is one of
// `tile_windows` (by title) or a child of one, and is not a live layer. `out` is cleared first;
// its vectors keep their capacity so that a frame allocates nothing.
void split_frame(const ImDrawData& data, std::span<const std::string> tile_windows,
                 FrameLayers& out);

// What a set of draw lists looks like: every vertex, index and command, and the display they
// were made for. Two equal signatures rasterise to the same pixels.
class DrawSignature {
 public:
  // Takes the signature of `lists`; true when it differs from the one taken last time (always
  // true the first time). The two buffers are swapped, not reallocated.
  bool update(std::span<ImDrawList* const> lists, ImVec2 display_size, ImVec2 framebuffer_scale);
  // Forgets the last signature, so that the next update() reports a change.
  void invalidate() { m_previous.clear(); }

 private:
  std::vector<unsigned char> m_current;
  std::vector<unsigned char> m_previous;  // empty until the first update(), or after invalidate()
};

// Wraps `lists` in an ImDrawData for a renderer backend, with `like`'s display geometry.
ImDrawData make_draw_data(std::span<ImDrawList* const> lists, const ImDrawData& like);

// Whether the back buffer still holds the last frame after a swap. Software GLX (Mesa's drisw,
// what Xvfb and GPU-less machines use) copies the back buffer to the window and keeps it; a GPU
// driver may flip buffers instead. When it is kept, a frame that changes only the live layers
// need copy back only the areas they covered.
enum class BackBuffer : std::uint8_t { Undefined, Preserved };

struct Rgba {
  std::uint8_t r = 0, g = 0, b = 0, a = 0;
  bool operator==(const Rgba&) const = default;
};

// Finds out which BackBuffer a window has from its first real frame, rather than from test
// frames drawn before it (two extra full-window swaps, on the way to the first picture). The
// caller reads one pixel of the back buffer just before the first swap and the same pixel just
// after. No other buffer of the window has been drawn into by then, so if the pixel after the
// swap is the one drawn, the swap kept the buffer. A black pixel proves nothing (a new buffer
// may be black), so the check then says Undefined, which is always safe: every frame copies
// the whole cached image back.
class BackBufferCheck {
 public:
  // True until observe() has been called: read the pixel around the next swap.
  bool pending() const { return !m_decided; }
  void observe(Rgba before_swap, Rgba after_swap);
  // Undefined until observe() found the buffer kept.
  BackBuffer verdict() const { return m_verdict; }

 private:
  bool m_decided = false;
  BackBuffer m_verdict = BackBuffer::Undefined;  // Preserved only after a conclusive observe()
};

}  // namespace mailscope::gui
