#include "services/fetch_common.h"

namespace mailscope::services {

std::string_view to_string(FetchProtocol protocol) {
  return protocol == FetchProtocol::Imap ? "IMAP" : "POP3";
}

std::string_view to_string(ConnectionSecurity security) {
  switch (security) {
    case ConnectionSecurity::None:
      return "plaintext";
    case ConnectionSecurity::StartTls:
      return "STARTTLS";
    case ConnectionSecurity::Implicit:
      return "TLS";
  }
  return "?";
}

std::string_view to_string(FetchMode mode) {
  return mode == FetchMode::Keep ? "keep" : "delete";
}

std::string fetch_failure(const std::string& outcome, const std::string& reason,
                          const std::string& connection_error, const tls::TlsInfo* tls) {
  if (tls != nullptr && tls->verification.checked && !tls->verification.ok()) {
    return "the server's certificate was refused: " + tls->verification.message;
  }
  if (tls != nullptr && !tls->failure.empty()) return "TLS failed: " + tls->failure;
  if (!connection_error.empty()) return connection_error;
  return outcome + ": " + reason;
}

}  // namespace mailscope::services
