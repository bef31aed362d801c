#pragma once
// Evaluating SEARCH keys (RFC 3501 6.4.4) against one message.
//
// String keys match case-insensitively (ASCII) as substrings of the raw text: header values as
// unfolded (encoded words are not decoded), BODY in the body octets, TEXT in the whole message.
// Date keys compare calendar days: INTERNALDATE in the server's zone, and the Date: field's
// instant in the same zone.

#include <cstdint>
#include <functional>

#include "mail/flags.h"
#include "mail/message.h"
#include "proto/imap/command.h"

namespace mailscope::imap {

struct SearchTarget {
  std::uint32_t seq = 0;
  std::uint32_t uid = 0;
  const mail::FlagSet* flags = nullptr;
  bool recent = false;
  std::int64_t internal_day = 0;  // days since 1970-01-01 of INTERNALDATE
  std::uint64_t size = 0;
  // Parses the message on first use; keys on flags and sizes never need it.
  std::function<const mail::Message&()> message;
};

struct SearchScope {
  std::uint32_t largest_seq = 0;  // what "*" means in a sequence set
  std::uint32_t largest_uid = 0;  // what "*" means in a UID set
  int zone_minutes = 0;           // the zone used for the Date: field's day
};

bool search_matches(const SearchKey& key, const SearchTarget& target, const SearchScope& scope);

}  // namespace mailscope::imap
