// The first run opened on a worker thread while the window shows a "Simulating …" card: the
// placeholder session, the swap, the failures, and the dashboard drawn before and after. The
// worker is held by the test (a promise it waits on), so nothing here depends on timing. Only
// non-fatal checks come before the promise is set: a test returning early would leave
// FirstRun's destructor waiting for a worker that never goes.

#include <gtest/gtest.h>
#include <imgui_internal.h>

#include <future>
#include <thread>

#include "gui/core/demo_source.h"
#include "gui/core/first_run.h"
#include "gui/panels/dashboard.h"
#include "gui/panels/preparing_view.h"
#include "headless_imgui.h"

namespace mailscope::gui {
namespace {

// An opener that waits for the test's go, then opens `spec` (a built-in demo) or, for anything
// else, fails the way a bad lesson does: no run, the error dialog set.
FirstRun::Open held_opener(std::shared_future<void> go, std::string spec) {
  return [go = std::move(go), spec = std::move(spec)] {
    go.wait();
    auto session = std::make_unique<Session>();
    if (spec == kDemoCrossDomain) {
      DemoRunSource demo(1);
      EXPECT_TRUE(session->open(demo, spec));
    } else {
      session->show_error("Cannot open " + spec, Error{"no such lesson", spec});
    }
    return session;
  };
}

// Polls until the worker's session is swapped in. The worker has been let go, so this ends; the
// bound only turns a broken poll() into a failure instead of a hang.
bool poll_until_ready(FirstRun& first) {
  for (int i = 0; i < 10'000'000; ++i) {
    if (first.poll()) return true;
    std::this_thread::yield();
  }
  return false;
}

TEST(FirstRun, ShowsAPlaceholderUntilTheRunIsSwappedIn) {
  std::promise<void> go;
  FirstRun first(held_opener(go.get_future().share(), "demo"), "Simulating the built-in demo…");
  // The worker is held: the placeholder has no run and says what is happening.
  EXPECT_FALSE(first.ready());
  EXPECT_FALSE(first.poll());
  EXPECT_FALSE(first.session().has_run());
  EXPECT_EQ(first.session().preparing(), "Simulating the built-in demo…");
  EXPECT_FALSE(first.session().error().has_value());
  go.set_value();
  ASSERT_TRUE(poll_until_ready(first));
  EXPECT_TRUE(first.ready());
  ASSERT_TRUE(first.session().has_run());
  EXPECT_EQ(first.session().vm().run().metadata.id, "demo");
  EXPECT_EQ(first.session().preparing(), "");  // the opened session is not a placeholder
  // Swapped once only.
  EXPECT_FALSE(first.poll());
  EXPECT_FALSE(first.wait());
  EXPECT_EQ(first.session().vm().run().metadata.id, "demo");
}

TEST(FirstRun, WaitBlocksUntilTheRunIsThere) {
  std::promise<void> go;
  FirstRun first(held_opener(go.get_future().share(), "demo"), "Simulating…");
  go.set_value();
  EXPECT_TRUE(first.wait());
  EXPECT_TRUE(first.ready());
  EXPECT_TRUE(first.session().has_run());
  EXPECT_FALSE(first.wait());
}

TEST(FirstRun, AFailedOpenArrivesAsTheErrorDialogWithNoRun) {
  std::promise<void> go;
  FirstRun first(held_opener(go.get_future().share(), "no-such-lesson"),
                 "Simulating no-such-lesson…");
  go.set_value();
  ASSERT_TRUE(first.wait());
  EXPECT_FALSE(first.session().has_run());
  EXPECT_EQ(first.session().preparing(), "");
  ASSERT_TRUE(first.session().error().has_value());
  EXPECT_EQ(first.session().error()->title, "Cannot open no-such-lesson");
  EXPECT_EQ(first.session().error()->summary, "no-such-lesson: no such lesson");
}

TEST(FirstRun, AnOpenerThatGivesNothingLeavesAnEmptySession) {
  FirstRun first([] { return std::unique_ptr<Session>(); }, "Simulating…");
  EXPECT_TRUE(first.wait());
  EXPECT_FALSE(first.session().has_run());
  EXPECT_FALSE(first.session().error().has_value());
  EXPECT_EQ(first.session().preparing(), "");
}

TEST(FirstRun, DestroyedWhileTheWorkerRunsWaitsForIt) {
  std::promise<void> go;
  bool finished = false;
  {
    auto held = held_opener(go.get_future().share(), "demo");
    FirstRun first(
        [&] {
          auto session = held();
          finished = true;
          return session;
        },
        "Simulating…");
    go.set_value();
  }  // the window closed before the run was swapped in
  EXPECT_TRUE(finished);
}

struct StatusCase {
  const char* spec;
  const char* compare;
  const char* status;
};

TEST(FirstRun, StatusNamesWhatIsBeingSimulated) {
  const StatusCase cases[] = {
      // A bundled lesson by id.
      {"large-attachment", "", "Simulating large-attachment…"},
      // The built-in runs by their names on the command line.
      {"demo", "", "Simulating the built-in demo…"},
      {"demo-same-domain", "", "Simulating the built-in same-domain demo…"},
      // A file: named without its directories, and said to be loaded first.
      {"/home/ann/lessons/greylisting.json", "", "Loading and simulating greylisting.json…"},
      {"mine.json", "", "Loading and simulating mine.json…"},
      // Compare mode names both.
      {"cross-domain", "same-domain", "Simulating cross-domain and same-domain…"},
      {"demo", "b/x.json", "Loading and simulating the built-in demo and x.json…"},
  };
  for (const StatusCase& c : cases)
    EXPECT_EQ(preparing_status(c.spec, c.compare), c.status) << c.spec << " " << c.compare;
}

// The dashboard drawn headless over a FirstRun's session, before and after the swap.
class FirstFrame : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::start_headless_imgui(m_ui);
    m_dashboard = std::make_unique<Dashboard>(m_ui);
    PlatformKeys keys;
    keys.quit = kQKey;
    keys.open = kOKey;
    m_dashboard->set_platform_keys(keys);
  }
  void TearDown() override {
    m_dashboard.reset();
    ImGui::DestroyContext();
  }
  // One frame; `key` (if not -1) is held down with Ctrl during it.
  void frame(Session& session, int key = -1) {
    ImGuiIO& io = ImGui::GetIO();
    std::fill(std::begin(io.KeysDown), std::end(io.KeysDown), false);
    if (key >= 0) io.KeysDown[key] = true;
    io.KeyCtrl = key >= 0;
    ImGui::NewFrame();
    m_dashboard->draw(session, ImGui::GetIO().DisplaySize);
    ImGui::Render();
  }
  // Whether the last frame drew the ImGui window `name`.
  static bool window_drawn(const char* name) {
    const ImGuiWindow* window = ImGui::FindWindowByName(name);
    return window != nullptr && window->Active;
  }

