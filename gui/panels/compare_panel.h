#pragma once
// Differences: the middle panel of compare mode. For each measure (servers involved, DNS
// lookups, router hops, TLS sessions, frames, messages, elapsed virtual time) the value so far
// and in total on each side, differing totals highlighted; how the two runs are kept in step;
// and which phases of the left run have a counterpart on the right.

#include "gui/core/session.h"
#include "gui/panels/panel.h"

namespace mailscope::gui {

class DifferencesPanel final : public Panel {
 public:
  explicit DifferencesPanel(UiShared& ui) : Panel("Differences", ui) {}
  // The session whose two runs are compared; set before each draw().
  void bind(Session& session) { m_session = &session; }

 protected:
  void draw_content(ViewModel& vm) override;

 private:
  Session* m_session = nullptr;
};

// "1.204 s", "35 ms", "812 µs": a virtual duration for the table.
std::string format_duration(std::uint64_t ns);

}  // namespace mailscope::gui
