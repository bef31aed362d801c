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

}  // namespace

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
