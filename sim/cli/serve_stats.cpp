#include "cli/serve_stats.h"

#include <utility>

#include "cli/heap.h"
#include "services/mail_router.h"

namespace mailscope::cli {

void MailEventCounter::update(const Trace& trace) {
  const auto& events = trace.events();
  for (; m_seen < events.size(); ++m_seen) {
    switch (events[m_seen].kind) {
      case EventKind::MailQueued:
        ++m_queued;
        break;
      case EventKind::MailDelivered:
        ++m_delivered;
        break;
      case EventKind::MailBounced:
        ++m_bounced;
        break;
      default:
        break;
    }
  }
}

ServeStats collect_stats(world::World& world, const bridge::Bridge& bridge,
                         MailEventCounter& counter) {
  counter.update(world.trace());
  ServeStats stats;
  stats.connections_open = bridge.connection_count();
  stats.connections_accepted = bridge.stats().accepted;
  stats.connections_refused = bridge.stats().refused;
  stats.messages_queued = counter.queued();
  stats.messages_delivered = counter.delivered();
  stats.messages_bounced = counter.bounced();
  for (const scenario::User& user : world.scenario().users) {
    world::MailHost* host = world.mailbox_host(user.address);
    if (host == nullptr) continue;
    const mail::MailStore& store = host->storage->store();
    const std::string account = services::lower_ascii(user.local_part());
    if (const auto inbox = store.status(account, "INBOX"))
      stats.mailbox_messages += inbox->messages;
    if (const auto usage = store.quota(account)) stats.mailbox_bytes += usage->used_bytes;
  }
  stats.trace_events = world.trace().size();
  stats.trace_flows = world.trace().flow_count();
  stats.trace_bytes = world.trace().memory_bytes();
  stats.heap_bytes = heap_in_use();
  return stats;
}

std::string stats_line(const ServeStats& stats) {
  // Written by hand to keep the fields in this order (nlohmann sorts its object keys).
  const std::pair<const char*, std::uint64_t> fields[] = {
      {"connections_open", stats.connections_open},
      {"connections_accepted", stats.connections_accepted},
      {"connections_refused", stats.connections_refused},
      {"messages_queued", stats.messages_queued},
      {"messages_delivered", stats.messages_delivered},
      {"messages_bounced", stats.messages_bounced},
      {"mailbox_messages", stats.mailbox_messages},
      {"mailbox_bytes", stats.mailbox_bytes},
      {"trace_events", stats.trace_events},
      {"trace_flows", stats.trace_flows},
      {"trace_bytes", stats.trace_bytes},
      {"heap_bytes", stats.heap_bytes},
  };
  std::string out = "STATS {";
  bool first = true;
  for (const auto& [name, value] : fields) {
    if (!first) out += ", ";
    first = false;
    out += "\"" + std::string(name) + "\": " + std::to_string(value);
  }
  return out + "}";
}

}  // namespace mailscope::cli
