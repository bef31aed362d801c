#pragma once
// Mailbox names: "INBOX", "Sent", "Projects/2024/Q3". The hierarchy delimiter is "/".
//
// A name is checked before the store looks anything up, so that no name can reach outside the
// user's own tree: no empty name, no leading or trailing "/", no empty component ("a//b"), no
// "." or ".." component, printable ASCII only (IMAP sends other characters in modified UTF-7),
// no LIST wildcards "*" "%", no backslash, bounded length and depth. "INBOX" is
// case-insensitive and is returned in upper case.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace mailscope::mail {

constexpr char kMailboxDelimiter = '/';

struct MailboxNameLimits {
  std::size_t size_max = 200;      // octets in the whole name
  std::size_t component_max = 64;  // octets in one component
  std::size_t depth_max = 16;      // components
};

// The canonical name, or why the name is refused.
Result<std::string> validate_mailbox_name(std::string_view name,
                                          const MailboxNameLimits& limits = {});

// The name of the mailbox one level up ("a/b/c" -> "a/b"); empty at the top.
std::string_view parent_name(std::string_view name);
// True when inferior lies below superior ("a/b" is below "a"; "ab" is not).
bool is_inferior(std::string_view inferior, std::string_view superior);

// IMAP LIST pattern matching (RFC 3501 6.3.8): "*" matches anything, "%" anything except the
// delimiter. "INBOX" at the start matches case-insensitively.
bool match_list_pattern(std::string_view pattern, std::string_view name);

}  // namespace mailscope::mail
