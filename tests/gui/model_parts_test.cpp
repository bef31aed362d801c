// Phases from flows, the automatic layout, conversation lines and lessons.

#include <gtest/gtest.h>

#include "gui/core/conversation.h"
#include "gui/core/layout.h"
#include "gui/core/lessons.h"
#include "gui/core/phases.h"
#include "gui_fixture.h"

namespace mailscope::gui {
namespace {

using testing::demo_run;
using testing::find_message;
using testing::node_named;

TEST(Phases, ServerPortFromLabel) {
  struct Case {
    const char* label;
    std::uint16_t port;
  };
  for (const Case& c : {Case{"10.0.1.10:49152 -> 10.0.2.25:25", 25},
                        Case{"10.0.1.10:49152 -> 10.0.2.25:587", 587}, Case{"", 0},  // no label
                        Case{"a -> b", 0},                                           // no port
                        Case{"10.0.0.1:70000", 0},                                   // out of range
                        Case{"10.0.0.1:25x", 0}}) {  // trailing junk
    EXPECT_EQ(server_port_from_label(c.label), c.port) << c.label;
  }
}

TEST(Phases, FlowKindComesFromApplicationPortAndClientKind) {
  Trace trace;
  const NodeId pc = trace.add_node("pc", "host");
  const NodeId mta = trace.add_node("mta", "mail-server");
  const NodeId mx = trace.add_node("mx", "mail-server");
  struct Case {
    NodeId client, server;
    const char* transport;
    const char* app;
    const char* label;
    PhaseKind kind;
  };
  const Case cases[] = {
      {pc, mta, "udp", "dns", "", PhaseKind::Dns},
      {pc, mta, "tcp", "smtp", "1.1.1.1:5000 -> 2.2.2.2:587", PhaseKind::Submission},
      {pc, mta, "tcp", "smtp", "1.1.1.1:5000 -> 2.2.2.2:465", PhaseKind::Submission},
      {pc, mta, "tcp", "smtp", "1.1.1.1:5000 -> 2.2.2.2:25",
       PhaseKind::Submission},  // a host on 25
      {mta, mx, "tcp", "smtp", "1.1.1.1:5000 -> 2.2.2.2:25", PhaseKind::Relay},
      {pc, mx, "tcp", "imap", "", PhaseKind::Retrieval},
      {pc, mx, "tcp", "pop3", "", PhaseKind::Retrieval},
      {pc, mx, "icmp", "", "", PhaseKind::Other},  // a ping
  };
  for (const Case& c : cases) {
    const FlowId f = trace.add_flow(FlowInfo{c.client, c.server, c.transport, c.app, c.label});
    EXPECT_EQ(classify_flow(trace, f), c.kind) << c.app << " " << c.label;
  }
  EXPECT_EQ(classify_flow(trace, kNoFlow), PhaseKind::Other);
}

TEST(Phases, NotesJoinTheNextPhaseAndAnEmptyTraceHasNone) {
  Trace trace;
  EXPECT_TRUE(derive_phases(trace).empty());
  const NodeId pc = trace.add_node("pc", "host");
  const NodeId dns = trace.add_node("dns", "dns-server");
  const FlowId f = trace.add_flow(FlowInfo{pc, dns, "udp", "dns", ""});
  auto add = [&](TimeNs t, EventId parent, FlowId flow, Layer layer, EventKind kind) {
    TraceEvent e;
    e.time = t;
    e.parent = parent;
    e.node = pc;
    e.flow = flow;
    e.layer = layer;
    e.kind = kind;
    trace.record(e);
  };
  add(0, kNoEvent, kNoFlow, Layer::Application, EventKind::Narration);
  add(1, kNoEvent, f, Layer::Application, EventKind::Request);
  add(2, 1, kNoFlow, Layer::Link, EventKind::Send);  // ARP for the query: inherits its phase
  add(3, kNoEvent, kNoFlow, Layer::Application, EventKind::Note);
  const auto phases = derive_phases(trace);
  ASSERT_EQ(phases.size(), 1u);
  EXPECT_EQ(phases[0].kind, PhaseKind::Dns);
  EXPECT_EQ(phases[0].first, 0u);  // the narration before the query opens the phase
  EXPECT_EQ(phases[0].last, 3u);   // the note after it closes it
  EXPECT_EQ(phases[0].label, "DNS lookup: pc → dns");
}

TEST(Layout, BackboneInARowHostsAroundTheirSwitch) {
  const TopologySnapshot& topo = demo_run().topology;
  const TopologyLayout layout = layout_topology(topo);
  ASSERT_EQ(layout.positions.size(), topo.nodes.size());
  auto at = [&](const char* name) {
    for (std::size_t i = 0; i < topo.nodes.size(); ++i) {
      if (topo.nodes[i].name == name) return layout.positions[i];
    }
    ADD_FAILURE() << name;
    return Vec2{};
  };
  const Vec2 lan_a = at("lan-outlook"), r1 = at("r-outlook"), r2 = at("r-gmail"),
             lan_b = at("lan-gmail");
  EXPECT_EQ(lan_a.y, r1.y);
  EXPECT_EQ(r1.y, r2.y);
  EXPECT_EQ(r2.y, lan_b.y);
  EXPECT_LT(lan_a.x, r1.x);
  EXPECT_LT(r1.x, r2.x);
  EXPECT_LT(r2.x, lan_b.x);
  EXPECT_LT(at("alice-pc").x, lan_a.x);  // hosts of the left end: a column further left
  EXPECT_LT(at("smtp.outlook.com").x, lan_a.x);
  EXPECT_GT(at("bob-pc").x, lan_b.x);  // of the right end: further right
  for (std::size_t i = 0; i < layout.positions.size(); ++i) {
    for (std::size_t j = i + 1; j < layout.positions.size(); ++j) {
      const bool same = layout.positions[i].x == layout.positions[j].x &&
                        layout.positions[i].y == layout.positions[j].y;
      EXPECT_FALSE(same) << topo.nodes[i].name << " and " << topo.nodes[j].name;
    }
  }
}

TEST(Layout, EdgeCases) {
  TopologySnapshot empty;
  EXPECT_TRUE(layout_topology(empty).positions.empty());
  // Two hosts cabled together (no switch or router): they become the backbone.
  TopologySnapshot pair;
  pair.nodes = {TopoNode{0, "a", "host", NodeIcon::Host, {}},
                TopoNode{1, "b", "host", NodeIcon::Host, {}}};
  pair.links = {TopoLink{"a<->b", 0, 1, 0, 0}};
  const auto l = layout_topology(pair);
  EXPECT_EQ(l.positions[0].y, l.positions[1].y);
  EXPECT_LT(l.positions[0].x, l.positions[1].x);
  // A node cabled to nothing still gets a place.
  pair.nodes.push_back(TopoNode{2, "lonely", "host", NodeIcon::Host, {}});
  EXPECT_EQ(layout_topology(pair).positions.size(), 3u);
}

TEST(Topology, IconsFromKinds) {
  struct Case {
    const char* kind;
    NodeIcon icon;
  };
  for (const Case& c : {Case{"host", NodeIcon::Host}, Case{"router", NodeIcon::Router},
                        Case{"switch", NodeIcon::Switch}, Case{"mail-server", NodeIcon::Server},
                        Case{"dns-server", NodeIcon::Server}, Case{"toaster", NodeIcon::Other}}) {
    EXPECT_EQ(icon_for_kind(c.kind), c.icon) << c.kind;
  }
  EXPECT_FALSE(demo_run().topology.validate().has_value());
  TopologySnapshot bad;
  bad.nodes = {TopoNode{0, "a", "host", NodeIcon::Host, {}}};
  bad.links = {TopoLink{"a<->?", 0, 7, 0, 0}};
  EXPECT_TRUE(bad.validate().has_value());
}

TEST(Conversation, LinesAreGroupedByFlowWithSecretsMasked) {
  const LoadedRun& run = demo_run();
  RunIndex index(*run.trace, run.topology);
  Conversation c(index, Filter::everything());
  const auto rows = c.rows();
  ASSERT_GT(rows.size(), 40u);
  EXPECT_EQ(rows[0].kind, RowKind::FlowHeader);
  EXPECT_EQ(rows[0].text.rfind("DNS  alice-pc → dns.outlook.com", 0), 0u) << rows[0].text;
  EXPECT_EQ(rows[1].kind, RowKind::Client);
  EXPECT_EQ(rows[1].text, "Standard query 0x1a2b A smtp.outlook.com");
  bool saw_pass = false;
  for (const ConversationRow& r : rows) {
    if (r.text.starts_with("PASS")) {
      EXPECT_EQ(r.text, "PASS •••••• (hidden: credentials)");
      saw_pass = true;
    }
  }
  EXPECT_TRUE(saw_pass);
  Conversation shown(index, Filter::everything(), ConversationOptions{Credentials::Show});
  bool saw_password = false;
  for (const ConversationRow& r : shown.rows())
    saw_password = saw_password || r.text == "PASS hunter2";
  EXPECT_TRUE(saw_password);

  // A multi-line reply is one message and several rows.
  const EventId ehlo_reply = find_message(*run.trace, "250-smtp.outlook.com");
  const auto [first, last] = c.rows_of(ehlo_reply);
  ASSERT_EQ(last - first, 3u);
  EXPECT_EQ(rows[first].text, "250-smtp.outlook.com greets alice-pc");
  EXPECT_EQ(rows[last - 1].text, "250 8BITMIME");
  // Long bodies are cut with a count of what is left out.
  const EventId body = find_message(*run.trace, "From: Alice");
  Conversation short_lines(index, Filter::everything(), ConversationOptions{Credentials::Mask, 3});
  const auto [b0, b1] = short_lines.rows_of(body);
  ASSERT_EQ(b1 - b0, 3u);
  EXPECT_EQ(short_lines.rows()[b1 - 1].text, "… (7 more lines)");
  // Filtered by protocol: no DNS lines.
  Filter smtp;
  smtp.protocols = bit(Protocol::Smtp);
  const Conversation smtp_only(index, smtp);
  ASSERT_FALSE(smtp_only.rows().empty());
  for (const ConversationRow& r : smtp_only.rows())
    EXPECT_EQ(r.protocol, Protocol::Smtp);
}

TEST(Lessons, ParseErrorsNameTheFileAndEntry) {
  struct Case {
    const char* json;
    const char* error;
  };
  const Case cases[] = {
      {"{", "t.json: is not valid JSON"},
      {"[]", "t.json: needs an object with a \"lessons\" array"},
      {R"({"lessons": [1]})", "t.json#1: is not an object"},
      {R"({"lessons": [{"text": 5}]})", "t.json#1: \"text\" must be a string"},
      {R"({"lessons": [{"text": "x", "colour": "red"}]})", "t.json#1: unknown key \"colour\""},
      {R"({"lessons": [{"title": "no text"}]})", "t.json#1: has no \"text\""},
  };
  for (const Case& c : cases) {
    LessonBook book;
    const auto r = book.add_json(c.json, "t.json");
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.error().to_string(), c.error);
  }
}

TEST(Lessons, TheMostSpecificMatchWins) {
  LessonBook book;
  ASSERT_TRUE(book.add_json(R"({"lessons": [
      {"layer": "L7", "text": "any L7"},
      {"protocol": "smtp", "layer": "L7", "kind": "request", "starts_with": "ehlo", "text": "EHLO"},
      {"protocol": "smtp", "layer": "L7", "kind": "request", "starts_with": "EHLO", "phase": "relay", "text": "relay EHLO"},
      {"layer": "L4", "contains": "[SYN]", "text": "syn"}]})",
                            "t.json")
                  .ok());
  auto text_of = [&](LessonQuery q) {
    const Lesson* l = book.match(q);
    return l ? l->text : std::string("(none)");
  };
  LessonQuery ehlo{Protocol::Smtp,        Layer::Application, EventKind::Request,
                   PhaseKind::Submission, "EHLO pc\r\n",      "EHLO pc"};
  EXPECT_EQ(text_of(ehlo), "EHLO");  // starts_with ignores case
  ehlo.phase = PhaseKind::Relay;
  EXPECT_EQ(text_of(ehlo), "relay EHLO");
  ehlo.text = "MAIL FROM:<a@b>";
  EXPECT_EQ(text_of(ehlo), "any L7");
  EXPECT_EQ(text_of({Protocol::Tcp, Layer::Transport, EventKind::Send, PhaseKind::Other, "",
                     "TCP 1 → 2 [SYN] Seq=0"}),
            "syn");
  EXPECT_EQ(text_of({Protocol::Tcp, Layer::Network, EventKind::Send, PhaseKind::Other, "", ""}),
            "(none)");
}

TEST(Lessons, TheBundledLessonFilesLoad) {
  LessonBook book;
  const auto loaded = book.load_directory(std::string(MAILSCOPE_SOURCE_DIR) + "/assets/lessons");
  ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
  EXPECT_GE(*loaded, 40u);
  EXPECT_FALSE(book.load_directory("/nonexistent").ok());
}

}  // namespace
}  // namespace mailscope::gui
