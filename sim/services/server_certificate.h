#pragma once
// The certificate of a mail server host. Every service of one host (SMTP, IMAP, POP3) presents
// the same certificate, issued once from the scenario CA for the host's name and kept in the
// host's MailServerStorage, so that it survives crashes and restarts like the mailboxes do.

#include <optional>
#include <string_view>

#include "core/result.h"
#include "services/mail_server_storage.h"
#include "services/service_context.h"

namespace mailscope::services {

// Issues the certificate for `hostname` into storage.credentials() unless one is there already
// (then the first service's certificate is kept, whatever name it carries).
std::optional<Error> ensure_server_certificate(const ServiceContext& context,
                                               MailServerStorage& storage,
                                               std::string_view hostname);

}  // namespace mailscope::services
