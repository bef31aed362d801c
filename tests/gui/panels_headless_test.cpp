// Every panel drawn by ImGui with no window and no GPU: a context, a display size, a built font
// atlas, then NewFrame/Render. Checks what the panels compute and that keys drive the
// view-model.

#include <gtest/gtest.h>

#include "gui/core/describe.h"
#include "gui/panels/dashboard.h"
#include "gui/panels/frame_layers.h"
#include "gui_fixture.h"
#include "headless_imgui.h"

namespace mailscope::gui {
namespace {

using testing::demo_run;
using testing::find_event;
using testing::find_message;

constexpr int kRightKey = 300, kLeftKey = 301, kHomeKey = 302, kEndKey = 303, kSpaceKey = 304,
              kF1Key = 305, kDownKey = 306;

class Headless : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::start_headless_imgui(m_ui);
    ImGuiIO& io = ImGui::GetIO();
    io.KeyMap[ImGuiKey_RightArrow] = kRightKey;
    io.KeyMap[ImGuiKey_LeftArrow] = kLeftKey;
    io.KeyMap[ImGuiKey_Home] = kHomeKey;
    io.KeyMap[ImGuiKey_End] = kEndKey;
    io.KeyMap[ImGuiKey_Space] = kSpaceKey;
    io.KeyMap[ImGuiKey_DownArrow] = kDownKey;
    ASSERT_TRUE(
        m_ui.lessons.load_directory(std::string(MAILSCOPE_SOURCE_DIR) + "/assets/lessons").ok());
    m_dashboard = std::make_unique<Dashboard>(m_ui);
    PlatformKeys keys;
    keys.help = kF1Key;
    m_dashboard->set_platform_keys(keys);
  }
  void TearDown() override {
    m_dashboard.reset();
    ImGui::DestroyContext();
  }
  // One frame; `key` (if not -1) is held down during it.
  void frame(ViewModel& vm, int key = -1, bool shift = false) {
    ImGuiIO& io = ImGui::GetIO();
    std::fill(std::begin(io.KeysDown), std::end(io.KeysDown), false);
    if (key >= 0) io.KeysDown[key] = true;
    io.KeyShift = shift;
    ImGui::NewFrame();
    m_dashboard->draw(vm, io.DisplaySize);
    ImGui::Render();
    ++m_frames;
  }
  // Presses and releases a key: one frame down, one up.
  void press(ViewModel& vm, int key, bool shift = false) {
    frame(vm, key, shift);
    frame(vm);
  }

  UiShared m_ui;
  std::unique_ptr<Dashboard> m_dashboard;
  int m_frames = 0;
};

TEST_F(Headless, DrawsEveryPanelAtEveryKindOfStep) {
  ViewModel vm(demo_run());
  const std::size_t n = vm.step_count();
  for (std::size_t step = 0; step < n; step += 7) {
    vm.seek_step(step);
    frame(vm);
    EXPECT_GT(ImGui::GetDrawData()->TotalVtxCount, 1000) << step;
  }
  // Mid-animation, under each filter preset, and with nothing visible.
  vm.seek_step(n / 2);
  frame(vm);
  for (const Filter& f : {Filter::messages_only(), Filter::wire_and_messages(),
                          Filter::mail_protocols(), Filter{0, 0}, Filter::everything()}) {
    vm.set_filter(f);
    frame(vm);
    frame(vm);
  }
  // A small display and credentials shown.
  m_ui.credentials = Credentials::Show;
  ImGui::GetIO().DisplaySize = ImVec2(640, 400);
  frame(vm);
  vm.end();
  frame(vm);
}

TEST_F(Headless, KeysDriveTheViewModel) {
  ViewModel vm(demo_run());
  frame(vm);
  press(vm, kRightKey);
  EXPECT_EQ(vm.step(), 1u);
  press(vm, kLeftKey);
  EXPECT_EQ(vm.step(), 0u);
  press(vm, kRightKey, true);  // Shift+→: next phase
  EXPECT_EQ(vm.current_phase(), 1u);
  press(vm, kEndKey);
  EXPECT_EQ(vm.step(), vm.step_count() - 1);
  press(vm, kHomeKey);
  EXPECT_EQ(vm.step(), 0u);
  press(vm, kSpaceKey);
  EXPECT_TRUE(vm.playing());
  press(vm, kSpaceKey);
  EXPECT_FALSE(vm.playing());
  EXPECT_FALSE(m_ui.show_help);
  press(vm, kF1Key);
  EXPECT_TRUE(m_ui.show_help);
  press(vm, kF1Key);
  EXPECT_FALSE(m_ui.show_help);
}

