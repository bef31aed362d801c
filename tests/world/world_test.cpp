// The World on small inline lessons: DNS-driven relay and its failure modes, narration,
// expectations that fail, and determinism.

#include <gtest/gtest.h>

#include <string>

#include "scenario/loader.h"
#include "world/expectations.h"
#include "world/world.h"

namespace mailscope::world {
namespace {

// Two domains on two LANs joined by one WAN link; `timeline` and `expect` are spliced in.
std::string lesson(const std::string& timeline, const std::string& expect,
                   const std::string& narration = "[]") {
  return R"({
  "id": "inline", "title": "Inline lesson", "level": "beginner",
  "description": "A test.", "objectives": ["Test"], "seed": 7, "duration_s": 7200,
  "network": {
    "lans": [{"name": "a-lan", "router": "a-gw"}, {"name": "b-lan", "router": "b-gw"}],
    "routers": [{"name": "a-gw"}, {"name": "b-gw"}],
    "wan": [{"name": "internet", "between": ["a-gw", "b-gw"], "latency_ms": 10}]
  },
  "dns": {"mode": "single", "lan": "a-lan"},
  "domains": [
    {"name": "a.example", "lan": "a-lan",
     "servers": [{"host": "mail.a.example", "services": ["smtp", "submission"],
                  "retry_first_s": 600, "retry_max_s": 600}]},
    {"name": "b.example", "lan": "b-lan",
     "servers": [{"host": "mail.b.example", "services": ["smtp", "submission"]}]}
  ],
  "users": [
    {"address": "alice@a.example", "name": "Alice", "password": "pw-alice", "lan": "a-lan"},
    {"address": "bob@b.example", "name": "Bob", "password": "pw-bob", "lan": "b-lan"}
  ],
  "timeline": )" +
         timeline +
         R"(,
  "narration": )" +
         narration +
         R"(,
  "expect": )" +
         expect + "\n}";
}

struct LessonRun {
  std::unique_ptr<World> world;
  std::vector<ExpectationResult> results;
};

LessonRun run_text(const std::string& text, std::optional<std::uint64_t> seed = {}) {
  const auto loaded = scenario::load_scenario_text(text, "inline.json");
  EXPECT_TRUE(loaded.ok()) << loaded.error_text();
  if (!loaded.ok()) return {};
  auto built = World::build(loaded.scenario(), WorldOptions{seed});
  EXPECT_TRUE(built.ok()) << built.error().to_string();
  if (!built.ok()) return {};
  LessonRun run{std::move(built).value(), {}};
  run.world->run();
  run.results = check_expectations(*run.world);
  return run;
}

LessonRun run_lesson(const std::string& timeline, const std::string& expect,
                     const std::string& narration = "[]") {
  return run_text(lesson(timeline, expect, narration));
}

void expect_all_pass(const LessonRun& run) {
  ASSERT_NE(run.world, nullptr);
  for (const auto& result : run.results)
    EXPECT_TRUE(result.passed) << result.description << ": " << result.observed;
}

const std::string kSend =
    R"({"at_s": 1, "do": "send", "from": "alice@a.example", "to": ["bob@b.example"],
        "subject": "Hi", "body": "Hello Bob"})";

TEST(World, CrossDomainMailIsRoutedByTheMxRecord) {
  const LessonRun run = run_lesson("[" + kSend + "]", R"([
    {"check": "delivered", "mailbox": "bob@b.example", "subject": "Hi"},
    {"check": "dns-queries", "type": "MX", "min": 1, "max": 1},
    {"check": "reply", "code": 250, "command": "DATA", "host": "mail.b.example"}])");
  expect_all_pass(run);
}

TEST(World, ServfailDefersTheMessageUntilDnsRecovers) {
  const LessonRun run = run_lesson(R"([
    {"at_s": 0, "do": "dns-fail", "server": "dns-server", "failure": "servfail"},
    )" + kSend + R"(,
    {"at_s": 300, "do": "dns-restore", "server": "dns-server"}])",
                                   R"([
    {"check": "deferred", "recipient": "bob@b.example", "min": 1},
    {"check": "delivered", "mailbox": "bob@b.example", "subject": "Hi"}])");
  expect_all_pass(run);
}

TEST(World, NonexistentDomainBouncesToTheSender) {
  const LessonRun run =
      run_lesson(R"([
    {"at_s": 1, "do": "send", "from": "alice@a.example", "to": ["bob@nowhere.example"],
     "subject": "Lost", "body": "Nobody home"}])",
                 R"([{"check": "bounced", "user": "alice@a.example", "subject": "Lost"}])");
  expect_all_pass(run);
}

TEST(World, UnmetExpectationIsReportedWithWhatHappened) {
  const LessonRun run = run_lesson("[" + kSend + "]", R"([
    {"check": "delivered", "mailbox": "bob@b.example", "subject": "Something else"},
    {"check": "retransmissions", "min": 1}])");
  ASSERT_EQ(run.results.size(), 2u);
  EXPECT_FALSE(run.results[0].passed);
  EXPECT_EQ(run.results[0].observed, "0 matching messages in INBOX");
  EXPECT_FALSE(run.results[1].passed);
  EXPECT_EQ(run.results[1].observed, "0 retransmissions");
}

TEST(World, NarrationFollowsTheEventItNames) {
  const LessonRun run = run_lesson("[" + kSend + "]", "[]", R"([
    {"on": "dns-query", "type": "MX", "text": "Where does b.example take mail?"},
    {"on": "smtp-reply", "code": 354, "occurrence": "every", "text": "Go ahead."}])");
  ASSERT_NE(run.world, nullptr);
  const Trace& trace = run.world->trace();
  int mx_narrations = 0, data_narrations = 0;
  for (const TraceEvent& e : trace.events()) {
    if (e.kind != EventKind::Narration) continue;
    const std::string_view text = trace.text(e);
    ASSERT_NE(e.parent, kNoEvent);
    const TraceEvent& cause = trace.event(e.parent);
    EXPECT_EQ(cause.time, e.time);
    if (text == "Where does b.example take mail?") {
      ++mx_narrations;
      EXPECT_EQ(cause.kind, EventKind::Request);
    }
    if (text == "Go ahead.") ++data_narrations;
  }
  EXPECT_EQ(mx_narrations, 1);    // "first": once
  EXPECT_EQ(data_narrations, 2);  // "every": the submission and the relay
}

TEST(World, SameSeedSameTraceOtherSeedOtherTrace) {
  const std::string text = lesson("[" + kSend + "]", "[]");
  const LessonRun a = run_text(text);
  const LessonRun b = run_text(text);
  const LessonRun c = run_text(text, 99);
  ASSERT_TRUE(a.world && b.world && c.world);
  EXPECT_EQ(a.world->trace().digest(), b.world->trace().digest());
  EXPECT_NE(a.world->trace().digest(), c.world->trace().digest());
}

}  // namespace
}  // namespace mailscope::world
