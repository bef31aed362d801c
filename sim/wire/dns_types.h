#pragma once
// The numbers in a DNS header and resource record (RFC 1035 §3.2, §4.1.1) as enums. Each enum
// has the width of its wire field, so a value without a name (a type from a newer RFC, say) is
// kept as it came and printed in the RFC 3597 form ("TYPE65280").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mailscope::wire {

enum class DnsType : std::uint16_t {
  A = 1,
  NS = 2,
  CNAME = 5,
  SOA = 6,
  PTR = 12,
  MX = 15,
  TXT = 16,
  AAAA = 28,
  OPT = 41,  // EDNS(0) pseudo-record (RFC 6891)
  ANY = 255,
};

enum class DnsClass : std::uint16_t { IN = 1, CH = 3, HS = 4, NONE = 254, ANY = 255 };

// 4 bits on the wire.
enum class DnsOpcode : std::uint8_t { QUERY = 0, IQUERY = 1, STATUS = 2, NOTIFY = 4, UPDATE = 5 };

// 4 bits on the wire (the EDNS extension bits live in the OPT record and are not merged here).
enum class DnsRcode : std::uint8_t {
  NOERROR = 0,
  FORMERR = 1,
  SERVFAIL = 2,
  NXDOMAIN = 3,
  NOTIMP = 4,
  REFUSED = 5,
  YXDOMAIN = 6,
  YXRRSET = 7,
  NXRRSET = 8,
  NOTAUTH = 9,
  NOTZONE = 10,
};

// The second 16-bit word of the header, field by field.
struct DnsFlags {
  bool qr = false;  // response
  DnsOpcode opcode = DnsOpcode::QUERY;
  bool aa = false;  // authoritative answer
  bool tc = false;  // truncated
  bool rd = false;  // recursion desired
  bool ra = false;  // recursion available
  bool z = false;   // reserved; kept so that parse then emit gives back the same bytes
  bool ad = false;  // authentic data (RFC 4035)
  bool cd = false;  // checking disabled (RFC 4035)
  DnsRcode rcode = DnsRcode::NOERROR;

  std::uint16_t to_wire() const;
  static DnsFlags from_wire(std::uint16_t word);
  bool operator==(const DnsFlags&) const = default;
};

// Mnemonics as dig prints them; unnamed values as "TYPE123" / "CLASS9" (RFC 3597 §5).
std::string to_string(DnsType type);
std::string to_string(DnsClass rclass);
// "QUERY", "NOTIFY", ...; unnamed values as "RESERVED3" like dig.
std::string to_string(DnsOpcode opcode);
// "NOERROR", "NXDOMAIN", ...; unnamed values as "RESERVED12" like dig.
std::string to_string(DnsRcode rcode);

// Accepts the mnemonic in any case or the "TYPE123" form.
std::optional<DnsType> parse_dns_type(std::string_view text);
// Accepts the mnemonic in any case or the "CLASS123" form.
std::optional<DnsClass> parse_dns_class(std::string_view text);

}  // namespace mailscope::wire
