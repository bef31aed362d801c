#pragma once
// Questions and resource records (RFC 1035 §4.1.2, §4.1.3) with typed RDATA.
//
// A record's type is not stored separately: it is the type of its RDATA alternative, so the two
// can never disagree. Types without a structure here travel as DnsOpaque, which carries the
// type number and the raw RDATA (RFC 3597).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "wire/address.h"
#include "wire/bytes.h"
#include "wire/dns_name.h"
#include "wire/dns_types.h"

namespace mailscope::wire {

struct DnsA {
  Ipv4Addr address;
  bool operator==(const DnsA&) const = default;
};

struct DnsAaaa {
  std::array<std::uint8_t, 16> address{};  // network byte order
  bool operator==(const DnsAaaa&) const = default;
};

struct DnsNs {
  DnsName host;
  bool operator==(const DnsNs&) const = default;
};

struct DnsCname {
  DnsName target;
  bool operator==(const DnsCname&) const = default;
};

struct DnsPtr {
  DnsName target;
  bool operator==(const DnsPtr&) const = default;
};

struct DnsMx {
  std::uint16_t preference = 0;  // lower is tried first (RFC 5321 §5.1)
  DnsName exchange;              // "." is a null MX (RFC 7505)
  bool operator==(const DnsMx&) const = default;
};

struct DnsTxt {
  // Each string is one <character-string> of at most 255 octets. Emitting splits a longer
  // string into 255-octet pieces and writes an empty list as one empty string, because the
  // wire form needs at least one.
  std::vector<std::string> strings;
  bool operator==(const DnsTxt&) const = default;
};

struct DnsSoa {
  DnsName mname;  // primary name server
  DnsName rname;  // mailbox of the person responsible, "hostmaster.example.com."
  std::uint32_t serial = 0;
  std::uint32_t refresh = 0;  // seconds
  std::uint32_t retry = 0;    // seconds
  std::uint32_t expire = 0;   // seconds
  std::uint32_t minimum = 0;  // seconds; the negative-caching TTL (RFC 2308)
  bool operator==(const DnsSoa&) const = default;
};

// Any other type (OPT included), or a typed one whose class is not IN: the bytes as they were.
struct DnsOpaque {
  std::uint16_t type = 0;
  Bytes data;  // at most 65535 octets
  bool operator==(const DnsOpaque&) const = default;
};

using DnsRdata =
    std::variant<DnsA, DnsAaaa, DnsNs, DnsCname, DnsPtr, DnsMx, DnsTxt, DnsSoa, DnsOpaque>;

DnsType rdata_type(const DnsRdata& rdata);

struct DnsQuestion {
  DnsName name;
  DnsType type = DnsType::A;
  DnsClass qclass = DnsClass::IN;
  bool operator==(const DnsQuestion&) const = default;
};

struct DnsRecord {
  DnsName name;
  DnsClass rclass = DnsClass::IN;  // for OPT: the requester's UDP payload size
  std::uint32_t ttl = 0;           // seconds; for OPT: extended rcode, version and flags
  DnsRdata rdata;

  DnsType type() const { return rdata_type(rdata); }
  bool operator==(const DnsRecord&) const = default;
};

// The fields of an OPT pseudo-record (RFC 6891 §6.1.3), read from or written into a DnsRecord.
struct DnsEdns {
  std::uint16_t udp_payload_size = 1232;
  std::uint8_t extended_rcode = 0;  // upper 8 bits of the 12-bit rcode
  std::uint8_t version = 0;
  bool dnssec_ok = false;
  std::uint16_t z = 0;  // the other 15 flag bits, kept as they came
  Bytes options;        // {code, length, data}* as on the wire

  // Nullopt unless `record` is an OPT record.
  static std::optional<DnsEdns> from_record(const DnsRecord& record);
  // An OPT record owned by the root.
  DnsRecord to_record() const;
  bool operator==(const DnsEdns&) const = default;
};

}  // namespace mailscope::wire
