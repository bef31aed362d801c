#pragma once
// MailServerPolicy: the SmtpServerPolicy of one SMTP session on a MailServer — who may relay,
// which users exist, passwords, quotas, greylisting, and taking a message into the queue.

#include "proto/smtp/server_config.h"
#include "services/smtp_server_connection.h"

namespace mailscope::services {

class MailServer;

class MailServerPolicy : public smtp::SmtpServerPolicy {
 public:
  // `session` belongs to the connection, which outlives this policy.
  MailServerPolicy(MailServer& server, const SmtpSessionContext& session, smtp::ServerRole role);

  smtp::SenderVerdict check_sender(const smtp::Envelope& envelope,
                                   const smtp::Path& reverse_path) override;
  smtp::RecipientVerdict check_recipient(const smtp::Envelope& envelope,
                                         const smtp::Path& forward_path) override;
  smtp::AuthVerdict authenticate(std::string_view user, std::string_view password) override;
  smtp::SmtpReply accept_message(const smtp::Envelope& envelope, std::string_view data) override;

 private:
  // The local user an address names on this server, or empty.
  std::string local_user(const smtp::Mailbox& mailbox) const;
  bool over_quota(const std::string& user, const smtp::Envelope& envelope) const;
  bool greylisted(const smtp::Envelope& envelope, const std::string& recipient);
  std::string received_protocol(const smtp::Envelope& envelope) const;

  MailServer& m_server;
  const SmtpSessionContext& m_session;
  smtp::ServerRole m_role;
};

}  // namespace mailscope::services
