#include "export/html_report.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "export/encoding.h"
#include "mail_world.h"

namespace mailscope::exporter {
namespace {

using testing::MailWorld;
using testing::MailWorldOptions;

const ScenarioMetadata kMetadata{
    "starttls-submission",
    "Submission <b>with</b> STARTTLS",
    7,
    "Alice submits a message to her provider; the password travels inside TLS.",
    {"Find the line where TLS starts", "Compare the AUTH line with the course notes"}};

std::string report(const Trace& trace, const HtmlReportOptions& options = {}) {
  std::ostringstream out;
  write_html_report(trace, kMetadata, out, options);
  return out.str();
}

std::size_t count(const std::string& haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1))
    ++n;
  return n;
}

TEST(HtmlReport, EscapesMessageContent) {
  MailWorldOptions options;
  options.narration = "Look: \"><img src=x onerror=alert(2)> & 'quotes'";
  const MailWorld world(options);
  const std::string html = report(world.trace());
  // The hostile Subject and narration appear only as text.
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find("Subject: &lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&quot;&gt;&lt;img src=x onerror=alert(2)&gt; &amp; &#39;quotes&#39;"),
            std::string::npos);
  // The title from the metadata is escaped too.
  EXPECT_NE(html.find("Submission &lt;b&gt;with&lt;/b&gt; STARTTLS"), std::string::npos);
  // Exactly one script element: the report's own, allowed by hash, nothing else.
  EXPECT_EQ(count(html, "<script"), 1u);
  EXPECT_NE(html.find("script-src &#39;sha256-"), std::string::npos);
  EXPECT_NE(html.find("default-src &#39;none&#39;"), std::string::npos);
}

TEST(HtmlReport, HasTheParts) {
  const MailWorld world;
  const std::string html = report(world.trace());
  EXPECT_NE(html.find("<svg class=\"seq\""), std::string::npos);
  EXPECT_NE(html.find("<li>Find the line where TLS starts</li>"), std::string::npos);
  // Lifelines for the three hosts of the sessions, in order of appearance.
  const auto client = html.find("\">client.outlook.com</text>");
  const auto ns = html.find("\">ns.outlook.com</text>");
  const auto smtp = html.find("\">smtp.outlook.com</text>");
  EXPECT_LT(client, ns);
  EXPECT_LT(ns, smtp);
  EXPECT_NE(smtp, std::string::npos);
  EXPECT_EQ(count(html, "<text class=\"hostname\""), 3u);
  // One arrow per message: 2 DNS, 19 SMTP lines, 5 TLS handshake messages; one TLS band.
  EXPECT_EQ(count(html, "<g class=\"msg dns\""), 2u);
  EXPECT_EQ(count(html, "<g class=\"msg smtp\""), 5u);       // before TLS
  EXPECT_EQ(count(html, "<g class=\"msg smtp enc\""), 14u);  // inside TLS
  EXPECT_EQ(count(html, "<g class=\"msg tls\""), 5u);
  EXPECT_EQ(count(html, "<g class=\"tlsband\""), 1u);
  // Each arrow names an entry of the transcript that exists.
  for (auto at = html.find("data-target=\"e"); at != std::string::npos;
       at = html.find("data-target=\"e", at + 1)) {
    const auto end = html.find('"', at + 13);
    const std::string id = html.substr(at + 13, end - at - 13);
    EXPECT_NE(html.find("id=\"" + id + "\""), std::string::npos) << id;
  }
  // Layer details with decoded frame fields, and the DNS message's fields.
  EXPECT_NE(html.find("<td class=\"lay\">L4</td>"), std::string::npos);
  EXPECT_NE(html.find("<div class=\"d0\">Ethernet II"), std::string::npos);
  EXPECT_NE(html.find("<h4>DNS message</h4>"), std::string::npos);
  // Credentials as sent, unless masked.
  EXPECT_NE(html.find("AUTH PLAIN AGFsaWNlQG91dGxvb2suY29tAHMzY3JldA=="), std::string::npos);
  HtmlReportOptions masked;
  masked.credentials = Credentials::Mask;
  const std::string masked_html = report(world.trace(), masked);
  EXPECT_EQ(masked_html.find("AGFsaWNlQG91dGxvb2suY29tAHMzY3JldA"), std::string::npos);
  EXPECT_NE(masked_html.find("AUTH PLAIN ********"), std::string::npos);
}

