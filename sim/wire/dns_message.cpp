#include "wire/dns_message.h"

#include <cassert>

namespace mailscope::wire {

DnsMessage DnsMessage::make_query(std::uint16_t id, DnsName name, DnsType type,
                                  DnsRecursion recursion) {
  DnsMessage m;
  m.id = id;
  m.flags.rd = recursion == DnsRecursion::Desired;
  m.questions.push_back(DnsQuestion{std::move(name), type, DnsClass::IN});
  return m;
}

DnsMessage DnsMessage::make_response(const DnsMessage& query, DnsRcode rcode) {
  DnsMessage m;
  m.id = query.id;
  m.flags.qr = true;
  m.flags.opcode = query.flags.opcode;
  m.flags.rd = query.flags.rd;
  m.flags.cd = query.flags.cd;
  m.flags.rcode = rcode;
  m.questions = query.questions;
  return m;
}

std::vector<DnsRecord>& DnsMessage::section(DnsSection which) {
  switch (which) {
    case DnsSection::Answer:
      return answers;
    case DnsSection::Authority:
      return authority;
    case DnsSection::Additional:
      break;
    case DnsSection::Question:
      assert(false && "the question section holds no records");
      break;
  }
  return additional;
}

const std::vector<DnsRecord>& DnsMessage::section(DnsSection which) const {
  return const_cast<DnsMessage*>(this)->section(which);
}

std::optional<DnsEdns> DnsMessage::edns() const {
  for (const auto& record : additional) {
    if (auto edns = DnsEdns::from_record(record)) return edns;
  }
  return std::nullopt;
}

}  // namespace mailscope::wire
