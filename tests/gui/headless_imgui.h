#pragma once
// What every test that draws panels sets up first: an ImGui context with no display, the DejaVu
// fonts and MailScope's style, and the font atlas built (ImGui asserts on a frame without it).

#include <gtest/gtest.h>
#include <imgui.h>

#include "gui/panels/panel.h"
#include "gui/panels/theme.h"

namespace mailscope::gui::testing {

inline void start_headless_imgui(UiShared& ui, ImVec2 display_size = ImVec2(1280, 720)) {
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.DisplaySize = display_size;
  io.DeltaTime = 1.0f / 60.0f;
  ui.fonts = load_fonts(io, 15.0f, "/usr/share/fonts/truetype/dejavu");
  apply_style(1.0f);
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  ASSERT_NE(pixels, nullptr);
}

}  // namespace mailscope::gui::testing
