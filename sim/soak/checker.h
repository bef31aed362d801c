#pragma once
// The soak's invariant checker: after a generated world has run and quiesced, compares what the
// users wrote (the generator's list) with what the mailboxes hold, the trace says and the queues
// still keep.
//
// Per message whose submission got 250 at the final dot, per recipient:
//  - the message is in that recipient's INBOX exactly once, or exactly one bounce (a DSN naming
//    the recipient and quoting the message's header) reached the sender — never neither, and
//    both only when the trace shows an RFC 1047 window for the message (the sender never learned
//    of the 250 and gave up later);
//  - every further copy (same subject, same Message-ID, a higher UID) is allowed only when the
//    trace shows an RFC 1047 window for that Message-ID (a client lost the connection after its
//    final dot), and it must carry the delivering server's duplicate mark (duplicate_mark.h);
//  - every copy holds the whole body the user wrote, byte for byte (CRLF line ends, dots
//    unstuffed), so a message cut short by a lost connection cannot hide;
//  - all copies of one message carry the same Message-ID, and no copy lands in the mailbox of
//    someone who was not a recipient.
// A message whose submission got no 250 may still arrive (the submission server queued it and its
// reply was lost): that is allowed only when the trace shows the window for that submission.
// Finally no queue holds an entry whose give-up time passed more than kStuckGraceNs ago.
//
// Violations are data: which message, which recipient, which invariant, what was seen.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "soak/generator.h"
#include "soak/trace_facts.h"

namespace mailscope::world {
class World;
}

namespace mailscope::soak {

// An attempt may still be running when an entry's time is up (connection timeouts, a slow
// peer); the queue expires it when the attempt ends. Past this grace the entry is stuck.
constexpr TimeNs kStuckGraceNs = 15 * kMinute;

enum class ViolationKind {
  Missing,                 // 250 at submission, but neither in the mailbox nor bounced
  DeliveredAndBounced,     // in the mailbox and bounced as well
  DuplicateBounce,         // more than one bounce for one recipient
  DuplicateWithoutWindow,  // a second copy, and no RFC 1047 window for its Message-ID
  UnmarkedDuplicate,       // a second copy without the delivering server's mark
  Truncated,               // a copy's body differs from what was submitted
  MessageIdMismatch,       // copies of one message with different Message-IDs
  Misdelivered,            // a copy in the mailbox of someone who was not a recipient
  TakenWithout250,         // delivered or bounced although the submission saw no 250 nor window
  StuckQueueEntry,         // a queue entry past its give-up time
  Count
};
std::string_view to_string(ViolationKind kind);

struct Violation {
  ViolationKind kind = ViolationKind::Missing;
  std::string message;  // the subject ("soak 7 #123"), or the queue entry ("mail.d1.test 0000000A")
  std::string recipient;  // empty when it concerns the whole message
  std::string detail;     // what was seen
};

struct SoakCounts {
  std::uint32_t messages = 0;              // messages the users sent
  std::uint32_t accepted = 0;              // ... whose final dot got 250 from the submission server
  std::uint32_t recipients_checked = 0;    // (message, recipient) pairs of accepted messages
  std::uint32_t delivered = 0;             // pairs found in the recipient's INBOX
  std::uint32_t bounced = 0;               // pairs bounced to the sender
  std::uint32_t duplicates = 0;            // copies beyond the first
  std::uint32_t duplicates_marked = 0;     // ... that carry the mark
  std::uint32_t taken_without_250 = 0;     // messages that arrived although their 250 was lost
  std::uint32_t bounced_after_window = 0;  // pairs delivered and bounced after an RFC 1047 window
  std::uint32_t windows = 0;               // RFC 1047 windows noted in the trace
  std::uint32_t queue_left = 0;            // entries still queued at the end
};

struct SoakCheck {
  SoakCounts counts;
  CrashFacts crashes;
  std::vector<Violation> violations;
};

// Checks a world that has run. `messages` is what the generator sent.
SoakCheck check_soak(world::World& world, const std::vector<SoakMessage>& messages);

// The body as the mailbox must hold it: every line end CRLF.
std::string expected_body(std::string_view body);

}  // namespace mailscope::soak
