#include "core/time.h"

#include <cinttypes>
#include <cstdio>

namespace mailscope {

std::string format_time(TimeNs t) {
  const char* sign = t < 0 ? "-" : "";
  const std::uint64_t abs =
      t < 0 ? static_cast<std::uint64_t>(-(t + 1)) + 1 : static_cast<std::uint64_t>(t);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%" PRIu64 ".%06" PRIu64 "s", sign, abs / kSecond,
                (abs % kSecond) / kMicrosecond);
  return buf;
}

}  // namespace mailscope
