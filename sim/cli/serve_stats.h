#pragma once
// What `mailscope serve` says about itself while it runs (on SIGUSR1) and once it has stopped:
// one line, `STATS {...}` with a JSON object after "STATS ", on standard output. Load scripts
// and benchmarks read it to compare what real clients were told (250 after DATA) with what the
// simulation did (messages queued and delivered), and to tell the memory a long run keeps by
// design (the trace, the stored mail) from memory that should have come back.

#include <cstddef>
#include <cstdint>
#include <string>

#include "bridge/bridge.h"
#include "core/trace.h"
#include "world/world.h"

namespace mailscope::cli {

struct ServeStats {
  std::uint64_t connections_open = 0;      // real connections spliced right now
  std::uint64_t connections_accepted = 0;  // real connections spliced since the start
  std::uint64_t connections_refused = 0;   // reset because the bridge's limit was reached
  std::uint64_t messages_queued = 0;       // MailQueued events: accepted messages and bounces
  std::uint64_t messages_delivered = 0;    // MailDelivered events: stored in a mailbox
  std::uint64_t messages_bounced = 0;      // MailBounced events
  std::uint64_t mailbox_messages = 0;      // messages in the scenario users' INBOXes now
  std::uint64_t mailbox_bytes = 0;         // bytes in all their mailboxes now
  std::uint64_t trace_events = 0;
  std::uint64_t trace_flows = 0;  // connections and exchanges the trace names (on the heap)
  std::uint64_t trace_bytes = 0;  // its event and byte blocks (mapped apart from the heap)
  std::uint64_t heap_bytes = 0;   // heap in use by the whole process (0 when unknown)
};

// Counts the trace's mail events. The trace only grows, so each update() looks at the events
// recorded since the previous one: asking often stays cheap on a long run.
class MailEventCounter {
 public:
  void update(const Trace& trace);
  std::uint64_t queued() const { return m_queued; }
  std::uint64_t delivered() const { return m_delivered; }
  std::uint64_t bounced() const { return m_bounced; }

 private:
  std::size_t m_seen = 0;  // events [0, m_seen) are counted
  std::uint64_t m_queued = 0;
  std::uint64_t m_delivered = 0;
  std::uint64_t m_bounced = 0;
};

ServeStats collect_stats(world::World& world, const bridge::Bridge& bridge,
                         MailEventCounter& counter);
// "STATS {"connections_open": 0, ...}" (no newline).
std::string stats_line(const ServeStats& stats);

}  // namespace mailscope::cli
