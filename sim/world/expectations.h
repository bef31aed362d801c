#pragma once
// The scenario's expectations, checked against a World after its run: mailboxes for delivery
// checks, the trace for everything that happened on the way (replies, DNS queries, TLS, bytes
// on the wire, retransmissions, deferrals).

#include <string>
#include <vector>

#include "scenario/scenario.h"

namespace mailscope::world {

class World;

struct ExpectationResult {
  std::string description;  // the scenario's words for what should hold
  bool passed = false;
  std::string observed;  // what the run showed, in a few words ("2 messages in INBOX")
};

std::vector<ExpectationResult> check_expectations(World& world);
ExpectationResult check_expectation(World& world, const scenario::Expectation& expectation);

}  // namespace mailscope::world
