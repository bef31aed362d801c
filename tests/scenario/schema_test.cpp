// scenarios/schema.json and the loader agree: the same objects, the same keys, the same
// required keys, the same action and expectation kinds.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "scenario/shapes.h"

namespace mailscope::scenario {
namespace {

nlohmann::json read_schema() {
  std::ifstream in(std::string(MAILSCOPE_SOURCE_DIR) + "/scenarios/schema.json");
  return nlohmann::json::parse(in);
}

std::set<std::string> keys_of(const nlohmann::json& object) {
  std::set<std::string> out;
  for (const auto& [key, value] : object.items())
    out.insert(key);
  return out;
}

std::set<std::string> strings_of(const nlohmann::json& array) {
  std::set<std::string> out;
  for (const auto& item : array)
    out.insert(item.get<std::string>());
  return out;
}

TEST(Schema, IsDraft202012WithDescriptions) {
  const nlohmann::json schema = read_schema();
  EXPECT_EQ(schema.at("$schema"), "https://json-schema.org/draft/2020-12/schema");
  // Every property of every object has a description, so editors can show help.
  for (const ObjectShape& s : object_shapes()) {
    const nlohmann::json& def = s.name == "scenario" ? schema : schema.at("$defs").at(s.name);
    for (const auto& [key, property] : def.at("properties").items()) {
      const bool described = property.contains("description") || property.contains("$ref");
      EXPECT_TRUE(described) << s.name << "." << key;
    }
  }
}

TEST(Schema, EveryShapeHasTheSameKeysAndRequiredKeys) {
  const nlohmann::json schema = read_schema();
  for (const ObjectShape& s : object_shapes()) {
    SCOPED_TRACE(s.name);
    const nlohmann::json& def = s.name == "scenario" ? schema : schema.at("$defs").at(s.name);
    EXPECT_EQ(def.at("type"), "object");
    EXPECT_EQ(def.at("additionalProperties"), false);
    EXPECT_EQ(keys_of(def.at("properties")), std::set<std::string>(s.keys.begin(), s.keys.end()));
    const std::set<std::string> required =
        def.contains("required") ? strings_of(def.at("required")) : std::set<std::string>{};
    EXPECT_EQ(required, std::set<std::string>(s.required.begin(), s.required.end()));
  }
}

TEST(Schema, EverySchemaObjectIsKnownToTheLoader) {
  const nlohmann::json schema = read_schema();
  std::set<std::string> shapes;
  for (const ObjectShape& s : object_shapes())
    shapes.insert(s.name);
  for (const auto& [name, def] : schema.at("$defs").items()) {
    if (def.contains("properties")) {
      EXPECT_TRUE(shapes.contains(name)) << name;
    }
  }
}

TEST(Schema, ActionAndExpectationKindsAgree) {
  const nlohmann::json schema = read_schema();
  std::set<std::string> dos;
  for (const auto& ref : schema.at("$defs").at("action").at("oneOf")) {
    const std::string name = ref.at("$ref").get<std::string>().substr(sizeof("#/$defs/") - 1);
    dos.insert(schema.at("$defs").at(name).at("properties").at("do").at("const"));
  }
  EXPECT_EQ(dos, std::set<std::string>(action_kinds().begin(), action_kinds().end()));
  std::set<std::string> checks;
  for (const auto& ref : schema.at("$defs").at("expectation").at("oneOf")) {
    const std::string name = ref.at("$ref").get<std::string>().substr(sizeof("#/$defs/") - 1);
    checks.insert(schema.at("$defs").at(name).at("properties").at("check").at("const"));
  }
  EXPECT_EQ(checks, std::set<std::string>(expectation_kinds().begin(), expectation_kinds().end()));
  EXPECT_EQ(action_kinds().size(), 16u);
  EXPECT_EQ(expectation_kinds().size(), 10u);
}

}  // namespace
}  // namespace mailscope::scenario
