#pragma once
// What the mail user agent's two ways of fetching mail (imap_fetch.h, pop3_fetch.h) share: how
// the client secures its connection, what it does with mail it has downloaded, and what it
// reports at the end.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tls/tls_info.h"
#include "wire/address.h"

namespace mailscope::services {

enum class FetchProtocol { Imap, Pop3 };
enum class ConnectionSecurity {
  None,      // clear text all along (a lesson, never a default)
  StartTls,  // clear text first, upgraded with STARTTLS/STLS before the password; required
  Implicit,  // TLS from the first byte (993, 995, 465)
};
enum class FetchMode {
  Keep,    // the mail stays on the server (IMAP: marked \Seen)
  Delete,  // POP3 DELE; IMAP \Deleted and EXPUNGE
};
std::string_view to_string(FetchProtocol protocol);       // "IMAP", "POP3"
std::string_view to_string(ConnectionSecurity security);  // "plaintext", "STARTTLS", "TLS"
std::string_view to_string(FetchMode mode);               // "keep", "delete"

// Where and how one fetch connects, and as whom.
struct FetchTarget {
  std::string server_name;  // checked against the server's certificate
  wire::Ipv4Addr server_address;
  std::uint16_t port = 0;
  ConnectionSecurity security = ConnectionSecurity::Implicit;
  FetchMode mode = FetchMode::Keep;
  std::string user;  // the login name (the whole address)
  std::string password;
};

// The outcome of one fetch session.
struct FetchReport {
  bool ok = false;                    // the session ran to its end (LOGOUT / QUIT answered)
  std::vector<std::string> messages;  // raw messages new to the client, in the order fetched
  std::size_t deleted = 0;            // messages the server removed at the client's request
  std::string detail;                 // what went wrong, or a summary
  std::optional<tls::TlsInfo> tls;    // when TLS was started
};

// Why a session ended early, in the words a mail program would use: a refused certificate or a
// failed TLS handshake first (the TCP close that follows is only its consequence), then a TCP
// failure ("connection refused"), else the engine's outcome and reason.
std::string fetch_failure(const std::string& outcome, const std::string& reason,
                          const std::string& connection_error, const tls::TlsInfo* tls);

}  // namespace mailscope::services
