#include <gtest/gtest.h>

#include "gui/core/demo_source.h"
#include "gui/core/view_model.h"

namespace mailscope::gui {
namespace {

TEST(DemoSmoke, Loads) {
  DemoRunSource source;
  auto run = source.load();
  ASSERT_TRUE(run.ok()) << run.error().to_string();
  EXPECT_FALSE(validate_run(*run).has_value());
  ViewModel vm(*run);
  EXPECT_GT(vm.step_count(), 100u);
  for (const Phase& p : vm.index().phases()) {
    std::printf("%-10s %5u..%5u %s\n", std::string(to_string(p.kind)).c_str(), p.first, p.last,
                p.label.c_str());
  }
  std::printf("events %zu messages %zu\n", vm.trace().size(), vm.index().messages().size());
}

}  // namespace
}  // namespace mailscope::gui
