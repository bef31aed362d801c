#pragma once
// Text forms shared by the dissector's fields and summaries: numbers as Wireshark shows them,
// names of wire numbers, and previews of payload bytes. Internal to sim/wire.

#include <cstdint>
#include <string>
#include <string_view>

#include "wire/address.h"
#include "wire/bytes.h"

namespace mailscope::wire::format {

// Limits that keep one field's text short whatever the payload size.
constexpr std::size_t kPreviewChars = 60;  // first line of text shown in a summary value
constexpr std::size_t kLineChars = 200;    // one text line shown as a field
constexpr std::size_t kPreviewHexBytes = 16;
constexpr std::size_t kDataHexBytes = 32;
constexpr std::size_t kLinesMax = 32;  // text lines listed under a "Data" field

std::string hex(std::uint32_t value, int digits);              // hex(0x800, 4) == "0x0800"
std::string hex_and_decimal(std::uint32_t value, int digits);  // "0x1c46 (7238)"
std::string decimal_and_hex(std::uint32_t value, int digits);  // "7238 (0x1c46)"
std::string mac(const MacAddr& address);                       // "ff:ff:ff:ff:ff:ff (broadcast)"

// Names of wire numbers; empty when unknown.
std::string_view ethertype_name(std::uint16_t ethertype);  // "IPv4", "ARP", "IPv6"
std::string_view ip_protocol_name(std::uint8_t protocol);  // "ICMP", "TCP", "UDP"
// "TCP", or the number when the protocol has no name.
std::string ip_protocol_label(std::uint8_t protocol);
// "Echo (ping) request", "Destination unreachable (Port unreachable)", "Time-to-live exceeded";
// "type=13 code=0" for types we do not name.
std::string icmp_description(std::uint8_t type, std::uint8_t code);
// The name of a code: "Port unreachable", "Time to live exceeded in transit"; empty if unknown.
std::string_view icmp_code_name(std::uint8_t type, std::uint8_t code);

// True when the bytes read as lines of text: no control bytes but tab, CR and LF.
bool looks_like_text(ByteView bytes);
// Printable ASCII as is, CR/LF/tab as "\r" "\n" "\t", anything else as '.'; cut at max_chars
// with "…".
std::string escape_text(ByteView bytes, std::size_t max_chars);
// "48 65 6c 6c 6f" style, cut at max_bytes with " …".
std::string hex_bytes(ByteView bytes, std::size_t max_bytes);
// The first line without its end when the bytes are text, else the leading bytes in hex.
std::string payload_preview(ByteView bytes);

}  // namespace mailscope::wire::format
