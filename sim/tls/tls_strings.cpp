// to_string for the small enums of tls_config.h and tls_info.h.

#include "tls/tls_config.h"
#include "tls/tls_info.h"

namespace mailscope::tls {

std::string_view to_string(TlsVersion version) {
  switch (version) {
    case TlsVersion::Tls12:
      return "TLSv1.2";
    case TlsVersion::Tls13:
      return "TLSv1.3";
  }
  return "?";
}

std::string_view to_string(TlsVerifyMode mode) {
  switch (mode) {
    case TlsVerifyMode::Require:
      return "require";
    case TlsVerifyMode::Report:
      return "report";
  }
  return "?";
}

std::string_view to_string(TlsState state) {
  switch (state) {
    case TlsState::Handshaking:
      return "HANDSHAKING";
    case TlsState::Established:
      return "ESTABLISHED";
    case TlsState::Closing:
      return "CLOSING";
    case TlsState::Closed:
      return "CLOSED";
    case TlsState::Failed:
      return "FAILED";
  }
  return "?";
}

std::string_view to_string(TlsRole role) {
  return role == TlsRole::Client ? "client" : "server";
}

std::string_view to_string(TlsDirection direction) {
  return direction == TlsDirection::Sent ? "sent" : "received";
}

}  // namespace mailscope::tls
