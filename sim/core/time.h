#pragma once
// Virtual time: a signed 64-bit count of nanoseconds since the start of the simulation.
// Nothing in sim/ reads the wall clock; time only moves when the Simulator runs an event.

#include <cstdint>
#include <string>

namespace mailscope {

using TimeNs = std::int64_t;

constexpr TimeNs kNanosecond = 1;
constexpr TimeNs kMicrosecond = 1'000;
constexpr TimeNs kMillisecond = 1'000'000;
constexpr TimeNs kSecond = 1'000'000'000;
constexpr TimeNs kMinute = 60 * kSecond;
constexpr TimeNs kHour = 60 * kMinute;
constexpr TimeNs kDay = 24 * kHour;
constexpr TimeNs kTimeNever = INT64_MAX;

// "12.345678s": seconds with microsecond precision, as transcripts print it.
std::string format_time(TimeNs t);

}  // namespace mailscope
