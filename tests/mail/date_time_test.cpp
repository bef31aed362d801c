#include "mail/date_time.h"

#include <gtest/gtest.h>

namespace mailscope::mail {
namespace {

TEST(DateTime, FormatsRfc5322) {
  struct Case {
    std::int64_t unix_seconds;
    int zone_minutes;
    const char* expected;
  };
  const Case cases[] = {
      {0, 0, "Thu, 01 Jan 1970 00:00:00 +0000"},              // the epoch was a Thursday
      {1725267600, 0, "Mon, 02 Sep 2024 09:00:00 +0000"},     // the example in the brief
      {1725267600, 120, "Mon, 02 Sep 2024 11:00:00 +0200"},   // written in a zone east of UTC
      {1725267600, -570, "Sun, 01 Sep 2024 23:30:00 -0930"},  // west, with half hours
      {951782400, 0, "Tue, 29 Feb 2000 00:00:00 +0000"},      // leap day in a 400-year
      {-1, 0, "Wed, 31 Dec 1969 23:59:59 +0000"},             // before the epoch
  };
  for (const Case& c : cases) {
    EXPECT_EQ(format_date_time(c.unix_seconds, c.zone_minutes), c.expected) << c.unix_seconds;
  }
}

TEST(DateTime, FormatsImapInternalDate) {
  EXPECT_EQ(format_imap_date_time(1725267600), "02-Sep-2024 09:00:00 +0000");
}

TEST(DateTime, ClockAddsVirtualTimeToTheEpoch) {
  const MailClock clock{1725267600, 0};
  EXPECT_EQ(clock.date_time(90 * kSecond + 999 * kMillisecond), "Mon, 02 Sep 2024 09:01:30 +0000");
  EXPECT_EQ(clock.imap_date_time(kDay), "03-Sep-2024 09:00:00 +0000");
}

TEST(DateTime, CivilRoundTrip) {
  for (std::int64_t days = -800000; days < 800000; days += 997) {
    const CivilDate d = civil_from_days(days);
    ASSERT_EQ(days_from_civil(d.year, d.month, d.day), days);
  }
}

TEST(DateTime, ParsesRfc5322AndObsoleteForms) {
  struct Case {
    const char* text;
    std::int64_t expected;
  };
  const Case cases[] = {
      {"Mon, 02 Sep 2024 09:00:00 +0000", 1725267600},
      {"2 Sep 2024 09:00 +0000", 1725267600},                 // no day name, no seconds
      {"Mon, 02 Sep 2024 11:00:00 +0200", 1725267600},        // zone offset applied
      {"Mon, 2 Sep 24 09:00:00 GMT", 1725267600},             // two-digit year, named zone
      {"Mon, 02 Sep 2024 05:00:00 EDT", 1725267600},          // US zone
      {"Mon, 02 Sep 2024 09:00:00 +0000 (UTC)", 1725267600},  // trailing comment
      {"Mon,\r\n 02 Sep 2024 09:00:00 +0000", 1725267600},    // folded
  };
  for (const Case& c : cases) {
    auto parsed = parse_date_time(c.text);
    ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.error().to_string();
    EXPECT_EQ(*parsed, c.expected) << c.text;
  }
}

TEST(DateTime, RejectsMalformedDates) {
  const char* bad[] = {
      "",                                   // empty
      "Mon 02 Sep 2024 09:00:00 +0000",     // day name without comma
      "Mon, 32 Sep 2024 09:00:00 +0000",    // day out of range
      "Mon, 02 Sept 2024 09:00:00 +0000",   // month name
      "Mon, 02 Sep 2024 24:00:00 +0000",    // hour out of range
      "Mon, 02 Sep 2024 09:00:00 +00",      // short zone
      "Mon, 02 Sep 2024 09:00:00 XYZ",      // unknown zone
      "Mon, 02 Sep 2024 09:00:00 +0000 x",  // trailing text
  };
  for (const char* text : bad)
    EXPECT_FALSE(parse_date_time(text).ok()) << text;
}

}  // namespace
}  // namespace mailscope::mail
