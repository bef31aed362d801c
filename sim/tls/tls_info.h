#pragma once
// What one TLS endpoint has observed: its state, the negotiated parameters, the peer's
// certificate and the verdict on it. Plain values, so the trace and views can copy them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tls/certificate.h"

namespace mailscope::tls {

enum class TlsState {
  Handshaking,  // before the Finished messages; application data waits
  Established,  // application data flows both ways
  Closing,      // we sent close_notify and wait for the peer's; reading still works
  Closed,       // close_notify went both ways (or the endpoint was closed before a handshake)
  Failed,       // a fatal error or alert; TlsInfo::failure says why
};
std::string_view to_string(TlsState state);  // "HANDSHAKING", "ESTABLISHED", ...

enum class TlsRole { Client, Server };
std::string_view to_string(TlsRole role);  // "client", "server"

enum class TlsDirection {
  Sent,      // written by this endpoint (it is in take_outgoing() or already was)
  Received,  // parsed from bytes given to feed()
};
std::string_view to_string(TlsDirection direction);  // "sent", "received"

// An alert (RFC 8446 section 6) as it crossed the wire.
struct TlsAlert {
  bool fatal = false;            // level 2; close_notify is a warning-level alert
  std::uint8_t description = 0;  // RFC number: 0 close_notify, 42 bad_certificate, ...
  std::string name;              // "close notify", "certificate expired", ...
};

// The verdict on the peer's certificate. Only a client checks certificates.
struct TlsVerification {
  bool checked = false;               // a certificate arrived and was verified
  long code = 0;                      // X509_V_OK (0) or the first X509_V_ERR_* found
  std::string message;                // "ok", "certificate has expired", "hostname mismatch", ...
  std::vector<std::string> problems;  // every problem found, first first (Report mode finds all)

  bool ok() const { return checked && code == 0; }
};

struct TlsInfo {
  TlsRole role = TlsRole::Client;
  std::string version;            // "TLSv1.3"; empty until established
  std::string cipher;             // "TLS_AES_256_GCM_SHA384"
  std::string group;              // key exchange group, "x25519"
  std::string server_name;        // SNI sent (client) or received (server); empty if none
  std::string client_random_hex;  // 64 hex digits, the key log's second column
  std::optional<CertificateSummary> peer_certificate;  // client side, once it arrived
  TlsVerification verification;
  std::string failure;  // why the endpoint Failed; empty otherwise
  bool close_notify_sent = false;
  bool close_notify_received = false;
};

}  // namespace mailscope::tls
