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

}  // namespace mailscope::gui
