#pragma once
// What the server knows about a session and about the mail transaction inside it. They are two
// objects because their lives differ: RSET, EHLO and the end of a message drop the transaction
// and keep the session; STARTTLS drops both (RFC 3207 §4.2).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/smtp/address.h"

namespace mailscope::smtp {

enum class Greeting { None, Helo, Ehlo };
enum class BodyType { Unspecified, SevenBit, EightBitMime };  // RFC 6152 BODY= parameter
std::string_view to_string(BodyType body);

struct SessionInfo {
  Greeting greeting = Greeting::None;
  std::string helo_name;           // the HELO/EHLO argument; empty before it
  bool tls_active = false;         // STARTTLS completed, or implicit TLS (port 465)
  std::string authenticated_user;  // empty until AUTH succeeded
  bool operator==(const SessionInfo&) const = default;
};

struct Transaction {
  Path reverse_path;                // from MAIL FROM; may be the null path <>
  std::vector<Path> forward_paths;  // recipients the server accepted, in order
  std::size_t recipients_refused = 0;
  BodyType body = BodyType::Unspecified;
  std::optional<std::uint64_t> declared_size;  // the SIZE= parameter (RFC 1870)
  bool operator==(const Transaction&) const = default;
};

struct Envelope {
  SessionInfo session;
  Transaction transaction;
  bool operator==(const Envelope&) const = default;
};

}  // namespace mailscope::smtp
