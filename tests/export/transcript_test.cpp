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
