#pragma once
// Address lists of From:, To:, Cc:, ... (RFC 5322 3.4), in the shape IMAP's ENVELOPE needs:
// each mailbox split into display name, source route, local part and domain, and groups
// ("Team: a@x, b@y;") kept as groups.
//
// The parser is lenient, as a mail reader must be: comments are dropped, obsolete forms
// (routes, spaces around dots) are accepted, and an entry that cannot be read is skipped up to
// the next comma with a defect recorded. Encoded words (RFC 2047) in display names are kept as
// they were written; IMAP passes them on undecoded.

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"
#include "mail/header.h"

namespace mailscope::mail {

struct Mailbox {
  std::string display_name;  // quoted strings unquoted; words joined by one space
  std::string route;         // obsolete source route "@a,@b" (without the colon), usually empty
  std::string local_part;    // unquoted
  std::string domain;        // empty for a bare local part such as "postmaster"

  // "local@domain" (quoted again if needed), or just the local part when there is no domain.
  std::string address() const;
  bool operator==(const Mailbox&) const = default;
};

struct Group {
  std::string display_name;
  std::vector<Mailbox> members;
  bool operator==(const Group&) const = default;
};

using AddressItem = std::variant<Mailbox, Group>;

struct AddressList {
  std::vector<AddressItem> items;
  std::vector<Error> defects;  // offsets are into the parsed value

  // Every mailbox, with group members in place of their group.
  std::vector<Mailbox> mailboxes() const;
};

AddressList parse_address_list(std::string_view value, const ParseLimits& limits = {});

// A local part as it must be written in an address: as is when it is a dot-atom, otherwise as a
// quoted string.
std::string quote_local_part(std::string_view local_part);

}  // namespace mailscope::mail
