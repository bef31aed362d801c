#include "export/session_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "export/encoding.h"
#include "mail_world.h"

namespace mailscope::exporter {
namespace {

using testing::MailWorld;

nlohmann::json export_json(const Trace& trace, const SessionJsonOptions& options = {}) {
  ScenarioMetadata metadata{"starttls-submission",
                            "Submission with STARTTLS",
                            7,
                            "Alice submits a message.",
                            {"See the TLS start"}};
  std::ostringstream out;
  write_session_json(trace, metadata, out, options);
  return nlohmann::json::parse(out.str());
}

// The first event of `kind` at `layer` whose summary contains `needle`.
const nlohmann::json* find_event(const nlohmann::json& doc, std::string_view layer,
                                 std::string_view kind, std::string_view needle) {
  for (const auto& e : doc["events"])
    if (e["layer"] == layer && e["kind"] == kind &&
        e["summary"].get<std::string>().find(needle) != std::string::npos)
      return &e;
  return nullptr;
}

TEST(SessionJson, HeaderNodesAndFlows) {
  const MailWorld world;
  const auto doc = export_json(world.trace());
  EXPECT_EQ(doc["format"], "mailscope-session");
  EXPECT_EQ(doc["version"], 1);
  EXPECT_EQ(doc["scenario"]["id"], "starttls-submission");
  EXPECT_EQ(doc["scenario"]["title"], "Submission with STARTTLS");
  EXPECT_EQ(doc["scenario"]["seed"], 7);
  EXPECT_EQ(doc["scenario"]["objectives"].size(), 1u);
  EXPECT_EQ(doc["data_encoding"], "base64");
  EXPECT_EQ(doc["event_count"], world.trace().size());
  EXPECT_EQ(doc["events"].size(), world.trace().size());
  ASSERT_EQ(doc["nodes"].size(), world.trace().node_count());
  for (std::size_t n = 0; n < world.trace().node_count(); ++n) {
    EXPECT_EQ(doc["nodes"][n]["id"], n);
    EXPECT_EQ(doc["nodes"][n]["name"], world.trace().node(static_cast<NodeId>(n)).name);
    EXPECT_EQ(doc["nodes"][n]["kind"], world.trace().node(static_cast<NodeId>(n)).kind);
  }
  // Flow 0 (no flow) is not listed: flows[i] has id i + 1.
  ASSERT_EQ(doc["flows"].size(), world.trace().flow_count() - 1);
  std::size_t smtp = 0;
  for (const auto& f : doc["flows"]) {
    if (f["application"] != "smtp") continue;
    ++smtp;
    EXPECT_EQ(f["transport"], "tcp");
    EXPECT_EQ(doc["nodes"][f["server"].get<std::size_t>()]["name"], "smtp.outlook.com");
  }
  EXPECT_EQ(smtp, 1u);
}

TEST(SessionJson, EveryEventMatchesTheTrace) {
  const MailWorld world;
  const Trace& trace = world.trace();
  const auto doc = export_json(trace);
  for (std::size_t i = 0; i < trace.size(); ++i) {
    const TraceEvent& e = trace.event(static_cast<EventId>(i));
    const auto& j = doc["events"][i];
    ASSERT_EQ(j["id"], i);
    EXPECT_EQ(j["time_ns"], e.time);
    EXPECT_EQ(j["layer"], std::string(to_string(e.layer)));
    EXPECT_EQ(j["kind"], std::string(to_string(e.kind)));
    EXPECT_EQ(j["parent"].is_null(), e.parent == kNoEvent);
    if (e.parent != kNoEvent) {
      EXPECT_EQ(j["parent"], e.parent);
    }
    EXPECT_EQ(j["flow"].is_null(), e.flow == kNoFlow);
    EXPECT_TRUE(j["summary"].is_string());
    Trace::Scratch scratch;
    const auto bytes = trace.data(e, scratch);
    if (bytes.empty()) {
      EXPECT_FALSE(j.contains("data"));
    } else {
      std::string base64;
      append_base64(base64, bytes);
      EXPECT_EQ(j["data"], base64);
      EXPECT_EQ(j["data_size"], bytes.size());
    }
  }
}

TEST(SessionJson, ApplicationEventsDropsAndCredentials) {
  const MailWorld world;
  const auto doc = export_json(world.trace(), {ByteEncoding::Hex, Decode::None});
  EXPECT_EQ(doc["data_encoding"], "hex");

  const auto* quit = find_event(doc, "L7", "request", "QUIT");
  ASSERT_NE(quit, nullptr);
  EXPECT_EQ((*quit)["data"], "515549540d0a");  // "QUIT\r\n"
  EXPECT_EQ((*quit)["node_name"], "client.outlook.com");

  const auto* auth = find_event(doc, "L7", "request", "AUTH PLAIN");
  ASSERT_NE(auth, nullptr);
  EXPECT_EQ((*auth)["credentials"], true);
  EXPECT_FALSE(quit->contains("credentials"));

  const auto* drop = find_event(doc, "L4", "drop", "");
  ASSERT_NE(drop, nullptr);
  EXPECT_EQ((*drop)["drop_reason"], "port unreachable");
  EXPECT_EQ((*drop)["summary"], "DROP (port unreachable): UDP 42876 → 9999 Len=5");

  const auto* established = find_event(doc, "TLS", "state", "TLS established");
  ASSERT_NE(established, nullptr);
  EXPECT_EQ((*established)["text"], "TLS established: TLSv1.3 TLS_AES_128_GCM_SHA256");

  const auto* dns = find_event(doc, "L7", "response", "Standard query response");
  ASSERT_NE(dns, nullptr);
  EXPECT_EQ((*dns)["summary"], "Standard query response 0x1a2b A smtp.outlook.com A 10.0.2.30");
}

TEST(SessionJson, DecodedFieldsOnRequest) {
  const MailWorld world;
  const auto plain = export_json(world.trace());
  for (const auto& e : plain["events"])
    EXPECT_FALSE(e.contains("fields"));

  const auto doc = export_json(world.trace(), {ByteEncoding::None, Decode::Fields});
  EXPECT_EQ(doc["data_encoding"], "none");
  std::size_t frames = 0;
  for (const auto& e : doc["events"]) {
    EXPECT_FALSE(e.contains("data"));
    if (e["layer"] == "L2" && e["kind"] == "send" && e.contains("fields")) {
      ++frames;
      EXPECT_EQ(e["fields"][0]["name"], "Ethernet II");
      EXPECT_EQ(e["fields"][0]["depth"], 0);
    }
  }
  EXPECT_GT(frames, 20u);
  const auto* dns = find_event(doc, "L7", "request", "Standard query");
  ASSERT_NE(dns, nullptr);
  ASSERT_TRUE(dns->contains("fields"));
  EXPECT_EQ((*dns)["fields"][0]["name"], "Domain Name System (query)");
}

// Bytes that are not UTF-8 still give valid JSON: a replacement character stands in for them.
TEST(SessionJson, InvalidUtf8IsReplaced) {
  Trace trace;
  const NodeId n = trace.add_node("bad\xff name", "host");
  TraceEvent e;
  e.node = n;
  trace.record(e, {}, trace.store(std::string_view("caf\xc3\xa9 \xc3 \x01 end")));
  const auto doc = export_json(trace);
  EXPECT_EQ(doc["nodes"][0]["name"], "bad\xef\xbf\xbd name");
  EXPECT_EQ(doc["events"][0]["text"], "caf\xc3\xa9 \xef\xbf\xbd \x01 end");
}

}  // namespace
}  // namespace mailscope::exporter
