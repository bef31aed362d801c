#pragma once
// Which local account a login name names, for the IMAP and POP3 servers. Users log in with
// their local part ("bob") or their whole address ("Bob@Example.com"); both are compared without
// regard to case, as MailServerStorage keeps its users in lower case.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "services/mail_server_storage.h"

namespace mailscope::services {

// The storage's user name for `login`, or nothing when the address is on a domain that is not
// one of `domains` (an empty list accepts any domain) or the local part is empty.
std::optional<std::string> account_for_login(std::string_view login,
                                             std::span<const std::string> domains);

// True when `login` names an account of `storage` whose password is `password`.
bool check_login(const MailServerStorage& storage, std::span<const std::string> domains,
                 std::string_view login, std::string_view password);

}  // namespace mailscope::services
