#include "wire/dissect_format.h"

#include <cstdio>

namespace mailscope::wire::format {
namespace {

constexpr std::string_view kEllipsis = "…";

bool is_printable(std::uint8_t byte) {
  return byte >= 0x20 && byte < 0x7f;
}

}  // namespace

std::string hex(std::uint32_t value, int digits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%0*x", digits, value);
  return buf;
}

std::string hex_and_decimal(std::uint32_t value, int digits) {
  return hex(value, digits) + " (" + std::to_string(value) + ")";
}

std::string decimal_and_hex(std::uint32_t value, int digits) {
  return std::to_string(value) + " (" + hex(value, digits) + ")";
}

std::string mac(const MacAddr& address) {
  return address.is_broadcast() ? address.to_string() + " (broadcast)" : address.to_string();
}

std::string_view ethertype_name(std::uint16_t ethertype) {
  switch (ethertype) {
    case 0x0800:
      return "IPv4";
    case 0x0806:
      return "ARP";
    case 0x86dd:
      return "IPv6";
    default:
      return {};
  }
}

std::string_view ip_protocol_name(std::uint8_t protocol) {
  switch (protocol) {
    case 1:
      return "ICMP";
    case 6:
      return "TCP";
    case 17:
      return "UDP";
    default:
      return {};
  }
}

std::string ip_protocol_label(std::uint8_t protocol) {
  const auto name = ip_protocol_name(protocol);
  return name.empty() ? std::to_string(protocol) : std::string(name);
}

std::string_view icmp_code_name(std::uint8_t type, std::uint8_t code) {
  if (type == 3) {
    switch (code) {
      case 0:
        return "Network unreachable";
      case 1:
        return "Host unreachable";
      case 2:
        return "Protocol unreachable";
      case 3:
        return "Port unreachable";
      case 4:
        return "Fragmentation needed";
      case 13:
        return "Communication administratively filtered";
      default:
        return {};
    }
  }
  if (type == 11) {
    switch (code) {
      case 0:
        return "Time to live exceeded in transit";
      case 1:
        return "Fragment reassembly time exceeded";
      default:
        return {};
    }
  }
  return {};
}

std::string icmp_description(std::uint8_t type, std::uint8_t code) {
  switch (type) {
    case 0:
      return "Echo (ping) reply";
    case 8:
      return "Echo (ping) request";
    case 3: {
      const auto name = icmp_code_name(type, code);
      return "Destination unreachable (" +
             (name.empty() ? "code " + std::to_string(code) : std::string(name)) + ")";
    }
    case 11:
      // The common case reads as tshark prints it; the rarer one names its code.
      if (code == 0) return "Time-to-live exceeded";
      if (code == 1) return "Time-to-live exceeded (Fragment reassembly time exceeded)";
      return "Time-to-live exceeded (code " + std::to_string(code) + ")";
    default:
      return "type=" + std::to_string(type) + " code=" + std::to_string(code);
  }
}

bool looks_like_text(ByteView bytes) {
  for (std::uint8_t byte : bytes) {
    // Bytes above 0x7f pass: 8BITMIME and UTF-8 mail bodies are still text.
    if (byte < 0x20 && byte != '\t' && byte != '\r' && byte != '\n') return false;
    if (byte == 0x7f) return false;
  }
  return !bytes.empty();
}

std::string escape_text(ByteView bytes, std::size_t max_chars) {
  std::string out;
  for (std::uint8_t byte : bytes) {
    if (out.size() >= max_chars) {
      out += kEllipsis;
      break;
    }
    switch (byte) {
      case '\r':
        out += "\\r";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += is_printable(byte) ? static_cast<char>(byte) : '.';
    }
  }
  return out;
}

std::string hex_bytes(ByteView bytes, std::size_t max_bytes) {
  std::string out;
  char buf[4];
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == max_bytes) {
      out += " ";
      out += kEllipsis;
      break;
    }
    std::snprintf(buf, sizeof buf, i == 0 ? "%02x" : " %02x", bytes[i]);
    out += buf;
  }
  return out;
}

std::string payload_preview(ByteView bytes) {
  if (!looks_like_text(bytes)) return hex_bytes(bytes, kPreviewHexBytes);
  std::size_t end = 0;
  while (end < bytes.size() && bytes[end] != '\r' && bytes[end] != '\n')
    ++end;
  return escape_text(bytes.first(end), kPreviewChars);
}

}  // namespace mailscope::wire::format
