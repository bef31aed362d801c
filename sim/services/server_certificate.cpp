#include "services/server_certificate.h"

namespace mailscope::services {

std::optional<Error> ensure_server_certificate(const ServiceContext& context,
                                               MailServerStorage& storage,
                                               std::string_view hostname) {
  if (storage.credentials()) return std::nullopt;
  auto credentials = context.ca.issue(hostname, server_certificate_validity(context.clock));
  if (!credentials) return credentials.error();
  storage.credentials() = std::move(credentials).value();
  return std::nullopt;
}

}  // namespace mailscope::services
