#pragma once
// The duplicate mark: what a delivering server writes into the trace when it stores a message
// whose Message-ID it has delivered to the same user before.
//
// SMTP cannot rule duplicates out: when the connection breaks after the final dot and before the
// reply (the RFC 1047 window), the sender must try again although the receiver may already have
// the message. So the server that stores mail keeps, per user, the Message-IDs it has delivered
// (MailServerStorage::remember_delivery, a "duplicate database" as Dovecot's LDA keeps one) and
// when one comes again it still stores it — refusing could lose mail whose sender reused an id —
// but records a Note that says which copy repeats which:
//
//   0000000012 to=<bob@b.test> duplicate: INBOX uid=7 repeats Message-ID <x@mail.a.test> of uid=5
//
// A view can show it, and the soak's checker requires it for every second copy it finds.

#include <optional>
#include <string>
#include <string_view>

#include "mail/mail_queue.h"
#include "mail/mail_store.h"

namespace mailscope::services {

struct DuplicateMark {
  std::string recipient;    // the address the copy was delivered to
  mail::Uid uid = 0;        // the new copy in INBOX
  mail::Uid first_uid = 0;  // the copy delivered first
  std::string message_id;   // "<x@host>", with the angle brackets
};

std::string format_duplicate_mark(mail::QueueId id, const DuplicateMark& mark);
// The mark in a Note's text, or nullopt when the text is not one.
std::optional<DuplicateMark> parse_duplicate_mark(std::string_view text);

// The Message-ID field of a message, trimmed ("<x@host>"), or empty when it has none. Reads only
// the header block.
std::string message_id_of(std::string_view message);

}  // namespace mailscope::services
