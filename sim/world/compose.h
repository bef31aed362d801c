#pragma once
// The message a user's mail program writes for a `send` action: RFC 5322 header fields (From
// with the display name, To, Cc, Subject; no Bcc, no Date or Message-ID — the submission server
// adds those, RFC 6409 §8), a text body and attachments, with the SMTP envelope beside it.

#include "core/rng.h"
#include "proto/smtp/client_session.h"
#include "scenario/scenario.h"

namespace mailscope::world {

// `rng` makes the MIME boundary and the bytes of attachments given only by size.
smtp::OutgoingMessage compose_message(const scenario::User& sender, const scenario::SendMail& send,
                                      Rng& rng);

}  // namespace mailscope::world
