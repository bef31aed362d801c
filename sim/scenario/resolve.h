#pragma once
// Stages 3 and 4 of loading (internal): semantic checks across the whole scenario (names that
// must exist, names that must be unique, addresses, routing, times), then the automatic choices
// (subnets, addresses, DNS servers and zones, MX lists, users' servers, static routes).
// Every problem is reported, not just the first; a diagnostic carries a JSON pointer path and
// no position (the loader finds the position from the path).

#include <vector>

#include "scenario/diagnostic.h"
#include "scenario/scenario.h"

namespace mailscope::scenario {

// `s` is a scenario decoded without schema errors. Returns false if anything is wrong; `s` is
// then partly resolved and must not be used.
bool resolve_scenario(Scenario& s, std::vector<Diagnostic>& diagnostics);

// The text `run` prints for an expectation whose author gave no description.
std::string describe(const ExpectationBody& body);

}  // namespace mailscope::scenario
