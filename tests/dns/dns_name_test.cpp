#include "wire/dns_name.h"

#include <gtest/gtest.h>

#include <string>
#include <unordered_set>

namespace mailscope::wire {
namespace {

TEST(DnsName, ParsesAndPrintsText) {
  struct Case {
    const char* text;
    std::size_t labels;
    const char* printed;
  };
  const Case cases[] = {
      {".", 0, "."},                                      // the root
      {"gmail.com.", 2, "gmail.com."},                    // fully qualified
      {"gmail.com", 2, "gmail.com."},                     // trailing dot optional: always absolute
      {"GMail.COM.", 2, "GMail.COM."},                    // case kept as given
      {"a\\.b.example.", 2, "a\\.b.example."},            // escaped dot stays inside the label
      {"\\065bc.", 1, "Abc."},                            // \DDD decimal escape
      {"sp\\032ace.", 1, "sp\\032ace."},                  // space prints as \032
      {"back\\\\slash.", 1, "back\\\\slash."},            // escaped backslash
      {"_dmarc.example.org.", 3, "_dmarc.example.org."},  // underscore is an ordinary octet
  };
  for (const auto& c : cases) {
    const auto parsed = DnsName::parse(c.text);
    ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.error().to_string();
    EXPECT_EQ(parsed->label_count(), c.labels) << c.text;
    EXPECT_EQ(parsed->to_string(), c.printed) << c.text;
  }
}

TEST(DnsName, RejectsInvalidText) {
  const std::string label63(63, 'a');
  const std::string label64(64, 'a');
  // 4 labels of 63 octets: 4 * 64 + 1 = 257 octets on the wire.
  const std::string name257 = label63 + "." + label63 + "." + label63 + "." + label63 + ".";
  // 3 labels of 63 and one of 61: exactly 255 octets, the largest legal name.
  const std::string name255 =
      label63 + "." + label63 + "." + label63 + "." + std::string(61, 'b') + ".";
  const std::string bad[] = {
      "",                 // empty text is not a name (the root is ".")
      "a..b.",            // empty label in the middle
      ".a.",              // empty leading label
      label64 + ".com.",  // label over 63 octets
      name257,            // name over 255 octets
      "a\\",              // backslash at the end
      "a\\25.",           // \DDD needs three digits
      "a\\256.",          // \DDD above 255
  };
  for (const auto& text : bad)
    EXPECT_FALSE(DnsName::parse(text).ok()) << text;
  const auto longest = DnsName::parse(name255);
  ASSERT_TRUE(longest.ok());
  EXPECT_EQ(longest->wire_length(), 255u);
  EXPECT_TRUE(DnsName::parse(label63 + ".com.").ok());  // 63 is allowed
}

TEST(DnsName, ComparesCaseInsensitively) {
  const auto a = DnsName::parse("GMail.COM.").value();
  const auto b = DnsName::parse("gmail.com").value();
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.hash(), b.hash());
  EXPECT_EQ(a <=> b, std::strong_ordering::equal);
  EXPECT_NE(a, DnsName::parse("gmail.co.").value());
  EXPECT_EQ(a.lowercased().to_string(), "gmail.com.");
  std::unordered_set<DnsName, DnsNameHash> set{a};
  EXPECT_EQ(set.count(b), 1u);
}

TEST(DnsName, CanonicalOrderComparesFromTheRight) {
  // RFC 4034 §6.1 example order (a subset).
  const char* ordered[] = {"example.",        "a.example.", "yljkjljk.a.example.", "Z.a.example.",
                           "zABC.a.EXAMPLE.", "z.example.", "\\001.z.example.",    "*.z.example."};
  for (std::size_t i = 0; i + 1 < std::size(ordered); ++i) {
    const auto lo = DnsName::parse(ordered[i]).value();
    const auto hi = DnsName::parse(ordered[i + 1]).value();
    EXPECT_LT(lo, hi) << ordered[i] << " < " << ordered[i + 1];
  }
  EXPECT_LT(DnsName::root(), DnsName::parse("com.").value());
}

TEST(DnsName, Hierarchy) {
  const auto mx = DnsName::parse("mx.Mail.example.").value();
  EXPECT_TRUE(mx.is_subdomain_of(DnsName::parse("mail.EXAMPLE.").value()));
  EXPECT_TRUE(mx.is_subdomain_of(mx));
  EXPECT_TRUE(mx.is_subdomain_of(DnsName::root()));
  EXPECT_FALSE(mx.is_subdomain_of(DnsName::parse("ail.example.").value()));  // labels, not text
  EXPECT_EQ(mx.parent().to_string(), "Mail.example.");
  EXPECT_EQ(DnsName::root().parent(), DnsName::root());
  EXPECT_EQ(DnsName::parse("example.").value().child("www").value().to_string(), "www.example.");
  EXPECT_FALSE(DnsName::root().child("").ok());
  EXPECT_EQ(mx.to_display_string(), "mx.Mail.example");
  EXPECT_EQ(DnsName::root().to_display_string(), "<Root>");
  EXPECT_EQ(DnsName::parse("ab.c.").value().to_wire(), std::string("\2ab\1c\0", 6));
}

TEST(DnsName, FromLabelsValidates) {
  EXPECT_TRUE(DnsName::from_labels({"a", "b"}).ok());
  EXPECT_FALSE(DnsName::from_labels({"a", ""}).ok());
  EXPECT_FALSE(DnsName::from_labels({std::string(64, 'x')}).ok());
  // A dot inside a label is data, printed escaped.
  EXPECT_EQ(DnsName::from_labels({"a.b", "c"}).value().to_string(), "a\\.b.c.");
}

}  // namespace
}  // namespace mailscope::wire
