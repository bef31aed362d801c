#include "proto/smtp/actions.h"

namespace mailscope::smtp {

std::string_view to_string(BodyType body) {
  switch (body) {
    case BodyType::Unspecified:
      return "unspecified";
    case BodyType::SevenBit:
      return "7BIT";
    case BodyType::EightBitMime:
      return "8BITMIME";
  }
  return "unspecified";
}

std::string_view to_string(RecipientStatus status) {
  switch (status) {
    case RecipientStatus::Accepted:
      return "accepted";
    case RecipientStatus::TemporaryFailure:
      return "temporary failure";
    case RecipientStatus::PermanentFailure:
      return "permanent failure";
  }
  return "?";
}

std::string_view to_string(MessageStatus status) {
  switch (status) {
    case MessageStatus::Delivered:
      return "delivered";
    case MessageStatus::TemporaryFailure:
      return "temporary failure";
    case MessageStatus::PermanentFailure:
      return "permanent failure";
  }
  return "?";
}

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

std::string SmtpOutput::sent_bytes() const {
  std::string out;
  for (const SmtpAction& action : actions) {
    if (const Send* send = std::get_if<Send>(&action)) out += send->bytes;
  }
  return out;
}

bool SmtpOutput::closes() const {
  for (const SmtpAction& action : actions) {
    if (std::holds_alternative<Close>(action)) return true;
  }
  return false;
}

void SmtpOutput::append(SmtpOutput&& other) {
  for (SmtpAction& action : other.actions)
    actions.push_back(std::move(action));
}

}  // namespace mailscope::smtp
