#pragma once
// DNS data as people read it: dig's presentation (RFC 1035 §5 master-file syntax, laid out in
// BIND's tab columns) and the one-line summary that tshark shows in its Info column.

#include <array>
#include <cstdint>
#include <string>

#include "wire/dns_message.h"

namespace mailscope::wire {

// RDATA in master-file syntax: "10 gmail-smtp-in.l.google.com.", "\"v=spf1 -all\"",
// unknown types as RFC 3597's "\# 4 0A000001".
std::string rdata_to_string(const DnsRdata& rdata);
// One zone-file line in dig's columns: owner, TTL, class, type and RDATA separated by tabs
// ("gmail.com.\t\t3600\tIN\tMX\t10 gmail-smtp-in.l.google.com.").
std::string to_string(const DnsRecord& record);
// A question line as dig prints it (";gmail.com.\t\t\tIN\tMX").
std::string to_string(const DnsQuestion& question);

// The message part of dig's output: header, flags, OPT pseudo-section, then each non-empty
// section followed by a blank line.
std::string format_dig(const DnsMessage& message);
// tshark's Info column: "Standard query 0x1234 MX gmail.com", "Standard query response 0x1234
// MX gmail.com MX 10 gmail-smtp-in.l.google.com A 192.0.2.1", "... No such name ...".
std::string summarize(const DnsMessage& message);

// RFC 5952 text for an IPv6 address: lower case, longest run of zero groups as "::".
std::string format_ipv6(const std::array<std::uint8_t, 16>& address);
// Wireshark's wording: "Standard query", "Dynamic update", ...
std::string opcode_description(DnsOpcode opcode);
// Wireshark's wording: "No error", "No such name", ...
std::string rcode_description(DnsRcode rcode);
// "1 hour", "2 days, 3 minutes", "0 seconds".
std::string describe_seconds(std::uint32_t seconds);

}  // namespace mailscope::wire
