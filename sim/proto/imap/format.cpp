#include "proto/imap/format.h"

#include <variant>

namespace mailscope::imap {
namespace {

bool needs_literal(std::string_view text) {
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\r' || c == '\n' || c == '\0' || u >= 0x80) return true;
  }
  return false;
}

bool is_astring_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u >= 0x7f) return false;
  switch (c) {
    case '(':
    case ')':
    case '{':
    case '%':
    case '*':
    case '"':
    case '\\':
      return false;
    default:
      return true;
  }
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

void append_params(std::string& out, const mail::Parameters& params) {
  if (params.empty()) {
    out += "NIL";
    return;
  }
  out += '(';
  bool first = true;
  for (const auto& [name, value] : params) {
    if (!first) out += ' ';
    first = false;
    append_string(out, upper(name));
    out += ' ';
    append_string(out, value);
  }
  out += ')';
}

void append_address(std::string& out, const mail::Mailbox& m) {
  out += '(';
  append_nstring(out, m.display_name.empty() ? std::nullopt : std::optional(m.display_name));
  out += ' ';
  append_nstring(out, m.route.empty() ? std::nullopt : std::optional(m.route));
  out += ' ';
  append_string(out, m.local_part);
  out += ' ';
  append_string(out, m.domain);
  out += ')';
}

void append_addresses(std::string& out, const std::vector<mail::AddressItem>& items) {
  if (items.empty()) {
    out += "NIL";
    return;
  }
  out += '(';
  for (const mail::AddressItem& item : items) {
    if (const auto* m = std::get_if<mail::Mailbox>(&item)) {
      append_address(out, *m);
    } else {
      // RFC 3501 7.4.2: a group is a start marker with the group's name as mailbox and a NIL
      // host, its members, then an end marker with NIL mailbox and host.
      const auto& group = std::get<mail::Group>(item);
      out += "(NIL NIL ";
      append_string(out, group.display_name);
      out += " NIL)";
      for (const mail::Mailbox& member : group.members)
        append_address(out, member);
      out += "(NIL NIL NIL NIL)";
    }
  }
  out += ')';
}

// body-fld-dsp SP body-fld-lang SP body-fld-loc: the extension data shared by every part.
void append_extension_tail(std::string& out, const mail::MimePart& part) {
  out += ' ';
  if (part.disposition) {
    out += '(';
    append_string(out, upper(part.disposition->value));
    out += ' ';
    append_params(out, part.disposition->params);
    out += ')';
  } else {
    out += "NIL";
  }
  out += ' ';
  if (part.language.empty()) {
    out += "NIL";
  } else if (part.language.size() == 1) {
    append_string(out, part.language.front());
  } else {
    out += '(';
    for (std::size_t i = 0; i < part.language.size(); ++i) {
      if (i > 0) out += ' ';
      append_string(out, part.language[i]);
    }
    out += ')';
  }
  out += ' ';
  append_nstring(out, part.location);
}

void append_body(std::string& out, const mail::MimePart& part, bool extensible, int depth);

void append_leaf(std::string& out, const mail::MimePart& part, bool extensible, int depth) {
  const mail::MediaType& type = part.content_type;
  out += '(';
  append_string(out, upper(type.type));
  out += ' ';
  append_string(out, upper(type.subtype));
  out += ' ';
  append_params(out, type.params);
  out += ' ';
  append_nstring(out, part.content_id);
  out += ' ';
  append_nstring(out, part.description);
  out += ' ';
  append_string(out, upper(part.transfer_encoding));
  out += ' ' + std::to_string(part.body_size);
  if (part.kind == mail::PartKind::Message && !part.children.empty()) {
    const mail::MimePart& inner = part.children.front();
    out += ' ' + format_envelope(mail::make_envelope(inner)) + ' ';
    append_body(out, inner, extensible, depth + 1);
    out += ' ' + std::to_string(part.body_lines);
  } else if (type.type == "text") {
    out += ' ' + std::to_string(part.body_lines);
  }
  if (extensible) {
    out += ' ';
    append_nstring(out, part.md5);
    append_extension_tail(out, part);
  }
  out += ')';
}

void append_body(std::string& out, const mail::MimePart& part, bool extensible, int depth) {
  // The MIME parser bounds nesting; this guard only protects against a malformed tree.
  if (part.kind != mail::PartKind::Multipart || part.children.empty() || depth > 64) {
    append_leaf(out, part, extensible, depth);
    return;
  }
  out += '(';
  for (const mail::MimePart& child : part.children)
    append_body(out, child, extensible, depth + 1);
  out += ' ';
  append_string(out, upper(part.content_type.subtype));
  if (extensible) {
    out += ' ';
    append_params(out, part.content_type.params);
    append_extension_tail(out, part);
  }
  out += ')';
}

}  // namespace

void append_string(std::string& out, std::string_view text) {
  if (needs_literal(text)) {
    out += '{' + std::to_string(text.size()) + "}\r\n";
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

void append_nstring(std::string& out, const std::optional<std::string>& text) {
  if (!text) {
    out += "NIL";
  } else {
    append_string(out, *text);
  }
}

void append_astring(std::string& out, std::string_view text) {
  bool atom = !text.empty() && !(text.size() == 3 && upper(text) == "NIL");
  for (char c : text) {
    if (!is_astring_char(c)) atom = false;
  }
  if (atom) {
    out += text;
  } else {
    append_string(out, text);
  }
}

std::string format_flags(const mail::FlagSet& flags, bool recent) {
  std::string out = "(";
  bool first = true;
  auto add = [&](std::string_view name) {
    if (!first) out += ' ';
    first = false;
    out += name;
  };
  using mail::SystemFlag;
  if (flags.has(SystemFlag::Answered)) add("\\Answered");
  if (flags.has(SystemFlag::Flagged)) add("\\Flagged");
  if (flags.has(SystemFlag::Deleted)) add("\\Deleted");
  if (flags.has(SystemFlag::Seen)) add("\\Seen");
  if (flags.has(SystemFlag::Draft)) add("\\Draft");
  if (recent) add("\\Recent");
  for (const std::string& keyword : flags.keywords)
    add(keyword);
  out += ')';
  return out;
}

std::string format_envelope(const mail::Envelope& e) {
  std::string out = "(";
  append_nstring(out, e.date);
  out += ' ';
  append_nstring(out, e.subject);
  for (const auto* list : {&e.from, &e.sender, &e.reply_to, &e.to, &e.cc, &e.bcc}) {
    out += ' ';
    append_addresses(out, *list);
  }
  out += ' ';
  append_nstring(out, e.in_reply_to);
  out += ' ';
  append_nstring(out, e.message_id);
  out += ')';
  return out;
}

std::string format_body_structure(const mail::MimePart& part, bool extensible) {
  std::string out;
  append_body(out, part, extensible, 0);
  return out;
}

}  // namespace mailscope::imap
