#pragma once
// Small text helpers shared by the mail services: replies as one line, durations as people read
// them, and the pieces of addresses.

#include <string>
#include <string_view>

#include "core/time.h"
#include "proto/smtp/reply.h"

namespace mailscope::services {

// "451 4.7.1 Greylisted, try again later": code, enhanced code and every line's text.
std::string reply_line(const smtp::SmtpReply& reply);
// "45 s", "30 min", "1 h 30 min", "2 d 4 h": the largest two units that are not zero.
std::string format_duration(TimeNs duration);
// The domain of "user@domain" in lower case (empty when there is no '@').
std::string domain_of(std::string_view address);
// The local part of "user@domain" (the whole text when there is no '@').
std::string local_part_of(std::string_view address);

}  // namespace mailscope::services
