#include "services/mailbox_login.h"

#include <algorithm>

#include "services/mail_router.h"

namespace mailscope::services {

std::optional<std::string> account_for_login(std::string_view login,
                                             std::span<const std::string> domains) {
  std::string name = lower_ascii(login);
  const std::size_t at = name.rfind('@');
  if (at != std::string::npos) {
    const std::string domain = name.substr(at + 1);
    const bool ours = domains.empty() ||
                      std::any_of(domains.begin(), domains.end(),
                                  [&](const std::string& d) { return lower_ascii(d) == domain; });
    if (!ours) return std::nullopt;
    name.resize(at);
  }
  if (name.empty()) return std::nullopt;
  return name;
}

bool check_login(const MailServerStorage& storage, std::span<const std::string> domains,
                 std::string_view login, std::string_view password) {
  const auto account = account_for_login(login, domains);
  return account && storage.check_password(*account, password);
}

}  // namespace mailscope::services
