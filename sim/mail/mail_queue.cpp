#include "mail/mail_queue.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

namespace mailscope::mail {

std::string format_queue_id(QueueId id) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%010" PRIX64, id);
  return buf;
}

TimeNs retry_delay(const RetryOptions& retry, std::uint32_t failed_attempts) {
  TimeNs delay = retry.first_retry_ns;
  for (std::uint32_t n = 1; n < failed_attempts && delay < retry.retry_max_ns; ++n) {
    if (retry.backoff_factor <= 1) break;
    // Stop before overflow: once past the cap the cap applies anyway.
    if (delay > retry.retry_max_ns / static_cast<TimeNs>(retry.backoff_factor)) {
      delay = retry.retry_max_ns;
      break;
    }
    delay *= retry.backoff_factor;
  }
  return std::min(delay, retry.retry_max_ns);
}

std::string_view to_string(RecipientState state) {
  switch (state) {
    case RecipientState::Pending:
      return "pending";
    case RecipientState::Delivered:
      return "delivered";
    case RecipientState::Failed:
      return "failed";
    case RecipientState::Expired:
      return "expired";
  }
  return "pending";
}

std::size_t QueueEntry::pending_count() const {
  return static_cast<std::size_t>(
      std::count_if(recipients.begin(), recipients.end(),
                    [](const QueueRecipient& r) { return r.state == RecipientState::Pending; }));
}

MailQueue::MailQueue(MailQueueOptions options) : m_options(std::move(options)) {}

Result<QueueId> MailQueue::enqueue(std::string_view reverse_path,
                                   std::span<const std::string> recipients,
                                   std::string_view message, TimeNs now) {
  const char* where = "queue";
  if (recipients.empty()) return make_error("no recipients", where);
  if (recipients.size() > m_options.recipients_max) return make_error("too many recipients", where);
  if (message.size() > m_options.message_size_max) return make_error("message too large", where);
  if (m_entries.size() >= m_options.entries_max) return make_error("queue full", where);
  if (m_bytes + message.size() > m_options.bytes_max)
    return make_error("queue storage full", where);
  QueueEntry entry;
  entry.id = m_next_id++;
  entry.reverse_path = std::string(reverse_path);
  for (const std::string& address : recipients) {
    const bool seen = std::any_of(entry.recipients.begin(), entry.recipients.end(),
                                  [&](const QueueRecipient& r) { return r.address == address; });
    if (!seen)
      entry.recipients.push_back(QueueRecipient{address, RecipientState::Pending, {}, {}, 0, 0});
  }
  entry.message = std::make_shared<const std::string>(message);
  entry.arrival = now;
  entry.next_attempt = now;
  m_bytes += message.size();
  const QueueId id = entry.id;
  m_entries.emplace(id, std::move(entry));
  return id;
}

std::vector<QueueId> MailQueue::due(TimeNs now) const {
  std::vector<std::pair<TimeNs, QueueId>> ready;
  for (const auto& [id, entry] : m_entries) {
    if (entry.in_flight || entry.next_attempt > now) continue;
    if (entry.expires_at(m_options.retry) <= now) continue;  // expire() handles it
    ready.emplace_back(entry.next_attempt, id);
  }
  std::sort(ready.begin(), ready.end());
  std::vector<QueueId> out;
  out.reserve(ready.size());
  for (const auto& [when, id] : ready)
    out.push_back(id);
  return out;
}

Result<const QueueEntry*> MailQueue::begin_attempt(QueueId id, TimeNs now) {
  auto it = m_entries.find(id);
  if (it == m_entries.end()) return make_error("no such queue entry", "queue");
  if (it->second.in_flight) return make_error("an attempt is already in progress", "queue");
  it->second.in_flight = true;
  it->second.next_attempt = kTimeNever;
  for (QueueRecipient& r : it->second.recipients) {
    if (r.state == RecipientState::Pending) r.last_attempt = now;
  }
  return &it->second;
}

std::optional<BounceRequest> MailQueue::bounce_for(const QueueEntry& entry,
                                                   const std::vector<std::size_t>& indexes) const {
  if (indexes.empty() || entry.reverse_path.empty()) return std::nullopt;
  BounceRequest request;
  request.id = entry.id;
  request.reverse_path = entry.reverse_path;
  request.arrival = entry.arrival;
  request.message = entry.message;
  for (std::size_t i : indexes)
    request.recipients.push_back(entry.recipients[i]);
  return request;
}

void MailQueue::erase(std::map<QueueId, QueueEntry>::iterator it) {
  m_bytes -= it->second.message->size();
  m_entries.erase(it);
}

