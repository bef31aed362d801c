#pragma once
// DeliveryAgent: the part of a MailServer that empties its queue (what Postfix splits into the
// queue manager, local and smtp).
//
// One timer, set to the queue's next wake-up. On waking it gives up on entries that have waited
// too long (bounce), then starts an attempt for each due entry, at most deliveries_max at once.
// An attempt covers every pending recipient of the entry:
//  - a recipient in one of our domains goes straight into the mailbox, with Return-Path:
//    (no DNS, no second server) — MailDelivered;
//  - the others are grouped by domain; for each domain the MailRouter gives the exchangers,
//    tried in preference order (RFC 5321 §5.1; if this server is one of them, it and every less
//    preferred one are dropped), each address in turn. A connection failure or a 4xx moves the
//    recipients that are still pending to the next exchanger; 2xx and 5xx are final.
// A recipient delivered (stored locally, or 2xx from the next server) is recorded in the queue
// at once, so that a crash before the attempt ends cannot send it a second copy. When every
// domain has answered, the whole attempt is recorded in the queue: delivered, deferred
// (MailDeferred, next attempt per the retry schedule) or failed / expired (MailBounced, and a DSN
// goes back to the sender through the queue like any other message). A connection lost after the
// final dot leaves the recipients pending: the RFC 1047 window, noted in the trace.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.h"
#include "mail/mail_queue.h"
#include "services/mail_router.h"
#include "services/smtp_client_connection.h"

namespace mailscope::services {

class MailServer;

class DeliveryAgent {
 public:
  explicit DeliveryAgent(MailServer& server);
  ~DeliveryAgent();
  DeliveryAgent(const DeliveryAgent&) = delete;
  DeliveryAgent& operator=(const DeliveryAgent&) = delete;

  // Looks at the queue at the current time (from a fresh simulator event, never re-entrantly).
  void kick();
  std::size_t attempts_in_flight() const { return m_attempts.size(); }
  // The server is crashing: every delivery session waiting for the reply to its final dot notes
  // the RFC 1047 window (the attempt dies unrecorded and is made again after the restart).
  void note_crash();

 private:
  struct Target {
    std::string host;
    wire::Ipv4Addr address;
    std::uint16_t preference = 0;
  };
  struct DomainJob {
    std::uint64_t number = 0;
    mail::QueueId id = 0;
    std::string domain;
    std::string reverse_path;
    std::shared_ptr<const std::string> message;
    std::vector<std::string> pending;  // recipients without a final answer yet
    std::vector<Target> targets;       // in the order to try
    std::size_t next_target = 0;
    std::string last_reply;  // the most recent temporary answer or local reason
    std::string last_mta;    // who gave it
    std::shared_ptr<SmtpClientConnection> connection;
  };
  struct Attempt {
    std::vector<mail::RecipientResult> results;
    std::size_t outstanding = 0;  // domain jobs still running
    bool starting = true;         // jobs are still being created: do not finish yet
  };

  void schedule_wake(TimeNs when);
  void wake();
  void rearm();
  void start_attempt(mail::QueueId id);
  mail::RecipientResult deliver_local(const mail::QueueEntry& entry, const std::string& recipient);
  void start_domain(mail::QueueId id, const mail::QueueEntry& entry, std::string domain,
                    std::vector<std::string> recipients);
  void on_route(std::uint64_t job_number, RouteResult route);
  void try_next_target(DomainJob& job);
  // The next server answered the final dot: records the recipients it took in the queue at
  // once, before the session ends (a crash before QUIT's reply must not send them again).
  void settle_accepted(std::uint64_t job_number, const Target& target,
                       const SmtpClientReport& report);
  void on_report(std::uint64_t job_number, const Target& target, const SmtpClientReport& report);
  void resolve_all(DomainJob& job, mail::DeliveryStatus status, const std::string& reply);
  void finish_domain(std::uint64_t job_number);
  void finish_attempt(mail::QueueId id);
  void send_bounce(const mail::BounceRequest& request, std::string_view why);

  MailServer& m_server;
  Rng m_rng;  // MIME boundaries of bounces
  TimerId m_timer;
  TimeNs m_timer_at = kTimeNever;  // when m_timer fires; kTimeNever when none is pending
  std::map<mail::QueueId, Attempt> m_attempts;
  std::map<std::uint64_t, std::unique_ptr<DomainJob>> m_jobs;  // by number
  std::uint64_t m_next_job = 1;
  // Shared with router callbacks, which may answer after this agent is gone (a crash).
  std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

}  // namespace mailscope::services
