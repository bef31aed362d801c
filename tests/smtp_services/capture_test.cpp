// What a student sees outside the simulation: the pcap with the key log decrypts in tshark, and
// the same seed gives the same run.

#include <gtest/gtest.h>

#include "export/pcap_export.h"
#include "mail_world.h"
#include "support/tshark.h"

namespace mailscope::services {
namespace {

using testing::contains;
using testing::MailWorld;

TEST(Capture, PcapWithKeyLogDecryptsInTshark) {
  ASSERT_TRUE(mailscope::testing::tshark_available()) << "tshark is needed";
  MailWorld w;
  auto result = w.submit({"carol@a.test"}, "Decrypt me");
  w.sim.run();
  ASSERT_TRUE(result->accepted);
  // A capture on alice's machine (one copy of each frame), and the secrets of both ends.
  const auto pcap = mailscope::testing::write_temp_file(
      "mailscope-smtpsvc.pcap", exporter::pcap_bytes(w.sim.trace(), {.tap = w.alice_pc->id()}));
  const std::string text = w.tls->key_log.text();
  const auto keys = mailscope::testing::write_temp_file(
      "mailscope-smtpsvc.keys", std::vector<std::uint8_t>(text.begin(), text.end()));

  const std::string clear = mailscope::testing::tshark_summary(pcap);
  EXPECT_TRUE(contains(clear, "C: STARTTLS")) << clear;
  EXPECT_FALSE(contains(clear, "AUTH PLAIN")) << "without the keys only ciphertext follows";
  EXPECT_FALSE(contains(clear, "Decrypt me"));

  const std::string with_keys = "-o tls.keylog_file:" + keys.string();
  const std::string decrypted = mailscope::testing::tshark_summary(pcap, with_keys);
  EXPECT_TRUE(contains(decrypted, "C: AUTH PLAIN AGFsaWNlAGFsaWNlLXNlY3JldA==")) << decrypted;
  EXPECT_TRUE(contains(decrypted, "C: MAIL FROM:<alice@a.test>")) << decrypted;
  EXPECT_TRUE(contains(decrypted, "subject: Decrypt me")) << decrypted;
  EXPECT_TRUE(contains(decrypted, "S: 250 2.0.0 Ok: queued as 0000000001")) << decrypted;

  const auto report = mailscope::testing::tshark_expert(pcap, with_keys);
  EXPECT_EQ(report.exit_status, 0) << report.output;
  EXPECT_FALSE(report.has_errors()) << report.output;
  EXPECT_FALSE(report.has_malformed()) << report.output;
}

// The L7 dialogue, TLS events and mail events of a run, one line per event, with time and node.
std::vector<std::string> l7_transcript(const Trace& trace) {
  std::vector<std::string> out;
  for (const TraceEvent& e : trace.events()) {
    if (e.layer != Layer::Application && e.layer != Layer::Tls) continue;
    out.push_back(format_time(e.time) + " " + trace.node(e.node).name + " " +
                  std::string(to_string(e.layer)) + " " + std::string(to_string(e.kind)) + " " +
                  testing::event_text(trace, e));
  }
  return out;
}

struct RunDigest {
  std::vector<std::string> transcript;
  std::uint64_t digest = 0;
  std::size_t key_log_lines = 0;
};

RunDigest run_scenario(std::uint64_t seed) {
  testing::WorldOptions options;
  options.retry.first_retry_ns = 2 * kMinute;
  options.adjust_b = [](MailServerOptions& o) {
    o.faults.greylisting = true;
    o.faults.greylist_delay_ns = 1 * kMinute;
  };
  MailWorld w(seed, options);
  auto local = w.submit({"carol@a.test"}, "Same domain");
  auto remote = w.submit({"bob@b.test", "nobody@b.test"}, "Cross domain");
  w.sim.run();
  EXPECT_TRUE(local->accepted);
  EXPECT_TRUE(remote->accepted);
  return RunDigest{l7_transcript(w.sim.trace()), w.sim.trace().digest(),
                   w.tls->key_log.lines().size()};
}

TEST(Determinism, SameSeedSameTranscript) {
  const RunDigest first = run_scenario(42);
  const RunDigest second = run_scenario(42);
  EXPECT_GT(first.transcript.size(), 100u);
  EXPECT_EQ(first.transcript, second.transcript);
  EXPECT_EQ(first.digest, second.digest) << "every byte, ciphertext included";
  EXPECT_EQ(first.key_log_lines, second.key_log_lines);
  // Another seed: other ports, keys and ciphertext, hence another digest.
  EXPECT_NE(run_scenario(43).digest, first.digest);
}

}  // namespace
}  // namespace mailscope::services
