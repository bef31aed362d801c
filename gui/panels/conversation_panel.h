#pragma once
// Conversation: the application dialogues as a mail client's debug log shows them — "C:" lines
// the client sent, "S:" lines the server answered, a header per connection. The message of the
// current step is highlighted and kept in view; clicking a line jumps there.

#include "gui/panels/panel.h"

namespace mailscope::gui {

class ConversationPanel final : public Panel {
 public:
  explicit ConversationPanel(UiShared& ui, std::string title = "Conversation")
      : Panel(std::move(title), ui) {}

 protected:
  void draw_content(ViewModel& vm) override;

 private:
  Conversation m_conversation;
  const ViewModel* m_for = nullptr;
  Credentials m_built_with = Credentials::Mask;
  EventId m_scrolled_to = kNoEvent;  // the message last brought into view
  std::string m_line;                // one line being drawn; kept to reuse its buffer
};

}  // namespace mailscope::gui
