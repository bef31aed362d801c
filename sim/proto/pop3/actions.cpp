#include "proto/pop3/actions.h"

namespace mailscope::pop3 {

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

std::string Pop3Output::sent_bytes() const {
  std::string out;
  for (const Pop3Action& action : actions) {
    if (const Send* send = std::get_if<Send>(&action)) out += send->bytes;
  }
  return out;
}

bool Pop3Output::closes() const {
  for (const Pop3Action& action : actions) {
    if (std::holds_alternative<Close>(action)) return true;
  }
  return false;
}

void Pop3Output::append(Pop3Output&& other) {
  for (Pop3Action& action : other.actions)
    actions.push_back(std::move(action));
}

}  // namespace mailscope::pop3
