#include "gui/core/phases.h"

#include <array>
#include <charconv>
#include <optional>

#include "gui/core/topology.h"

namespace mailscope::gui {

namespace {

constexpr std::array<std::string_view, static_cast<std::size_t>(PhaseKind::Count)> kPhaseNames{
    "DNS", "Submission", "Relay", "Retrieval", "Other"};
static_assert(kPhaseNames.size() == static_cast<std::size_t>(PhaseKind::Count));

std::string node_name(const Trace& trace, NodeId id) {
  return id < trace.node_count() ? trace.node(id).name : std::string("?");
}

bool moves_data(EventKind kind) {
  switch (kind) {
    case EventKind::Send:
    case EventKind::Receive:
    case EventKind::Forward:
    case EventKind::Drop:
    case EventKind::Request:
    case EventKind::Response:
      return true;
    default:
      return false;
  }
}

std::string phase_label(const Trace& trace, PhaseKind kind, FlowId flow, NodeId server) {
  const FlowInfo& info = trace.flow(flow);
  const std::string ends = node_name(trace, info.client) + " → " + node_name(trace, server);
  switch (kind) {
    case PhaseKind::Dns:
      return "DNS lookup: " + ends;
    case PhaseKind::Submission:
      return "SMTP submission: " + ends;
    case PhaseKind::Relay:
      return "SMTP relay: " + ends;
    case PhaseKind::Retrieval: {
      std::string app = info.application;
      for (char& c : app)
        c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
      return "Retrieval (" + app + "): " + ends;
    }
    case PhaseKind::Other:
    case PhaseKind::Count:
      break;
  }
  const std::string what = !info.application.empty() ? info.application
                           : !info.transport.empty() ? info.transport
                                                     : std::string("traffic");
  return what + ": " + ends;
}

}  // namespace

std::string_view to_string(PhaseKind kind) {
  const auto i = static_cast<std::size_t>(kind);
  return i < kPhaseNames.size() ? kPhaseNames[i] : "Other";
}

std::uint16_t server_port_from_label(std::string_view label) {
  const auto colon = label.rfind(':');
  if (colon == std::string_view::npos) return 0;
  const std::string_view digits = label.substr(colon + 1);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size() || value > 65535) return 0;
  return static_cast<std::uint16_t>(value);
}

std::vector<NodeId> flow_servers(const Trace& trace) {
  std::vector<NodeId> servers(trace.flow_count(), kNoNode);
  for (FlowId f = 0; f < trace.flow_count(); ++f)
    servers[f] = trace.flow(f).server;
  for (const TraceEvent& e : trace.events()) {
    if (e.flow == kNoFlow || e.flow >= servers.size() || servers[e.flow] != kNoNode) continue;
    if (e.layer < Layer::Transport || !moves_data(e.kind) || e.kind == EventKind::Drop) continue;
    if (e.node != trace.flow(e.flow).client) servers[e.flow] = e.node;
  }
  return servers;
}

PhaseKind classify_flow(const Trace& trace, FlowId flow) {
  if (flow == kNoFlow || flow >= trace.flow_count()) return PhaseKind::Other;
  const FlowInfo& info = trace.flow(flow);
  const std::string& app = info.application;
  if (app == "dns") return PhaseKind::Dns;
  if (app == "imap" || app == "pop3" || app == "imaps" || app == "pop3s")
    return PhaseKind::Retrieval;
  if (app == "smtp" || app == "smtps" || app == "submission") {
    const std::uint16_t port = server_port_from_label(info.label);
    if (port == 587 || port == 465) return PhaseKind::Submission;
    const bool client_is_server = info.client < trace.node_count() &&
                                  icon_for_kind(trace.node(info.client).kind) == NodeIcon::Server;
    return client_is_server ? PhaseKind::Relay : PhaseKind::Submission;
  }
  return PhaseKind::Other;
}

std::vector<Phase> derive_phases(const Trace& trace) {
  std::vector<Phase> phases;
  const std::size_t n = trace.size();
  if (n == 0) return phases;

  const std::vector<NodeId> servers = flow_servers(trace);
  std::vector<PhaseKind> flow_kind(trace.flow_count(), PhaseKind::Other);
  for (FlowId f = 1; f < trace.flow_count(); ++f)
    flow_kind[f] = classify_flow(trace, f);

  // kind[e]: the phase kind an event votes for, or nothing for events outside any conversation.
  // Parents always come earlier in the trace, so one forward pass resolves inheritance.
  std::vector<std::optional<PhaseKind>> kind(n);
  std::vector<FlowId> flow_of(n, kNoFlow);
  std::optional<EventId> pending_start;  // first unassigned event since the last assigned one
  for (EventId e = 0; e < n; ++e) {
    const TraceEvent& ev = trace.event(e);
    if (!moves_data(ev.kind)) {
      // Says something about the moment but does not move the story to another phase.
    } else if (ev.flow != kNoFlow && ev.flow < flow_kind.size()) {
      kind[e] = flow_kind[ev.flow];
      flow_of[e] = ev.flow;
    } else if (ev.parent != kNoEvent && ev.parent < e) {
      kind[e] = kind[ev.parent];
      flow_of[e] = flow_of[ev.parent];
    }
    if (!kind[e]) {
      if (!pending_start) pending_start = e;
      continue;
    }
    if (phases.empty() || phases.back().kind != *kind[e]) {
      Phase p;
      p.kind = *kind[e];
      p.first = pending_start.value_or(e);
      p.flow = flow_of[e];
      p.label =
          phase_label(trace, p.kind, p.flow, p.flow < servers.size() ? servers[p.flow] : kNoNode);
      if (!phases.empty()) phases.back().last = p.first - 1;
      phases.push_back(std::move(p));
    }
    phases.back().last = e;
    pending_start.reset();
  }
  if (phases.empty()) {
    // Nothing but unassigned events: one phase holding them all.
    phases.push_back(Phase{PhaseKind::Other, 0, static_cast<EventId>(n - 1), kNoFlow, "Run"});
  }
  phases.back().last = static_cast<EventId>(n - 1);
  return phases;
}

}  // namespace mailscope::gui
