#pragma once
// Names for what OpenSSL's message callback reports: handshake message types (RFC 8446 section
// 4 and RFC 5246 section 7.4) and alert descriptions (RFC 8446 section 6 and RFC 5246 7.2).

#include <cstdint>
#include <string>

#include "wire/bytes.h"

namespace mailscope::tls {

// "ClientHello", "ServerHello", "HelloRetryRequest", ... for a handshake message starting with
// its 4-byte header; "Handshake(<type>)" for a type without a name; "Handshake" when empty.
// A ServerHello whose random is the RFC 8446 magic value is named "HelloRetryRequest".
std::string handshake_message_name(wire::ByteView message);

// The RFC name of an alert description: "close_notify", "bad_certificate", "unknown_ca", ...;
// "alert(<number>)" for a number without a name.
std::string alert_name(std::uint8_t description);

}  // namespace mailscope::tls
