#pragma once
// Where to write the name of a region (a domain's frame on the topology) so that it covers no
// other text: the first corner of the region whose box is clear of what is already drawn there
// (node icons and labels, other regions' names).

#include <span>

#include <imgui.h>

namespace mailscope::gui {

// An axis-aligned box in screen pixels; min <= max on both axes.
struct LabelBox {
  ImVec2 min;
  ImVec2 max;
};

// True when the two boxes share more than an edge.
bool boxes_overlap(const LabelBox& a, const LabelBox& b);

// The box for a label of `size` inside `region`, `inset` from its edges. The corners are tried in
// reading order — top left, top right, bottom left, bottom right — and the first that overlaps
// none of `obstacles` is taken; when every corner is covered, the one covered least (the earlier
// on a tie), so that a crowded picture still gets its label.
LabelBox place_corner_label(const LabelBox& region, ImVec2 size, ImVec2 inset,
                            std::span<const LabelBox> obstacles);

}  // namespace mailscope::gui
