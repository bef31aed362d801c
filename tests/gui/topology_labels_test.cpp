// Domain names on the topology: the corner chosen for a label, the layout keeping hosts of no
// domain out of a domain's frame, and the lessons drawn at the window sizes the GUI supports with
// no domain name over a node's icon, name or address.

#include <gtest/gtest.h>

#include <filesystem>

#include "gui/core/layout.h"
#include "gui/core/scenario_source.h"
#include "gui/core/session.h"
#include "gui/panels/dashboard.h"
#include "gui/panels/label_placement.h"
#include "gui/panels/topology_panel.h"
#include "headless_imgui.h"

namespace mailscope::gui {
namespace {

// ---- The corner a label goes to

TEST(LabelPlacement, TakesTheFirstClearCornerInReadingOrder) {
  const LabelBox region{ImVec2(0, 0), ImVec2(200, 100)};
  const ImVec2 size(50, 10), inset(10, 5);
  // The four corners' boxes, as place_corner_label() computes them.
  const LabelBox top_left{ImVec2(10, 5), ImVec2(60, 15)};
  const LabelBox top_right{ImVec2(140, 5), ImVec2(190, 15)};
  const LabelBox bottom_left{ImVec2(10, 85), ImVec2(60, 95)};
  const LabelBox bottom_right{ImVec2(140, 85), ImVec2(190, 95)};
  struct Case {
    const char* what;
    std::vector<LabelBox> obstacles;
    LabelBox expected;
  };
  const Case cases[] = {
      {"nothing in the way: top left", {}, top_left},
      {"an obstacle elsewhere changes nothing", {{ImVec2(80, 40), ImVec2(120, 60)}}, top_left},
      // An obstacle that only touches the box's edge does not cover it.
      {"touching is not covering", {{ImVec2(60, 0), ImVec2(80, 15)}}, top_left},
      {"top left covered: top right", {{ImVec2(0, 0), ImVec2(30, 30)}}, top_right},
      {"the top band covered: bottom left", {{ImVec2(0, 0), ImVec2(200, 20)}}, bottom_left},
      {"only bottom right is clear",
       {{ImVec2(0, 0), ImVec2(200, 20)}, {ImVec2(0, 80), ImVec2(100, 100)}},
       bottom_right},
      // Every corner covered: the one covered least (top right, by one pixel column).
      {"all covered: the least covered",
       {{ImVec2(0, 0), ImVec2(200, 100)}, {ImVec2(0, 0), ImVec2(189, 100)}},
       top_right},
  };
  for (const Case& c : cases) {
    const LabelBox got = place_corner_label(region, size, inset, c.obstacles);
    EXPECT_EQ(got.min.x, c.expected.min.x) << c.what;
    EXPECT_EQ(got.min.y, c.expected.min.y) << c.what;
    EXPECT_EQ(got.max.x, c.expected.max.x) << c.what;
    EXPECT_EQ(got.max.y, c.expected.max.y) << c.what;
  }
}

TEST(LabelPlacement, OverlapNeedsArea) {
  const LabelBox a{ImVec2(0, 0), ImVec2(10, 10)};
  EXPECT_TRUE(boxes_overlap(a, {ImVec2(9, 9), ImVec2(20, 20)}));    // one pixel square
  EXPECT_FALSE(boxes_overlap(a, {ImVec2(10, 0), ImVec2(20, 10)}));  // shares the right edge
  EXPECT_FALSE(boxes_overlap(a, {ImVec2(0, 10), ImVec2(10, 20)}));  // shares the bottom edge
  EXPECT_FALSE(boxes_overlap(a, {ImVec2(5, 5), ImVec2(5, 8)}));     // no width
}

// ---- The layout groups hosts by domain

// A LAN switch at the end of a backbone with three hosts on it, listed with the one of no domain
// first, as a scenario's DNS server is.
TopologySnapshot lan_with_a_stranger() {
  TopologySnapshot t;
  t.nodes = {TopoNode{0, "dns", "dns-server", NodeIcon::Server, {}},
             TopoNode{1, "lan", "switch", NodeIcon::Switch, {}},
             TopoNode{2, "gw", "router", NodeIcon::Router, {}},
             TopoNode{3, "smtp", "mail-server", NodeIcon::Server, {}},
             TopoNode{4, "pc", "host", NodeIcon::Host, {}}};
  t.links = {TopoLink{"l0", 0, 1, 0, 0}, TopoLink{"l1", 1, 2, 0, 0}, TopoLink{"l2", 3, 1, 0, 0},
             TopoLink{"l3", 4, 1, 0, 0}};
  t.domains = {TopoDomain{"example.org", {1, 2, 3, 4}}};
  return t;
}

TEST(Layout, HostsOfNoDomainGoAfterTheDomainsWithRoomBetween) {
  const TopologySnapshot t = lan_with_a_stranger();
  const TopologyLayout l = layout_topology(t);
  const Vec2 dns = l.positions[0], lan = l.positions[1], smtp = l.positions[3], pc = l.positions[4];
  // One column beside the switch.
  EXPECT_EQ(dns.x, smtp.x);
  EXPECT_EQ(pc.x, smtp.x);
  EXPECT_NE(lan.x, smtp.x);
  // The members first, one spacing apart; the stranger below them, further away.
  EXPECT_LT(smtp.y, pc.y);
  EXPECT_LT(pc.y, dns.y);
  EXPECT_FLOAT_EQ(pc.y - smtp.y, 1.25f);
  EXPECT_FLOAT_EQ(dns.y - pc.y, 1.25f * 1.5f);
  // Still centred on the switch.
  EXPECT_FLOAT_EQ((smtp.y + dns.y) / 2, lan.y);
}

TEST(Layout, WithoutDomainsHostsKeepTheirOrderAndSpacing) {
  TopologySnapshot t = lan_with_a_stranger();
  t.domains.clear();
  const TopologyLayout l = layout_topology(t);
  EXPECT_FLOAT_EQ(l.positions[3].y - l.positions[0].y, 1.25f);
  EXPECT_FLOAT_EQ(l.positions[4].y - l.positions[3].y, 1.25f);
}

// ---- The lessons drawn: no domain name over a node's text

class TopologyLabels : public ::testing::Test {
 protected:
  void SetUp() override { testing::start_headless_imgui(m_ui); }
  void TearDown() override { ImGui::DestroyContext(); }

