#include <gtest/gtest.h>

#include "scenario/loader.h"

namespace mailscope::scenario {
namespace {
TEST(Smoke, Minimal) {
  auto r = load_scenario_text(R"({"id":"x","title":"X","level":"beginner","description":"d",
    "network":{"lans":[{"name":"lan"}]},"domains":[{"name":"gmail.com","lan":"lan",
    "servers":[{"host":"mail.gmail.com","services":["smtp","submission","imaps"]}]}],
    "users":[{"address":"a@gmail.com","password":"p","lan":"lan"}]})",
                              "t.json");
  EXPECT_TRUE(r.ok()) << r.error_text();
}
}  // namespace
}  // namespace mailscope::scenario
