#pragma once
// Message flags (RFC 3501 2.3.2): the system flags a client may set, plus keywords.
// \Recent is not here: it is not stored with the message but derived per session by the store.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace mailscope::mail {

enum class SystemFlag : std::uint8_t {
  Seen = 1 << 0,
  Answered = 1 << 1,
  Flagged = 1 << 2,
  Deleted = 1 << 3,
  Draft = 1 << 4,
};
constexpr std::uint8_t kAllSystemFlags = 0x1f;

enum class FlagOp { Add, Remove, Replace };  // STORE +FLAGS, -FLAGS, FLAGS

struct FlagSet {
  std::uint8_t system = 0;            // SystemFlag bits
  std::vector<std::string> keywords;  // distinct (compared case-insensitively), sorted

  bool has(SystemFlag flag) const { return (system & static_cast<std::uint8_t>(flag)) != 0; }
  void set(SystemFlag flag, bool on);
  bool has_keyword(std::string_view keyword) const;
  void add_keyword(std::string_view keyword);
  void remove_keyword(std::string_view keyword);
  // Applies op with other; returns true when something changed.
  bool apply(FlagOp op, const FlagSet& other);
  // "\Seen", "\Answered", "\Flagged", "\Deleted", "\Draft" (in that order), then keywords.
  std::vector<std::string> names() const;
  bool operator==(const FlagSet&) const = default;

  // From names as a client writes them (case-insensitive). Refuses \Recent and unknown
  // backslash flags, and keywords that are not IMAP atoms or longer than keyword_size_max.
  static Result<FlagSet> from_names(std::span<const std::string> names,
                                    std::size_t keyword_size_max = 64);
};

bool is_valid_keyword(std::string_view keyword, std::size_t size_max = 64);

}  // namespace mailscope::mail
