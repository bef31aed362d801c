#include "services/dns_zone.h"

#include <algorithm>

#include "wire/dns_format.h"
#include "wire/dns_text.h"

namespace mailscope::services {

using wire::DnsName;
using wire::DnsRecord;
using wire::DnsType;

std::string_view to_string(ZoneMatch match) {
  switch (match) {
    case ZoneMatch::NotInZone:
      return "not in zone";
    case ZoneMatch::Answer:
      return "answer";
    case ZoneMatch::Cname:
      return "CNAME";
    case ZoneMatch::Delegation:
      return "delegation";
    case ZoneMatch::NoData:
      return "NODATA";
    case ZoneMatch::NxDomain:
      return "NXDOMAIN";
  }
  return "?";
}

namespace {

bool is_blank_or_comment(std::string_view line) {
  const auto first = line.find_first_not_of(" \t\r");
  return first == std::string_view::npos || line[first] == ';';
}

}  // namespace

Result<DnsZone> DnsZone::from_lines(const DnsName& origin, std::span<const std::string> lines,
                                    std::uint32_t default_ttl) {
  DnsZone zone(origin);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (is_blank_or_comment(lines[i])) continue;
    if (auto error = zone.add_line(lines[i], default_ttl)) {
      error->where = "zone " + origin.to_string() + " line " + std::to_string(i + 1) +
                     (error->where.empty() ? "" : ": " + error->where);
      return *error;
    }
  }
  if (auto error = zone.validate()) return *error;
  return zone;
}

Result<DnsZone> DnsZone::from_text(const DnsName& origin, std::string_view text,
                                   std::uint32_t default_ttl) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    lines.emplace_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return from_lines(origin, lines, default_ttl);
}

std::optional<Error> DnsZone::add(DnsRecord record) {
  const std::string owner = record.name.to_string();
  if (!record.name.is_subdomain_of(m_origin)) {
    return make_error(owner + " is outside the zone " + m_origin.to_string(), "owner");
  }
  if (record.rclass != wire::DnsClass::IN) {
    return make_error("only class IN records can be served", "class");
  }
  const DnsType type = record.type();
  if (type == DnsType::OPT || type == DnsType::ANY) {
    return make_error(wire::to_string(type) + " is not a record type a zone can hold", "type");
  }
  if (m_record_count >= kRecordsMax) {
    return make_error("the zone already holds " + std::to_string(kRecordsMax) + " records");
  }
  if (type == DnsType::SOA) {
    if (!(record.name == m_origin)) return make_error("an SOA record belongs at the apex", "owner");
    if (soa() != nullptr) return make_error("the zone already has an SOA record", "type");
  }
  auto& records = m_nodes[record.name];
  const bool has_cname =
      std::ranges::any_of(records, [](const DnsRecord& r) { return r.type() == DnsType::CNAME; });
  if (has_cname || (type == DnsType::CNAME && !records.empty())) {
    if (records.empty()) m_nodes.erase(record.name);
    return make_error(owner + " cannot hold a CNAME and other data", "type");
  }
  if (std::ranges::find(records, record) != records.end()) {
    return make_error("duplicate record " + wire::to_string(record));
  }
  records.push_back(std::move(record));
  ++m_record_count;
  return std::nullopt;
}

std::optional<Error> DnsZone::add_line(std::string_view line, std::uint32_t default_ttl) {
  auto record = wire::parse_record(line, default_ttl);
  if (!record) return record.error();
  return add(std::move(*record));
}

std::optional<Error> DnsZone::add_delegation(const DnsName& child,
                                             const std::vector<DnsName>& servers,
                                             const std::vector<DnsRecord>& glue,
                                             std::uint32_t ttl) {
  if (child == m_origin || !child.is_subdomain_of(m_origin)) {
    return make_error(child.to_string() + " is not below " + m_origin.to_string(), "child");
  }
  if (servers.empty()) return make_error("a delegation needs at least one server", "servers");
  for (const DnsName& server : servers) {
    if (auto error = add(DnsRecord{child, wire::DnsClass::IN, ttl, wire::DnsNs{server}})) {
      return error;
    }
  }
  for (const DnsRecord& record : glue) {
    if (auto error = add(record)) return error;
  }
  return std::nullopt;
}

