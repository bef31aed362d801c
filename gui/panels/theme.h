#pragma once
// Colours, fonts and the few drawing helpers every panel shares. Colours are tables indexed by
// enums (protocol, layer, phase) so that one protocol looks the same in every panel.

#include <string>
#include <string_view>

#include <imgui.h>

#include "core/trace.h"
#include "gui/core/filter.h"
#include "gui/core/phases.h"

namespace mailscope::gui {

struct Fonts {
  ImFont* regular = nullptr;
  ImFont* bold = nullptr;   // headings
  ImFont* mono = nullptr;   // hex dumps, protocol lines
  ImFont* small = nullptr;  // labels on the topology
};

ImU32 protocol_colour(Protocol protocol, float alpha = 1.0f);
ImU32 layer_colour(Layer layer, float alpha = 1.0f);
ImU32 phase_colour(PhaseKind kind, float alpha = 1.0f);
// "L4 · Transport" style names of layers, and what one PDU is called at each layer.
std::string_view layer_title(Layer layer);  // "Transport"
std::string_view pdu_name(Layer layer);     // "segment"

// Adds DejaVu Sans, Sans Bold and Sans Mono from `font_dir` at `size_px` (already multiplied by
// the content scale), with the glyphs our text uses (Latin-1, arrows, box drawing, shapes).
// Missing files fall back to ImGui's built-in font, so the GUI still starts.
Fonts load_fonts(ImGuiIO& io, float size_px, const std::string& font_dir);
// The same into an atlas that no ImGui context uses yet (built on another thread at start-up);
// set io.FontDefault = regular once a context uses it.
Fonts load_fonts(ImFontAtlas& atlas, float size_px, const std::string& font_dir);
// The MailScope look on top of ImGui's dark style, with sizes multiplied by `scale`.
void apply_style(float scale);

// The first `max_chars` characters of `text` (UTF-8 safe), with "…" when cut.
std::string ellipsize(std::string_view text, std::size_t max_chars);

}  // namespace mailscope::gui
