#pragma once
// Text for trace events, shared by every export: one-line descriptions, the lines of an
// application message, credential masking and a TLS record's header.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/trace.h"
#include "wire/bytes.h"

namespace mailscope::exporter {

// "IPv4 10.0.1.10 → 10.0.2.25 TTL=64 proto=TCP len=60", "DROP (loss): TCP 25 → 49152 [ACK] ...",
// "SYN_SENT -> ESTABLISHED", "EHLO client.example.com", "Standard query 0x1a2b MX gmail.com".
// No time or node: callers add them. Never longer than kDescriptionCharsMax.
constexpr std::size_t kDescriptionCharsMax = 300;
std::string describe_event(const Trace& trace, const TraceEvent& event);

// The application protocol of the event's flow ("smtp", "dns", ...), empty when none.
std::string_view application_of(const Trace& trace, const TraceEvent& event);

// L7 events whose detail has bit 0 set carry credentials (docs/trace-events.md).
constexpr std::uint16_t kDetailCredentials = 1;
inline bool carries_credentials(const TraceEvent& e) {
  return e.layer == Layer::Application && (e.detail & kDetailCredentials) != 0;
}

// The lines of a text message without their CR LF / LF ends. A final line end does not start
// an empty line; "a\r\n\r\nb" gives "a", "", "b".
std::vector<std::string_view> split_lines(std::string_view text);

// The line as a terminal can show it: control bytes other than tab become "\xNN"; bytes from
// 0x80 up pass through (UTF-8). Cut after `chars_max` bytes of input with "…".
std::string printable_line(std::string_view line, std::size_t chars_max);

// Replaces the secret part of a line that carries credentials by "********", keeping the verbs
// a reader needs: "AUTH PLAIN AGFs..." -> "AUTH PLAIN ********", "a1 LOGIN alice s3cret" ->
// "a1 LOGIN alice ********", "PASS s3cret" -> "PASS ********", a bare base64 line -> "********".
constexpr std::string_view kMask = "********";
std::string mask_credentials(std::string_view line);

// A TLS record header: "TLS record: application data, TLSv1.2 framing, 45 bytes"; for bytes
// that are not a record, a hex preview.
std::string tls_record_summary(wire::ByteView bytes);

// The text of an application message as bytes (SMTP, IMAP and POP3 events hold text lines).
inline std::string_view as_text(wire::ByteView bytes) {
  return std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

}  // namespace mailscope::exporter
