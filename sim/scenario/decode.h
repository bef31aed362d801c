#pragma once
// Stage 2 of loading (internal): a parsed JSON document -> Scenario structs "as written", with
// every schema error (wrong type, unknown key, missing key, value out of range) collected.
// Values the author left out are either the documented default or "automatic" (an empty string,
// a zero address), which stage 4 (resolve.h) fills in.

#include <vector>

#include "scenario/diagnostic.h"
#include "scenario/json_value.h"
#include "scenario/scenario.h"

namespace mailscope::scenario {

// Fills `out` from `root`. Returns false (with at least one diagnostic) if anything was wrong;
// `out` is then incomplete and must not be used.
// A list (users, the timeline, ...) of more than `list_items_max` items is an error.
bool decode_scenario(const JsonValue& root, Scenario& out, std::vector<Diagnostic>& diagnostics,
                     std::size_t list_items_max);

}  // namespace mailscope::scenario
