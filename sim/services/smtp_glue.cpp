#include "services/smtp_glue.h"

#include <string>

namespace mailscope::services {
namespace {

std::uint16_t detail_of(smtp::Sensitivity sensitivity) {
  return sensitivity == smtp::Sensitivity::Secret ? kDetailSecret : 0;
}

}  // namespace

SendUnits units_for_send(const std::vector<smtp::SmtpAction>& actions, std::size_t index) {
  SendUnits out;
  const auto& send = std::get<smtp::Send>(actions[index]);
  const std::size_t total = send.bytes.size();
  std::size_t covered = 0;
  for (std::size_t i = index + 1; i < actions.size(); ++i) {
    if (const auto* command = std::get_if<smtp::CommandSent>(&actions[i])) {
      const std::size_t size = command->line.size() + 2;  // the line and its CRLF
      if (covered + size > total) break;
      out.units.push_back(L7Unit{size, EventKind::Request, detail_of(command->sensitivity)});
      covered += size;
      ++out.consumed;
      continue;
    }
    if (std::holds_alternative<smtp::ReplySent>(actions[i]) && out.units.empty()) {
      out.units.push_back(L7Unit{total, EventKind::Response, 0});
      covered = total;
      ++out.consumed;
    }
    break;
  }
  if (out.units.empty()) {
    out.units.push_back(L7Unit{total, EventKind::Request, 0});  // message content
  } else if (covered < total) {
    out.units.back().size += total - covered;  // keep every byte inside some unit
  }
  return out;
}

void record_observation(AppConnection& connection, const smtp::SmtpAction& action, EventId cause) {
  if (const auto* state = std::get_if<smtp::StateChanged>(&action)) {
    connection.record(Layer::Application, EventKind::StateChange, cause,
                      std::string(state->from) + " -> " + std::string(state->to));
  } else if (const auto* violation = std::get_if<smtp::ProtocolViolation>(&action)) {
    connection.note("protocol violation: " + violation->what, cause);
  }
}

}  // namespace mailscope::services
