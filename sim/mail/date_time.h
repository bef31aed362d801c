#pragma once
// Dates in mail: the RFC 5322 date-time of Date: and Received: ("Mon, 02 Sep 2024 09:00:00 +0000")
// and IMAP's INTERNALDATE form ("02-Sep-2024 09:00:00 +0000").
//
// The simulation's clock starts at zero, so a scenario states which calendar instant time zero is
// (MailClock::epoch_seconds, seconds since 1970-01-01T00:00:00Z). Nothing here reads the wall
// clock.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/time.h"

namespace mailscope::mail {

struct MailClock {
  std::int64_t epoch_seconds = 0;  // Unix time of virtual time zero
  int zone_minutes = 0;            // offset east of UTC that dates are written in (+0100 -> 60)

  // Unix seconds at a virtual time (sub-second part dropped).
  std::int64_t unix_seconds(TimeNs now) const { return epoch_seconds + now / kSecond; }
  std::string date_time(TimeNs now) const;       // RFC 5322 form
  std::string imap_date_time(TimeNs now) const;  // IMAP INTERNALDATE form
};

// "Mon, 02 Sep 2024 09:00:00 +0000" for a Unix time, written in the given zone.
std::string format_date_time(std::int64_t unix_seconds, int zone_minutes = 0);
// "02-Sep-2024 09:00:00 +0000".
std::string format_imap_date_time(std::int64_t unix_seconds, int zone_minutes = 0);

// Parses an RFC 5322 date-time (also the obsolete forms: no day name, two-digit years, named
// zones such as GMT or EST, comments) into Unix seconds.
Result<std::int64_t> parse_date_time(std::string_view text);

// Days since 1970-01-01 for a proleptic Gregorian date, and back.
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);
struct CivilDate {
  std::int64_t year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31
};
CivilDate civil_from_days(std::int64_t days);

}  // namespace mailscope::mail
