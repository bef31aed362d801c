#include "wire/dns_dissect.h"

#include <cstdio>
#include <type_traits>

#include "wire/dns_format.h"
#include "wire/dns_message.h"

namespace mailscope::wire {
namespace {

class TreeWriter {
 public:
  TreeWriter(std::vector<DnsField>& out, std::uint32_t base) : m_out(out), m_base(base) {}

  void add(std::uint8_t depth, std::string name, std::string value, std::size_t offset,
           std::size_t length) {
    m_out.push_back(DnsField{depth, std::move(name), std::move(value),
                             m_base + static_cast<std::uint32_t>(offset),
                             static_cast<std::uint32_t>(length)});
  }
  void add(std::uint8_t depth, std::string name, std::string value, DnsSpan span) {
    add(depth, std::move(name), std::move(value), span.offset, span.length);
  }

 private:
  std::vector<DnsField>& m_out;
  std::uint32_t m_base;
};

std::string hex(std::uint32_t v, int digits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%0*x", digits, v);
  return buf;
}

std::string type_text(DnsType type) {
  return to_string(type) + " (" + std::to_string(static_cast<unsigned>(type)) + ")";
}

std::string class_text(DnsClass rclass) {
  return to_string(rclass) + " (" + hex(static_cast<unsigned>(rclass), 4) + ")";
}

void add_flags(TreeWriter& tree, std::uint8_t depth, const DnsFlags& f, std::uint16_t word) {
  std::string summary =
      hex(word, 4) + " " + opcode_description(f.opcode) + (f.qr ? " response" : "");
  if (f.qr) summary += ", " + rcode_description(f.rcode);
  tree.add(depth, "Flags", summary, 2, 2);
  const auto d = static_cast<std::uint8_t>(depth + 1);
  tree.add(d, "Response", f.qr ? "Message is a response" : "Message is a query", 2, 2);
  tree.add(
      d, "Opcode",
      opcode_description(f.opcode) + " (" + std::to_string(static_cast<unsigned>(f.opcode)) + ")",
      2, 2);
  if (f.qr) {
    tree.add(d, "Authoritative",
             f.aa ? "Server is an authority for domain" : "Server is not an authority for domain",
             2, 2);
  }
  tree.add(d, "Truncated", f.tc ? "Message is truncated" : "Message is not truncated", 2, 2);
  tree.add(d, "Recursion desired", f.rd ? "Do query recursively" : "Don't do query recursively", 2,
           2);
  if (f.qr) {
    tree.add(d, "Recursion available",
             f.ra ? "Server can do recursive queries" : "Server can't do recursive queries", 2, 2);
  }
  tree.add(d, "Z", f.z ? "reserved (1)" : "reserved (0)", 2, 2);
  if (f.qr) {
    tree.add(d, "Answer authenticated",
             f.ad ? "Answer/authority portion was authenticated by the server"
                  : "Answer/authority portion was not authenticated by the server",
             2, 2);
  }
  tree.add(d, "Non-authenticated data", f.cd ? "Acceptable" : "Unacceptable", 2, 2);
  if (f.qr) {
    tree.add(
        d, "Reply code",
        rcode_description(f.rcode) + " (" + std::to_string(static_cast<unsigned>(f.rcode)) + ")", 3,
        1);
  }
}

// The record's title line ("gmail.com: type MX, class IN, preference 10, mx ...").
std::string record_title(const DnsRecord& r) {
  std::string title = r.name.to_display_string() + ": type " + to_string(r.type());
  if (r.type() == DnsType::OPT) return title;
  title += ", class " + to_string(r.rclass);
  std::visit(
      [&](const auto& d) {
        using T = std::decay_t<decltype(d)>;
        if constexpr (std::is_same_v<T, DnsA>) {
          title += ", addr " + d.address.to_string();
        } else if constexpr (std::is_same_v<T, DnsAaaa>) {
          title += ", addr " + format_ipv6(d.address);
        } else if constexpr (std::is_same_v<T, DnsNs>) {
          title += ", ns " + d.host.to_display_string();
        } else if constexpr (std::is_same_v<T, DnsCname>) {
          title += ", cname " + d.target.to_display_string();
        } else if constexpr (std::is_same_v<T, DnsPtr>) {
          title += ", " + d.target.to_display_string();
        } else if constexpr (std::is_same_v<T, DnsMx>) {
          title += ", preference " + std::to_string(d.preference) + ", mx " +
                   d.exchange.to_display_string();
        } else if constexpr (std::is_same_v<T, DnsSoa>) {
          title += ", mname " + d.mname.to_display_string();
        }
      },
      r.rdata);
  return title;
}

std::string seconds_text(std::uint32_t s) {
  return std::to_string(s) + " (" + describe_seconds(s) + ")";
}

void add_rdata(TreeWriter& tree, std::uint8_t d, const DnsRecord& r, const DnsRecordLayout& at) {
  const std::size_t start = at.rdata.offset;
  const auto name_span = [&](std::size_t i) {
    return i < at.rdata_names.size() ? at.rdata_names[i] : DnsSpan{};
  };
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, DnsA>) {
          tree.add(d, "Address", v.address.to_string(), at.rdata);
        } else if constexpr (std::is_same_v<T, DnsAaaa>) {
          tree.add(d, "AAAA Address", format_ipv6(v.address), at.rdata);
        } else if constexpr (std::is_same_v<T, DnsNs>) {
          tree.add(d, "Name Server", v.host.to_display_string(), name_span(0));
        } else if constexpr (std::is_same_v<T, DnsCname>) {
          tree.add(d, "CNAME", v.target.to_display_string(), name_span(0));
        } else if constexpr (std::is_same_v<T, DnsPtr>) {
          tree.add(d, "Domain Name", v.target.to_display_string(), name_span(0));
        } else if constexpr (std::is_same_v<T, DnsMx>) {
          tree.add(d, "Preference", std::to_string(v.preference), start, 2);
          tree.add(d, "Mail Exchange", v.exchange.to_display_string(), name_span(0));
        } else if constexpr (std::is_same_v<T, DnsTxt>) {
          std::size_t offset = start;
          for (const auto& s : v.strings) {
            tree.add(d, "TXT Length", std::to_string(s.size()), offset, 1);
            tree.add(d, "TXT", s, offset + 1, s.size());
            offset += 1 + s.size();
          }
        } else if constexpr (std::is_same_v<T, DnsSoa>) {
          tree.add(d, "Primary name server", v.mname.to_display_string(), name_span(0));
          tree.add(d, "Responsible authority's mailbox", v.rname.to_display_string(), name_span(1));
          const std::size_t timers = name_span(1).offset + name_span(1).length;
          tree.add(d, "Serial Number", std::to_string(v.serial), timers, 4);
          tree.add(d, "Refresh Interval", seconds_text(v.refresh), timers + 4, 4);
          tree.add(d, "Retry Interval", seconds_text(v.retry), timers + 8, 4);
          tree.add(d, "Expire limit", seconds_text(v.expire), timers + 12, 4);
          tree.add(d, "Minimum TTL", seconds_text(v.minimum), timers + 16, 4);
        } else {
          if (!v.data.empty()) tree.add(d, "Data", rdata_to_string(r.rdata), at.rdata);
        }
      },
      r.rdata);
}

