#include "gui/panels/theme.h"

#include <array>
#include <filesystem>

namespace mailscope::gui {

namespace {

struct Rgb {
  int r, g, b;
};

constexpr std::array<Rgb, static_cast<std::size_t>(Protocol::Count)> kProtocolColours{{
    {176, 128, 255},  // DNS
    {86, 164, 255},   // SMTP
    {96, 206, 124},   // IMAP
    {64, 196, 176},   // POP3
    {150, 166, 196},  // TCP
    {96, 204, 224},   // UDP
    {255, 164, 72},   // ICMP
    {232, 204, 88},   // ARP
    {160, 160, 168},  // Other
    {210, 210, 216},  // None
}};
static_assert(kProtocolColours.size() == static_cast<std::size_t>(Protocol::Count));

constexpr std::array<Rgb, static_cast<std::size_t>(Layer::Count)> kLayerColours{{
    {150, 150, 164},  // L1
    {232, 188, 84},   // L2
    {104, 204, 124},  // L3
    {92, 164, 244},   // L4
    {236, 120, 120},  // TLS
    {192, 136, 244},  // L7
}};
static_assert(kLayerColours.size() == static_cast<std::size_t>(Layer::Count));

constexpr std::array<Rgb, static_cast<std::size_t>(PhaseKind::Count)> kPhaseColours{{
    {176, 128, 255},  // DNS
    {86, 164, 255},   // Submission
    {255, 150, 64},   // Relay
    {96, 206, 124},   // Retrieval
    {130, 134, 148},  // Other
}};
static_assert(kPhaseColours.size() == static_cast<std::size_t>(PhaseKind::Count));

constexpr std::array<std::string_view, static_cast<std::size_t>(Layer::Count)> kLayerTitles{
    "Physical", "Link", "Network", "Transport", "TLS", "Application"};
static_assert(kLayerTitles.size() == static_cast<std::size_t>(Layer::Count));
constexpr std::array<std::string_view, static_cast<std::size_t>(Layer::Count)> kPduNames{
    "bits", "frame", "packet", "segment", "record", "message"};
static_assert(kPduNames.size() == static_cast<std::size_t>(Layer::Count));

template <typename Table, typename Enum>
ImU32 pick(const Table& table, Enum e, float alpha) {
  auto i = static_cast<std::size_t>(e);
  if (i >= table.size()) i = table.size() - 1;
  const Rgb c = table[i];
  return IM_COL32(c.r, c.g, c.b, static_cast<int>(alpha * 255.0f));
}

// Glyph ranges: Latin-1, general punctuation (… – • ‹ ›), arrows, box drawing and geometric
// shapes (▶ ◀ ■ ●), dingbat bars (❚). Must outlive the font atlas build: static.
const ImWchar kGlyphRanges[] = {0x0020, 0x00FF, 0x2010, 0x2044, 0x2190, 0x21FF,
                                0x2500, 0x25FF, 0x2758, 0x275E, 0};

}  // namespace

ImU32 protocol_colour(Protocol protocol, float alpha) {
  return pick(kProtocolColours, protocol, alpha);
}
ImU32 layer_colour(Layer layer, float alpha) {
  return pick(kLayerColours, layer, alpha);
}
ImU32 phase_colour(PhaseKind kind, float alpha) {
  return pick(kPhaseColours, kind, alpha);
}

std::string_view layer_title(Layer layer) {
  const auto i = static_cast<std::size_t>(layer);
  return i < kLayerTitles.size() ? kLayerTitles[i] : "?";
}

std::string_view pdu_name(Layer layer) {
  const auto i = static_cast<std::size_t>(layer);
  return i < kPduNames.size() ? kPduNames[i] : "?";
}

Fonts load_fonts(ImGuiIO& io, float size_px, const std::string& font_dir) {
  Fonts fonts = load_fonts(*io.Fonts, size_px, font_dir);
  io.FontDefault = fonts.regular;
  return fonts;
}

Fonts load_fonts(ImFontAtlas& atlas, float size_px, const std::string& font_dir) {
  Fonts fonts;
  auto add = [&](const char* file, float size) -> ImFont* {
    const std::string path = font_dir + "/" + file;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return nullptr;
    ImFontConfig config;
    config.OversampleH = 2;
    config.OversampleV = 1;
    return atlas.AddFontFromFileTTF(path.c_str(), size, &config, kGlyphRanges);
  };
  fonts.regular = add("DejaVuSans.ttf", size_px);
  fonts.bold = add("DejaVuSans-Bold.ttf", size_px);
  fonts.mono = add("DejaVuSansMono.ttf", size_px * 0.95f);
  fonts.small = add("DejaVuSans.ttf", size_px * 0.85f);
  if (fonts.regular == nullptr) {
    ImFontConfig config;
    config.SizePixels = size_px;
    fonts.regular = atlas.AddFontDefault(&config);
  }
  if (fonts.bold == nullptr) fonts.bold = fonts.regular;
  if (fonts.mono == nullptr) fonts.mono = fonts.regular;
  if (fonts.small == nullptr) fonts.small = fonts.regular;
  return fonts;
}

void apply_style(float scale) {
  ImGui::StyleColorsDark();
  ImGuiStyle& style = ImGui::GetStyle();
  style.WindowRounding = 4.0f;
  style.FrameRounding = 3.0f;
  style.GrabRounding = 3.0f;
  style.WindowBorderSize = 1.0f;
  style.WindowPadding = ImVec2(8, 6);
  style.FramePadding = ImVec2(6, 3);
  style.ItemSpacing = ImVec2(6, 4);
  ImVec4* c = style.Colors;
  c[ImGuiCol_WindowBg] = ImVec4(0.105f, 0.118f, 0.145f, 1.0f);
  c[ImGuiCol_ChildBg] = ImVec4(0.090f, 0.100f, 0.125f, 1.0f);
  c[ImGuiCol_TitleBg] = ImVec4(0.140f, 0.160f, 0.200f, 1.0f);
  c[ImGuiCol_TitleBgActive] = ImVec4(0.170f, 0.200f, 0.260f, 1.0f);
  c[ImGuiCol_MenuBarBg] = ImVec4(0.130f, 0.145f, 0.180f, 1.0f);
  c[ImGuiCol_Border] = ImVec4(0.260f, 0.290f, 0.350f, 1.0f);
  c[ImGuiCol_Header] = ImVec4(0.220f, 0.320f, 0.480f, 0.70f);
  c[ImGuiCol_HeaderHovered] = ImVec4(0.260f, 0.380f, 0.560f, 0.80f);
  c[ImGuiCol_Button] = ImVec4(0.200f, 0.240f, 0.310f, 1.0f);
  c[ImGuiCol_ButtonHovered] = ImVec4(0.260f, 0.340f, 0.460f, 1.0f);
  c[ImGuiCol_FrameBg] = ImVec4(0.160f, 0.180f, 0.220f, 1.0f);
  style.ScaleAllSizes(scale);
}

std::string ellipsize(std::string_view text, std::size_t max_chars) {
  std::size_t chars = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (chars == max_chars) return std::string(text.substr(0, i)) + "…";
    const auto c = static_cast<unsigned char>(text[i]);
    i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    ++chars;
  }
  return std::string(text);
}

}  // namespace mailscope::gui
