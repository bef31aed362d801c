// DNS message parsing. Every read is preceded by a bounds check against the message (or, for
// octets that belong to a record, against the end of its RDATA), and name decompression follows
// RFC 9267: a compression pointer must point strictly before the name (or the suffix) that
// contains it, which rules out loops, self references and forward references in one test and
// bounds the work by the message size.

#include <algorithm>
#include <string>

#include "wire/dns_message.h"

namespace mailscope::wire {
namespace {

constexpr std::size_t kQuestionSizeMin = 5;  // root name + type + class
constexpr std::size_t kRecordSizeMin = 11;   // root name + type + class + ttl + rdlength

// Names a field for an Error without building strings unless an error happens.
struct FieldPath {
  const char* section;  // "header", "question", "answer", ...
  std::size_t index;    // element within the section; npos for the header
  const char* leaf;     // "name", "rdata.exchange", ...

  std::string to_string() const {
    std::string out = section;
    if (index != std::string::npos) out += "[" + std::to_string(index) + "]";
    out += '.';
    out += leaf;
    return out;
  }
  FieldPath with_leaf(const char* other) const { return FieldPath{section, index, other}; }
};

Error error_at(std::string what, const FieldPath& field, std::size_t offset) {
  return make_error(std::move(what), field.to_string(), offset);
}

struct NameRead {
  DnsName name;
  std::size_t next = 0;  // first octet after the name's in-place octets
};

// Reads a possibly compressed name at `offset`. Its in-place octets must end before `end`
// (the end of the RDATA or of the message); octets reached through a pointer may lie anywhere
// before the pointer's target limit.
Result<NameRead> read_name(ByteView msg, std::size_t offset, std::size_t end,
                           const FieldPath& field) {
  NameRead out;
  std::size_t pos = offset;
  std::size_t bound = end;
  // A pointer target must be below `limit`: first the name's own start, then each target in
  // turn. Strictly decreasing targets cannot loop.
  std::size_t limit = offset;
  bool jumped = false;
  std::size_t wire_length = 1;
  for (;;) {
    if (pos >= bound) {
      return error_at(
          bound == msg.size() ? "name runs past the end of the message" : "name runs past RDLENGTH",
          field, pos);
    }
    const std::uint8_t octet = msg[pos];
    const std::uint8_t kind = octet & 0xc0;
    if (kind == 0xc0) {
      if (pos + 1 >= bound) return error_at("compression pointer cut short", field, pos);
      const std::size_t target = (std::size_t{octet & 0x3fu} << 8) | msg[pos + 1];
      if (target >= msg.size()) return error_at("compression pointer out of range", field, pos);
      if (target >= limit) {
        return error_at("compression pointer does not point backwards (loop or forward reference)",
                        field, pos);
      }
      if (target < DnsMessage::kHeaderLength) {
        return error_at("compression pointer into the header", field, pos);
      }
      if (!jumped) out.next = pos + 2;
      jumped = true;
      limit = target;
      pos = target;
      bound = msg.size();
      continue;
    }
    if (kind != 0) {
      return error_at(
          kind == 0x40 ? "reserved label type 0x40 (extended label)" : "reserved label type 0x80",
          field, pos);
    }
    if (octet == 0) {
      if (!jumped) out.next = pos + 1;
      return out;
    }
    if (pos + 1 + octet > bound) {
      return error_at(bound == msg.size() ? "label runs past the end of the message"
                                          : "label runs past RDLENGTH",
                      field, pos);
    }
    wire_length += 1 + std::size_t{octet};
    if (wire_length > DnsName::kWireLengthMax) {
      return error_at("name longer than 255 octets", field, pos);
    }
    const auto* first = reinterpret_cast<const char*>(msg.data() + pos + 1);
    out.name.append_label(std::string_view(first, octet));  // fits: checked just above
    pos += 1 + std::size_t{octet};
  }
}

// Reads a name inside RDATA and records where it lies.
Result<NameRead> read_rdata_name(ByteView msg, std::size_t offset, std::size_t end,
                                 const FieldPath& field, std::vector<DnsSpan>* spans) {
  auto read = read_name(msg, offset, end, field);
  if (read.ok() && spans != nullptr) {
    spans->push_back(DnsSpan{static_cast<std::uint32_t>(offset),
                             static_cast<std::uint32_t>(read->next - offset)});
  }
  return read;
}

std::optional<Error> expect_filled(std::size_t at, std::size_t end, const FieldPath& field) {
  if (at == end) return std::nullopt;
  return error_at("RDATA has " + std::to_string(end - at) + " octet(s) after its content", field,
                  at);
}

std::optional<Error> expect_length(std::size_t length, std::size_t wanted, const char* type,
                                   const FieldPath& field, std::size_t at) {
  if (length == wanted) return std::nullopt;
  return error_at(std::string(type) + " RDATA must be " + std::to_string(wanted) +
                      " octets, RDLENGTH is " + std::to_string(length),
                  field, at);
}

// Decodes RDATA at [start, start + length). Typed decoding applies to class IN only: other
// classes (CH, or the ANY/NONE of dynamic updates, whose RDATA may be empty) stay opaque.
Result<DnsRdata> decode_rdata(ByteView msg, std::uint16_t type, DnsClass rclass, std::size_t start,
                              std::size_t length, const FieldPath& record,
                              std::vector<DnsSpan>* names) {
  const std::size_t end = start + length;
  const auto opaque = [&]() -> DnsRdata {
    return DnsOpaque{type, Bytes(msg.begin() + static_cast<std::ptrdiff_t>(start),
                                 msg.begin() + static_cast<std::ptrdiff_t>(end))};
  };
  if (rclass != DnsClass::IN) return opaque();

  const auto typed = static_cast<DnsType>(type);
  switch (typed) {
    case DnsType::A: {
      if (auto e = expect_length(length, 4, "A", record.with_leaf("rdata"), start)) return *e;
      return DnsRdata{DnsA{Ipv4Addr{read_u32(msg, start)}}};
    }
    case DnsType::AAAA: {
      if (auto e = expect_length(length, 16, "AAAA", record.with_leaf("rdata"), start)) return *e;
      DnsAaaa aaaa;
      std::copy_n(msg.begin() + static_cast<std::ptrdiff_t>(start), 16, aaaa.address.begin());
      return DnsRdata{aaaa};
    }
    case DnsType::NS:
    case DnsType::CNAME:
    case DnsType::PTR: {
      const auto field = record.with_leaf(typed == DnsType::NS      ? "rdata.nsdname"
                                          : typed == DnsType::CNAME ? "rdata.cname"
                                                                    : "rdata.ptrdname");
      auto read = read_rdata_name(msg, start, end, field, names);
      if (!read) return read.error();
      if (auto e = expect_filled(read->next, end, field)) return *e;
      if (typed == DnsType::NS) return DnsRdata{DnsNs{std::move(read->name)}};
      if (typed == DnsType::CNAME) return DnsRdata{DnsCname{std::move(read->name)}};
      return DnsRdata{DnsPtr{std::move(read->name)}};
    }
    case DnsType::MX: {
      if (length < 3) {
        return error_at("MX RDATA shorter than 3 octets", record.with_leaf("rdata.preference"),
                        start);
      }
      DnsMx mx;
      mx.preference = read_u16(msg, start);
      const auto field = record.with_leaf("rdata.exchange");
      auto read = read_rdata_name(msg, start + 2, end, field, names);
      if (!read) return read.error();
      if (auto e = expect_filled(read->next, end, field)) return *e;
      mx.exchange = std::move(read->name);
      return DnsRdata{std::move(mx)};
    }
    case DnsType::TXT: {
      const auto field = record.with_leaf("rdata.txt");
      if (length == 0) return error_at("TXT RDATA holds no character-string", field, start);
      DnsTxt txt;
      std::size_t at = start;
      while (at < end) {
        const std::size_t size = msg[at];
        if (at + 1 + size > end) return error_at("character-string runs past RDLENGTH", field, at);
        txt.strings.emplace_back(reinterpret_cast<const char*>(msg.data() + at + 1), size);
        at += 1 + size;
      }
      return DnsRdata{std::move(txt)};
    }
    case DnsType::SOA: {
      DnsSoa soa;
      auto mname = read_rdata_name(msg, start, end, record.with_leaf("rdata.mname"), names);
      if (!mname) return mname.error();
      auto rname = read_rdata_name(msg, mname->next, end, record.with_leaf("rdata.rname"), names);
      if (!rname) return rname.error();
      const std::size_t at = rname->next;
      if (at + 20 > end) {
        return error_at("SOA timers run past RDLENGTH", record.with_leaf("rdata.serial"), at);
      }
      soa.mname = std::move(mname->name);
      soa.rname = std::move(rname->name);
      soa.serial = read_u32(msg, at);
      soa.refresh = read_u32(msg, at + 4);
      soa.retry = read_u32(msg, at + 8);
      soa.expire = read_u32(msg, at + 12);
      soa.minimum = read_u32(msg, at + 16);
      if (auto e = expect_filled(at + 20, end, record.with_leaf("rdata.minimum"))) return *e;
      return DnsRdata{std::move(soa)};
    }
    default:
      return opaque();
  }
}

// Capacity to reserve for `count` elements of at least `size_min` octets each: never more than
// the remaining bytes could hold, so a forged count cannot make us allocate.
std::size_t reserve_for(std::size_t count, std::size_t remaining, std::size_t size_min) {
  return std::min(count, remaining / size_min);
}

}  // namespace

std::optional<Error> parse_dns_partial(ByteView msg, TrailingBytes trailing, DnsMessage& m,
                                       DnsLayout* layout) {
  m = DnsMessage{};
  if (layout != nullptr) *layout = DnsLayout{};
  if (msg.size() < DnsMessage::kHeaderLength) {
    return make_error("message shorter than the 12-octet header", "header", msg.size());
  }
  m.id = read_u16(msg, 0);
  m.flags = DnsFlags::from_wire(read_u16(msg, 2));
  const std::size_t qdcount = read_u16(msg, 4);
  const std::array<std::size_t, 3> rr_counts{read_u16(msg, 6), read_u16(msg, 8), read_u16(msg, 10)};
  std::size_t pos = DnsMessage::kHeaderLength;

  m.questions.reserve(reserve_for(qdcount, msg.size() - pos, kQuestionSizeMin));
  for (std::size_t i = 0; i < qdcount; ++i) {
    const FieldPath field{"question", i, "name"};
    if (pos >= msg.size()) {
      return error_at("QDCOUNT announces more questions than the message holds", field, pos);
    }
    auto name = read_name(msg, pos, msg.size(), field);
    if (!name) return name.error();
    const std::size_t at = name->next;
    if (at + 4 > msg.size()) {
      return error_at("question runs past the end of the message", field.with_leaf("type"), at);
    }
    m.questions.push_back(DnsQuestion{std::move(name->name),
                                      static_cast<DnsType>(read_u16(msg, at)),
                                      static_cast<DnsClass>(read_u16(msg, at + 2))});
    if (layout != nullptr) {
      layout->questions.push_back(DnsQuestionLayout{
          DnsSpan{static_cast<std::uint32_t>(pos), static_cast<std::uint32_t>(at + 4 - pos)},
          DnsSpan{static_cast<std::uint32_t>(pos), static_cast<std::uint32_t>(at - pos)}});
    }
    pos = at + 4;
  }

  static constexpr std::array<const char*, 3> kSectionNames{"answer", "authority", "additional"};
  static constexpr std::array<const char*, 3> kCountNames{"ANCOUNT", "NSCOUNT", "ARCOUNT"};
  std::array<std::vector<DnsRecord>*, 3> sections{&m.answers, &m.authority, &m.additional};
  for (std::size_t s = 0; s < 3; ++s) {
    auto& records = *sections[s];
    records.reserve(reserve_for(rr_counts[s], msg.size() - pos, kRecordSizeMin));
    for (std::size_t i = 0; i < rr_counts[s]; ++i) {
      const FieldPath field{kSectionNames[s], i, "name"};
      if (pos >= msg.size()) {
        return error_at(
            std::string(kCountNames[s]) + " announces more records than the message holds", field,
            pos);
      }
      const std::size_t record_start = pos;
      auto name = read_name(msg, pos, msg.size(), field);
      if (!name) return name.error();
      const std::size_t at = name->next;
      if (at + 10 > msg.size()) {
        return error_at("record header runs past the end of the message", field.with_leaf("type"),
                        at);
      }
      const std::uint16_t type = read_u16(msg, at);
      const auto rclass = static_cast<DnsClass>(read_u16(msg, at + 2));
      const std::uint32_t ttl = read_u32(msg, at + 4);
      const std::size_t rdlength = read_u16(msg, at + 8);
      const std::size_t rdata_start = at + 10;
      if (rdata_start + rdlength > msg.size()) {
        return error_at(
            "RDLENGTH " + std::to_string(rdlength) + " runs past the end of the message",
            field.with_leaf("rdlength"), at + 8);
      }
      DnsRecordLayout record_layout;
      auto rdata = decode_rdata(msg, type, rclass, rdata_start, rdlength, field,
                                layout != nullptr ? &record_layout.rdata_names : nullptr);
      if (!rdata) return rdata.error();
      records.push_back(DnsRecord{std::move(name->name), rclass, ttl, std::move(rdata.value())});
      pos = rdata_start + rdlength;
      if (layout != nullptr) {
        record_layout.whole = {static_cast<std::uint32_t>(record_start),
                               static_cast<std::uint32_t>(pos - record_start)};
        record_layout.name = {static_cast<std::uint32_t>(record_start),
                              static_cast<std::uint32_t>(at - record_start)};
        record_layout.rdata = {static_cast<std::uint32_t>(rdata_start),
                               static_cast<std::uint32_t>(rdlength)};
        layout->records.push_back(std::move(record_layout));
      }
    }
  }

  if (pos != msg.size() && trailing == TrailingBytes::Reject) {
    return make_error(std::to_string(msg.size() - pos) + " octets after the last record", "message",
                      pos);
  }
  return std::nullopt;
}

Result<DnsMessage> DnsMessage::parse(ByteView bytes, TrailingBytes trailing) {
  DnsMessage message;
  if (auto error = parse_dns_partial(bytes, trailing, message, nullptr)) return *error;
  return message;
}

}  // namespace mailscope::wire