void add_record(TreeWriter& tree, std::uint8_t depth, const DnsRecord& r,
                const DnsRecordLayout& at) {
  tree.add(depth, record_title(r), "", at.whole);
  const auto d = static_cast<std::uint8_t>(depth + 1);
  const std::size_t fixed = at.name.offset + at.name.length;  // type, class, ttl, rdlength
  tree.add(d, "Name", r.name.to_display_string(), at.name);
  tree.add(d, "Type", type_text(r.type()), fixed, 2);
  if (const auto edns = DnsEdns::from_record(r)) {
    tree.add(d, "UDP payload size", std::to_string(edns->udp_payload_size), fixed + 2, 2);
    tree.add(d, "Higher bits in extended RCODE", hex(edns->extended_rcode, 2), fixed + 4, 1);
    tree.add(d, "EDNS0 version", std::to_string(edns->version), fixed + 5, 1);
    tree.add(d, "Z", hex(r.ttl & 0xffff, 4) + (edns->dnssec_ok ? " (DO: accepts DNSSEC)" : ""),
             fixed + 6, 2);
  } else {
    tree.add(d, "Class", class_text(r.rclass), fixed + 2, 2);
    tree.add(d, "Time to live", seconds_text(r.ttl), fixed + 4, 4);
  }
  tree.add(d, "Data length", std::to_string(at.rdata.length), fixed + 8, 2);
  add_rdata(tree, d, r, at);
}

}  // namespace

