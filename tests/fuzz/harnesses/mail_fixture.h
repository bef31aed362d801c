#pragma once
// The small mail store the IMAP and POP3 harnesses run against: users alice (password s3cret)
// and bob (hunter2); alice's INBOX holds a plain message, a multipart one with an attachment and
// a message/rfc822 forward, and a line starting with "." for POP3's byte-stuffing. Built fresh
// for every input, so runs do not influence each other.

#include <memory>
#include <string>
#include <string_view>

#include "core/time.h"
#include "mail/mail_store.h"

namespace mailscope::fuzz {

inline constexpr std::string_view kPlainMessage =
    "From: Alice <alice@example.com>\r\n"
    "To: bob@example.org\r\n"
    "Subject: Lunch\r\n"
    "Date: Mon, 02 Sep 2024 08:00:00 +0000\r\n"
    "Message-ID: <1@example.com>\r\n"
    "\r\n"
    "See you at noon.\r\n"
    ".hidden dot line\r\n";

inline constexpr std::string_view kMultipartMessage =
    "From: Carol <carol@example.net>\r\n"
    "To: alice@example.com, \"Bob B.\" <bob@example.org>\r\n"
    "Cc: Team: eve@example.net;\r\n"
    "Subject: =?utf-8?B?UmFwcG9ydA==?=\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"XX\"\r\n"
    "\r\n"
    "--XX\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Figures attached.\r\n"
    "--XX\r\n"
    "Content-Type: application/pdf; name=\"q3.pdf\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "Content-Disposition: attachment; filename=\"q3.pdf\"\r\n"
    "\r\n"
    "JVBERi0xLjQK\r\n"
    "--XX\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "Subject: inner\r\n"
    "From: dave@example.org\r\n"
    "\r\n"
    "Forwarded body.\r\n"
    "--XX--\r\n";

// What 0x1F 'D' delivers.
inline constexpr std::string_view kArrivingMessage =
    "From: Eve <eve@example.net>\r\n"
    "Subject: New\r\n"
    "\r\n"
    "Just arrived.\r\n";

inline std::unique_ptr<mail::MailStore> make_fuzz_store() {
  auto store = std::make_unique<mail::MailStore>();
  (void)store->add_user("alice");
  (void)store->add_user("bob");
  (void)store->deliver("alice", kPlainMessage, 1 * kMinute);
  (void)store->deliver("alice", kMultipartMessage, 2 * kMinute);
  (void)store->deliver("alice", kArrivingMessage, 3 * kMinute);
  (void)store->deliver("bob", kPlainMessage, 4 * kMinute);
  return store;
}

inline bool password_ok(std::string_view user, std::string_view password) {
  return (user == "alice" && password == "s3cret") || (user == "bob" && password == "hunter2");
}

// True when `bytes` is one or more lines, each ended by CRLF (a literal inside may hold any
// bytes, so only the end is checked).
inline bool ends_with_crlf(std::string_view bytes) {
  return bytes.size() >= 2 && bytes.substr(bytes.size() - 2) == "\r\n";
}

}  // namespace mailscope::fuzz
