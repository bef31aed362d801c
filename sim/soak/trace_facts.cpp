#include "soak/trace_facts.h"

#include <string_view>
#include <unordered_map>

#include "mail/header.h"

namespace mailscope::soak {
namespace {

// A session this long without an SMTP event is not counted as cut by a crash: it has already
// timed out or been abandoned (the client's longest wait, for the final dot's reply, is 10 min).
constexpr TimeNs kSessionIdleMax = 10 * kMinute;

enum class Phase {
  Idle,         // no transaction: before MAIL, after the reply to the final dot, after RSET
  Transaction,  // MAIL sent, the final dot not yet
  DotSent,      // the final dot sent, its reply not yet
};

struct FlowState {
  Phase phase = Phase::Idle;
  TimeNs last = 0;
  std::size_t transfer = SIZE_MAX;  // the transfer waiting for its reply (DotSent)
  std::size_t last_transfer = SIZE_MAX;
};

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != prefix[i]) return false;
  }
  return true;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

int reply_code(std::string_view reply) {
  if (reply.size() < 3) return 0;
  int code = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    if (reply[i] < '0' || reply[i] > '9') return 0;
    code = code * 10 + (reply[i] - '0');
  }
  return code;
}

std::string_view as_text(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace

TraceFacts read_trace_facts(const Trace& trace) {
  TraceFacts facts;
  std::unordered_map<FlowId, FlowState> flows;
  const auto& events = trace.events();
  for (std::size_t i = 0; i < events.size(); ++i) {
    const TraceEvent& e = events[i];
    if (e.layer != Layer::Application) continue;

    if (e.kind == EventKind::Action) {
      const std::string_view text = trace.text(e);
      if (!ends_with(text, " crashes")) continue;
      ++facts.crashes.crashes;
      bool before = false;
      bool after = false;
      for (auto& [flow_id, state] : flows) {
        if (state.phase == Phase::Idle || e.time - state.last > kSessionIdleMax) continue;
        const FlowInfo& info = trace.flow(flow_id);
        if (info.client != e.node && info.server != e.node) continue;
        if (state.phase == Phase::DotSent) {
          ++facts.crashes.sessions_after_dot;
          after = true;
        } else {
          ++facts.crashes.sessions_before_dot;
          before = true;
        }
        state.phase = Phase::Idle;  // the session is gone; count it once
      }
      if (before) ++facts.crashes.crashes_before_dot;
      if (after) ++facts.crashes.crashes_after_dot;
      continue;
    }

    if (e.kind == EventKind::Note) {
      const std::string_view text = trace.text(e);
      if (auto mark = services::parse_duplicate_mark(text)) {
        facts.marks.emplace(std::make_tuple(trace.node(e.node).name, mark->recipient, mark->uid),
                            *mark);
        continue;
      }
      if (e.flow == kNoFlow || !text.starts_with("RFC 1047:")) continue;
      ++facts.windows;
      const auto it = flows.find(e.flow);
      if (it == flows.end() || it->second.last_transfer == SIZE_MAX) continue;
      Transfer& transfer = facts.transfers[it->second.last_transfer];
      transfer.window = true;
      if (!transfer.message_id.empty()) facts.window_message_ids.insert(transfer.message_id);
      if (transfer.submission) facts.window_subjects.insert(transfer.subject);
      continue;
    }

    if (e.flow == kNoFlow) continue;
    if (e.kind == EventKind::Request) {
      const std::string_view data = as_text(trace.message(e));
      FlowState& state = flows[e.flow];
      state.last = e.time;
      if (starts_with_nocase(data, "MAIL FROM:")) {
        state.phase = Phase::Transaction;
      } else if (starts_with_nocase(data, "RSET") || starts_with_nocase(data, "QUIT")) {
        state.phase = Phase::Idle;
      } else if (data.size() > 5 && ends_with(data, "\r\n.\r\n")) {
        // The message itself: one request from the first header line to the final dot.
        Transfer transfer;
        transfer.content_event = static_cast<EventId>(i);
        transfer.flow = e.flow;
        transfer.client = e.node;
        const FlowInfo& info = trace.flow(e.flow);
        transfer.submission = ends_with(info.label, ":587") || ends_with(info.label, ":465");
        std::vector<Error> defects;
        const mail::HeaderBlock header =
            mail::parse_header_block(data, 0, data.size(), mail::ParseLimits{}, defects);
        if (const mail::HeaderField* f = mail::find_field(header.fields, "Subject"))
          transfer.subject = f->value;
        if (const mail::HeaderField* f = mail::find_field(header.fields, "Message-ID"))
          transfer.message_id = f->value;
        state.phase = Phase::DotSent;
        state.transfer = facts.transfers.size();
        state.last_transfer = state.transfer;
        if (transfer.submission) facts.submissions[transfer.subject].push_back(state.transfer);
        facts.transfers.push_back(std::move(transfer));
      }
      continue;
    }
    if (e.kind == EventKind::Response) {
      const auto it = flows.find(e.flow);
      if (it == flows.end()) continue;
      FlowState& state = it->second;
      state.last = e.time;
      if (state.phase != Phase::DotSent) continue;
      facts.transfers[state.transfer].reply_code = reply_code(as_text(trace.message(e)));
      state.phase = Phase::Idle;
    }
  }
  return facts;
}

}  // namespace mailscope::soak
