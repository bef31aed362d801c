#pragma once
// MailServer: the mail server role of one net::Host, for one or more domains.
//
//   port 25  MTA  (smtp::ServerRole::Relay): accepts mail for its own domains (and the domains it
//                 is a backup MX for) from anyone; anything else is "554 5.7.1 Relay access
//                 denied"; an unknown local user is "550 5.1.1".
//   port 587 MSA  (Submission, RFC 6409): AUTH required, and STARTTLS before AUTH unless the
//                 scenario allows plaintext; authenticated users may send anywhere. Adds a
//                 Message-ID and a Date when the message has none.
//   port 465 SMTPS (RFC 8314): the same as 587 inside TLS from the first byte.
//
// Every accepted message goes into the durable queue before the 250 (RFC 5321 §6.1) and the
// delivery agent takes it from there: local recipients straight into their mailbox, the others
// to the next server found through the MailRouter (see delivery_agent.h).
//
// Crash and restart: the server's data lives in a MailServerStorage owned by the world; the
// listeners, sessions and delivery attempts live in a "process" that crash() destroys (and the
// host is switched off), and restart() builds again on the same storage, resuming the queue.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "net/host.h"
#include "proto/smtp/client_session.h"
#include "proto/smtp/server_config.h"
#include "services/mail_router.h"
#include "services/mail_server_storage.h"
#include "services/service_context.h"

namespace mailscope::services {

enum class QuotaReply {
  Temporary,  // 452 4.2.2 Mailbox full: the sender's MTA keeps trying
  Permanent,  // 552 5.2.2 Mailbox full: the sender gets a bounce
};

// Faults a scenario can switch on and off while the server runs (the server reads them each
// time it decides). Switching the server off is crash()/restart().
struct MailServerFaults {
  // Every new connection is answered "421 4.3.2 ... Service not available" and closed.
  bool refuse_connections = false;
  // Greylisting on port 25 (RFC 6647): the first attempt of each (client address, sender,
  // recipient) triple gets 451 4.7.1; attempts after greylist_delay_ns are accepted.
  bool greylisting = false;
  TimeNs greylist_delay_ns = 5 * kMinute;
  // What a recipient whose mailbox is over its quota (MailStore::set_quota) gets at RCPT.
  QuotaReply over_quota = QuotaReply::Temporary;
};

struct MailServerOptions {
  std::string hostname = "mail.example.com";  // greeting, certificate, Received:, bounces
  std::vector<std::string> domains;           // mail for these is stored here
  std::vector<std::string> relay_domains;     // accepted on port 25 and passed on (backup MX)
  std::uint16_t mta_port = 25;                // 0: no MTA listener
  std::uint16_t submission_port = 587;        // 0: no MSA listener
  std::uint16_t smtps_port = 465;             // 0: no SMTPS listener
  bool tls = true;                            // a certificate from the scenario CA; STARTTLS
  bool allow_plaintext_auth = false;          // the "why TLS matters" lesson
  bool open_relay = false;  // port 25 relays for anyone (a misconfiguration to learn from)
  std::uint64_t size_limit_bytes = 10'240'000;
  smtp::SmtpServerTimeouts server_timeouts;
  smtp::SmtpClientTimeouts client_timeouts;  // when relaying to the next server
  smtp::StartTlsPolicy outbound_starttls = smtp::StartTlsPolicy::Opportunistic;
  std::size_t connections_max = 1000;  // sessions at once; more are reset
  std::size_t deliveries_max = 20;     // queue entries being delivered at once
  MailServerFaults faults;             // the initial faults
};

class DeliveryAgent;

class MailServer {
 public:
  // Issues the certificate (once per storage), opens the listeners and starts the queue.
  static Result<std::unique_ptr<MailServer>> create(const ServiceContext& context, net::Host& host,
                                                    MailServerStorage& storage, MailRouter& router,
                                                    MailServerOptions options);
  ~MailServer();
  MailServer(const MailServer&) = delete;
  MailServer& operator=(const MailServer&) = delete;

  // The server process dies: the host switches off, sessions and delivery attempts vanish.
  // What was stored or queued stays in the storage.
  void crash();
  // The host switches on and a new process starts on the same storage; attempts that were in
  // flight are due again at once.
  void restart();
  bool running() const { return m_process != nullptr; }
  std::uint32_t restarts() const { return m_restarts; }

  MailServerFaults& faults() { return m_options.faults; }
  const MailServerOptions& options() const { return m_options; }
  // Changes how many sessions may be open at once; sessions already open stay.
  void set_connections_max(std::size_t sessions_max) { m_options.connections_max = sessions_max; }
  const ServiceContext& context() const { return m_context; }
  net::Host& host() { return m_host; }
  MailServerStorage& storage() { return m_storage; }
  MailRouter& router() { return m_router; }
  const std::string& hostname() const { return m_options.hostname; }

  bool is_local_domain(std::string_view domain) const;
  bool is_relay_domain(std::string_view domain) const;
  // The first local domain (for <postmaster> without a domain), or the hostname.
  std::string primary_domain() const;
  // Tells the delivery agent to look at the queue now (no-op while crashed).
  void kick();
  // Records a mail-handling event (MailQueued, MailDelivered, notes, ...) on this host.
  EventId record(EventKind kind, std::string_view text, EventId parent = kNoEvent);
  // Number of live SMTP sessions (for tests).
  std::size_t session_count() const;

 private:
  struct Process;

  MailServer(const ServiceContext& context, net::Host& host, MailServerStorage& storage,
             MailRouter& router, MailServerOptions options);
  std::optional<Error> start_process();

  const ServiceContext& m_context;
  net::Host& m_host;
  MailServerStorage& m_storage;
  MailRouter& m_router;
  MailServerOptions m_options;         // domains in lower case
  std::unique_ptr<Process> m_process;  // null while crashed
  std::uint32_t m_restarts = 0;
};

}  // namespace mailscope::services
