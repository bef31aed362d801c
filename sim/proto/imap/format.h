#pragma once
// Writing IMAP data items (RFC 3501 4 and 7.4.2): strings as quoted strings or literals,
// mailbox names, flag lists, ENVELOPE and BODY/BODYSTRUCTURE.

#include <optional>
#include <string>
#include <string_view>

#include "mail/flags.h"
#include "mail/message.h"
#include "mail/mime.h"

namespace mailscope::imap {

// A quoted string when the text allows it, else a literal ("{n}\r\n" + text): CR, LF, NUL and
// octets over 0x7f cannot appear in a quoted string (RFC 3501 4.3).
void append_string(std::string& out, std::string_view text);
// NIL for nothing, else append_string().
void append_nstring(std::string& out, const std::optional<std::string>& text);
// An atom when every character is an ASTRING-CHAR (mailbox names such as INBOX), else a string.
void append_astring(std::string& out, std::string_view text);
// "(\Seen \Flagged $Label)", with \Recent after the system flags when recent.
std::string format_flags(const mail::FlagSet& flags, bool recent);
std::string format_envelope(const mail::Envelope& envelope);
// BODYSTRUCTURE (extensible) or BODY (without extension data) of a part of the message whose
// bytes are given.
std::string format_body_structure(const mail::MimePart& part, bool extensible);

}  // namespace mailscope::imap
