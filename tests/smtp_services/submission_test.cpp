// Submission on 587 (STARTTLS + AUTH), 465 (implicit TLS) and plaintext, and same-domain delivery.

#include <gtest/gtest.h>

#include <iostream>

#include "mail_world.h"

namespace mailscope::services {
namespace {

using testing::MailWorld;

TEST(Explore, SameDomain) {
  MailWorld w;
  auto result = w.submit({"carol@a.test"}, "Lunch");
  w.sim.run();
  for (const auto& line : testing::dialogue(w.sim.trace(), *w.alice_pc, *w.mail_a))
    std::cout << line << "\n";
  for (const auto& e : w.sim.trace().events()) {
    if (e.layer == Layer::Application || e.layer == Layer::Tls) {
      std::cout << format_time(e.time) << " " << w.sim.trace().node(e.node).name << " "
                << to_string(e.layer) << " " << to_string(e.kind) << " "
                << testing::event_text(w.sim.trace(), e).substr(0, 100) << "\n";
    }
  }
  EXPECT_TRUE(result->accepted) << result->report.finished.reason;
}

}  // namespace
}  // namespace mailscope::services
