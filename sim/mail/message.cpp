#include "mail/message.h"

#include <algorithm>

#include "mail/text.h"

namespace mailscope::mail {
namespace {

std::vector<AddressItem> addresses(const MimePart& part, std::string_view name,
                                   const ParseLimits& limits) {
  // Several fields of the same name (not allowed, but seen) are read as one list.
  std::vector<AddressItem> out;
  for (const HeaderField& field : part.header) {
    if (!field.is(name)) continue;
    AddressList list = parse_address_list(field.value, limits);
    for (AddressItem& item : list.items)
      out.push_back(std::move(item));
  }
  return out;
}

std::optional<std::string> field_value(const MimePart& part, std::string_view name) {
  if (const HeaderField* field = part.field(name)) return field->value;
  return std::nullopt;
}

std::string ensure_crlf(std::string_view field_text) {
  std::string out(field_text);
  if (out.empty() || out.back() != '\n') out += "\r\n";
  return out;
}

std::string subset(std::string_view bytes, const MimePart& message, const Section& section) {
  const bool include = section.text == SectionText::HeaderFields;
  std::string out;
  for (const HeaderField& field : message.header) {
    const bool listed = std::any_of(section.field_names.begin(), section.field_names.end(),
                                    [&](const std::string& name) { return field.is(name); });
    if (listed != include) continue;
    out += bytes.substr(field.offset, field.size);
    if (out.back() != '\n') out += "\r\n";
  }
  out += "\r\n";
  return out;
}

}  // namespace

std::string_view partial(std::string_view data, std::uint64_t origin, std::uint64_t count) {
  if (origin >= data.size()) return {};
  const std::size_t start = static_cast<std::size_t>(origin);
  const std::size_t room = data.size() - start;
  return data.substr(start, count < room ? static_cast<std::size_t>(count) : room);
}

Envelope make_envelope(const MimePart& part, const ParseLimits& limits) {
  Envelope e;
  e.date = field_value(part, "Date");
  e.subject = field_value(part, "Subject");
  e.from = addresses(part, "From", limits);
  e.sender = addresses(part, "Sender", limits);
  e.reply_to = addresses(part, "Reply-To", limits);
  e.to = addresses(part, "To", limits);
  e.cc = addresses(part, "Cc", limits);
  e.bcc = addresses(part, "Bcc", limits);
  e.in_reply_to = field_value(part, "In-Reply-To");
  e.message_id = field_value(part, "Message-ID");
  if (e.sender.empty()) e.sender = e.from;
  if (e.reply_to.empty()) e.reply_to = e.from;
  return e;
}

Message::Message(std::string bytes, const ParseLimits& limits, ParseTag)
    : m_bytes(std::move(bytes)), m_limits(limits) {
  m_root = parse_mime_part(m_bytes, 0, m_bytes.size(), m_limits, m_defects);
}

Message Message::parse(std::string bytes, const ParseLimits& limits) {
  return Message(std::move(bytes), limits, ParseTag{});
}

std::vector<const HeaderField*> Message::fields_named(std::string_view name) const {
  std::vector<const HeaderField*> out;
  for (const HeaderField& field : m_root.header) {
    if (field.is(name)) out.push_back(&field);
  }
  return out;
}

std::string_view Message::header_bytes() const {
  return std::string_view(m_bytes).substr(0, m_root.body_offset);
}

std::string_view Message::body_bytes() const {
  return std::string_view(m_bytes).substr(m_root.body_offset);
}

std::string_view Message::raw(const HeaderField& field) const {
  return std::string_view(m_bytes).substr(field.offset, field.size);
}

Result<const MimePart*> Message::find_part(std::span<const std::uint32_t> path) const {
  const MimePart* node = &m_root;
  bool at_message = true;  // node is a message (the root, or one encapsulated in message/rfc822)
  for (std::size_t k = 0; k < path.size(); ++k) {
    const std::uint32_t n = path[k];
    if (n == 0) return make_error("part numbers start at 1", "section", k);
    if (!at_message && node->kind == PartKind::Message) {
      node = &node->children.front();
      at_message = true;
    }
    if (node->kind == PartKind::Multipart) {
      if (n > node->children.size()) return make_error("no such part", "section", k);
      node = &node->children[n - 1];
    } else if (at_message && n == 1) {
      // Part 1 of a single-part message is its body; the node stays the same.
    } else {
      return make_error("no such part", "section", k);
    }
    at_message = false;
  }
  return node;
}

Result<std::string> Message::section(const Section& section) const {
  const std::string_view all = m_bytes;
  auto slice = [&](std::size_t from, std::size_t to) {
    return std::string(all.substr(from, to - from));
  };
  if (section.part.empty()) {
    switch (section.text) {
      case SectionText::Full:
        return m_bytes;
      case SectionText::Header:
        return slice(m_root.offset, m_root.body_offset);
      case SectionText::Text:
        return slice(m_root.body_offset, m_root.end());
      case SectionText::HeaderFields:
      case SectionText::HeaderFieldsNot:
        return subset(all, m_root, section);
      case SectionText::Mime:
        return make_error("MIME needs a part number", "section");
    }
    return make_error("unknown section", "section");
  }
  auto found = find_part(section.part);
  if (!found.ok()) return found.error();
  const MimePart& part = **found;
  switch (section.text) {
    case SectionText::Full:
      return slice(part.body_offset, part.end());
    case SectionText::Mime:
      return slice(part.offset, part.body_offset);
    case SectionText::Header:
    case SectionText::Text:
    case SectionText::HeaderFields:
    case SectionText::HeaderFieldsNot: {
      if (part.kind != PartKind::Message) {
        return make_error("HEADER and TEXT of a part need a message/rfc822 part", "section");
      }
      const MimePart& inner = part.children.front();
      if (section.text == SectionText::Header) return slice(inner.offset, inner.body_offset);
      if (section.text == SectionText::Text) return slice(inner.body_offset, inner.end());
      return subset(all, inner, section);
    }
  }
  return make_error("unknown section", "section");
}

Message Message::with_prepended_field(std::string_view field_text) const {
  return parse(ensure_crlf(field_text) + m_bytes, m_limits);
}

Message Message::with_appended_field(std::string_view field_text) const {
  std::size_t at = m_root.header.empty() ? m_root.offset : m_root.header.back().end();
  std::string insert;
  if (at > 0 && m_bytes[at - 1] != '\n') insert += "\r\n";  // the last field had no line end
  insert += ensure_crlf(field_text);
  // Without a blank line the body would run straight into the new field; add the separator.
  if (!m_root.header_separated && at < m_bytes.size()) insert += "\r\n";
  std::string bytes = m_bytes;
  bytes.insert(at, insert);
  return parse(std::move(bytes), m_limits);
}

std::string format_field(std::string_view name, std::string_view value) {
  constexpr std::size_t kWidth = 78;
  std::string out;
  out.reserve(name.size() + value.size() + 8);
  out += name;
  out += ": ";
  std::size_t line_start = 0;
  std::string_view rest = value;
  while (!rest.empty()) {
    const std::size_t used = out.size() - line_start;
    if (used + rest.size() <= kWidth) {
      out += rest;
      break;
    }
    // Break at the last space that keeps this line within the width, else at the first space.
    const std::size_t room = kWidth > used ? kWidth - used : 0;
    std::size_t cut = rest.substr(0, room + 1).rfind(' ');
    if (cut == std::string_view::npos || cut == 0) cut = rest.find(' ', 1);
    if (cut == std::string_view::npos) {
      out += rest;
      break;
    }
    out += rest.substr(0, cut);
    out += "\r\n";
    line_start = out.size();
    rest.remove_prefix(cut);  // the continuation line starts with the space
  }
  out += "\r\n";
  return out;
}

}  // namespace mailscope::mail
