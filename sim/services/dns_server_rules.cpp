#include "services/dns_server_rules.h"

#include <algorithm>

#include "wire/dns_format.h"
#include "wire/dns_tcp.h"

namespace mailscope::services {

using wire::DnsMessage;
using wire::DnsRcode;

std::string_view to_string(DnsTransport transport) {
  return transport == DnsTransport::Udp ? "UDP" : "TCP";
}

namespace {

// An error response built from the header alone, without the question (RFC 1035 §4.1.1 lets a
// server answer FORMERR without echoing a question it could not read).
DnsMessage header_only_error(wire::ByteView bytes, DnsRcode rcode) {
  DnsMessage response;
  response.id = wire::read_u16(bytes, 0);
  const wire::DnsFlags flags = wire::DnsFlags::from_wire(wire::read_u16(bytes, 2));
  response.flags.qr = true;
  response.flags.opcode = flags.opcode;
  response.flags.rd = flags.rd;
  response.flags.rcode = rcode;
  return response;
}

QueryCheck reply(DnsMessage message, std::string reason) {
  return QueryCheck{QueryVerdict::Reply, std::move(message), std::move(reason)};
}

}  // namespace

QueryCheck check_query(wire::ByteView bytes) {
  if (bytes.size() < DnsMessage::kHeaderLength) {
    return QueryCheck{QueryVerdict::Ignore, {}, "shorter than a DNS header"};
  }
  const wire::DnsFlags flags = wire::DnsFlags::from_wire(wire::read_u16(bytes, 2));
  // Never answer a response: two servers could otherwise bounce errors at each other forever.
  if (flags.qr) return QueryCheck{QueryVerdict::Ignore, {}, "a response, not a query"};
  if (flags.opcode != wire::DnsOpcode::QUERY) {
    return reply(header_only_error(bytes, DnsRcode::NOTIMP),
                 "opcode " + wire::to_string(flags.opcode) + " is not implemented");
  }
  auto parsed = DnsMessage::parse(bytes);
  if (!parsed) {
    return reply(header_only_error(bytes, DnsRcode::FORMERR),
                 "malformed query: " + parsed.error().to_string());
  }
  DnsMessage& query = *parsed;
  if (query.questions.size() != 1) {
    return reply(
        header_only_error(bytes, DnsRcode::FORMERR),
        "a query must ask exactly one question, not " + std::to_string(query.questions.size()));
  }
  const std::size_t opt_count = std::ranges::count_if(
      query.additional, [](const wire::DnsRecord& r) { return r.type() == wire::DnsType::OPT; });
  const bool bad_opt_owner = std::ranges::any_of(query.additional, [](const wire::DnsRecord& r) {
    return r.type() == wire::DnsType::OPT && !r.name.is_root();
  });
  const bool bad_sections = !query.answers.empty() || !query.authority.empty();
  const auto qtype = query.questions.front().type;
  if (opt_count > 1 || bad_opt_owner || bad_sections || qtype == wire::DnsType::OPT) {
    DnsMessage response = DnsMessage::make_response(query, DnsRcode::FORMERR);
    return reply(std::move(response), "malformed query: unexpected records or OPT");
  }
  if (const auto edns = query.edns(); edns && edns->version != 0) {
    // BADVERS is extended rcode 16: upper bits 1 in the OPT record, lower bits 0 in the header.
    DnsMessage response = DnsMessage::make_response(query, DnsRcode::NOERROR);
    wire::DnsEdns ours;
    ours.udp_payload_size = kEdnsUdpSizeMax;
    ours.extended_rcode = 1;
    response.additional.push_back(ours.to_record());
    return reply(std::move(response), "EDNS version " + std::to_string(edns->version));
  }
  if (query.questions.front().qclass != wire::DnsClass::IN) {
    return reply(DnsMessage::make_response(query, DnsRcode::REFUSED),
                 "class " + wire::to_string(query.questions.front().qclass) + " is not served");
  }
  return QueryCheck{QueryVerdict::Answer, std::move(query), {}};
}

std::size_t response_size_max(const DnsMessage& query, DnsTransport transport) {
  if (transport == DnsTransport::Tcp) return wire::kDnsTcpMessageSizeMax;
  const auto edns = query.edns();
  if (!edns) return DnsMessage::kUdpSizeMax;
  return std::clamp<std::size_t>(edns->udp_payload_size, DnsMessage::kUdpSizeMax, kEdnsUdpSizeMax);
}

wire::Bytes finish_response(const DnsMessage& query, DnsMessage response, DnsTransport transport) {
  const bool has_opt = response.edns().has_value();
  if (query.edns() && !has_opt) {
    wire::DnsEdns ours;
    ours.udp_payload_size = kEdnsUdpSizeMax;
    response.additional.push_back(ours.to_record());
  }
  return response.emit_truncated(response_size_max(query, transport));
}

}  // namespace mailscope::services
