#include "mail/date_time.h"

#include <array>
#include <cstdio>

#include "mail/text.h"

namespace mailscope::mail {
namespace {

constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<const char*, 7> kWeekdays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

struct Broken {
  CivilDate date;
  int weekday = 0;  // 0 = Sunday
  int hour = 0, minute = 0, second = 0;
  char zone_sign = '+';
  int zone_hours = 0, zone_mins = 0;
};

Broken break_down(std::int64_t unix_seconds, int zone_minutes) {
  // Zones beyond +-99:59 cannot be written in four digits; clamp rather than emit garbage.
  if (zone_minutes > 5999) zone_minutes = 5999;
  if (zone_minutes < -5999) zone_minutes = -5999;
  const std::int64_t local = unix_seconds + std::int64_t{zone_minutes} * 60;
  const std::int64_t days = floor_div(local, 86400);
  const std::int64_t in_day = local - days * 86400;
  Broken b;
  b.date = civil_from_days(days);
  b.weekday =
      static_cast<int>((days + 4) - 7 * floor_div(days + 4, 7));  // 1970-01-01 was a Thursday
  b.hour = static_cast<int>(in_day / 3600);
  b.minute = static_cast<int>(in_day % 3600 / 60);
  b.second = static_cast<int>(in_day % 60);
  b.zone_sign = zone_minutes < 0 ? '-' : '+';
  const int abs_zone = zone_minutes < 0 ? -zone_minutes : zone_minutes;
  b.zone_hours = abs_zone / 60;
  b.zone_mins = abs_zone % 60;
  return b;
}

// A cursor over a date string that skips white space and comments between tokens.
class DateLexer {
 public:
  explicit DateLexer(std::string_view text) : m_text(text) {}
  void skip_cfws() {
    while (m_pos < m_text.size()) {
      const char c = m_text[m_pos];
      if (is_wsp(c) || c == '\r' || c == '\n') {
        ++m_pos;
      } else if (c == '(') {
        int depth = 0;
        while (m_pos < m_text.size()) {
          const char d = m_text[m_pos++];
          if (d == '\\' && m_pos < m_text.size()) {
            ++m_pos;
          } else if (d == '(') {
            ++depth;
          } else if (d == ')' && --depth == 0) {
            break;
          }
        }
      } else {
        break;
      }
    }
  }
  bool at_end() {
    skip_cfws();
    return m_pos >= m_text.size();
  }
  bool take(char c) {
    skip_cfws();
    if (m_pos < m_text.size() && m_text[m_pos] == c) {
      ++m_pos;
      return true;
    }
    return false;
  }
  // A run of digits (at most max_digits), or -1.
  std::int64_t number(std::size_t max_digits, std::size_t* digits_out = nullptr) {
    skip_cfws();
    std::size_t digits = 0;
    std::int64_t value = 0;
    while (m_pos < m_text.size() && is_digit(m_text[m_pos]) && digits < max_digits) {
      value = value * 10 + (m_text[m_pos] - '0');
      ++m_pos;
      ++digits;
    }
    if (digits_out != nullptr) *digits_out = digits;
    return digits == 0 ? -1 : value;
  }
  std::string_view word() {
    skip_cfws();
    const std::size_t start = m_pos;
    while (m_pos < m_text.size() && is_alpha(m_text[m_pos]))
      ++m_pos;
    return m_text.substr(start, m_pos - start);
  }
  std::size_t pos() const { return m_pos; }

 private:
  std::string_view m_text;
  std::size_t m_pos = 0;
};

}  // namespace

std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
  // Shift the year to start in March so that the leap day is the last day of the year.
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = floor_div(year, 400);
  const std::int64_t year_of_era = year - era * 400;
  const std::int64_t month_index = month > 2 ? month - 3 : month + 9;
  const std::int64_t day_of_year = (153 * month_index + 2) / 5 + day - 1;
  const std::int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

CivilDate civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = floor_div(days, 146097);
  const std::int64_t day_of_era = days - era * 146097;
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t month_index = (5 * day_of_year + 2) / 153;
  CivilDate out;
  out.day = static_cast<unsigned>(day_of_year - (153 * month_index + 2) / 5 + 1);
  out.month = static_cast<unsigned>(month_index < 10 ? month_index + 3 : month_index - 9);
  out.year = year_of_era + era * 400 + (out.month <= 2 ? 1 : 0);
  return out;
}

