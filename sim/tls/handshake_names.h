#pragma once
// Names for what OpenSSL's message callback reports: handshake message types (RFC 8446 section
// 4 and RFC 5246 section 7.4) and record content types.

#include <cstdint>
#include <string>

#include "wire/bytes.h"

namespace mailscope::tls {

// "ClientHello", "ServerHello", "HelloRetryRequest", ... for a handshake message starting with
// its 4-byte header; "Handshake(<type>)" for a type without a name; "Handshake" when empty.
// A ServerHello whose random is the RFC 8446 magic value is named "HelloRetryRequest".
std::string handshake_message_name(wire::ByteView message);

}  // namespace mailscope::tls
