#pragma once
// Envelope addresses as RFC 5321 §4.1.2 writes them: Reverse-path and Forward-path, with the
// local-part as a dot-string or a quoted-string and the domain as a name or an address literal.
//
// Errors name the field that failed in Error::where, so the server can choose its reply:
//   "path"        — the whole path (syntax, or longer than 256 octets)
//   "local-part"  — longer than 64 octets or bad characters
//   "domain"      — a bad name, label or address literal
//   "route"       — a bad source route

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace mailscope::smtp {

constexpr std::size_t kLocalPartMax = 64;  // RFC 5321 §4.5.3.1.1
constexpr std::size_t kDomainMax = 255;    // RFC 5321 §4.5.3.1.2
constexpr std::size_t kPathMax = 256;      // RFC 5321 §4.5.3.1.3, angle brackets included
constexpr std::size_t kLabelMax = 63;      // RFC 1035 §2.3.4

struct Mailbox {
  std::string local_part;  // as written: a quoted-string keeps its quotes and backslashes
  std::string domain;      // a name, or an address literal with its brackets ("[192.0.2.1]")

  bool quoted() const { return !local_part.empty() && local_part.front() == '"'; }
  std::string to_string() const { return domain.empty() ? local_part : local_part + "@" + domain; }
  bool operator==(const Mailbox&) const = default;
};

enum class PathKind { Reverse, Forward };

struct Path {
  bool null = false;  // the null reverse-path "<>" used by bounces (RFC 5321 §4.5.5)
  Mailbox mailbox;
  // A-d-l, obsolete source route ("<@a,@b:user@c>" gives {"a", "b"}); RFC 5321 §C says a
  // server should ignore it, and relays refuse it (see docs/smtp.md).
  std::vector<std::string> source_route;
  // "<Postmaster>" without a domain, which RFC 5321 §4.5.1 obliges every server to accept.
  bool postmaster_only = false;

  // The path as it goes on the wire: "<>" or "<user@domain>" (the route is dropped).
  std::string to_string() const;
  bool operator==(const Path&) const = default;
};

struct ParsedPath {
  Path path;
  std::string_view rest;  // what follows the path: the parameters, with leading spaces
};

// Parses a path at the start of text. Angle brackets are expected; like Postfix, a bare
// mailbox without them is tolerated up to the first space.
Result<ParsedPath> parse_path(std::string_view text, PathKind kind);
// Parses exactly one mailbox ("user@example.com"), no brackets, nothing after it.
Result<Mailbox> parse_mailbox(std::string_view text);
// True for a domain name or address literal that RFC 5321 accepts.
bool valid_domain(std::string_view domain);

}  // namespace mailscope::smtp