TEST_F(Headless, DashboardTilesTheDisplay) {
  const DashboardLayout l = layout_dashboard(ImVec2(1280, 720), 20, 90);
  const PanelRect all[] = {l.topology,     l.layers,    l.narration,
                           l.conversation, l.inspector, l.timeline};
  float area = 0;
  for (const PanelRect& r : all) {
    EXPECT_GE(r.size.x, 200.0f);
    EXPECT_GE(r.size.y, 80.0f);
    area += r.size.x * r.size.y;
  }
  EXPECT_FLOAT_EQ(area, 1280.0f * 700.0f);  // no gaps, no overlaps
  EXPECT_FLOAT_EQ(l.timeline.pos.y + l.timeline.size.y, 720.0f);
}

TEST_F(Headless, InspectorShowsTheFrameWithTheEventsLayerMarked) {
  ViewModel vm(demo_run());
  const Trace& trace = vm.trace();
  const EventId l3 = find_event(trace, [](const TraceEvent& e) {
    return e.layer == Layer::Network && e.kind == EventKind::Receive;
  });
  const Inspection ip = inspect_event(vm, l3);
  EXPECT_EQ(ip.layer_offset, 14u);  // after the Ethernet header
  EXPECT_EQ(ip.layer_length, 20u);  // the IPv4 header
  EXPECT_NE(ip.bytes_event, l3);    // shown inside its frame
  ASSERT_FALSE(ip.fields.empty());
  EXPECT_EQ(ip.fields[0].name, "Ethernet II");

  // A DNS query in its frame: the UDP payload is decoded as DNS.
  const EventId query_l2 = testing::find_event_id(trace, [&](EventId id, const TraceEvent& e) {
    return e.layer == Layer::Link && e.kind == EventKind::Send &&
           vm.index().protocol(id) == Protocol::Dns;
  });
  const Inspection dns = inspect_event(vm, query_l2);
  EXPECT_TRUE(std::any_of(dns.fields.begin(), dns.fields.end(), [](const wire::Field& f) {
    return f.depth == 0 && f.name.starts_with("Domain Name System");
  }));
  // An SMTP line: its own bytes, one field per line.
  const EventId ehlo = find_message(trace, "250-smtp.outlook.com");
  const Inspection smtp = inspect_event(vm, ehlo);
  EXPECT_EQ(smtp.bytes.size(), trace.message(trace.event(ehlo)).size());
  ASSERT_EQ(smtp.fields.size(), 4u);
  EXPECT_EQ(smtp.fields[1].name, "Line");
  EXPECT_EQ(smtp.fields[1].value, "250-smtp.outlook.com greets alice-pc");
  // A narration: no bytes, its text.
  const EventId note =
      find_event(trace, [](const TraceEvent& e) { return e.kind == EventKind::Narration; });
  const Inspection n = inspect_event(vm, note);
  EXPECT_TRUE(n.bytes.empty());
  ASSERT_EQ(n.fields.size(), 1u);
  EXPECT_EQ(n.fields[0].name, "Text");
}

