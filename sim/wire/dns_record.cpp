#include "wire/dns_record.h"

namespace mailscope::wire {
namespace {

// Maps each RDATA alternative to its type number.
struct TypeOf {
  DnsType operator()(const DnsA&) const { return DnsType::A; }
  DnsType operator()(const DnsAaaa&) const { return DnsType::AAAA; }
  DnsType operator()(const DnsNs&) const { return DnsType::NS; }
  DnsType operator()(const DnsCname&) const { return DnsType::CNAME; }
  DnsType operator()(const DnsPtr&) const { return DnsType::PTR; }
  DnsType operator()(const DnsMx&) const { return DnsType::MX; }
  DnsType operator()(const DnsTxt&) const { return DnsType::TXT; }
  DnsType operator()(const DnsSoa&) const { return DnsType::SOA; }
  DnsType operator()(const DnsOpaque& o) const { return static_cast<DnsType>(o.type); }
};

}  // namespace

DnsType rdata_type(const DnsRdata& rdata) {
  return std::visit(TypeOf{}, rdata);
}

std::optional<DnsEdns> DnsEdns::from_record(const DnsRecord& record) {
  const auto* opaque = std::get_if<DnsOpaque>(&record.rdata);
  if (opaque == nullptr || opaque->type != static_cast<std::uint16_t>(DnsType::OPT)) {
    return std::nullopt;
  }
  DnsEdns edns;
  edns.udp_payload_size = static_cast<std::uint16_t>(record.rclass);
  edns.extended_rcode = static_cast<std::uint8_t>(record.ttl >> 24);
  edns.version = static_cast<std::uint8_t>(record.ttl >> 16);
  edns.dnssec_ok = (record.ttl & 0x8000) != 0;
  edns.z = static_cast<std::uint16_t>(record.ttl & 0x7fff);
  edns.options = opaque->data;
  return edns;
}

DnsRecord DnsEdns::to_record() const {
  DnsRecord record;
  record.rclass = static_cast<DnsClass>(udp_payload_size);
  record.ttl = (std::uint32_t{extended_rcode} << 24) | (std::uint32_t{version} << 16) |
               (dnssec_ok ? 0x8000u : 0u) | (z & 0x7fffu);
  record.rdata = DnsOpaque{static_cast<std::uint16_t>(DnsType::OPT), options};
  return record;
}

}  // namespace mailscope::wire