void dissect_dns(ByteView msg, std::uint32_t base_offset, std::uint8_t depth,
                 std::vector<DnsField>& out) {
  TreeWriter tree(out, base_offset);
  DnsMessage m;
  DnsLayout layout;
  const auto error = parse_dns_partial(msg, TrailingBytes::Reject, m, &layout);
  const bool has_header = msg.size() >= DnsMessage::kHeaderLength;
  const bool response = has_header && (msg[2] & 0x80) != 0;
  tree.add(depth, response ? "Domain Name System (response)" : "Domain Name System (query)", "", 0,
           msg.size());
  const auto d1 = static_cast<std::uint8_t>(depth + 1);
  const auto d2 = static_cast<std::uint8_t>(depth + 2);
  const auto d3 = static_cast<std::uint8_t>(depth + 3);

  if (has_header) {
    tree.add(d1, "Transaction ID", hex(m.id, 4), 0, 2);
    add_flags(tree, d1, m.flags, read_u16(msg, 2));
    tree.add(d1, "Questions", std::to_string(read_u16(msg, 4)), 4, 2);
    tree.add(d1, "Answer RRs", std::to_string(read_u16(msg, 6)), 6, 2);
    tree.add(d1, "Authority RRs", std::to_string(read_u16(msg, 8)), 8, 2);
    tree.add(d1, "Additional RRs", std::to_string(read_u16(msg, 10)), 10, 2);
  }

  if (!layout.questions.empty()) {
    const auto& first = layout.questions.front().whole;
    const auto& last = layout.questions.back().whole;
    tree.add(d1, "Queries", "", first.offset, last.offset + last.length - first.offset);
    for (std::size_t i = 0; i < m.questions.size(); ++i) {
      const auto& q = m.questions[i];
      const auto& at = layout.questions[i];
      tree.add(d2,
               q.name.to_display_string() + ": type " + to_string(q.type) + ", class " +
                   to_string(q.qclass),
               "", at.whole);
      tree.add(d3, "Name", q.name.to_display_string(), at.name);
      tree.add(d3, "Type", type_text(q.type), at.name.offset + at.name.length, 2);
      tree.add(d3, "Class", class_text(q.qclass), at.name.offset + at.name.length + 2, 2);
    }
  }

  std::size_t next = 0;  // index into layout.records
  const std::pair<const char*, const std::vector<DnsRecord>*> sections[] = {
      {"Answers", &m.answers},
      {"Authoritative nameservers", &m.authority},
      {"Additional records", &m.additional}};
  for (const auto& [title, records] : sections) {
    if (records->empty()) continue;
    const auto& first = layout.records[next].whole;
    const auto& last = layout.records[next + records->size() - 1].whole;
    tree.add(d1, title, "", first.offset, last.offset + last.length - first.offset);
    for (const auto& r : *records)
      add_record(tree, d2, r, layout.records[next++]);
  }

  if (error) {
    const std::size_t at = std::min(error->offset, msg.size());
    tree.add(d1, "[Malformed Packet]", error->to_string(), at, msg.size() - at);
  }
}

}  // namespace mailscope::wire
