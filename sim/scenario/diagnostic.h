#pragma once
// What is wrong with a scenario, and where. A scenario file yields every problem it has at once,
// sorted by position, so a teacher fixes them in one pass instead of one per run.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/json_value.h"

namespace mailscope::scenario {

struct Diagnostic {
  SourcePos pos;
  std::string path;     // JSON pointer ("/users/2/address"); empty for malformed JSON
  std::string message;  // one sentence, no trailing period

  // "file:line:column: /path: message" ("file:line:column: message" without a path).
  std::string to_string(std::string_view file) const;
};

// Sorts by position (line, column), keeping the order of equal positions, and removes exact
// duplicates.
void sort_diagnostics(std::vector<Diagnostic>& diagnostics);

// All diagnostics, one per line, each ending in '\n'.
std::string format_diagnostics(std::string_view file, const std::vector<Diagnostic>& diagnostics);

// Optimal string alignment distance (Levenshtein plus swapping two neighbours), ASCII
// case-insensitive. Used to suggest what a misspelt key or name was meant to be.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word`, if it is close enough to be a plausible typo: at most a third
// of the word's length (and at least 1, at most 3) edits away. Ties go to the earlier candidate.
std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string> candidates);

// "; did you mean 'x'?" or "" — appended to messages about unknown names.
std::string did_you_mean(std::string_view word, std::span<const std::string> candidates);

// JSON pointer escaping of one reference token (RFC 6901: '~' -> "~0", '/' -> "~1").
std::string pointer_token(std::string_view key);

}  // namespace mailscope::scenario
