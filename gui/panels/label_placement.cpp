#include "gui/panels/label_placement.h"

#include <algorithm>
#include <array>

namespace mailscope::gui {

namespace {

float overlap_area(const LabelBox& a, const LabelBox& b) {
  const float w = std::min(a.max.x, b.max.x) - std::max(a.min.x, b.min.x);
  const float h = std::min(a.max.y, b.max.y) - std::max(a.min.y, b.min.y);
  return w > 0 && h > 0 ? w * h : 0.0f;
}

}  // namespace

bool boxes_overlap(const LabelBox& a, const LabelBox& b) {
  return overlap_area(a, b) > 0;
}

LabelBox place_corner_label(const LabelBox& region, ImVec2 size, ImVec2 inset,
                            std::span<const LabelBox> obstacles) {
  const float left = region.min.x + inset.x;
  const float right = region.max.x - inset.x - size.x;
  const float top = region.min.y + inset.y;
  const float bottom = region.max.y - inset.y - size.y;
  const std::array<ImVec2, 4> corners{ImVec2(left, top), ImVec2(right, top), ImVec2(left, bottom),
                                      ImVec2(right, bottom)};
  LabelBox best;
  float best_covered = -1;
  for (const ImVec2& at : corners) {
    const LabelBox box{at, ImVec2(at.x + size.x, at.y + size.y)};
    float covered = 0;
    for (const LabelBox& o : obstacles)
      covered += overlap_area(box, o);
    if (covered == 0) return box;
    if (best_covered < 0 || covered < best_covered) {
      best = box;
      best_covered = covered;
    }
  }
  return best;
}

}  // namespace mailscope::gui
