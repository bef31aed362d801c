#pragma once
// Narration: the current step in words. What happens (node, layer, one-line description), the
// scenario's own teaching text for this moment (narration events) and the built-in explanation
// of this protocol step from assets/lessons.

#include <span>
#include <string>
#include <vector>

#include "gui/panels/panel.h"

namespace mailscope::gui {

// The narration event in force at `event`: the last one at or before it within the same phase;
// kNoEvent when there is none. `narrations` lists narration events in trace order.
EventId narration_for(const RunIndex& index, std::span<const EventId> narrations, EventId event);

// The built-in explanation for an event (nullptr when no lesson matches).
const Lesson* lesson_for(const ViewModel& vm, const LessonBook& lessons, EventId event);

class NarrationPanel final : public Panel {
 public:
  explicit NarrationPanel(UiShared& ui) : Panel("Narration", ui) {}

 protected:
  void draw_content(ViewModel& vm) override;

 private:
  const ViewModel* m_for = nullptr;
  std::vector<EventId> m_narrations;
  // The lesson and description of m_event, computed when the current event changes.
  EventId m_event = kNoEvent;
  const Lesson* m_lesson = nullptr;
  std::string m_description;
};

}  // namespace mailscope::gui
