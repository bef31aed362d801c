#pragma once
// What a TLS client or server endpoint is configured with. A client is configured per
// connection: the name it expects depends on where it connects, and the date it verifies
// against is the simulation's virtual date at that moment.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tls/certificate.h"

namespace mailscope::tls {

enum class TlsVersion {
  Tls12,  // RFC 5246
  Tls13,  // RFC 8446
};
std::string_view to_string(TlsVersion version);  // "TLSv1.2", "TLSv1.3" (as OpenSSL names them)

enum class TlsVerifyMode {
  Require,  // a certificate that does not verify aborts the handshake (what real MUAs do)
  Report,   // the handshake goes on; TlsInfo says what was wrong (opportunistic SMTP STARTTLS)
};
std::string_view to_string(TlsVerifyMode mode);  // "require", "report"

struct TlsClientConfig {
  std::vector<Certificate> trusted_cas;  // trust anchors; usually the scenario CA alone
  // Sent as SNI and checked against the certificate's subjectAltName. Empty: no SNI and no name
  // check (the chain and dates are still verified).
  std::string server_name;
  // The virtual date, in seconds since the Unix epoch, at which certificate validity is judged.
  std::int64_t verify_time_s = 0;
  TlsVerifyMode verify_mode = TlsVerifyMode::Require;
  TlsVersion min_version = TlsVersion::Tls12;
  TlsVersion max_version = TlsVersion::Tls13;
};

struct TlsServerConfig {
  Credentials credentials;
  TlsVersion min_version = TlsVersion::Tls12;
  TlsVersion max_version = TlsVersion::Tls13;
};

}  // namespace mailscope::tls
