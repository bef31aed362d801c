#pragma once
// Building messages: new messages as a mail user agent writes them (plain text, or
// multipart/mixed with base64 attachments), the trace fields an MTA prepends (Received:,
// Return-Path:), and the Date:/Message-ID: a submission server adds when they are missing.
//
// Everything is deterministic: dates, message ids and boundaries are passed in or drawn from
// the Rng handed in.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/rng.h"
#include "mail/message.h"

namespace mailscope::mail {

struct NewMessage {
  std::string from;             // "Alice <alice@example.com>"
  std::vector<std::string> to;  // each one address, display name allowed
  std::vector<std::string> cc;
  std::string subject;      // UTF-8; encoded per RFC 2047 when it is not plain ASCII
  std::string date;         // RFC 5322 date-time; empty leaves Date: out
  std::string message_id;   // "<id@host>"; empty leaves Message-ID: out
  std::string in_reply_to;  // empty leaves it out
  std::vector<std::pair<std::string, std::string>> extra_fields;  // appended as given
  std::string text;  // the body text; line ends become CRLF
};

struct Attachment {
  std::string filename;  // ASCII; written as a quoted string
  std::string content_type = "application/octet-stream";
  std::string data;  // raw bytes; sent as base64 in 76-character lines
};

// text/plain message (7bit when the text is ASCII, else 8bit UTF-8).
std::string build_text_message(const NewMessage& message);
// multipart/mixed: the text part first, then one part per attachment.
std::string build_mixed_message(const NewMessage& message, std::span<const Attachment> attachments,
                                std::string_view boundary);

// A boundary that cannot occur in base64 or in ordinary text ("=_" starts it).
std::string make_boundary(Rng& rng);
// "<20240902090000.00c0ffee12345678@host>" from a time and a unique number.
std::string make_message_id(std::int64_t unix_seconds, std::uint64_t unique, std::string_view host);
// The text as is when it is printable ASCII, else one or more RFC 2047 "B" encoded words.
std::string encode_header_text(std::string_view utf8);

// One Received: field (RFC 5321 4.4), for example
//   Received: from client.example.com (client.example.com [10.0.1.10])
//   	by mx.example.org with ESMTPS id 0000000A
//   	for <bob@example.org>; Mon, 02 Sep 2024 09:00:00 +0000
struct ReceivedInfo {
  std::string from_helo;           // the name the client gave in EHLO/HELO
  std::string from_host;           // the client's name as the server knows it (may be empty)
  std::string from_ip;             // "10.0.1.10"
  std::string by_host;             // this server's name
  std::string protocol = "ESMTP";  // SMTP, ESMTP, ESMTPS, ESMTPSA (RFC 3848)
  std::string id;                  // queue id (may be empty)
  std::string for_recipient;       // one recipient, without brackets (may be empty)
  std::string date;                // RFC 5322 date-time
};
std::string make_received_field(const ReceivedInfo& info);
// "Return-Path: <alice@example.com>" (or "<>" for a null reverse path), CRLF-terminated.
std::string make_return_path_field(std::string_view reverse_path);

// The fields a submission server adds when absent (RFC 6409 8.2, 8.3). Empty values mean "do
// not add". Returns the message unchanged (same bytes) when nothing was missing.
struct MissingFieldValues {
  std::string date;
  std::string message_id;
};
Message add_missing_fields(const Message& message, const MissingFieldValues& values,
                           std::vector<std::string>* added_names = nullptr);

}  // namespace mailscope::mail
