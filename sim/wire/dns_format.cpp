#include "wire/dns_format.h"

#include <cstdio>
#include <string_view>
#include <type_traits>

namespace mailscope::wire {
namespace {

// BIND lays out records in tab columns: TTL at 24, class at 32, type at 40, RDATA at 48.
constexpr std::size_t kTtlColumn = 24;
constexpr std::size_t kClassColumn = 32;
constexpr std::size_t kTypeColumn = 40;
constexpr std::size_t kRdataColumn = 48;
constexpr std::size_t kTabWidth = 8;

// A line of text that knows its display column, tabs counting up to the next tab stop.
class ColumnLine {
 public:
  void append(std::string_view text) {
    m_text += text;
    m_column += text.size();
  }
  // Moves to `column` with tabs, or writes one space when the text already reaches it.
  void tab_to(std::size_t column) {
    if (m_column >= column) {
      append(" ");
      return;
    }
    m_text.append(column / kTabWidth - m_column / kTabWidth, '\t');
    m_column = column;
  }
  std::string take() { return std::move(m_text); }

 private:
  std::string m_text;
  std::size_t m_column = 0;  // display column after m_text; columns past a tab are multiples of 8
};

std::string hex4(std::uint16_t v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04x", v);
  return buf;
}

std::string quote_character_string(const std::string& s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c > 0x7e) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03u", c);
      out += buf;
    } else {
      if (c == '"' || c == '\\') out += '\\';
      out += ch;
    }
  }
  out += '"';
  return out;
}

// A record's data as tshark prints it after the type in the Info column.
std::string summary_data(const DnsRdata& rdata) {
  return std::visit(
      [](const auto& r) -> std::string {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, DnsA>) {
          return " " + r.address.to_string();
        } else if constexpr (std::is_same_v<T, DnsAaaa>) {
          return " " + format_ipv6(r.address);
        } else if constexpr (std::is_same_v<T, DnsNs>) {
          return " " + r.host.to_display_string();
        } else if constexpr (std::is_same_v<T, DnsCname> || std::is_same_v<T, DnsPtr>) {
          return " " + r.target.to_display_string();
        } else if constexpr (std::is_same_v<T, DnsMx>) {
          return " " + std::to_string(r.preference) + " " + r.exchange.to_display_string();
        } else if constexpr (std::is_same_v<T, DnsSoa>) {
          return " " + r.mname.to_display_string();
        } else {
          return "";
        }
      },
      rdata);
}

void append_section(std::string& out, const char* title, const std::vector<DnsRecord>& records) {
  std::string lines;
  for (const auto& r : records) {
    if (r.type() == DnsType::OPT) continue;  // shown in the OPT pseudo-section instead
    lines += to_string(r);
    lines += '\n';
  }
  if (lines.empty()) return;
  out += ";; ";
  out += title;
  out += " SECTION:\n";
  out += lines;
  out += '\n';
}

std::string hex_bytes(const Bytes& data) {
  std::string out;
  char buf[4];
  for (const auto b : data) {
    std::snprintf(buf, sizeof buf, "%02X", b);
    out += buf;
  }
  return out;
}

}  // namespace

std::string format_ipv6(const std::array<std::uint8_t, 16>& a) {
  std::array<unsigned, 8> groups{};
  for (std::size_t i = 0; i < 8; ++i)
    groups[i] = (unsigned{a[2 * i]} << 8) | a[2 * i + 1];
  // The longest run of two or more zero groups, the first one on a tie (RFC 5952 §4.2).
  std::size_t best_start = 8, best_length = 0;
  for (std::size_t i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < 8 && groups[j] == 0)
      ++j;
    if (j - i > best_length && j - i >= 2) {
      best_start = i;
      best_length = j - i;
    }
    i = j;
  }
  std::string out;
  char buf[8];
  for (std::size_t i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_length - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%x", groups[i]);
    out += buf;
  }
  return out;
}

std::string rdata_to_string(const DnsRdata& rdata) {
  return std::visit(
      [](const auto& r) -> std::string {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, DnsA>) {
          return r.address.to_string();
        } else if constexpr (std::is_same_v<T, DnsAaaa>) {
          return format_ipv6(r.address);
        } else if constexpr (std::is_same_v<T, DnsNs>) {
          return r.host.to_string();
        } else if constexpr (std::is_same_v<T, DnsCname> || std::is_same_v<T, DnsPtr>) {
          return r.target.to_string();
        } else if constexpr (std::is_same_v<T, DnsMx>) {
          return std::to_string(r.preference) + " " + r.exchange.to_string();
        } else if constexpr (std::is_same_v<T, DnsTxt>) {
          std::string out;
          for (const auto& s : r.strings) {
            if (!out.empty()) out += ' ';
            out += quote_character_string(s);
          }
          return out.empty() ? "\"\"" : out;
        } else if constexpr (std::is_same_v<T, DnsSoa>) {
          return r.mname.to_string() + " " + r.rname.to_string() + " " + std::to_string(r.serial) +
                 " " + std::to_string(r.refresh) + " " + std::to_string(r.retry) + " " +
                 std::to_string(r.expire) + " " + std::to_string(r.minimum);
        } else {
          static_assert(std::is_same_v<T, DnsOpaque>);
          std::string out = "\\# " + std::to_string(r.data.size());
          if (!r.data.empty()) out += " " + hex_bytes(r.data);
          return out;
        }
      },
      rdata);
}

std::string to_string(const DnsRecord& record) {
  ColumnLine line;
  line.append(record.name.to_string());
  line.tab_to(kTtlColumn);
  line.append(std::to_string(record.ttl));
  line.tab_to(kClassColumn);
  line.append(to_string(record.rclass));
  line.tab_to(kTypeColumn);
  line.append(to_string(record.type()));
  line.tab_to(kRdataColumn);
  line.append(rdata_to_string(record.rdata));
  return line.take();
}

