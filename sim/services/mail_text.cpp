#include "services/mail_text.h"

#include "services/mail_router.h"

namespace mailscope::services {

std::string reply_line(const smtp::SmtpReply& reply) {
  std::string out = std::to_string(reply.code);
  if (!reply.enhanced.empty()) out += " " + reply.enhanced;
  const std::string text = reply.text();
  if (!text.empty()) out += " " + text;
  return out;
}

std::string format_duration(TimeNs duration) {
  if (duration < kSecond) return std::to_string(duration / kMillisecond) + " ms";
  struct Unit {
    TimeNs size;
    const char* name;
  };
  static constexpr Unit kUnits[] = {{kDay, "d"}, {kHour, "h"}, {kMinute, "min"}, {kSecond, "s"}};
  std::string out;
  int shown = 0;
  for (const Unit& unit : kUnits) {
    const TimeNs count = duration / unit.size;
    duration %= unit.size;
    if (count == 0) {
      if (shown > 0) break;  // "1 h" rather than "1 h 0 min 5 s"
      continue;
    }
    if (!out.empty()) out += ' ';
    out += std::to_string(count) + " " + unit.name;
    if (++shown == 2) break;
  }
  return out;
}

std::string domain_of(std::string_view address) {
  const std::size_t at = address.rfind('@');
  return at == std::string_view::npos ? std::string{} : lower_ascii(address.substr(at + 1));
}

std::string local_part_of(std::string_view address) {
  const std::size_t at = address.rfind('@');
  return std::string(at == std::string_view::npos ? address : address.substr(0, at));
}

}  // namespace mailscope::services
