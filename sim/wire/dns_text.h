#pragma once
// Reading records in master-file syntax (RFC 1035 §5.1), one line each, so that zones can be
// written as text in scenarios and tests: "gmail.com. 3600 IN MX 10 gmail-smtp-in.l.google.com."
// This is the inverse of to_string(const DnsRecord&): parse_record(to_string(r)) == r.
//
// Supported: owner, optional TTL (decimal seconds) and class in either order, the type, and its
// RDATA; quoted or bare character-strings with \X and \DDD escapes; a ';' comment to the end of
// the line. Not supported: $ORIGIN/$TTL directives, relative names (every name is taken as
// absolute), "@", parentheses across lines, TTL units such as "1h".

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/result.h"
#include "wire/dns_record.h"

namespace mailscope::wire {

// RDATA text for `type` in `rclass`. Class IN and the types with a structure here (A, AAAA, NS,
// CNAME, PTR, MX, TXT, SOA) take their usual syntax; everything else takes RFC 3597's generic
// "\# <length> <hex>" form.
Result<DnsRdata> parse_rdata(DnsType type, DnsClass rclass, std::string_view text);

// One record line. A missing TTL becomes `default_ttl`, a missing class IN.
Result<DnsRecord> parse_record(std::string_view line, std::uint32_t default_ttl = 3600);

// RFC 4291 §2.2 text forms ("2001:db8::1", "::"); the embedded IPv4 form is not accepted.
std::optional<std::array<std::uint8_t, 16>> parse_ipv6(std::string_view text);

}  // namespace mailscope::wire