  static constexpr int kQKey = 320, kOKey = 321;
  UiShared m_ui;
  std::unique_ptr<Dashboard> m_dashboard;
};

TEST_F(FirstFrame, DrawsTheSimulatingCardThenTheRunOnceItIsSwappedIn) {
  std::promise<void> go;
  FirstRun first(held_opener(go.get_future().share(), "demo"), "Simulating the built-in demo…");
  // The first frames: the menus and the card, no panel.
  for (int i = 0; i < 3; ++i) {
    frame(first.session());
    EXPECT_EQ(m_dashboard->drawn(), Dashboard::Drawn::Preparing);
    EXPECT_TRUE(window_drawn(kPreparingWindow));
    EXPECT_FALSE(window_drawn("Topology"));
    EXPECT_FALSE(window_drawn("Timeline"));
  }
  EXPECT_FALSE(m_dashboard->quit_requested());
  // The run arrives between two frames; the next frame shows its panels and no card.
  go.set_value();
  ASSERT_TRUE(first.wait());
  frame(first.session());
  EXPECT_EQ(m_dashboard->drawn(), Dashboard::Drawn::Single);
  EXPECT_FALSE(window_drawn(kPreparingWindow));
  EXPECT_TRUE(window_drawn("Topology"));
  EXPECT_TRUE(window_drawn("Timeline"));
  EXPECT_GT(ImGui::GetDrawData()->TotalVtxCount, 1000);
}

TEST_F(FirstFrame, AFailedFirstRunShowsTheMenusAndTheErrorDialog) {
  std::promise<void> go;
  FirstRun first(held_opener(go.get_future().share(), "no-such-lesson"), "Simulating…");
  frame(first.session());
  EXPECT_EQ(m_dashboard->drawn(), Dashboard::Drawn::Preparing);
  go.set_value();
  ASSERT_TRUE(first.wait());
  // The error popup opens on the frame after the one that asks for it.
  frame(first.session());
  frame(first.session());
  EXPECT_EQ(m_dashboard->drawn(), Dashboard::Drawn::MenusOnly);
  EXPECT_FALSE(window_drawn(kPreparingWindow));
  EXPECT_EQ(m_dashboard->dialogs().shown(), Dialogs::Shown::Error);
  // Once dismissed, Ctrl+O opens the file dialog to choose something else.
  first.session().dismiss_error();
  frame(first.session());
  frame(first.session(), kOKey);
  frame(first.session());
  EXPECT_EQ(m_dashboard->dialogs().shown(), Dialogs::Shown::Open);
}

TEST_F(FirstFrame, WhileTheRunIsPreparedCtrlOWaitsAndCtrlQQuits) {
  std::promise<void> go;
  FirstRun first(held_opener(go.get_future().share(), "demo"), "Simulating…");
  frame(first.session(), kOKey);
  frame(first.session());
  // An open now would be overwritten by the run when it arrives.
  EXPECT_EQ(m_dashboard->dialogs().shown(), Dialogs::Shown::None);
  EXPECT_FALSE(m_dashboard->quit_requested());
  frame(first.session(), kQKey);
  EXPECT_TRUE(m_dashboard->quit_requested());
  go.set_value();
}

}  // namespace
}  // namespace mailscope::gui
