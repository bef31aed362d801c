#include "proto/imap/actions.h"

namespace mailscope::imap {

std::string_view to_string(SessionOutcome outcome) {
  switch (outcome) {
    case SessionOutcome::Completed:
      return "completed";
    case SessionOutcome::Failed:
      return "failed";
    case SessionOutcome::TimedOut:
      return "timed out";
    case SessionOutcome::ConnectionLost:
      return "connection lost";
  }
  return "?";
}

std::string ImapOutput::sent_bytes() const {
  std::string out;
  for (const ImapAction& action : actions) {
    if (const Send* send = std::get_if<Send>(&action)) out += send->bytes;
  }
  return out;
}

bool ImapOutput::closes() const {
  for (const ImapAction& action : actions) {
    if (std::holds_alternative<Close>(action)) return true;
  }
  return false;
}

void ImapOutput::append(ImapOutput&& other) {
  for (ImapAction& action : other.actions)
    actions.push_back(std::move(action));
}

}  // namespace mailscope::imap
