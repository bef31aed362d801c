// The small text functions every export relies on.

#include <gtest/gtest.h>

#include "export/encoding.h"
#include "export/event_text.h"
#include "export/trace_index.h"

namespace mailscope::exporter {
namespace {

TEST(TextUnits, MaskCredentials) {
  struct Case {
    const char* line;
    const char* masked;
  };
  const Case cases[] = {
      {"AUTH PLAIN AGFsaWNlAHNlY3JldA==", "AUTH PLAIN ********"},
      {"auth login", "auth login"},                          // nothing secret yet
      {"AGFsaWNlAHNlY3JldA==", "********"},                  // a bare continuation line
      {"a1 LOGIN alice s3cret", "a1 LOGIN alice ********"},  // IMAP
      {"a2 AUTHENTICATE PLAIN AGFs", "a2 AUTHENTICATE PLAIN ********"},
      {"PASS s3cret", "PASS ********"},  // POP3
      {"APOP alice c4c9334bac560ecc979e58001b3e22fb", "APOP alice ********"},
      {"334 VXNlcm5hbWU6", "334 ********"},  // a server challenge
      {"+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2U+", "+ ********"},
      {"", "********"},
  };
  for (const Case& c : cases)
    EXPECT_EQ(mask_credentials(c.line), c.masked) << c.line;
}

TEST(TextUnits, SplitLines) {
  using V = std::vector<std::string_view>;
  EXPECT_EQ(split_lines("a\r\nb\r\n"), (V{"a", "b"}));
  EXPECT_EQ(split_lines("a\r\n\r\nb"), (V{"a", "", "b"}));
  EXPECT_EQ(split_lines("a\nb"), (V{"a", "b"}));  // bare LF ends a line too
  EXPECT_EQ(split_lines(""), V{});
  EXPECT_EQ(split_lines("\r\n"), (V{""}));
}

TEST(TextUnits, PrintableLine) {
  EXPECT_EQ(printable_line("EHLO x", 100), "EHLO x");
  EXPECT_EQ(printable_line(std::string_view("a\x1b[31mb\x7f", 8), 100), "a\\x1b[31mb\\x7f");
  EXPECT_EQ(printable_line("tab\there", 100), "tab\there");
  EXPECT_EQ(printable_line("abcdef", 3), "abc…");
  // A cut never leaves half a UTF-8 character.
  EXPECT_EQ(printable_line("ab\xc3\xa9z", 3), "ab…");
}

TEST(TextUnits, Base64AndHex) {
  struct Case {
    const char* in;
    const char* base64;
  };
  // RFC 4648 §10 test vectors.
  const Case cases[] = {{"", ""},
                        {"f", "Zg=="},
                        {"fo", "Zm8="},
                        {"foo", "Zm9v"},
                        {"foob", "Zm9vYg=="},
                        {"fooba", "Zm9vYmE="},
                        {"foobar", "Zm9vYmFy"}};
  for (const Case& c : cases) {
    std::string out;
    append_base64(out, wire::as_bytes(c.in));
    EXPECT_EQ(out, c.base64) << c.in;
  }
  std::string hex;
  append_hex(hex, wire::as_bytes("\x01\xab"));
  EXPECT_EQ(hex, "01ab");
}

TEST(TextUnits, JsonAndHtmlEscaping) {
  std::string json;
  append_json_string(json, std::string_view("q\"b\\n\n\x01\xff", 8));
  EXPECT_EQ(json, "\"q\\\"b\\\\n\\n\\u0001\xef\xbf\xbd\"");
  EXPECT_EQ(html("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(html(std::string_view("nul\0!", 5)), "nul\xef\xbf\xbd!");
  // Overlong "/" (C0 AF) and a UTF-16 surrogate (ED A0 80) are not UTF-8.
  EXPECT_EQ(utf8_sequence_length("\xc0\xaf", 0), 0u);
  EXPECT_EQ(utf8_sequence_length("\xed\xa0\x80", 0), 0u);
  EXPECT_EQ(utf8_sequence_length("\xe2\x86\x92", 0), 3u);
  EXPECT_EQ(utf8_sequence_length("\xe2\x86", 0), 0u);  // cut short
}

TEST(TextUnits, LabelServerPort) {
  EXPECT_EQ(label_server_port("10.0.1.10:49152 -> 10.0.2.25:25"), 25);
  EXPECT_EQ(label_server_port("10.0.1.10 -> 10.0.2.25"), 0);  // no port (ping)
  EXPECT_EQ(label_server_port("a:70000"), 0);                 // out of range
  EXPECT_EQ(label_server_port(""), 0);
}

TEST(TextUnits, TlsRecordSummary) {
  const std::uint8_t record[] = {23, 3, 3, 0, 2, 0xaa, 0xbb};
  EXPECT_EQ(tls_record_summary(record), "TLS record: application data, 2 bytes of ciphertext");
}

}  // namespace
}  // namespace mailscope::exporter
