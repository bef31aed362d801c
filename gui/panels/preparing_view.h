#pragma once
// What the window shows while its first run is still being simulated on another thread
// (first_run.h): a card in the middle of the window saying what is happening, with a turning
// mark so that the window does not look frozen. No panels are drawn then: empty ones would look
// broken.

#include <string>

#include <imgui.h>

#include "gui/panels/panel.h"

namespace mailscope::gui {

// The ImGui window the card is drawn in (tests look for it).
inline constexpr const char* kPreparingWindow = "##preparing";

// Draws the card for `status` ("Simulating large-attachment…") centred on a display of
// `display_size`; the mark turns with ImGui's clock, so call it every frame.
void draw_preparing(const UiShared& ui, const std::string& status, ImVec2 display_size);

}  // namespace mailscope::gui
