#include "mail/builder.h"

#include <cinttypes>
#include <cstdio>

#include "mail/base64.h"
#include "mail/date_time.h"
#include "mail/text.h"

namespace mailscope::mail {
namespace {

bool is_ascii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

bool is_printable_ascii(std::string_view text) {
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) return false;
  }
  return true;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\r' || c == '\n') continue;
    out += c;
  }
  out += '"';
  return out;
}

// Body text with CRLF line ends, ending in CRLF unless it is empty.
std::string body_text(std::string_view text) {
  std::string out = normalize_crlf(text);
  if (!out.empty() && out.back() != '\n') out += "\r\n";
  return out;
}

std::string common_fields(const NewMessage& m) {
  std::string out;
  if (!m.date.empty()) out += format_field("Date", m.date);
  out += format_field("From", m.from);
  if (!m.to.empty()) out += format_field("To", join(m.to));
  if (!m.cc.empty()) out += format_field("Cc", join(m.cc));
  out += format_field("Subject", encode_header_text(m.subject));
  if (!m.message_id.empty()) out += format_field("Message-ID", m.message_id);
  if (!m.in_reply_to.empty()) out += format_field("In-Reply-To", m.in_reply_to);
  for (const auto& [name, value] : m.extra_fields)
    out += format_field(name, value);
  out += "MIME-Version: 1.0\r\n";
  return out;
}

std::string text_part_fields(std::string_view text) {
  if (is_ascii(text)) {
    return "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n";
  }
  return "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n";
}

}  // namespace

std::string build_text_message(const NewMessage& message) {
  std::string out = common_fields(message);
  out += text_part_fields(message.text);
  out += "\r\n";
  out += body_text(message.text);
  return out;
}

std::string build_mixed_message(const NewMessage& message, std::span<const Attachment> attachments,
                                std::string_view boundary) {
  const std::string delimiter = "--" + std::string(boundary);
  std::string out = common_fields(message);
  out += "Content-Type: multipart/mixed; boundary=" + quoted(boundary) + "\r\n";
  out += "\r\nThis is a multi-part message in MIME format.\r\n";
  // Each part's body ends with its own CRLF; the CRLF written before the delimiter belongs to the
  // delimiter (RFC 2046 5.1.1), so the part keeps its last line break.
  out += "\r\n" + delimiter + "\r\n";
  out += text_part_fields(message.text);
  out += "\r\n";
  out += body_text(message.text);
  for (const Attachment& attachment : attachments) {
    out += "\r\n" + delimiter + "\r\n";
    out += "Content-Type: " + attachment.content_type + "; name=" + quoted(attachment.filename) +
           "\r\n";
    out += "Content-Disposition: attachment; filename=" + quoted(attachment.filename) + "\r\n";
    out += "Content-Transfer-Encoding: base64\r\n\r\n";
    out += base64_encode(attachment.data, 76);
  }
  out += "\r\n" + delimiter + "--\r\n";
  return out;
}

std::string make_boundary(Rng& rng) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "=_ms_%016" PRIx64, rng.next_u64());
  return buf;
}

std::string make_message_id(std::int64_t unix_seconds, std::uint64_t unique,
                            std::string_view host) {
  const CivilDate date = civil_from_days(unix_seconds >= 0 ? unix_seconds / 86400 : 0);
  const std::int64_t in_day = unix_seconds >= 0 ? unix_seconds % 86400 : 0;
  char buf[80];
  std::snprintf(buf, sizeof buf, "<%04lld%02u%02u%02lld%02lld%02lld.%016" PRIx64 "@",
                static_cast<long long>(date.year), date.month, date.day,
                static_cast<long long>(in_day / 3600), static_cast<long long>(in_day % 3600 / 60),
                static_cast<long long>(in_day % 60), unique);
  return std::string(buf) + std::string(host) + ">";
}

std::string encode_header_text(std::string_view utf8) {
  if (is_printable_ascii(utf8)) return std::string(utf8);
  // Encoded words are at most 75 characters (RFC 2047 2): "=?utf-8?B?" + 60 + "?=" leaves room.
  // Cut the text only between UTF-8 characters so that each word decodes on its own.
  constexpr std::size_t kChunk = 45;  // 45 bytes -> 60 base64 characters
  std::string out;
  std::size_t at = 0;
  while (at < utf8.size()) {
    std::size_t end = at + kChunk < utf8.size() ? at + kChunk : utf8.size();
    while (end < utf8.size() && end > at + 1 &&
           (static_cast<unsigned char>(utf8[end]) & 0xC0) == 0x80) {
      --end;
    }
    if (!out.empty()) out += ' ';
    out += "=?utf-8?B?" + base64_encode(utf8.substr(at, end - at)) + "?=";
    at = end;
  }
  return out;
}

std::string make_received_field(const ReceivedInfo& info) {
  std::string out = "Received: from " + info.from_helo;
  const std::string& host = info.from_host.empty() ? std::string("unknown") : info.from_host;
  out += " (" + host + " [" + info.from_ip + "])\r\n";
  out += "\tby " + info.by_host + " with " + info.protocol;
  if (!info.id.empty()) out += " id " + info.id;
  if (info.for_recipient.empty()) {
    out += ";\r\n\t" + info.date + "\r\n";
  } else {
    out += "\r\n\tfor <" + info.for_recipient + ">; " + info.date + "\r\n";
  }
  return out;
}

std::string make_return_path_field(std::string_view reverse_path) {
  return "Return-Path: <" + std::string(reverse_path) + ">\r\n";
}

Message add_missing_fields(const Message& message, const MissingFieldValues& values,
                           std::vector<std::string>* added_names) {
  Message out = message;
  if (!values.date.empty() && out.field("Date") == nullptr) {
    out = out.with_appended_field(format_field("Date", values.date));
    if (added_names != nullptr) added_names->emplace_back("Date");
  }
  if (!values.message_id.empty() && out.field("Message-ID") == nullptr) {
    out = out.with_appended_field(format_field("Message-ID", values.message_id));
    if (added_names != nullptr) added_names->emplace_back("Message-ID");
  }
  return out;
}

}  // namespace mailscope::mail