TEST(HtmlReport, LimitsAreCounted) {
  const MailWorld world;
  HtmlReportOptions options;
  options.diagram_rows_max = 3;
  options.transcript_items_max = 4;
  const std::string html = report(world.trace(), options);
  EXPECT_EQ(count(html, "<g class=\"msg "), 3u);
  EXPECT_NE(html.find("The diagram shows the first 3 rows"), std::string::npos);
  EXPECT_EQ(count(html, "<div class=\"item "), 4u);
  EXPECT_NE(html.find("more items: see the text transcript."), std::string::npos);
}

// --- Headless Chromium ---------------------------------------------------------------------

std::string run(const std::string& command, int* status) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
    output.append(buffer, n);
  const int rc = pclose(pipe);
  *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return output;
}

std::string chromium_binary() {
  for (const char* name : {"chromium", "chromium-browser"}) {
    int status = -1;
    run(std::string("command -v ") + name + " >/dev/null 2>&1", &status);
    if (status == 0) return name;
  }
  return {};
}

struct Chromium {
  std::string binary;
  std::filesystem::path dir;  // a fresh directory for the profile and the outputs

  std::string command(const std::string& what) const {
    return "timeout 120 " + binary +
           " --headless --no-sandbox --disable-gpu --disable-gpu-compositing"
           " --disable-background-networking --disable-component-update --disable-sync"
           " --no-first-run --user-data-dir=" +
           (dir / "profile").string() + " --window-size=1280,900 " + what + " 2>/dev/null";
  }
};

std::uintmax_t png_size(const std::filesystem::path& path, bool* valid) {
  std::ifstream in(path, std::ios::binary);
  unsigned char header[24] = {};
  in.read(reinterpret_cast<char*>(header), sizeof header);
  // Signature, then IHDR with width and height: the screenshot must be 1280 x 900.
  static const unsigned char kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  const auto be32 = [&](int at) {
    return (std::uint32_t{header[at]} << 24) | (std::uint32_t{header[at + 1]} << 16) |
           (std::uint32_t{header[at + 2]} << 8) | header[at + 3];
  };
  *valid = in.good() && std::equal(kSignature, kSignature + 8, header) && be32(16) == 1280 &&
           be32(20) == 900;
  return std::filesystem::exists(path) ? std::filesystem::file_size(path) : 0;
}

TEST(HtmlReport, RendersInHeadlessChromium) {
  Chromium chromium{chromium_binary(), {}};
  if (chromium.binary.empty()) GTEST_SKIP() << "chromium is not installed";
  char pattern[] = "/tmp/mailscope-html-XXXXXX";
  ASSERT_NE(mkdtemp(pattern), nullptr);
  chromium.dir = pattern;

  const MailWorld world;
  const auto page = chromium.dir / "report.html";
  std::ofstream(page, std::ios::binary) << report(world.trace());
  const auto blank = chromium.dir / "blank.html";
  std::ofstream(blank, std::ios::binary) << "<!DOCTYPE html><html><body></body></html>";

  // The script ran to its last statement: no error stopped it, and the policy allowed it.
  int status = -1;
  const std::string dom = run(chromium.command("--dump-dom file://" + page.string()), &status);
  ASSERT_EQ(status, 0) << dom;
  EXPECT_NE(dom.find("data-ready=\"1\""), std::string::npos) << dom.substr(0, 2000);
  EXPECT_NE(dom.find("Sequence diagram"), std::string::npos);

  // The screenshot is not blank: it compresses far worse than an empty page's.
  const auto shot = chromium.dir / "report.png";
  const auto empty_shot = chromium.dir / "blank.png";
  run(chromium.command("--screenshot=" + shot.string() + " file://" + page.string()), &status);
  ASSERT_EQ(status, 0);
  run(chromium.command("--screenshot=" + empty_shot.string() + " file://" + blank.string()),
      &status);
  ASSERT_EQ(status, 0);
  bool shot_valid = false, empty_valid = false;
  const auto shot_bytes = png_size(shot, &shot_valid);
  const auto empty_bytes = png_size(empty_shot, &empty_valid);
  EXPECT_TRUE(shot_valid);
  EXPECT_TRUE(empty_valid);
  EXPECT_GT(shot_bytes, 4 * empty_bytes) << shot_bytes << " vs " << empty_bytes;

  // MAILSCOPE_KEEP_HTML=1 keeps the page and screenshots for a person to look at.
  if (const char* keep = std::getenv("MAILSCOPE_KEEP_HTML"); keep != nullptr && keep[0] == '1')
    std::printf("report and screenshots kept in %s\n", chromium.dir.c_str());
  else
    std::filesystem::remove_all(chromium.dir);
}

}  // namespace
}  // namespace mailscope::exporter
