#pragma once
// The keys each kind of JSON object in a scenario may have. The loader rejects any other key
// (with a suggestion), and the tests check that scenarios/schema.json declares exactly these
// keys and required keys for the $defs of the same name, so the schema and the loader cannot
// drift apart.

#include <string>
#include <string_view>
#include <vector>

namespace mailscope::scenario {

struct ObjectShape {
  std::string name;                   // "user"; schema.json: the root for "scenario", else $defs
  std::vector<std::string> keys;      // every allowed key
  std::vector<std::string> required;  // a subset of keys
};

// All shapes, in a stable order. Actions are "action-<do>", expectations "expect-<check>".
const std::vector<ObjectShape>& object_shapes();

// The shape with this name; a name not in the table is a programming error (aborts).
const ObjectShape& shape(std::string_view name);

// Values of the "do" key of actions and of the "check" key of expectations.
const std::vector<std::string>& action_kinds();
const std::vector<std::string>& expectation_kinds();

}  // namespace mailscope::scenario