std::string to_string(const DnsQuestion& question) {
  ColumnLine line;
  line.append(";" + question.name.to_string());
  line.tab_to(kClassColumn);
  line.append(to_string(question.qclass));
  line.tab_to(kTypeColumn);
  line.append(to_string(question.type));
  return line.take();
}

std::string format_dig(const DnsMessage& m) {
  std::string out = ";; ->>HEADER<<- opcode: " + to_string(m.flags.opcode) +
                    ", status: " + to_string(m.flags.rcode) + ", id: " + std::to_string(m.id) +
                    "\n";
  out += ";; flags:";
  const std::pair<bool, const char*> flags[] = {
      {m.flags.qr, "qr"}, {m.flags.aa, "aa"}, {m.flags.tc, "tc"}, {m.flags.rd, "rd"},
      {m.flags.ra, "ra"}, {m.flags.ad, "ad"}, {m.flags.cd, "cd"},
  };
  for (const auto& [set, name] : flags) {
    if (set) {
      out += ' ';
      out += name;
    }
  }
  out += "; QUERY: " + std::to_string(m.questions.size()) +
         ", ANSWER: " + std::to_string(m.answers.size()) +
         ", AUTHORITY: " + std::to_string(m.authority.size()) +
         ", ADDITIONAL: " + std::to_string(m.additional.size()) + "\n";
  if (m.flags.qr && m.flags.rd && !m.flags.ra)
    out += ";; WARNING: recursion requested but not available\n";
  out += '\n';

  if (const auto edns = m.edns()) {
    out += ";; OPT PSEUDOSECTION:\n; EDNS: version: " + std::to_string(edns->version) + ", flags:";
    if (edns->dnssec_ok) out += " do";
    out += "; udp: " + std::to_string(edns->udp_payload_size) + "\n";
    // Options as code and hex; this layer does not interpret them.
    std::size_t at = 0;
    while (at + 4 <= edns->options.size()) {
      const std::size_t code = read_u16(edns->options, at);
      const std::size_t length = read_u16(edns->options, at + 2);
      if (at + 4 + length > edns->options.size()) break;
      const Bytes data(edns->options.begin() + static_cast<std::ptrdiff_t>(at + 4),
                       edns->options.begin() + static_cast<std::ptrdiff_t>(at + 4 + length));
      out += "; OPT=" + std::to_string(code) + ": " + hex_bytes(data) + "\n";
      at += 4 + length;
    }
    out += '\n';
  }
  if (!m.questions.empty()) {
    out += ";; QUESTION SECTION:\n";
    for (const auto& q : m.questions)
      out += to_string(q) + "\n";
    out += '\n';
  }
  append_section(out, "ANSWER", m.answers);
  append_section(out, "AUTHORITY", m.authority);
  append_section(out, "ADDITIONAL", m.additional);
  return out;
}

std::string summarize(const DnsMessage& m) {
  std::string out = opcode_description(m.flags.opcode);
  if (m.flags.qr) out += " response";
  out += " 0x" + hex4(m.id);
  if (m.flags.qr && m.flags.rcode != DnsRcode::NOERROR)
    out += " " + rcode_description(m.flags.rcode);
  for (const auto& q : m.questions)
    out += " " + to_string(q.type) + " " + q.name.to_display_string();
  for (const auto* section : {&m.answers, &m.authority, &m.additional}) {
    for (const auto& r : *section)
      out += " " + to_string(r.type()) + summary_data(r.rdata);
  }
  return out;
}

std::string opcode_description(DnsOpcode opcode) {
  switch (opcode) {
    case DnsOpcode::QUERY:
      return "Standard query";
    case DnsOpcode::IQUERY:
      return "Inverse query";
    case DnsOpcode::STATUS:
      return "Server status request";
    case DnsOpcode::NOTIFY:
      return "Zone change notification";
    case DnsOpcode::UPDATE:
      return "Dynamic update";
  }
  return "Unknown operation (" + std::to_string(static_cast<unsigned>(opcode)) + ")";
}

std::string rcode_description(DnsRcode rcode) {
  switch (rcode) {
    case DnsRcode::NOERROR:
      return "No error";
    case DnsRcode::FORMERR:
      return "Format error";
    case DnsRcode::SERVFAIL:
      return "Server failure";
    case DnsRcode::NXDOMAIN:
      return "No such name";
    case DnsRcode::NOTIMP:
      return "Not implemented";
    case DnsRcode::REFUSED:
      return "Refused";
    case DnsRcode::YXDOMAIN:
      return "Name exists";
    case DnsRcode::YXRRSET:
      return "RRset exists";
    case DnsRcode::NXRRSET:
      return "RRset does not exist";
    case DnsRcode::NOTAUTH:
      return "Not authoritative";
    case DnsRcode::NOTZONE:
      return "Name out of zone";
  }
  return "Unknown error (" + std::to_string(static_cast<unsigned>(rcode)) + ")";
}

std::string describe_seconds(std::uint32_t seconds) {
  if (seconds == 0) return "0 seconds";
  const std::pair<std::uint32_t, const char*> units[] = {
      {86400, "day"}, {3600, "hour"}, {60, "minute"}, {1, "second"}};
  std::string out;
  for (const auto& [size, name] : units) {
    const std::uint32_t count = seconds / size;
    seconds %= size;
    if (count == 0) continue;
    if (!out.empty()) out += ", ";
    out += std::to_string(count) + " " + name + (count == 1 ? "" : "s");
  }
  return out;
}

}  // namespace mailscope::wire
