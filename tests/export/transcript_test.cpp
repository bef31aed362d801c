#include "export/transcript.h"

#include <gtest/gtest.h>

#include <sstream>

#include "mail_world.h"
#include "snapshot.h"

namespace mailscope::exporter {
namespace {

using testing::MailWorld;

std::string transcript(const Trace& trace, const TranscriptOptions& options) {
  std::ostringstream out;
  write_transcript(trace, out, options);
  return out.str();
}

TranscriptOptions layers(std::initializer_list<Layer> list) {
  TranscriptOptions o;
  for (const Layer l : list)
    o.show(l);
  return o;
}

TEST(Transcript, DialogueSnapshot) {
  const MailWorld world;
  testing::expect_snapshot("dialogue.txt", transcript(world.trace(), layers({Layer::Application})));
}

TEST(Transcript, LayersSnapshot) {
  const MailWorld world;
  testing::expect_snapshot("layers_7432.txt",
                           transcript(world.trace(), layers({Layer::Application, Layer::Transport,
                                                             Layer::Network, Layer::Link})));
}

TEST(Transcript, MaskedOneLineBySessionSnapshot) {
  const MailWorld world;
  TranscriptOptions o = layers({Layer::Application, Layer::Tls});
  o.credentials = Credentials::Mask;
  o.dns = DnsStyle::OneLine;
  o.grouping = Grouping::BySession;
  testing::expect_snapshot("masked_oneline_by_session.txt", transcript(world.trace(), o));
}

}  // namespace
}  // namespace mailscope::exporter

namespace mailscope::exporter {
namespace {

// On a lossy WAN, lost frames appear under the message they carried, a retransmission carries
// the same message again, and the drops section lists every loss.
TEST(Transcript, DropsUnderTheirMessageAndInTheList) {
  testing::MailWorldOptions options;
  options.wan_loss = 0.15;
  const testing::MailWorld world(options);
  std::size_t losses = 0;
  for (const TraceEvent& e : world.trace().events())
    losses += e.kind == EventKind::Drop && e.detail == static_cast<std::uint16_t>(DropReason::Loss);
  ASSERT_GT(losses, 0u) << "pick a seed or loss rate that loses something";
  const std::string text = transcript(
      world.trace(), layers({Layer::Application, Layer::Transport, Layer::Network, Layer::Link}));
  // Inline (indented under an item) and listed at the end.
  std::size_t inline_drops = 0;
  for (auto at = text.find("\n "); at != std::string::npos; at = text.find("\n ", at + 1)) {
    const auto end = text.find('\n', at + 1);
    if (text.substr(at, end - at).find("DROP (loss)") != std::string::npos) ++inline_drops;
  }
  EXPECT_EQ(inline_drops, losses);
  // The probe to a closed port adds one more drop.
  EXPECT_NE(text.find("=== Drops: " + std::to_string(losses + 1) + " (loss " +
                      std::to_string(losses) + ", port unreachable 1) ==="),
            std::string::npos);
  EXPECT_NE(text.find("[L4 note]"), std::string::npos);  // the retransmission notes
  // The dialogue itself is complete whatever was lost.
  EXPECT_NE(text.find("S: 221 2.0.0 Bye"), std::string::npos);
}

// All hops: every router on the path shows its forward, with the TTL one lower per router.
TEST(Transcript, AllHopsShowEveryRouter) {
  const testing::MailWorld world;
  TranscriptOptions o = layers({Layer::Application, Layer::Network});
  const std::string first = transcript(world.trace(), o);
  o.hops = Hops::All;
  const std::string all = transcript(world.trace(), o);
  EXPECT_EQ(first.find("TTL=63"), std::string::npos);
  EXPECT_NE(all.find("r1                  IPv4 10.0.1.20 → 10.0.2.30 TTL=63"), std::string::npos);
  EXPECT_NE(all.find("r2                  IPv4 10.0.1.20 → 10.0.2.30 TTL=62"), std::string::npos);
  // And the arrival at the receiver.
  EXPECT_NE(all.find("smtp.outlook.com    IPv4 10.0.1.20 → 10.0.2.30 TTL=62"), std::string::npos);
}

// Long messages are cut at the line limit, and the cut is said.
TEST(Transcript, LineLimits) {
  const testing::MailWorld world;
  TranscriptOptions o = layers({Layer::Application});
  o.message_lines_max = 3;
  const std::string text = transcript(world.trace(), o);
  EXPECT_NE(text.find("C: Subject: <script>alert(1)</script>\n"
                      "           … (4 more lines)\n"),
            std::string::npos);
}

}  // namespace
}  // namespace mailscope::exporter
