#include "world/expectations.h"

#include <algorithm>
#include <deque>
#include <map>
#include <string>
#include <variant>

#include "mail/header.h"
#include "mail/mail_store.h"
#include "wire/dns_types.h"
#include "world/trace_queries.h"
#include "world/world.h"

namespace mailscope::world {

namespace {

using namespace scenario;

std::string plural(std::size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string subject_of(std::string_view message) {
  std::vector<Error> defects;
  const mail::HeaderBlock header =
      mail::parse_header_block(message, 0, message.size(), mail::ParseLimits{}, defects);
  const mail::HeaderField* field = mail::find_field(header.fields, "Subject");
  return field != nullptr ? field->value : std::string();
}

// The messages in a user's folder, or an explanation of why there are none to look at.
struct Folder {
  std::vector<mail::MessageInfo> messages;
  std::string problem;
};

Folder folder_of(World& world, const std::string& address, const std::string& folder) {
  MailHost* host = world.mailbox_host(address);
  if (host == nullptr) return {{}, "no server stores mail for " + address};
  const std::string user = address.substr(0, address.find('@'));
  auto messages = host->storage->store().messages(user, folder);
  if (!messages) return {{}, "no folder " + folder + " for " + address};
  return {std::move(messages).value(), {}};
}

std::size_t count_with_subject(const Folder& folder, const std::string& subject) {
  return static_cast<std::size_t>(
      std::count_if(folder.messages.begin(), folder.messages.end(), [&](const auto& m) {
        return subject.empty() || subject_of(*m.bytes).find(subject) != std::string::npos;
      }));
}

ExpectationResult check(World& world, const ExpectDelivered& e) {
  const Folder folder = folder_of(world, e.mailbox, e.folder);
  if (!folder.problem.empty()) return {{}, false, folder.problem};
  const std::size_t n = count_with_subject(folder, e.subject);
  return {{}, n >= e.count, plural(n, "matching message", "matching messages") + " in " + e.folder};
}

ExpectationResult check(World& world, const ExpectNotDelivered& e) {
  const Folder folder = folder_of(world, e.mailbox, "INBOX");
  if (!folder.problem.empty()) return {{}, true, folder.problem};
  const std::size_t n = count_with_subject(folder, e.subject);
  return {{}, n == 0, plural(n, "matching message", "matching messages") + " in INBOX"};
}

bool is_report(std::string_view message) {
  return message.find("multipart/report") != std::string_view::npos &&
         message.find("delivery-status") != std::string_view::npos;
}

ExpectationResult check(World& world, const ExpectBounced& e) {
  const Folder folder = folder_of(world, e.user, "INBOX");
  if (!folder.problem.empty()) return {{}, false, folder.problem};
  std::size_t reports = 0;
  for (const mail::MessageInfo& m : folder.messages) {
    const std::string_view bytes = *m.bytes;
    if (!is_report(bytes)) continue;
    if (!e.subject.empty() && bytes.find(e.subject) == std::string_view::npos) continue;
    if (e.code && bytes.find(std::to_string(*e.code)) == std::string_view::npos) continue;
    ++reports;
  }
  return {
      {}, reports > 0, plural(reports, "matching delivery report", "matching delivery reports")};
}

// Walks every SMTP session, pairing each reply with the command it answers (commands are
// answered in order, pipelined or not; the message content counts as DATA).
ExpectationResult check(World& world, const ExpectReply& e) {
  const Trace& trace = world.trace();
  std::map<FlowId, std::deque<std::string>> pending;  // commands not yet answered, per flow
  std::map<FlowId, bool> in_data;                     // the next request is the message content
  std::size_t seen = 0;
  for (const TraceEvent& event : trace.events()) {
    if (is_l7(trace, event, EventKind::Request, "smtp")) {
      const bool content = in_data[event.flow];
      in_data[event.flow] = false;
      pending[event.flow].push_back(content ? "DATA" : command_verb(event_text(trace, event)));
    } else if (is_l7(trace, event, EventKind::Response, "smtp")) {
      std::deque<std::string>& commands = pending[event.flow];
      std::string verb;  // "" for the greeting
      if (!commands.empty()) {
        verb = commands.front();
        commands.pop_front();
      }
      const auto code = reply_code(event_text(trace, event));
      if (code == 354) in_data[event.flow] = true;
      if (code != e.code) continue;
      if (!e.host.empty() && node_name(trace, event.node) != e.host) continue;
      if (!e.command.empty() && verb != e.command) continue;
      ++seen;
    }
  }
  return {{}, (seen > 0) == e.seen, plural(seen, "matching reply", "matching replies")};
}

ExpectationResult check(World& world, const ExpectDnsQueries& e) {
  const Trace& trace = world.trace();
  std::size_t n = 0;
  for (const TraceEvent& event : trace.events()) {
    if (event.layer != Layer::Application || application_of(trace, event) != "dns") continue;
    // Queries sent, or with a server named, the queries that server received.
    if (e.server.empty()
            ? event.kind != EventKind::Request
            : event.kind != EventKind::Receive || node_name(trace, event.node) != e.server)
      continue;
    const auto message = dns_message(trace, event);
    if (!message || message->is_response() || message->questions.empty()) continue;
    if (!e.type.empty() && wire::to_string(message->questions.front().type) != e.type) continue;
    ++n;
  }
  const bool passed = (!e.min || n >= *e.min) && (!e.max || n <= *e.max);
  return {{}, passed, plural(n, "DNS query", "DNS queries")};
}

ExpectationResult check(World& world, const ExpectTls& e) {
  const Trace& trace = world.trace();
  std::map<FlowId, bool> flows;  // connections from -> to, and whether TLS came up on each
  for (FlowId id = 1; id < trace.flow_count(); ++id) {
    const FlowInfo& flow = trace.flow(id);
    if (flow.transport != "tcp" || node_name(trace, flow.server) != e.to) continue;
    if (!e.from.empty() && node_name(trace, flow.client) != e.from) continue;
    flows[id] = false;
  }
  for (const TraceEvent& event : trace.events()) {
    if (event.layer != Layer::Tls || event.kind != EventKind::StateChange) continue;
    auto it = flows.find(event.flow);
    if (it != flows.end() && event_text(trace, event).starts_with("TLS established"))
      it->second = true;
  }
  const auto protected_count = static_cast<std::size_t>(
      std::count_if(flows.begin(), flows.end(), [](const auto& f) { return f.second; }));
  const std::string observed = plural(flows.size(), "connection", "connections") + ", " +
                               std::to_string(protected_count) + " with TLS";
  if (flows.empty()) return {{}, false, "no connection to " + e.to};
  return {{}, e.used ? protected_count > 0 : protected_count == 0, observed};
}

ExpectationResult check(World& world, const ExpectCleartext& e) {
  const Trace& trace = world.trace();
  bool seen = false;
  Trace::Scratch scratch;
  for (const TraceEvent& event : trace.events()) {
    if (event.layer != Layer::Physical || event.kind != EventKind::Send) continue;
    const auto frame = trace.data(event, scratch);
    const std::string_view bytes(reinterpret_cast<const char*>(frame.data()), frame.size());
    if (bytes.find(e.contains) != std::string_view::npos) {
      seen = true;
      break;
    }
  }
  return {{},
          seen == e.seen,
          seen ? "seen in clear text on a link" : "never seen in clear text on a link"};
}

ExpectationResult check(World& world, const ExpectRetransmissions& e) {
  const Trace& trace = world.trace();
  std::size_t n = 0;
  for (const TraceEvent& event : trace.events()) {
    if (event.layer == Layer::Transport && event.kind == EventKind::Note &&
        event_text(trace, event).starts_with("retransmission"))
      ++n;
  }
  return {{}, n >= e.min, plural(n, "retransmission", "retransmissions")};
}

ExpectationResult check(World& world, const ExpectDeferred& e) {
  const Trace& trace = world.trace();
  std::size_t n = 0;
  for (const TraceEvent& event : trace.events()) {
    if (event.kind != EventKind::MailDeferred) continue;
    if (!e.recipient.empty() &&
        event_text(trace, event).find(e.recipient) == std::string_view::npos)
      continue;
    ++n;
  }
  return {{}, n >= e.min, plural(n, "deferral", "deferrals")};
}

ExpectationResult check(World& world, const ExpectMailboxCount& e) {
  const Folder folder = folder_of(world, e.mailbox, e.folder);
  if (!folder.problem.empty()) return {{}, false, folder.problem};
  return {{},
          folder.messages.size() == e.count,
          plural(folder.messages.size(), "message", "messages") + " in " + e.folder};
}

}  // namespace

ExpectationResult check_expectation(World& world, const Expectation& expectation) {
  ExpectationResult result =
      std::visit([&](const auto& body) { return check(world, body); }, expectation.body);
  result.description = expectation.description;
  return result;
}

std::vector<ExpectationResult> check_expectations(World& world) {
  std::vector<ExpectationResult> results;
  for (const Expectation& expectation : world.scenario().expectations)
    results.push_back(check_expectation(world, expectation));
  return results;
}

}  // namespace mailscope::world
