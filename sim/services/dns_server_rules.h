#pragma once
// What every DNS server does before and after it looks at the question, shared by the
// authoritative server and the recursive resolver (sans-I/O):
//
//   - check_query: decide whether the bytes are a query worth answering, or whether the sender
//     gets an error right away (FORMERR for malformed queries whose header parses, NOTIMP for
//     opcodes other than QUERY, BADVERS for EDNS versions other than 0, REFUSED for classes other
//     than IN), or nothing at all (responses, fragments shorter than a header);
//   - finish_response: add our OPT record when the client sent one (RFC 6891 §7) and emit the
//     response within the size the transport allows, truncating with TC when it does not fit.

#include <cstddef>
#include <cstdint>

#include "wire/dns_message.h"

namespace mailscope::services {

enum class DnsTransport { Udp, Tcp };
std::string_view to_string(DnsTransport transport);  // "UDP", "TCP"

// The largest UDP response we send to an EDNS client, whatever it advertises (the 2020 DNS flag
// day value, which avoids IP fragmentation on ordinary paths).
inline constexpr std::uint16_t kEdnsUdpSizeMax = 1232;

enum class QueryVerdict {
  Answer,  // `message` is a valid standard query: look at its question
  Reply,   // `message` is the error response to send back as it is
  Ignore,  // send nothing (a response, or too short to have an id)
};

struct QueryCheck {
  QueryVerdict verdict = QueryVerdict::Ignore;
  wire::DnsMessage message;
  std::string reason;  // for Reply and Ignore: why, in a few words ("opcode NOTIFY")
};

QueryCheck check_query(wire::ByteView bytes);

// The largest response the client can take over `transport`: 512 octets on UDP without EDNS,
// the advertised size (at least 512, at most kEdnsUdpSizeMax) with it, 65535 on TCP.
std::size_t response_size_max(const wire::DnsMessage& query, DnsTransport transport);

// `response` on the wire for the client that sent `query`: our OPT record appended when the
// query had one, truncated to response_size_max() with TC set when it is larger.
wire::Bytes finish_response(const wire::DnsMessage& query, wire::DnsMessage response,
                            DnsTransport transport);

}  // namespace mailscope::services