  // Draws `panel` over `vm` at `rect` for a few frames (ImGui settles window sizes), then checks
  // its domain names against every node box and each other.
  void expect_clear_labels(TopologyPanel& panel, ViewModel& vm, const PanelRect& rect,
                           const std::string& what) {
    ImGui::GetIO().DisplaySize = ImVec2(rect.pos.x + rect.size.x, rect.pos.y + rect.size.y + 200);
    for (int i = 0; i < 3; ++i) {
      ImGui::NewFrame();
      panel.draw(vm, rect);
      ImGui::Render();
    }
    const auto labels = panel.domain_label_boxes();
    ASSERT_EQ(labels.size(), vm.topology().domains.size()) << what;
    for (std::size_t d = 0; d < labels.size(); ++d) {
      for (const LabelBox& node : panel.node_boxes()) {
        EXPECT_FALSE(boxes_overlap(labels[d], node))
            << what << ": " << vm.topology().domains[d].name << " at (" << labels[d].min.x << ", "
            << labels[d].min.y << ") covers a node box at (" << node.min.x << ", " << node.min.y
            << ")";
      }
      for (std::size_t e = d + 1; e < labels.size(); ++e)
        EXPECT_FALSE(boxes_overlap(labels[d], labels[e])) << what;
    }
  }

  UiShared m_ui;
};

TEST_F(TopologyLabels, DomainNamesCoverNoNodeTextInTheLessons) {
  if (!scenario_runs_available()) GTEST_SKIP() << "this build does not run scenarios";
  const std::filesystem::path dir = std::filesystem::path(MAILSCOPE_SOURCE_DIR) / "scenarios";
  const float menu_height = 21, timeline_height = 92;
  for (const char* lesson : {"cross-domain", "same-domain", "mx-fallback", "dns-hierarchy"}) {
    Session session;
    auto source = make_source(lesson, dir, 1);
    ASSERT_TRUE(source.ok()) << lesson;
    ASSERT_TRUE(session.open(**source, lesson)) << lesson;
    // The single view at the sizes the dashboard is made for, and one side of compare mode.
    for (const ImVec2 display : {ImVec2(1280, 720), ImVec2(1280, 800), ImVec2(1920, 1080)}) {
      TopologyPanel panel(m_ui);
      expect_clear_labels(panel, session.vm(),
                          layout_dashboard(display, menu_height, timeline_height).topology,
                          std::string(lesson) + " at " + std::to_string(int(display.x)) + "x" +
                              std::to_string(int(display.y)));
      TopologyPanel side(m_ui, "Topology · B");
      side.set_caption("B · " + session.vm().run().metadata.title);
      expect_clear_labels(side, session.vm(),
                          layout_compare(display, menu_height, timeline_height).topology_b,
                          std::string(lesson) + " compared at " + std::to_string(int(display.x)) +
                              "x" + std::to_string(int(display.y)));
    }
  }
}

}  // namespace
}  // namespace mailscope::gui