std::optional<Error> DnsZone::validate() const {
  const std::string where = "zone " + m_origin.to_string();
  if (soa() == nullptr) return make_error("the zone has no SOA record at its apex", where);
  if (apex_ns().empty()) return make_error("the zone has no NS record at its apex", where);
  return std::nullopt;
}

const std::vector<DnsRecord>* DnsZone::node(const DnsName& name) const {
  const auto it = m_nodes.find(name);
  return it == m_nodes.end() ? nullptr : &it->second;
}

const DnsRecord* DnsZone::soa() const {
  const auto* records = node(m_origin);
  if (records == nullptr) return nullptr;
  for (const DnsRecord& r : *records) {
    if (r.type() == DnsType::SOA) return &r;
  }
  return nullptr;
}

std::uint32_t DnsZone::negative_ttl() const {
  const DnsRecord* record = soa();
  if (record == nullptr) return 0;
  return std::min(record->ttl, std::get<wire::DnsSoa>(record->rdata).minimum);
}

DnsRecord DnsZone::negative_soa() const {
  DnsRecord record = *soa();
  record.ttl = negative_ttl();
  return record;
}

std::vector<DnsRecord> DnsZone::apex_ns() const {
  std::vector<DnsRecord> out;
  if (const auto* records = node(m_origin)) {
    for (const DnsRecord& r : *records) {
      if (r.type() == DnsType::NS) out.push_back(r);
    }
  }
  return out;
}

std::optional<DnsName> DnsZone::cut_above(const DnsName& name) const {
  // Walk down from the child of the origin towards `name`: the first name with NS records is
  // the cut, and everything below it belongs to the child zone.
  const auto& labels = name.labels();
  const std::size_t origin_labels = m_origin.label_count();
  for (std::size_t depth = origin_labels + 1; depth <= labels.size(); ++depth) {
    const std::vector<std::string> suffix(labels.end() - static_cast<std::ptrdiff_t>(depth),
                                          labels.end());
    auto candidate = DnsName::from_labels(suffix);
    if (!candidate) return std::nullopt;  // cannot happen: a suffix of a valid name is valid
    const auto* records = node(*candidate);
    if (records == nullptr) continue;
    const bool has_ns =
        std::ranges::any_of(*records, [](const DnsRecord& r) { return r.type() == DnsType::NS; });
    if (has_ns) return *candidate;
  }
  return std::nullopt;
}

bool DnsZone::has_descendants(const DnsName& name) const {
  // In canonical order a name's descendants follow it directly.
  const auto it = m_nodes.upper_bound(name);
  return it != m_nodes.end() && it->first.is_subdomain_of(name);
}

ZoneLookup DnsZone::find(const DnsName& name, DnsType type) const {
  ZoneLookup out;
  if (!name.is_subdomain_of(m_origin)) return out;
  if (auto cut = cut_above(name)) {
    out.match = ZoneMatch::Delegation;
    for (const DnsRecord& r : *node(*cut)) {
      if (r.type() == DnsType::NS) out.records.push_back(r);
    }
    out.cut = std::move(*cut);
    return out;
  }
  const auto* records = node(name);
  if (records == nullptr) {
    out.match = has_descendants(name) ? ZoneMatch::NoData : ZoneMatch::NxDomain;
    return out;
  }
  for (const DnsRecord& r : *records) {
    if (r.type() == DnsType::CNAME && type != DnsType::CNAME && type != DnsType::ANY) {
      out.match = ZoneMatch::Cname;
      out.records = {r};
      return out;
    }
    if (type == DnsType::ANY || r.type() == type) out.records.push_back(r);
  }
  out.match = out.records.empty() ? ZoneMatch::NoData : ZoneMatch::Answer;
  return out;
}

std::vector<DnsRecord> DnsZone::addresses(const DnsName& name) const {
  std::vector<DnsRecord> out;
  if (const auto* records = node(name)) {
    for (const DnsRecord& r : *records) {
      if (r.type() == DnsType::A || r.type() == DnsType::AAAA) out.push_back(r);
    }
  }
  return out;
}

}  // namespace mailscope::services
