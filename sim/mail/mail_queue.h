#pragma once
// MailQueue: the messages an MTA has accepted and not yet delivered everywhere.
//
// An entry is the envelope (reverse path and recipients, each recipient with its own state),
// the message bytes, and the bookkeeping of delivery attempts. After enqueue() returns, the
// message is durable: the queue belongs to the simulated server machine, not to the service
// process, and survives a crash of the service (which is re-created around the same queue and
// calls recover()). So the queue holds no pointer to any session or service.
//
// Retry (RFC 5321 4.5.4.1): the first attempt is due at once; after a failed attempt the next
// one waits first_retry_ns (at least 30 minutes by the RFC), then backoff_factor times longer each
// time up to retry_max_ns; after give_up_after_ns (4 to 5 days by the RFC) the remaining
// recipients expire and the sender gets a bounce. Scenarios shorten all of these.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "mail/date_time.h"
#include "mail/dsn.h"

namespace mailscope::mail {

using QueueId = std::uint64_t;
// "000000000A": the id as a queue listing and Received: fields show it.
std::string format_queue_id(QueueId id);

struct RetryOptions {
  TimeNs first_retry_ns = 30 * kMinute;  // wait after the first failed attempt
  std::uint32_t backoff_factor = 2;      // each further wait is this many times the previous one
  TimeNs retry_max_ns = 4 * kHour;       // no single wait is longer
  TimeNs give_up_after_ns = 5 * kDay;    // measured from arrival
  std::uint32_t attempts_max = 100;      // give up after this many attempts even if time is left
};
// The wait after the n-th failed attempt (n >= 1).
TimeNs retry_delay(const RetryOptions& retry, std::uint32_t failed_attempts);

struct MailQueueOptions {
  RetryOptions retry;
  std::size_t entries_max = 10'000;
  std::size_t bytes_max = 512u * 1024 * 1024;  // all queued messages together
  std::size_t message_size_max = 10'240'000;
  std::size_t recipients_max = 1000;  // per entry; RFC 5321 asks servers to take at least 100
  std::size_t reply_size_max = 512;   // a longer reply is cut when it is recorded
};

enum class RecipientState {
  Pending,    // not delivered yet; will be tried again
  Delivered,  // a server accepted it (2xx) or it was stored locally
  Failed,     // a permanent failure (5xx); a bounce goes to the sender
  Expired,    // still failing when the queue gave up; a bounce goes to the sender
};
std::string_view to_string(RecipientState state);

struct QueueRecipient {
  std::string address;
  RecipientState state = RecipientState::Pending;
  std::string last_reply;  // "451 4.7.1 Try again later"; empty before the first answer
  std::string remote_mta;  // the server that gave last_reply; empty if none answered
  std::uint32_t attempts = 0;
  TimeNs last_attempt = 0;
};

struct QueueEntry {
  QueueId id = 0;
  std::string reverse_path;  // empty for the null reverse path "<>" (bounces)
  std::vector<QueueRecipient> recipients;
  std::shared_ptr<const std::string> message;
  TimeNs arrival = 0;
  std::uint32_t attempts = 0;
  TimeNs next_attempt = 0;  // when it is due again
  bool in_flight = false;   // an attempt has begun and its result is not recorded yet
  std::string last_reply;   // the most recent reply for any recipient

  std::size_t pending_count() const;
  TimeNs expires_at(const RetryOptions& retry) const { return arrival + retry.give_up_after_ns; }
};

enum class DeliveryStatus { Delivered, Deferred, Failed };

struct RecipientResult {
  std::string address;
  DeliveryStatus status = DeliveryStatus::Deferred;
  std::string reply;       // the server's reply, or a local reason ("connection timed out")
  std::string remote_mta;  // the server that replied, if any
};

// The recipients of one entry that need a bounce to the sender.
struct BounceRequest {
  QueueId id = 0;
  std::string reverse_path;
  TimeNs arrival = 0;
  std::vector<QueueRecipient> recipients;  // each Failed or Expired
  std::shared_ptr<const std::string> message;
};

struct AttemptSummary {
  bool finished = false;  // no recipient is pending; the entry has left the queue
  TimeNs next_attempt = kTimeNever;
  // Recipients that failed or expired now, if the sender can be told (not for a null reverse
  // path: a bounce is never bounced, RFC 5321 4.5.5).
  std::optional<BounceRequest> bounce;
};

class MailQueue {
 public:
  explicit MailQueue(MailQueueOptions options = {});