std::string format_date_time(std::int64_t unix_seconds, int zone_minutes) {
  const Broken b = break_down(unix_seconds, zone_minutes);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04lld %02d:%02d:%02d %c%02d%02d",
                kWeekdays[static_cast<std::size_t>(b.weekday)], b.date.day,
                kMonths[b.date.month - 1], static_cast<long long>(b.date.year), b.hour, b.minute,
                b.second, b.zone_sign, b.zone_hours, b.zone_mins);
  return buf;
}

std::string format_imap_date_time(std::int64_t unix_seconds, int zone_minutes) {
  const Broken b = break_down(unix_seconds, zone_minutes);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%02u-%s-%04lld %02d:%02d:%02d %c%02d%02d", b.date.day,
                kMonths[b.date.month - 1], static_cast<long long>(b.date.year), b.hour, b.minute,
                b.second, b.zone_sign, b.zone_hours, b.zone_mins);
  return buf;
}

std::string MailClock::date_time(TimeNs now) const {
  return format_date_time(unix_seconds(now), zone_minutes);
}

std::string MailClock::imap_date_time(TimeNs now) const {
  return format_imap_date_time(unix_seconds(now), zone_minutes);
}

Result<std::int64_t> parse_date_time(std::string_view text) {
  DateLexer lex(text);
  // Optional day name and comma: the name is not checked against the date, as RFC 5322 allows.
  {
    DateLexer probe = lex;
    const std::string_view name = probe.word();
    if (!name.empty()) {
      if (!probe.take(','))
        return make_error("expected ',' after the day name", "date", probe.pos());
      lex = probe;
    }
  }
  std::size_t digits = 0;
  const std::int64_t day = lex.number(2);
  if (day < 1 || day > 31) return make_error("bad day of month", "date", lex.pos());
  const std::string_view month_name = lex.word();
  unsigned month = 0;
  for (unsigned i = 0; i < kMonths.size(); ++i) {
    if (iequals(month_name, kMonths[i])) month = i + 1;
  }
  if (month == 0) return make_error("bad month name", "date", lex.pos());
  std::int64_t year = lex.number(9, &digits);
  if (year < 0) return make_error("bad year", "date", lex.pos());
  if (digits == 2) year += year < 50 ? 2000 : 1900;  // RFC 5322 4.3
  if (digits == 3) year += 1900;
  const std::int64_t hour = lex.number(2);
  if (hour < 0 || hour > 23 || !lex.take(':')) return make_error("bad hour", "date", lex.pos());
  const std::int64_t minute = lex.number(2);
  if (minute < 0 || minute > 59) return make_error("bad minute", "date", lex.pos());
  std::int64_t second = 0;
  if (lex.take(':')) {
    second = lex.number(2);
    if (second < 0 || second > 60) return make_error("bad second", "date", lex.pos());
  }
  std::int64_t zone = 0;
  const bool plus = lex.take('+');
  const bool minus = !plus && lex.take('-');
  if (plus || minus) {
    const bool negative = minus;
    const std::int64_t hhmm = lex.number(4, &digits);
    if (digits != 4) return make_error("bad zone offset", "date", lex.pos());
    zone = (hhmm / 100) * 60 + hhmm % 100;
    if (negative) zone = -zone;
  } else {
    const std::string_view name = lex.word();
    struct NamedZone {
      const char* name;
      int minutes;
    };
    static constexpr NamedZone kZones[] = {
        {"UT", 0},     {"GMT", 0},    {"Z", 0},      {"EST", -300}, {"EDT", -240}, {"CST", -360},
        {"CDT", -300}, {"MST", -420}, {"MDT", -360}, {"PST", -480}, {"PDT", -420}};
    bool known = name.empty();  // a missing zone is read as UTC
    for (const NamedZone& z : kZones) {
      if (iequals(name, z.name)) {
        zone = z.minutes;
        known = true;
      }
    }
    // Other obsolete military zones are treated as +0000, as RFC 5322 4.3 recommends.
    if (!known && name.size() != 1) return make_error("unknown time zone", "date", lex.pos());
  }
  if (!lex.at_end()) return make_error("unexpected text after the date", "date", lex.pos());
  const std::int64_t days = days_from_civil(year, month, static_cast<unsigned>(day));
  return days * 86400 + hour * 3600 + minute * 60 + second - zone * 60;
}

}  // namespace mailscope::mail
