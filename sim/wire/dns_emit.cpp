// DNS message emission with name compression (RFC 1035 §4.1.4).

#include <algorithm>
#include <array>
#include <cassert>
#include <string>
#include <string_view>
#include <type_traits>

#include "wire/dns_message.h"

namespace mailscope::wire {
namespace {

void push_u16(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

void push_u32(Bytes& out, std::uint32_t v) {
  push_u16(out, static_cast<std::uint16_t>(v >> 16));
  push_u16(out, static_cast<std::uint16_t>(v));
}

// Writes names into a message, replacing the longest suffix already written with a pointer.
class NameCompressor {
 public:
  explicit NameCompressor(Bytes& out) : m_out(out) {}

  void write(const DnsName& name) {
    // The uncompressed wire form, built on the stack; boundary[i] is where label i starts.
    std::array<char, DnsName::kWireLengthMax> wire;
    std::array<std::size_t, DnsName::kWireLengthMax / 2> boundary;
    std::size_t size = 0;
    const std::size_t labels = name.label_count();
    for (std::size_t i = 0; i < labels; ++i) {
      const auto& label = name.labels()[i];
      boundary[i] = size;
      wire[size++] = static_cast<char>(label.size());
      std::copy(label.begin(), label.end(), wire.begin() + static_cast<std::ptrdiff_t>(size));
      size += label.size();
    }
    wire[size++] = 0;
    const std::string_view view(wire.data(), size);

    // The first (longest) suffix already in the message, if any.
    std::size_t match_label = labels;
    std::uint16_t match_offset = 0;
    for (std::size_t i = 0; i < labels && match_label == labels; ++i) {
      const auto suffix = view.substr(boundary[i]);
      for (const auto& entry : m_entries) {
        if (entry.length == suffix.size() &&
            std::string_view(m_suffixes).substr(entry.start, entry.length) == suffix) {
          match_label = i;
          match_offset = entry.offset;
          break;
        }
      }
    }
    for (std::size_t i = 0; i < match_label; ++i) {
      const std::size_t offset = m_out.size();
      const auto suffix = view.substr(boundary[i]);
      if (offset < DnsMessage::kPointerTargetLimit) {
        m_entries.push_back(
            Entry{m_suffixes.size(), suffix.size(), static_cast<std::uint16_t>(offset)});
        m_suffixes += suffix;
      }
      const std::size_t label_size = 1 + static_cast<std::uint8_t>(view[boundary[i]]);
      const auto* first = reinterpret_cast<const std::uint8_t*>(view.data() + boundary[i]);
      m_out.insert(m_out.end(), first, first + label_size);
    }
    if (match_label < labels) {
      push_u16(m_out, static_cast<std::uint16_t>(0xc000 | match_offset));
    } else {
      m_out.push_back(0);
    }
  }

 private:
  struct Entry {
    std::size_t start;  // the suffix's uncompressed wire octets (exact case) in m_suffixes
    std::size_t length;
    std::uint16_t offset;  // where that suffix's first label starts in the message; < 0x4000
  };
  Bytes& m_out;
  std::vector<Entry> m_entries;  // every suffix written so far at an offset a pointer can reach
  std::string m_suffixes;        // the entries' octets back to back: one buffer, few allocations
};

void write_rdata(const DnsRdata& rdata, Bytes& out, NameCompressor& names) {
  std::visit(
      [&](const auto& r) {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, DnsA>) {
          push_u32(out, r.address.value);
        } else if constexpr (std::is_same_v<T, DnsAaaa>) {
          out.insert(out.end(), r.address.begin(), r.address.end());
        } else if constexpr (std::is_same_v<T, DnsNs>) {
          names.write(r.host);
        } else if constexpr (std::is_same_v<T, DnsCname> || std::is_same_v<T, DnsPtr>) {
          names.write(r.target);
        } else if constexpr (std::is_same_v<T, DnsMx>) {
          push_u16(out, r.preference);
          names.write(r.exchange);
        } else if constexpr (std::is_same_v<T, DnsTxt>) {
          if (r.strings.empty()) out.push_back(0);
          for (const auto& s : r.strings) {
            std::size_t at = 0;
            do {
              const std::size_t piece = std::min<std::size_t>(255, s.size() - at);
              out.push_back(static_cast<std::uint8_t>(piece));
              out.insert(out.end(), s.begin() + static_cast<std::ptrdiff_t>(at),
                         s.begin() + static_cast<std::ptrdiff_t>(at + piece));
              at += piece;
            } while (at < s.size());
          }
        } else if constexpr (std::is_same_v<T, DnsSoa>) {
          names.write(r.mname);
          names.write(r.rname);
          push_u32(out, r.serial);
          push_u32(out, r.refresh);
          push_u32(out, r.retry);
          push_u32(out, r.expire);
          push_u32(out, r.minimum);
        } else {
          static_assert(std::is_same_v<T, DnsOpaque>);
          out.insert(out.end(), r.data.begin(), r.data.end());
        }
      },
      rdata);
}

// Emits `m` into `out`. If `ends` is given, ends[0] is the size after the questions and
// ends[k] the size after the k-th record (answer, authority, additional in order).
void emit_into(const DnsMessage& m, Bytes& out, std::vector<std::size_t>* ends) {
  assert(m.questions.size() <= 0xffff && m.answers.size() <= 0xffff);
  assert(m.authority.size() <= 0xffff && m.additional.size() <= 0xffff);
  push_u16(out, m.id);
  push_u16(out, m.flags.to_wire());
  push_u16(out, static_cast<std::uint16_t>(m.questions.size()));
  push_u16(out, static_cast<std::uint16_t>(m.answers.size()));
  push_u16(out, static_cast<std::uint16_t>(m.authority.size()));
  push_u16(out, static_cast<std::uint16_t>(m.additional.size()));
  NameCompressor names(out);
  for (const auto& q : m.questions) {
    names.write(q.name);
    push_u16(out, static_cast<std::uint16_t>(q.type));
    push_u16(out, static_cast<std::uint16_t>(q.qclass));
  }
  if (ends != nullptr) ends->push_back(out.size());
  for (const auto* section : {&m.answers, &m.authority, &m.additional}) {
    for (const auto& r : *section) {
      names.write(r.name);
      push_u16(out, static_cast<std::uint16_t>(r.type()));
      push_u16(out, static_cast<std::uint16_t>(r.rclass));
      push_u32(out, r.ttl);
      const std::size_t rdlength_at = out.size();
      push_u16(out, 0);
      write_rdata(r.rdata, out, names);
      const std::size_t rdlength = out.size() - rdlength_at - 2;
      assert(rdlength <= 0xffff);
      write_u16(out, rdlength_at, static_cast<std::uint16_t>(rdlength));
      if (ends != nullptr) ends->push_back(out.size());
    }
  }
}

}  // namespace

Bytes DnsMessage::emit() const {
  Bytes out;
  out.reserve(512);
  emit_into(*this, out, nullptr);
  return out;
}

Bytes DnsMessage::emit_truncated(std::size_t size_max) const {
  Bytes out;
  out.reserve(512);
  std::vector<std::size_t> ends;
  emit_into(*this, out, &ends);
  if (out.size() <= size_max) return out;

  const std::size_t total = ends.size() - 1;
  // The OPT record, if any, survives truncation: a responder must keep signalling EDNS (RFC
  // 6891 §7). Its owner is the root and its RDATA opaque, so its octets hold no pointer and
  // can be moved anywhere.
  std::optional<std::size_t> opt_index;
  for (std::size_t j = 0; j < additional.size(); ++j) {
    if (additional[j].type() == DnsType::OPT && additional[j].name.is_root()) {
      opt_index = answers.size() + authority.size() + j;
      break;
    }
  }
  Bytes opt_bytes;
  if (opt_index) {
    opt_bytes.assign(out.begin() + static_cast<std::ptrdiff_t>(ends[*opt_index]),
                     out.begin() + static_cast<std::ptrdiff_t>(ends[*opt_index + 1]));
  }
  const auto kept_size = [&](std::size_t k) {
    return ends[k] + ((opt_index && *opt_index >= k) ? opt_bytes.size() : 0);
  };
  std::size_t keep = 0;
  for (std::size_t k = total; k-- > 0;) {
    if (kept_size(k) <= size_max) {
      keep = k;
      break;
    }
  }
  out.resize(ends[keep]);
  const bool opt_moved = opt_index && *opt_index >= keep;
  if (opt_moved) out.insert(out.end(), opt_bytes.begin(), opt_bytes.end());

  const std::size_t answers_kept = std::min(keep, answers.size());
  const std::size_t authority_kept = std::min(keep - answers_kept, authority.size());
  const std::size_t additional_kept = keep - answers_kept - authority_kept + (opt_moved ? 1 : 0);
  write_u16(out, 6, static_cast<std::uint16_t>(answers_kept));
  write_u16(out, 8, static_cast<std::uint16_t>(authority_kept));
  write_u16(out, 10, static_cast<std::uint16_t>(additional_kept));
  DnsFlags truncated = flags;
  truncated.tc = true;
  write_u16(out, 2, truncated.to_wire());
  return out;
}

}  // namespace mailscope::wire