  const MailQueueOptions& options() const { return m_options; }

  // Accepts a message; after it returns the message is durable. Duplicate recipients are
  // merged. Fails when a limit would be exceeded or there are no recipients.
  Result<QueueId> enqueue(std::string_view reverse_path, std::span<const std::string> recipients,
                          std::string_view message, TimeNs now);

  // Entries due for an attempt at now (not in flight, not expired), by (next_attempt, id).
  std::vector<QueueId> due(TimeNs now) const;
  // Marks the start of an attempt so that due() stops returning the entry; returns the entry.
  Result<const QueueEntry*> begin_attempt(QueueId id, TimeNs now);
  // Records how an attempt went for each recipient named in results. Pending recipients that are
  // not named stay pending. Schedules the next attempt or finishes the entry.
  Result<AttemptSummary> record_attempt(QueueId id, TimeNs now,
                                        std::span<const RecipientResult> results);
  // Records at once that one recipient of an entry in flight was delivered (a 2xx from the next
  // server, or stored in a local mailbox), before the attempt as a whole is over. From that
  // answer on the recipient is someone else's responsibility (RFC 5321 6.1), so a crash of the
  // service before record_attempt() must not make it pending again: a second delivery would be a
  // duplicate that no lost reply explains. record_attempt() leaves such a recipient as it is.
  // False when there is no such entry or no such pending recipient.
  bool record_delivered(QueueId id, TimeNs now, const RecipientResult& result);
  // Gives up on every entry (not in flight) that has been queued for give_up_after_ns: its
  // pending recipients expire. Returns the bounces to send.
  std::vector<BounceRequest> expire(TimeNs now);
  // After a restart: attempts that were in flight when the service died are due at now.
  void recover(TimeNs now);
  // Removes an entry without delivering it (an administrator's "postsuper -d").
  bool remove(QueueId id);

  // The earliest time something needs doing (an attempt or an expiry), or kTimeNever.
  TimeNs next_wakeup() const;
  // The entry, or nullptr. Valid until the queue next changes.
  const QueueEntry* find(QueueId id) const;
  std::vector<QueueId> ids() const;
  std::size_t size() const { return m_entries.size(); }
  std::size_t bytes() const { return m_bytes; }

 private:
  void finish_recipient_states(QueueEntry& entry, TimeNs now, AttemptSummary& summary,
                               std::vector<std::size_t>& newly_final);
  std::optional<BounceRequest> bounce_for(const QueueEntry& entry,
                                          const std::vector<std::size_t>& indexes) const;
  void erase(std::map<QueueId, QueueEntry>::iterator it);

  MailQueueOptions m_options;
  std::map<QueueId, QueueEntry> m_entries;  // by id = order of arrival
  std::size_t m_bytes = 0;                  // sum of queued message sizes, bounded by bytes_max
  QueueId m_next_id = 1;
};

// What a bounce needs besides the request: who reports, and when.
struct BounceContext {
  std::string reporting_mta;  // "mta.example.com"
  MailClock clock;
  TimeNs now = 0;
  std::string message_id;  // of the bounce
  std::string boundary;
};
// A complete RFC 3464 bounce for a request: From MAILER-DAEMON, To the original sender.
DsnSpec make_dsn_spec(const BounceRequest& request, const BounceContext& context);
std::string build_bounce(const BounceRequest& request, const BounceContext& context);

}  // namespace mailscope::mail
