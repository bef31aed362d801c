#include "services/delivery_agent.h"

#include <algorithm>

#include "mail/builder.h"
#include "services/duplicate_mark.h"
#include "services/mail_server.h"
#include "services/mail_text.h"
#include "tls/certificate_authority.h"

namespace mailscope::services {
namespace {

constexpr std::uint16_t kSmtpPort = 25;

std::string bracketed(std::string_view address) {
  return "<" + std::string(address) + ">";
}

}  // namespace

DeliveryAgent::DeliveryAgent(MailServer& server)
    : m_server(server),
      m_rng(server.context().sim.rng("mail/" + server.hostname() + "/" +
                                     std::to_string(server.restarts()))) {}

DeliveryAgent::~DeliveryAgent() {
  *m_alive = false;
  if (m_timer) m_server.context().sim.cancel(m_timer);
}

void DeliveryAgent::note_crash() {
  for (const auto& [number, job] : m_jobs)
    if (job->connection) job->connection->note_abandoned_in_window();
}

void DeliveryAgent::kick() {
  schedule_wake(m_server.context().sim.now());
}

void DeliveryAgent::schedule_wake(TimeNs when) {
  if (m_timer && m_timer_at <= when) return;
  Simulator& sim = m_server.context().sim;
  if (m_timer) sim.cancel(m_timer);
  m_timer_at = when;
  m_timer = sim.schedule_at(when, [this] {
    m_timer = TimerId{};
    m_timer_at = kTimeNever;
    wake();
  });
}

void DeliveryAgent::rearm() {
  const TimeNs now = m_server.context().sim.now();
  const TimeNs next = m_server.storage().queue().next_wakeup();
  if (next == kTimeNever) return;
  // With every slot busy, an entry that is due already must wait for a slot: finish_attempt()
  // rearms when one frees. Waking now would find nothing to start and schedule the same instant
  // again, forever, and virtual time would stand still.
  if (next <= now && m_attempts.size() >= m_server.options().deliveries_max) return;
  schedule_wake(std::max(next, now));
}

void DeliveryAgent::wake() {
  const TimeNs now = m_server.context().sim.now();
  mail::MailQueue& queue = m_server.storage().queue();
  for (const mail::BounceRequest& request : queue.expire(now)) {
    for (const mail::QueueRecipient& r : request.recipients) {
      m_server.record(EventKind::MailBounced,
                      mail::format_queue_id(request.id) + " to=" + bracketed(r.address) +
                          " bounced: " + (r.last_reply.empty() ? "no answer" : r.last_reply) +
                          " (delivery time expired)");
    }
    send_bounce(request, "delivery time expired");
  }
  for (const mail::QueueId id : queue.due(now)) {
    if (m_attempts.size() >= m_server.options().deliveries_max) break;
    start_attempt(id);
  }
  rearm();
}

// ---------------------------------------------------------------------------------------------
// One attempt for one queue entry

void DeliveryAgent::start_attempt(mail::QueueId id) {
  const TimeNs now = m_server.context().sim.now();
  auto begun = m_server.storage().queue().begin_attempt(id, now);
  if (!begun) return;
  // Copy what the attempt needs: the entry may move inside the queue while it runs.
  const mail::QueueEntry entry = **begun;
  Attempt& attempt = m_attempts[id];
  std::map<std::string, std::vector<std::string>> remote;  // by domain, in address order
  for (const mail::QueueRecipient& r : entry.recipients) {
    if (r.state != mail::RecipientState::Pending) continue;
    const std::string domain = domain_of(r.address);
    if (m_server.is_local_domain(domain)) {
      mail::RecipientResult result = deliver_local(entry, r.address);
      m_server.storage().queue().record_delivered(id, now, result);
      attempt.results.push_back(std::move(result));
    } else {
      remote[domain].push_back(r.address);
    }
  }
  attempt.outstanding = remote.size();
  for (auto& [domain, recipients] : remote)
    start_domain(id, entry, domain, std::move(recipients));
  const auto it = m_attempts.find(id);
  if (it == m_attempts.end()) return;
  it->second.starting = false;
  if (it->second.outstanding == 0) finish_attempt(id);
}

mail::RecipientResult DeliveryAgent::deliver_local(const mail::QueueEntry& entry,
                                                   const std::string& recipient) {
  const TimeNs now = m_server.context().sim.now();
  const std::string user = lower_ascii(local_part_of(recipient));
  mail::RecipientResult result;
  result.address = recipient;
  const std::string rcpt = bracketed(recipient);
  if (!m_server.storage().has_user(user)) {
    result.status = mail::DeliveryStatus::Failed;
    result.reply = "550 5.1.1 " + rcpt + ": Recipient address rejected: User unknown";
    return result;
  }
  // The final delivery adds Return-Path: (RFC 5321 §4.4) with the envelope's reverse path.
  const std::string bytes = mail::make_return_path_field(entry.reverse_path) + *entry.message;
  auto stored = m_server.storage().store().deliver(user, bytes, now);
  if (stored) {
    result.status = mail::DeliveryStatus::Delivered;
    result.reply = "250 2.0.0 Ok: delivered to mailbox";
    m_server.record(EventKind::MailDelivered,
                    mail::format_queue_id(entry.id) + " delivered to " + recipient + " INBOX uid=" +
                        std::to_string(stored->uid) + " size=" + std::to_string(bytes.size()));
    // A Message-ID this user already got: stored all the same, but marked (duplicate_mark.h).
    const std::string message_id = message_id_of(*entry.message);
    if (const auto first = m_server.storage().remember_delivery(user, message_id, stored->uid)) {
      m_server.record(EventKind::Note,
                      format_duplicate_mark(
                          entry.id, DuplicateMark{recipient, stored->uid, *first, message_id}));
    }
    return result;
  }
  switch (stored.code()) {
    case mail::StoreErrorCode::OverQuota:
      if (m_server.faults().over_quota == QuotaReply::Temporary) {
        result.status = mail::DeliveryStatus::Deferred;
        result.reply = "452 4.2.2 " + rcpt + ": Mailbox full";
      } else {
        result.status = mail::DeliveryStatus::Failed;
        result.reply = "552 5.2.2 " + rcpt + ": Mailbox full";
      }
      break;
    case mail::StoreErrorCode::TooLarge:
      result.status = mail::DeliveryStatus::Failed;
      result.reply = "552 5.3.4 " + rcpt + ": Message too big for the mailbox";
      break;
    default:
      result.status = mail::DeliveryStatus::Deferred;
      result.reply =
          "451 4.3.0 " + rcpt + ": Temporary failure storing the message: " + stored.error().what;
      break;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// One domain of an attempt: route, then the exchangers in turn

void DeliveryAgent::start_domain(mail::QueueId id, const mail::QueueEntry& entry,
                                 std::string domain, std::vector<std::string> recipients) {
  auto job = std::make_unique<DomainJob>();
  job->number = m_next_job++;
  job->id = id;
  job->domain = std::move(domain);
  job->reverse_path = entry.reverse_path;
  job->message = entry.message;
  job->pending = std::move(recipients);
  const std::uint64_t number = job->number;
  const std::string looked_up = job->domain;
  m_jobs.emplace(number, std::move(job));
  const std::weak_ptr<bool> alive = m_alive;
  m_server.router().route(looked_up, [this, alive, number](RouteResult route) {
    const auto guard = alive.lock();
    if (!guard || !*guard) return;
    on_route(number, std::move(route));
  });
}

void DeliveryAgent::on_route(std::uint64_t job_number, RouteResult route) {
  const auto it = m_jobs.find(job_number);
  if (it == m_jobs.end()) return;
  DomainJob& job = *it->second;
  switch (route.status) {
    case RouteStatus::NoMail:
      resolve_all(job, mail::DeliveryStatus::Failed,
                  "556 5.1.10 Recipient address rejected: domain " + job.domain +
                      " does not accept mail (null MX)");
      return;
    case RouteStatus::NotFound:
      resolve_all(job, mail::DeliveryStatus::Failed,
                  "550 5.4.4 Host or domain name not found: " + job.domain +
                      (route.detail.empty() ? "" : " (" + route.detail + ")"));
      return;
    case RouteStatus::TempFail:
      resolve_all(job, mail::DeliveryStatus::Deferred,
                  "451 4.4.3 Host or domain name lookup failed for " + job.domain +
                      (route.detail.empty() ? "" : " (" + route.detail + ")"));
      return;
    case RouteStatus::Ok:
      break;
  }
  std::vector<MailExchange> exchanges = std::move(route.exchanges);
  std::stable_sort(
      exchanges.begin(), exchanges.end(),
      [](const MailExchange& a, const MailExchange& b) { return a.preference < b.preference; });
  // RFC 5321 §5.1: if we are one of the exchangers, only more preferred ones may be used.
  const std::string self = lower_ascii(m_server.hostname());
  for (std::size_t i = 0; i < exchanges.size(); ++i) {
    if (lower_ascii(exchanges[i].host) != self) continue;
    const std::uint16_t own = exchanges[i].preference;
    std::erase_if(exchanges, [own](const MailExchange& x) { return x.preference >= own; });
    if (exchanges.empty()) {
      resolve_all(job, mail::DeliveryStatus::Failed,
                  "554 5.4.6 mail for " + job.domain + " loops back to myself");
      return;
    }
    break;
  }
  for (const MailExchange& exchange : exchanges) {
    for (const wire::Ipv4Addr address : exchange.addresses)
      job.targets.push_back(Target{exchange.host, address, exchange.preference});
  }
  if (job.targets.empty()) {
    resolve_all(job, mail::DeliveryStatus::Deferred,
                "451 4.4.4 No address for any mail exchanger of " + job.domain);
    return;
  }
  try_next_target(job);
}

void DeliveryAgent::try_next_target(DomainJob& job) {
  if (job.next_target >= job.targets.size()) {
    resolve_all(job, mail::DeliveryStatus::Deferred,
                job.last_reply.empty()
                    ? "451 4.4.1 No mail exchanger of " + job.domain + " answered"
                    : job.last_reply);
    return;
  }
  const Target target = job.targets[job.next_target++];
  const ServiceContext& context = m_server.context();
  m_server.record(EventKind::Note, mail::format_queue_id(job.id) + ": connecting to " +
                                       target.host + "[" + target.address.to_string() +
                                       "]:25, MX " + std::to_string(target.preference) + " of " +
                                       job.domain);

  SmtpClientConnectionOptions options;
  options.engine.helo_name = m_server.hostname();
  options.engine.starttls = m_server.options().outbound_starttls;
  options.engine.timeouts = m_server.options().client_timeouts;
  options.tls.trusted_cas = {context.ca.certificate()};
  if (!tls::check_hostname(target.host)) options.tls.server_name = target.host;
  // Opportunistic TLS between servers (RFC 3207, RFC 7435): a bad certificate is noted, not fatal.
  options.tls.verify_mode = tls::TlsVerifyMode::Report;

  const std::weak_ptr<bool> alive = m_alive;
  const std::uint64_t number = job.number;
  options.on_message = [this, alive, number, target](const SmtpClientReport& report) {
    const auto guard = alive.lock();
    if (!guard || !*guard) return;
    settle_accepted(number, target, report);
  };

  smtp::OutgoingMessage message;
  message.reverse_path = job.reverse_path;
  message.recipients = job.pending;
  message.content = *job.message;

  job.connection = SmtpClientConnection::start(
      context, m_server.host(), target.address, kSmtpPort, std::move(options), {message},
      [this, alive, number, target](const SmtpClientReport& report) {
        const auto guard = alive.lock();
        if (!guard || !*guard) return;
        on_report(number, target, report);
      });
}

void DeliveryAgent::settle_accepted(std::uint64_t job_number, const Target& target,
                                    const SmtpClientReport& report) {
  const auto it = m_jobs.find(job_number);
  if (it == m_jobs.end() || report.messages.empty()) return;
  const DomainJob& job = *it->second;
  const smtp::MessageResult& message = report.messages.back();
  if (message.status != smtp::MessageStatus::Delivered) return;
  const TimeNs now = m_server.context().sim.now();
  for (const std::string& recipient : job.pending) {
    const smtp::RecipientResult* answer = report.recipient(bracketed(recipient));
    if (answer == nullptr || answer->status != smtp::RecipientStatus::Accepted) continue;
    m_server.storage().queue().record_delivered(
        job.id, now,
        mail::RecipientResult{recipient, mail::DeliveryStatus::Delivered, reply_line(message.reply),
                              target.host});
  }
}

void DeliveryAgent::on_report(std::uint64_t job_number, const Target& target,
                              const SmtpClientReport& report) {
  const auto it = m_jobs.find(job_number);
  if (it == m_jobs.end()) return;
  DomainJob& job = *it->second;
  Attempt& attempt = m_attempts[job.id];
  const smtp::MessageResult* message = report.messages.empty() ? nullptr : &report.messages.front();
  const std::string where = target.host + "[" + target.address.to_string() + "]";
  std::string tls_text;
  if (report.tls && !report.tls->version.empty()) tls_text = " with " + report.tls->version;

  std::vector<std::string> still_pending;
  for (const std::string& recipient : job.pending) {
    const smtp::RecipientResult* answer = report.recipient(bracketed(recipient));
    smtp::RecipientStatus status = smtp::RecipientStatus::TemporaryFailure;
    std::string reply;
    if (answer != nullptr) {
      status = answer->status;
      reply = reply_line(answer->reply);
      // Accepted at RCPT but the message as a whole failed (DATA refused, lost connection).
      if (status == smtp::RecipientStatus::Accepted && message != nullptr &&
          message->status != smtp::MessageStatus::Delivered) {
        status = message->status == smtp::MessageStatus::PermanentFailure
                     ? smtp::RecipientStatus::PermanentFailure
                     : smtp::RecipientStatus::TemporaryFailure;
        reply = reply_line(message->reply);
      }
    } else if (!report.connected && !report.connection_error.empty()) {
      reply = "connect to " + where + ":25: " + report.connection_error;
    } else if (message != nullptr) {
      reply = reply_line(message->reply);
      if (message->status == smtp::MessageStatus::PermanentFailure) {
        status = smtp::RecipientStatus::PermanentFailure;
      }
    } else {
      reply = "lost connection with " + where;
    }
    if (report.finished.duplicate_risk && status != smtp::RecipientStatus::Accepted) {
      reply += " (after the final dot: RFC 1047 duplicate window)";
    }
    switch (status) {
      case smtp::RecipientStatus::Accepted:
        attempt.results.push_back(
            mail::RecipientResult{recipient, mail::DeliveryStatus::Delivered, reply, target.host});
        // The next server answered 250: settled now, whatever happens before the attempt ends.
        m_server.storage().queue().record_delivered(job.id, m_server.context().sim.now(),
                                                    attempt.results.back());
        m_server.record(EventKind::Note, mail::format_queue_id(job.id) +
                                             " to=" + bracketed(recipient) + " relayed to " +
                                             where + tls_text + ": " + reply);
        break;
      case smtp::RecipientStatus::PermanentFailure:
        attempt.results.push_back(
            mail::RecipientResult{recipient, mail::DeliveryStatus::Failed, reply, target.host});
        break;
      case smtp::RecipientStatus::TemporaryFailure:
        job.last_reply = reply;
        job.last_mta = report.connected ? target.host : std::string{};
        still_pending.push_back(recipient);
        break;
    }
  }
  job.pending = std::move(still_pending);
  if (job.pending.empty()) {
    finish_domain(job_number);
    return;
  }
  try_next_target(job);
}

void DeliveryAgent::resolve_all(DomainJob& job, mail::DeliveryStatus status,
                                const std::string& reply) {
  Attempt& attempt = m_attempts[job.id];
  const std::string mta = status == mail::DeliveryStatus::Deferred ? job.last_mta : std::string{};
  for (const std::string& recipient : job.pending)
    attempt.results.push_back(mail::RecipientResult{recipient, status, reply, mta});
  job.pending.clear();
  finish_domain(job.number);
}

void DeliveryAgent::finish_domain(std::uint64_t job_number) {
  const auto it = m_jobs.find(job_number);
  if (it == m_jobs.end()) return;
  const mail::QueueId id = it->second->id;
  // The job's connection may be the one reporting right now; it holds itself until it returns.
  m_jobs.erase(it);
  const auto attempt = m_attempts.find(id);
  if (attempt == m_attempts.end()) return;
  if (attempt->second.outstanding > 0) --attempt->second.outstanding;
  if (attempt->second.outstanding == 0 && !attempt->second.starting) finish_attempt(id);
}

void DeliveryAgent::finish_attempt(mail::QueueId id) {
  const auto it = m_attempts.find(id);
  if (it == m_attempts.end()) return;
  const std::vector<mail::RecipientResult> results = std::move(it->second.results);
  m_attempts.erase(it);
  const TimeNs now = m_server.context().sim.now();
  auto summary = m_server.storage().queue().record_attempt(id, now, results);
  if (!summary) return;
  const std::string queue_id = mail::format_queue_id(id);
  for (const mail::RecipientResult& r : results) {
    const std::string head = queue_id + " to=" + bracketed(r.address);
    switch (r.status) {
      case mail::DeliveryStatus::Delivered:
        break;  // recorded where it happened (MailDelivered, or the relay note)
      case mail::DeliveryStatus::Failed:
        m_server.record(EventKind::MailBounced, head + " bounced: " + r.reply);
        break;
      case mail::DeliveryStatus::Deferred:
        if (summary->finished) {
          m_server.record(EventKind::MailBounced,
                          head + " bounced: " + r.reply + " (gave up: retry limit reached)");
        } else {
          m_server.record(EventKind::MailDeferred,
                          head + " deferred: " + r.reply + " (next attempt in " +
                              format_duration(summary->next_attempt - now) + ")");
        }
        break;
    }
  }
  if (summary->bounce) send_bounce(*summary->bounce, "delivery failed");
  rearm();
}

void DeliveryAgent::send_bounce(const mail::BounceRequest& request, std::string_view why) {
  const ServiceContext& context = m_server.context();
  const TimeNs now = context.sim.now();
  MailServerStorage& storage = m_server.storage();
  mail::BounceContext bounce;
  bounce.reporting_mta = m_server.hostname();
  bounce.clock = context.clock;
  bounce.now = now;
  bounce.message_id =
      mail::make_message_id(context.unix_seconds(), storage.next_serial(), m_server.hostname());
  bounce.boundary = mail::make_boundary(m_rng);
  const std::string bytes = mail::build_bounce(request, bounce);
  const std::string recipients[] = {request.reverse_path};
  // RFC 5321 §4.5.5: a bounce has the null reverse path, so it is never bounced itself.
  auto queued = storage.enqueue("", recipients, bytes, now);
  if (!queued) {
    m_server.record(EventKind::Note, "bounce for " + mail::format_queue_id(request.id) +
                                         " could not be queued: " + queued.error().to_string());
    return;
  }
  m_server.record(EventKind::MailQueued, "queued " + mail::format_queue_id(*queued) +
                                             " from=<> to=<" + request.reverse_path +
                                             "> size=" + std::to_string(bytes.size()) +
                                             " (bounce of " + mail::format_queue_id(request.id) +
                                             ": " + std::string(why) + ")");
  kick();
}

}  // namespace mailscope::services
