#include "tls/handshake_names.h"

#include <algorithm>
#include <array>

namespace mailscope::tls {
namespace {

// SHA-256("HelloRetryRequest"), the random of a ServerHello that is an HRR (RFC 8446 4.1.3).
constexpr std::array<std::uint8_t, 32> kHelloRetryRandom = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

// Offset of the random in a ServerHello: 4-byte header, then 2-byte legacy_version.
constexpr std::size_t kServerHelloRandomOffset = 6;

const char* type_name(std::uint8_t type) {
  switch (type) {
    case 0:
      return "HelloRequest";
    case 1:
      return "ClientHello";
    case 2:
      return "ServerHello";
    case 4:
      return "NewSessionTicket";
    case 5:
      return "EndOfEarlyData";
    case 8:
      return "EncryptedExtensions";
    case 11:
      return "Certificate";
    case 12:
      return "ServerKeyExchange";
    case 13:
      return "CertificateRequest";
    case 14:
      return "ServerHelloDone";
    case 15:
      return "CertificateVerify";
    case 16:
      return "ClientKeyExchange";
    case 20:
      return "Finished";
    case 22:
      return "CertificateStatus";
    case 24:
      return "KeyUpdate";
    case 254:
      return "MessageHash";
    default:
      return nullptr;
  }
}

const char* alert_description_name(std::uint8_t description) {
  switch (description) {
    case 0:
      return "close_notify";
    case 10:
      return "unexpected_message";
    case 20:
      return "bad_record_mac";
    case 21:
      return "decryption_failed";
    case 22:
      return "record_overflow";
    case 30:
      return "decompression_failure";
    case 40:
      return "handshake_failure";
    case 41:
      return "no_certificate";
    case 42:
      return "bad_certificate";
    case 43:
      return "unsupported_certificate";
    case 44:
      return "certificate_revoked";
    case 45:
      return "certificate_expired";
    case 46:
      return "certificate_unknown";
    case 47:
      return "illegal_parameter";
    case 48:
      return "unknown_ca";
    case 49:
      return "access_denied";
    case 50:
      return "decode_error";
    case 51:
      return "decrypt_error";
    case 70:
      return "protocol_version";
    case 71:
      return "insufficient_security";
    case 80:
      return "internal_error";
    case 86:
      return "inappropriate_fallback";
    case 90:
      return "user_canceled";
    case 100:
      return "no_renegotiation";
    case 109:
      return "missing_extension";
    case 110:
      return "unsupported_extension";
    case 112:
      return "unrecognized_name";
    case 113:
      return "bad_certificate_status_response";
    case 115:
      return "unknown_psk_identity";
    case 116:
      return "certificate_required";
    case 120:
      return "no_application_protocol";
    default:
      return nullptr;
  }
}

}  // namespace

std::string alert_name(std::uint8_t description) {
  if (const char* name = alert_description_name(description)) return name;
  return "alert(" + std::to_string(description) + ")";
}

std::string handshake_message_name(wire::ByteView message) {
  if (message.empty()) return "Handshake";
  const std::uint8_t type = message[0];
  if (type == 2 && message.size() >= kServerHelloRandomOffset + kHelloRetryRandom.size() &&
      std::equal(kHelloRetryRandom.begin(), kHelloRetryRandom.end(),
                 message.begin() + kServerHelloRandomOffset)) {
    return "HelloRetryRequest";
  }
  if (const char* name = type_name(type)) return name;
  return "Handshake(" + std::to_string(type) + ")";
}

}  // namespace mailscope::tls
