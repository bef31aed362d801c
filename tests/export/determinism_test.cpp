// Same trace, same bytes: every export is a pure function of the trace (and its options).

#include <gtest/gtest.h>

#include <sstream>

#include "export/html_report.h"
#include "export/session_json.h"
#include "export/transcript.h"
#include "mail_world.h"

namespace mailscope::exporter {
namespace {

using testing::MailWorld;
using testing::MailWorldOptions;

struct Exports {
  std::string transcript;
  std::string json;
  std::string html;
};

Exports export_all(const Trace& trace) {
  const ScenarioMetadata metadata{"id", "Title", 7, "Summary", {"one", "two"}};
  Exports out;
  std::ostringstream transcript, json, html;
  auto options = TranscriptOptions::all_layers();
  options.hops = Hops::All;
  write_transcript(trace, transcript, options);
  write_session_json(trace, metadata, json, {ByteEncoding::Base64, Decode::Fields});
  write_html_report(trace, metadata, html);
  return {transcript.str(), json.str(), html.str()};
}

TEST(Determinism, SameSeedSameBytes) {
  MailWorldOptions options;
  options.wan_loss = 0.1;
  const MailWorld a(options);
  const MailWorld b(options);
  ASSERT_EQ(a.trace().digest(), b.trace().digest());
  const Exports x = export_all(a.trace());
  const Exports y = export_all(b.trace());
  EXPECT_EQ(x.transcript, y.transcript);
  EXPECT_EQ(x.json, y.json);
  EXPECT_EQ(x.html, y.html);
  // Exporting the same trace twice gives the same bytes too.
  EXPECT_EQ(export_all(a.trace()).html, x.html);
}

TEST(Determinism, AnotherSeedChangesTheOutput) {
  MailWorldOptions options;
  options.seed = 8;
  const MailWorld a;
  const MailWorld b(options);
  EXPECT_NE(export_all(a.trace()).json, export_all(b.trace()).json);
}

}  // namespace
}  // namespace mailscope::exporter
