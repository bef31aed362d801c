#include "gui/panels/frame_layers.h"

#include <algorithm>
#include <cstring>
#include <string_view>

namespace mailscope::gui {

namespace {

bool is_tile(std::string_view owner, std::span<const std::string> tiles) {
  // A child window's draw list is owned by "Parent/##child_1234ABCD".
  if (owner.find(kLiveLayerName) != std::string_view::npos) return false;
  const std::string_view root = owner.substr(0, owner.find('/'));
  return std::any_of(tiles.begin(), tiles.end(),
                     [root](const std::string& t) { return t == root; });
}

template <typename T>
void append(std::vector<unsigned char>& out, const T* data, std::size_t count) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(data);
  out.insert(out.end(), bytes, bytes + count * sizeof(T));
}

}  // namespace

void split_frame(const ImDrawData& data, std::span<const std::string> tile_windows,
                 FrameLayers& out) {
  out.cached.clear();
  out.live.clear();
  for (int i = 0; i < data.CmdListsCount; ++i) {
    ImDrawList* list = data.CmdLists[i];
    const char* owner = list->_OwnerName != nullptr ? list->_OwnerName : "";
    (is_tile(owner, tile_windows) ? out.cached : out.live).push_back(list);
  }
}

bool DrawSignature::update(std::span<ImDrawList* const> lists, ImVec2 display_size,
                           ImVec2 framebuffer_scale) {
  m_current.clear();
  const float geometry[4] = {display_size.x, display_size.y, framebuffer_scale.x,
                             framebuffer_scale.y};
  append(m_current, geometry, 4);
  for (const ImDrawList* list : lists) {
    const int sizes[3] = {list->VtxBuffer.Size, list->IdxBuffer.Size, list->CmdBuffer.Size};
    append(m_current, sizes, 3);
    append(m_current, list->VtxBuffer.Data, static_cast<std::size_t>(list->VtxBuffer.Size));
    append(m_current, list->IdxBuffer.Data, static_cast<std::size_t>(list->IdxBuffer.Size));
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      // Field by field: the struct has padding, and a callback (unused here) is a pointer.
      const float clip[4] = {cmd.ClipRect.x, cmd.ClipRect.y, cmd.ClipRect.z, cmd.ClipRect.w};
      append(m_current, clip, 4);
      const ImTextureID texture = cmd.TextureId;
      append(m_current, &texture, 1);
      const unsigned int counts[3] = {cmd.VtxOffset, cmd.IdxOffset, cmd.ElemCount};
      append(m_current, counts, 3);
      const auto callback = reinterpret_cast<std::uintptr_t>(cmd.UserCallback);
      append(m_current, &callback, 1);
    }
  }
  const bool changed = m_previous.empty() || m_current.size() != m_previous.size() ||
                       std::memcmp(m_current.data(), m_previous.data(), m_current.size()) != 0;
  m_current.swap(m_previous);
  return changed;
}

ImDrawData make_draw_data(std::span<ImDrawList* const> lists, const ImDrawData& like) {
  ImDrawData data;
  data.Valid = true;
  data.CmdLists = const_cast<ImDrawList**>(lists.data());
  data.CmdListsCount = static_cast<int>(lists.size());
  for (const ImDrawList* list : lists) {
    data.TotalVtxCount += list->VtxBuffer.Size;
    data.TotalIdxCount += list->IdxBuffer.Size;
  }
  data.DisplayPos = like.DisplayPos;
  data.DisplaySize = like.DisplaySize;
  data.FramebufferScale = like.FramebufferScale;
  return data;
}

void BackBufferCheck::observe(Rgba before_swap, Rgba after_swap) {
  if (m_decided) return;
  m_decided = true;
  const bool black = before_swap.r == 0 && before_swap.g == 0 && before_swap.b == 0;
  m_verdict = !black && before_swap == after_swap ? BackBuffer::Preserved : BackBuffer::Undefined;
}

}  // namespace mailscope::gui