Result<AttemptSummary> MailQueue::record_attempt(QueueId id, TimeNs now,
                                                 std::span<const RecipientResult> results) {
  auto it = m_entries.find(id);
  if (it == m_entries.end()) return make_error("no such queue entry", "queue");
  QueueEntry& entry = it->second;
  entry.in_flight = false;
  ++entry.attempts;
  std::vector<std::size_t> newly_final;
  for (const RecipientResult& result : results) {
    for (std::size_t i = 0; i < entry.recipients.size(); ++i) {
      QueueRecipient& r = entry.recipients[i];
      if (r.address != result.address || r.state != RecipientState::Pending) continue;
      ++r.attempts;
      r.last_attempt = now;
      r.last_reply = result.reply.substr(0, m_options.reply_size_max);
      r.remote_mta = result.remote_mta;
      entry.last_reply = r.last_reply;
      if (result.status == DeliveryStatus::Delivered) r.state = RecipientState::Delivered;
      if (result.status == DeliveryStatus::Failed) {
        r.state = RecipientState::Failed;
        newly_final.push_back(i);
      }
    }
  }
  AttemptSummary summary;
  const bool out_of_time = now >= entry.expires_at(m_options.retry);
  const bool out_of_attempts = entry.attempts >= m_options.retry.attempts_max;
  if (entry.pending_count() > 0 && (out_of_time || out_of_attempts)) {
    for (std::size_t i = 0; i < entry.recipients.size(); ++i) {
      if (entry.recipients[i].state != RecipientState::Pending) continue;
      entry.recipients[i].state = RecipientState::Expired;
      newly_final.push_back(i);
    }
  }
  summary.bounce = bounce_for(entry, newly_final);
  if (entry.pending_count() == 0) {
    summary.finished = true;
    erase(it);
    return summary;
  }
  entry.next_attempt = now + retry_delay(m_options.retry, entry.attempts);
  summary.next_attempt = entry.next_attempt;
  return summary;
}

bool MailQueue::record_delivered(QueueId id, TimeNs now, const RecipientResult& result) {
  if (result.status != DeliveryStatus::Delivered) return false;
  const auto it = m_entries.find(id);
  if (it == m_entries.end()) return false;
  QueueEntry& entry = it->second;
  for (QueueRecipient& r : entry.recipients) {
    if (r.address != result.address || r.state != RecipientState::Pending) continue;
    ++r.attempts;
    r.last_attempt = now;
    r.last_reply = result.reply.substr(0, m_options.reply_size_max);
    r.remote_mta = result.remote_mta;
    r.state = RecipientState::Delivered;
    entry.last_reply = r.last_reply;
    return true;
  }
  return false;
}

std::vector<BounceRequest> MailQueue::expire(TimeNs now) {
  std::vector<BounceRequest> bounces;
  for (auto it = m_entries.begin(); it != m_entries.end();) {
    QueueEntry& entry = it->second;
    if (entry.in_flight || entry.expires_at(m_options.retry) > now) {
      ++it;
      continue;
    }
    std::vector<std::size_t> expired;
    for (std::size_t i = 0; i < entry.recipients.size(); ++i) {
      if (entry.recipients[i].state != RecipientState::Pending) continue;
      entry.recipients[i].state = RecipientState::Expired;
      expired.push_back(i);
    }
    if (auto bounce = bounce_for(entry, expired)) bounces.push_back(std::move(*bounce));
    auto next = std::next(it);
    erase(it);
    it = next;
  }
  return bounces;
}

void MailQueue::recover(TimeNs now) {
  for (auto& [id, entry] : m_entries) {
    if (!entry.in_flight) continue;
    entry.in_flight = false;
    entry.next_attempt = now;
  }
}

bool MailQueue::remove(QueueId id) {
  auto it = m_entries.find(id);
  if (it == m_entries.end()) return false;
  erase(it);
  return true;
}

TimeNs MailQueue::next_wakeup() const {
  TimeNs earliest = kTimeNever;
  for (const auto& [id, entry] : m_entries) {
    if (entry.in_flight) continue;
    earliest = std::min({earliest, entry.next_attempt, entry.expires_at(m_options.retry)});
  }
  return earliest;
}

const QueueEntry* MailQueue::find(QueueId id) const {
  auto it = m_entries.find(id);
  return it == m_entries.end() ? nullptr : &it->second;
}

std::vector<QueueId> MailQueue::ids() const {
  std::vector<QueueId> out;
  for (const auto& [id, entry] : m_entries)
    out.push_back(id);
  return out;
}

DsnSpec make_dsn_spec(const BounceRequest& request, const BounceContext& context) {
  DsnSpec spec;
  spec.reporting_mta = context.reporting_mta;
  spec.from = "Mail Delivery System <MAILER-DAEMON@" + context.reporting_mta + ">";
  spec.to = request.reverse_path;
  spec.date = context.clock.date_time(context.now);
  spec.message_id = context.message_id;
  spec.boundary = context.boundary;
  spec.arrival_date = context.clock.date_time(request.arrival);
  for (const QueueRecipient& r : request.recipients) {
    DsnRecipient d;
    d.final_recipient = r.address;
    d.action = DsnAction::Failed;
    // A recipient that expired keeps the code of its last temporary failure; without any reply,
    // 4.4.7 "delivery time expired" (RFC 3463).
    const char* fallback = r.state == RecipientState::Expired ? "4.4.7" : "5.0.0";
    d.status = status_of_reply(r.last_reply, fallback);
    d.remote_mta = r.remote_mta;
    d.diagnostic = r.last_reply;
    if (r.attempts > 0) d.last_attempt_date = context.clock.date_time(r.last_attempt);
    spec.recipients.push_back(std::move(d));
  }
  spec.original_message = *request.message;
  return spec;
}

std::string build_bounce(const BounceRequest& request, const BounceContext& context) {
  return build_dsn(make_dsn_spec(request, context));
}

}  // namespace mailscope::mail
