#include "services/mail_server_policy.h"

#include "mail/builder.h"
#include "mail/message.h"
#include "net/network.h"
#include "services/mail_server.h"
#include "services/mail_text.h"

namespace mailscope::services {
namespace {

std::string path_text(const smtp::Path& path) {
  return path.null ? std::string{} : path.mailbox.to_string();
}

}  // namespace

MailServerPolicy::MailServerPolicy(MailServer& server, const SmtpSessionContext& session,
                                   smtp::ServerRole role)
    : m_server(server), m_session(session), m_role(role) {}

smtp::SenderVerdict MailServerPolicy::check_sender(const smtp::Envelope&, const smtp::Path&) {
  return smtp::SenderVerdict::Accept;
}

std::string MailServerPolicy::local_user(const smtp::Mailbox& mailbox) const {
  if (!m_server.is_local_domain(mailbox.domain) || mailbox.quoted()) return {};
  return lower_ascii(mailbox.local_part);
}

bool MailServerPolicy::over_quota(const std::string& user, const smtp::Envelope& envelope) const {
  const auto usage = m_server.storage().store().quota(user);
  if (!usage || usage->limit_bytes == mail::kNoQuota) return false;
  const std::uint64_t incoming = envelope.transaction.declared_size.value_or(0);
  return usage->used_bytes >= usage->limit_bytes ||
         incoming > usage->limit_bytes - usage->used_bytes;
}

bool MailServerPolicy::greylisted(const smtp::Envelope& envelope, const std::string& recipient) {
  const MailServerFaults& faults = m_server.faults();
  if (!faults.greylisting || m_role != smtp::ServerRole::Relay) return false;
  const GreylistKey key{m_session.client_address.value,
                        lower_ascii(path_text(envelope.transaction.reverse_path)),
                        lower_ascii(recipient)};
  const TimeNs now = m_server.context().sim.now();
  const auto first_seen = m_server.storage().greylist_first_seen(key, now);
  if (!first_seen) return false;
  return now - *first_seen < faults.greylist_delay_ns;
}

smtp::RecipientVerdict MailServerPolicy::check_recipient(const smtp::Envelope& envelope,
                                                         const smtp::Path& forward_path) {
  using smtp::RecipientVerdict;
  // RFC 5321 §4.5.1: <Postmaster> must always be accepted.
  if (forward_path.postmaster_only) return RecipientVerdict::Accept;
  const smtp::Mailbox& mailbox = forward_path.mailbox;
  const std::string address = mailbox.to_string();
  if (m_server.is_local_domain(mailbox.domain)) {
    const std::string user = local_user(mailbox);
    if (user.empty() || !m_server.storage().has_user(user)) return RecipientVerdict::UnknownUser;
    if (over_quota(user, envelope)) {
      return m_server.faults().over_quota == QuotaReply::Temporary
                 ? RecipientVerdict::OverQuotaTemporary
                 : RecipientVerdict::OverQuotaPermanent;
    }
    return greylisted(envelope, address) ? RecipientVerdict::Greylisted : RecipientVerdict::Accept;
  }
  if (m_role != smtp::ServerRole::Relay) {
    // The engine lets only authenticated users this far on 587 and 465: they may send anywhere.
    return RecipientVerdict::Accept;
  }
  if (m_server.is_relay_domain(mailbox.domain)) {
    return greylisted(envelope, address) ? RecipientVerdict::Greylisted : RecipientVerdict::Accept;
  }
  // The misconfiguration a lesson may show: relaying for anyone, as spammers hope to find.
  if (m_server.options().open_relay) return RecipientVerdict::Accept;
  return RecipientVerdict::RelayDenied;
}

smtp::AuthVerdict MailServerPolicy::authenticate(std::string_view user, std::string_view password) {
  // Users log in with their local part or their whole address on one of our domains.
  std::string name(user);
  const std::size_t at = name.rfind('@');
  if (at != std::string::npos) {
    if (!m_server.is_local_domain(name.substr(at + 1))) return smtp::AuthVerdict::Reject;
    name.resize(at);
  }
  return m_server.storage().check_password(name, password) ? smtp::AuthVerdict::Accept
                                                           : smtp::AuthVerdict::Reject;
}

std::string MailServerPolicy::received_protocol(const smtp::Envelope& envelope) const {
  // RFC 3848: ESMTP, plus S with TLS, plus A with authentication.
  const smtp::SessionInfo& session = envelope.session;
  if (session.greeting == smtp::Greeting::Helo) return "SMTP";
  std::string protocol = "ESMTP";
  if (session.tls_active) protocol += "S";
  if (!session.authenticated_user.empty()) protocol += "A";
  return protocol;
}

smtp::SmtpReply MailServerPolicy::accept_message(const smtp::Envelope& envelope,
                                                 std::string_view data) {
  const ServiceContext& context = m_server.context();
  const TimeNs now = context.sim.now();
  MailServerStorage& storage = m_server.storage();
  mail::Message message = mail::Message::parse(std::string(data));
  if (m_role != smtp::ServerRole::Relay) {
    // RFC 6409 §8.2, §8.3: the submission server completes what the client left out.
    mail::MissingFieldValues values;
    values.date = context.clock.date_time(now);
    values.message_id =
        mail::make_message_id(context.unix_seconds(), storage.next_serial(), m_server.hostname());
    message = mail::add_missing_fields(message, values);
  }

  std::vector<std::string> recipients;
  for (const smtp::Path& path : envelope.transaction.forward_paths) {
    recipients.push_back(path.postmaster_only ? "postmaster@" + m_server.primary_domain()
                                              : path.mailbox.to_string());
  }
  const mail::QueueId id = storage.next_queue_id();
  mail::ReceivedInfo received;
  received.from_helo = envelope.session.helo_name;
  if (net::Host* client = m_server.host().network().host_with_address(m_session.client_address)) {
    received.from_host = client->name();  // what a reverse lookup would say
  }
  received.from_ip = m_session.client_address.to_string();
  received.by_host = m_server.hostname();
  received.protocol = received_protocol(envelope);
  received.id = mail::format_queue_id(id);
  if (recipients.size() == 1) received.for_recipient = recipients.front();
  received.date = context.clock.date_time(now);
  const mail::Message stamped = message.with_prepended_field(mail::make_received_field(received));

  const std::string reverse_path = path_text(envelope.transaction.reverse_path);
  auto queued = storage.enqueue(reverse_path, recipients, stamped.bytes(), now);
  if (!queued) {
    m_server.record(EventKind::Note, "queue refused a message: " + queued.error().to_string(),
                    m_session.cause);
    return smtp::make_reply(452, "4.3.1", "Insufficient system storage");
  }
  std::string to;
  for (const std::string& r : recipients)
    to += (to.empty() ? "<" : ",<") + r + ">";
  m_server.record(EventKind::MailQueued,
                  "queued " + mail::format_queue_id(*queued) + " from=<" + reverse_path +
                      "> to=" + to + " size=" + std::to_string(stamped.size()),
                  m_session.cause);
  m_server.kick();
  return smtp::make_reply(250, "2.0.0", "Ok: queued as " + mail::format_queue_id(*queued));
}

}  // namespace mailscope::services