TEST_F(Headless, NarrationAndLessonsFollowTheStep) {
  ViewModel vm(demo_run());
  const Trace& trace = vm.trace();
  std::vector<EventId> narrations;
  for (EventId id = 0; id < trace.size(); ++id) {
    if (trace.event(id).kind == EventKind::Narration) narrations.push_back(id);
  }
  ASSERT_EQ(narrations.size(), 5u);
  const EventId ehlo = find_message(trace, "EHLO alice-pc");
  const EventId told = narration_for(vm.index(), narrations, ehlo);
  ASSERT_NE(told, kNoEvent);
  EXPECT_TRUE(trace.text(trace.event(told)).starts_with("Alice's mail program hands"));
  const Lesson* lesson = lesson_for(vm, m_ui.lessons, ehlo);
  ASSERT_NE(lesson, nullptr);
  EXPECT_EQ(lesson->title, "Submission: EHLO");
  const EventId relay_ehlo = find_message(trace, "EHLO smtp.outlook.com");
  ASSERT_NE(lesson_for(vm, m_ui.lessons, relay_ehlo), nullptr);
  EXPECT_EQ(lesson_for(vm, m_ui.lessons, relay_ehlo)->title, "Relay: server to server");
  const EventId mx_query = testing::find_event_id(trace, [&](EventId id, const TraceEvent& e) {
    return e.kind == EventKind::Request && vm.index().protocol(id) == Protocol::Dns &&
           vm.index().phase_of(id) == 2u;
  });
  ASSERT_NE(lesson_for(vm, m_ui.lessons, mx_query), nullptr);
  EXPECT_EQ(lesson_for(vm, m_ui.lessons, mx_query)->title,
            "DNS: who receives mail for this domain?");
  // Every step of the demo has an explanation (narration steps are their own).
  std::size_t without = 0;
  for (EventId id = 0; id < trace.size(); ++id) {
    if (trace.event(id).kind == EventKind::Narration) continue;
    const bool missing = lesson_for(vm, m_ui.lessons, id) == nullptr;
    without += missing;
    if (missing) ADD_FAILURE() << "no lesson for " << describe_step(vm.index(), id);
  }
  EXPECT_EQ(without, 0u);
}

}  // namespace
}  // namespace mailscope::gui

namespace mailscope::gui {
namespace {

constexpr int kOKey = 310, kEKey = 311;

// The dashboard over a Session: compare mode, dialogs and the frame layers.
class HeadlessSession : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::start_headless_imgui(m_ui);
    m_ui.scenario_dir = std::string(MAILSCOPE_SOURCE_DIR) + "/scenarios";
    m_dashboard = std::make_unique<Dashboard>(m_ui);
    PlatformKeys keys;
    keys.open = kOKey;
    keys.export_run = kEKey;
    m_dashboard->set_platform_keys(keys);
    ImGui::GetIO().KeyMap[ImGuiKey_Escape] = 312;
    DemoRunSource demo(1);
    ASSERT_TRUE(m_session.open(demo, "demo"));
  }
  void TearDown() override {
    m_dashboard.reset();
    ImGui::DestroyContext();
  }
  void frame(int key = -1, bool ctrl = false) {
    ImGuiIO& io = ImGui::GetIO();
    std::fill(std::begin(io.KeysDown), std::end(io.KeysDown), false);
    if (key >= 0) io.KeysDown[key] = true;
    io.KeyCtrl = ctrl;
    ImGui::NewFrame();
    m_dashboard->draw(m_session, io.DisplaySize);
    ImGui::Render();
  }

  UiShared m_ui;
  Session m_session;
  std::unique_ptr<Dashboard> m_dashboard;
};

TEST_F(HeadlessSession, CompareWithThePartnerPutsTheCrossDomainRunOnTheLeft) {
  DemoRunSource same(1, DemoStory::SameDomain);
  ASSERT_TRUE(m_session.open(same, "demo-same-domain"));
  m_dashboard->compare_with_partner(m_session);
  ASSERT_TRUE(m_session.comparing());
  EXPECT_EQ(m_session.vm().run().metadata.id, "demo");
  EXPECT_EQ(m_session.compare_vm().run().metadata.id, "demo-same-domain");
  // Every step draws in compare mode, and the right follows.
  for (std::size_t step = 0; step < m_session.vm().step_count(); step += 97) {
    m_session.vm().seek_step(step);
    frame();
    EXPECT_GT(ImGui::GetDrawData()->TotalVtxCount, 1000);
  }
  m_session.vm().end();
  frame();
  EXPECT_EQ(m_session.compare_vm().step(), m_session.compare_vm().step_count() - 1);
  // The tiles are compare mode's.
  EXPECT_EQ(m_dashboard->tile_windows().size(), 7u);
  EXPECT_EQ(m_dashboard->tile_windows()[1], "Topology · B");
  m_session.close_compare();
  frame();
  EXPECT_EQ(m_dashboard->tile_windows()[1], "Layer stack");
}

