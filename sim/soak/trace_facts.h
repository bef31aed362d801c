#pragma once
// What the soak's checker needs from a finished run's trace, read in one pass:
//  - every SMTP message transfer: the message bytes the client sent (one Request event ending in
//    the final dot), on which flow, and the reply to the final dot if one was sent;
//  - the RFC 1047 windows: flows on which the client noted that the connection was lost after the
//    final dot and before the reply, with the Message-ID and subject of the message it was sending;
//  - the duplicate marks the delivering servers wrote (services/duplicate_mark.h);
//  - the crashes of mail hosts, each classified by the SMTP sessions it cut: in a transaction
//    before the final dot (MAIL sent, the message not yet complete) or after it (the final dot
//    sent, no reply yet).
// Only the trace is read, as every view of MailScope does.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/trace.h"
#include "services/duplicate_mark.h"

namespace mailscope::soak {

struct Transfer {
  EventId content_event = kNoEvent;  // the Request event holding the message and the final dot
  FlowId flow = kNoFlow;
  NodeId client = kNoNode;
  bool submission = false;  // to port 587 (or 465): a user's program handing in the message
  std::string subject;
  std::string message_id;  // empty when the message has none yet (a submission)
  int reply_code = 0;      // the reply to the final dot; 0 when none was sent
  bool window = false;     // the client noted the RFC 1047 window for it
};

struct CrashFacts {
  std::uint32_t crashes = 0;
  std::uint32_t crashes_before_dot = 0;   // crashes that cut at least one session before the dot
  std::uint32_t crashes_after_dot = 0;    // crashes that cut at least one session after the dot
  std::uint32_t sessions_before_dot = 0;  // sessions cut in a transaction before the final dot
  std::uint32_t sessions_after_dot = 0;   // sessions cut between the final dot and its reply
};

struct TraceFacts {
  std::vector<Transfer> transfers;  // in trace order
  // By subject: indexes into transfers of the submissions of that message.
  std::map<std::string, std::vector<std::size_t>, std::less<>> submissions;
  // Message-IDs (and, for submissions, subjects) sent in an RFC 1047 window.
  std::set<std::string, std::less<>> window_message_ids;
  std::set<std::string, std::less<>> window_subjects;
  // Duplicate marks by (host node name, recipient address, uid of the repeated copy).
  std::map<std::tuple<std::string, std::string, std::uint32_t>, services::DuplicateMark> marks;
  CrashFacts crashes;
  std::uint32_t windows = 0;  // RFC 1047 notes in the trace
};

TraceFacts read_trace_facts(const Trace& trace);

}  // namespace mailscope::soak