TEST_F(HeadlessSession, CtrlOOpensTheFileDialogAndCtrlEtheExportDialog) {
  frame();
  EXPECT_FALSE(m_dashboard->dialogs().any_open());
  frame(kOKey, true);
  frame();
  EXPECT_EQ(m_dashboard->dialogs().shown(), Dialogs::Shown::Open);
  // Keys belong to the dialog while it is open: Ctrl+E does not open another.
  frame(kEKey, true);
  frame();
  EXPECT_EQ(m_dashboard->dialogs().shown(), Dialogs::Shown::Open);
  // Escape closes it; then Ctrl+E opens the export dialog.
  const int escape = ImGui::GetIO().KeyMap[ImGuiKey_Escape];
  if (escape >= 0) {
    frame(escape);
    frame();
    EXPECT_EQ(m_dashboard->dialogs().shown(), Dialogs::Shown::None);
    frame(kEKey, true);
    frame();
    EXPECT_EQ(m_dashboard->dialogs().shown(), Dialogs::Shown::Export);
  }
}

TEST_F(HeadlessSession, DialogRequestsAreCarriedOut) {
  // Opening an unknown name: the error dialog, the run stays.
  m_dashboard->apply(DialogRequest{DialogRequest::Kind::Open, "no-such-lesson", {}, {}, {}},
                     m_session);
  ASSERT_TRUE(m_session.error().has_value());
  EXPECT_EQ(m_session.vm().run().metadata.id, "demo");
  frame();
  frame();
  EXPECT_EQ(m_dashboard->dialogs().shown(), Dialogs::Shown::Error);
  m_session.dismiss_error();
  // The browser's list comes from the catalog.
  m_dashboard->dialogs().show_browser();
  frame();
  ASSERT_NE(m_dashboard->dialogs().catalog(), nullptr);
  EXPECT_EQ(m_dashboard->dialogs().catalog()->entries[0].spec, "demo");
  // A screenshot request is handed to the window; an export is written.
  DialogRequest shot;
  shot.kind = DialogRequest::Kind::Export;
  shot.export_kind = ExportKind::Screenshot;
  shot.path = "/tmp/x.png";
  m_dashboard->apply(shot, m_session);
  EXPECT_EQ(m_dashboard->take_screenshot_request(), std::filesystem::path("/tmp/x.png"));
  EXPECT_EQ(m_dashboard->take_screenshot_request(), std::nullopt);
  DialogRequest bad_export = shot;
  bad_export.export_kind = ExportKind::Transcript;
  bad_export.path = "/nonexistent-dir/t.txt";
  m_dashboard->apply(bad_export, m_session);
  EXPECT_TRUE(m_session.error().has_value());
}

TEST_F(HeadlessSession, OnlyTheLiveLayerChangesWhileAStepAnimates) {
  ViewModel& vm = m_session.vm();
  // A frame crossing a wire: the packet moves along the link.
  const EventId wire = testing::find_event(
      vm.trace(),
      [](const TraceEvent& e) { return e.layer == Layer::Physical && e.kind == EventKind::Send; },
      100);
  vm.seek_event(wire);
  FrameLayers layers;
  DrawSignature cached, live;
  auto draw_and_sign = [&](bool& cached_changed, bool& live_changed) {
    frame();
    const ImDrawData& data = *ImGui::GetDrawData();
    split_frame(data, m_dashboard->tile_windows(), layers);
    cached_changed = cached.update(layers.cached, data.DisplaySize, data.FramebufferScale);
    live_changed = live.update(layers.live, data.DisplaySize, data.FramebufferScale);
  };
  bool c = false, l = false;
  draw_and_sign(c, l);
  draw_and_sign(c, l);  // ImGui settles window sizes on the second frame
  ASSERT_FALSE(layers.live.empty());
  EXPECT_TRUE(std::any_of(layers.live.begin(), layers.live.end(), [](const ImDrawList* d) {
    return std::string_view(d->_OwnerName).find(kLiveLayerName) != std::string_view::npos;
  }));
  EXPECT_EQ(layers.cached.size() + layers.live.size(),
            static_cast<std::size_t>(ImGui::GetDrawData()->CmdListsCount));
  vm.tick(0.2);  // the animation moves on, the step does not
  draw_and_sign(c, l);
  EXPECT_FALSE(c) << "the panels changed although the step did not";
  EXPECT_TRUE(l) << "the packet did not move";
  vm.step_forward();
  draw_and_sign(c, l);
  EXPECT_TRUE(c);
  cached.invalidate();
  draw_and_sign(c, l);
  EXPECT_TRUE(c);  // after invalidate() the next signature always counts as a change
}

}  // namespace
}  // namespace mailscope::gui
