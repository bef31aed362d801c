// Mailbox commands of ImapServerSession: SELECT/EXAMINE, CREATE, DELETE, RENAME,
// SUBSCRIBE/UNSUBSCRIBE, LIST/LSUB, STATUS and APPEND (RFC 3501 6.3).

#include "mail/mailbox_name.h"
#include "proto/imap/format.h"
#include "proto/imap/server_session.h"

namespace mailscope::imap {
namespace {

std::string list_attributes(const mail::MailboxListing& listing) {
  std::string out = listing.has_children ? "\\HasChildren" : "\\HasNoChildren";
  const std::string_view special = mail::to_string(listing.special_use);
  if (!special.empty()) out += " " + std::string(special);
  return out;
}

}  // namespace

void ImapServerSession::store_failure(const Command& cmd, const mail::StoreError& error,
                                      ImapOutput& out, bool target_must_exist) {
  using mail::StoreErrorCode;
  switch (error.code) {
    case StoreErrorCode::NoSuchMailbox:
      // RFC 3501 6.3.11: APPEND and COPY to a missing mailbox say how to fix it.
      tagged(out, cmd.tag, "NO",
             target_must_exist ? "[TRYCREATE] Mailbox doesn't exist"
                               : "[NONEXISTENT] Mailbox doesn't exist");
      return;
    case StoreErrorCode::AlreadyExists:
      tagged(out, cmd.tag, "NO", "[ALREADYEXISTS] Mailbox already exists");
      return;
    case StoreErrorCode::InvalidName:
      tagged(out, cmd.tag, "NO", "[CANNOT] Invalid mailbox name: " + error.what);
      return;
    case StoreErrorCode::HasChildren:
      tagged(out, cmd.tag, "NO", "[HASCHILDREN] Mailbox has inferior hierarchical names");
      return;
    case StoreErrorCode::CannotDelete:
      tagged(out, cmd.tag, "NO", "[CANNOT] INBOX cannot be deleted");
      return;
    case StoreErrorCode::OverQuota:
      tagged(out, cmd.tag, "NO", "[OVERQUOTA] Quota exceeded");
      return;
    case StoreErrorCode::TooLarge:
      tagged(out, cmd.tag, "NO", "[TOOBIG] Message too large");
      return;
    case StoreErrorCode::LimitReached:
      tagged(out, cmd.tag, "NO", "[LIMIT] " + error.what);
      return;
    case StoreErrorCode::Locked:
      tagged(out, cmd.tag, "NO", "[INUSE] Mailbox is locked");
      return;
    case StoreErrorCode::ReadOnly:
      tagged(out, cmd.tag, "NO", "Mailbox is read-only");
      return;
    case StoreErrorCode::NoSuchMessage:
      tagged(out, cmd.tag, "NO", "Some of the messages no longer exist");
      return;
    case StoreErrorCode::InvalidFlag:
      tagged(out, cmd.tag, "NO", "Invalid flag: " + error.what);
      return;
    case StoreErrorCode::NoSuchUser:
      tagged(out, cmd.tag, "NO", "[SERVERBUG] No mail storage for this user");
      return;
  }
  tagged(out, cmd.tag, "NO", error.what);
}

void ImapServerSession::cmd_select(const Command& cmd, ImapOutput& out) {
  const bool examine = cmd.verb == Verb::Examine;
  // RFC 3501 6.3.1: a SELECT ends the current selection first, even when it then fails.
  deselect(out);
  auto selected =
      m_store.select(m_user, cmd.args[0],
                     examine ? mail::SelectMode::ReadOnly : mail::SelectMode::ReadWrite, m_wake);
  if (!selected) {
    store_failure(cmd, selected.error(), out);
    return;
  }
  mail::SelectResult& r = *selected;
  m_selection = std::move(r.selection);
  m_mailbox = cmd.args[0];
  m_read_only = r.read_only;
  m_mailbox_gone = false;
  m_overflowed = false;
  m_view.clear();
  m_view.reserve(r.messages.size());
  std::size_t first_unseen = 0;
  for (mail::MessageInfo& info : r.messages) {
    Entry e;
    e.uid = info.uid;
    e.flags = std::move(info.flags);
    e.recent = info.recent;
    e.internal_date = info.internal_date;
    e.size = info.size;
    e.bytes = std::move(info.bytes);
    if (first_unseen == 0 && !e.flags.has(mail::SystemFlag::Seen)) {
      first_unseen = m_view.size() + 1;
    }
    m_view.push_back(std::move(e));
  }
  m_known = m_view.size();
  std::string flags = "FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft";
  for (const std::string& keyword : r.keywords)
    flags += " " + keyword;
  flags += ")";
  untagged(out, flags);
  untagged(out, std::to_string(m_known) + " EXISTS");
  untagged(out, std::to_string(r.recent) + " RECENT");
  if (first_unseen != 0) {
    untagged(out, "OK [UNSEEN " + std::to_string(first_unseen) + "] First unseen");
  }
  if (m_read_only) {
    untagged(out, "OK [PERMANENTFLAGS ()] No permanent flags permitted");
  } else {
    untagged(out,
             "OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] "
             "Flags permitted");
  }
  untagged(out, "OK [UIDVALIDITY " + std::to_string(r.uid_validity) + "] UIDs valid");
  untagged(out, "OK [UIDNEXT " + std::to_string(r.uid_next) + "] Predicted next UID");
  enter_state(ServerState::Selected, out);
  tagged(out, cmd.tag, "OK",
         m_read_only ? "[READ-ONLY] EXAMINE completed" : "[READ-WRITE] SELECT completed");
}

void ImapServerSession::cmd_create(const Command& cmd, ImapOutput& out) {
  // RFC 3501 6.3.3: a trailing delimiter only says that inferiors are intended.
  std::string name = cmd.args[0];
  if (name.size() > 1 && name.back() == mail::kMailboxDelimiter) name.pop_back();
  auto created = m_store.create_mailbox(m_user, name);
  if (!created) {
    store_failure(cmd, created.error(), out);
    return;
  }
  tagged(out, cmd.tag, "OK", "CREATE completed");
}

void ImapServerSession::cmd_delete(const Command& cmd, ImapOutput& out) {
  auto deleted = m_store.delete_mailbox(m_user, cmd.args[0]);
  if (!deleted) {
    store_failure(cmd, deleted.error(), out);
    return;
  }
  catch_up(ExpungeReport::Allowed, out);
  tagged(out, cmd.tag, "OK", "DELETE completed");
}

void ImapServerSession::cmd_rename(const Command& cmd, ImapOutput& out) {
  auto renamed = m_store.rename_mailbox(m_user, cmd.args[0], cmd.args[1]);
  if (!renamed) {
    store_failure(cmd, renamed.error(), out);
    return;
  }
  catch_up(ExpungeReport::Allowed, out);
  tagged(out, cmd.tag, "OK", "RENAME completed");
}

void ImapServerSession::cmd_subscribe(const Command& cmd, ImapOutput& out) {
  const bool subscribe = cmd.verb == Verb::Subscribe;
  auto done = m_store.set_subscribed(m_user, cmd.args[0], subscribe);
  if (!done) {
    store_failure(cmd, done.error(), out);
    return;
  }
  tagged(out, cmd.tag, "OK", subscribe ? "SUBSCRIBE completed" : "UNSUBSCRIBE completed");
}

void ImapServerSession::cmd_list(const Command& cmd, ImapOutput& out) {
  const bool lsub = cmd.verb == Verb::Lsub;
  const std::string verb(to_string(cmd.verb));
  const std::string& reference = cmd.args[0];
  const std::string& pattern = cmd.args[1];
  if (pattern.empty()) {
    // RFC 3501 6.3.8: an empty pattern asks for the delimiter and the root of the reference.
    untagged(out, verb + " (\\Noselect) \"/\" \"\"");
    tagged(out, cmd.tag, "OK", verb + " completed");
    return;
  }
  std::string full = reference;
  if (!full.empty() && full.back() != mail::kMailboxDelimiter &&
      pattern.front() != mail::kMailboxDelimiter) {
    full += mail::kMailboxDelimiter;
  }
  full += pattern;
  auto listing = m_store.list_mailboxes(m_user);
  if (!listing) {
    store_failure(cmd, listing.error(), out);
    return;
  }
  for (const mail::MailboxListing& box : *listing) {
    if (lsub && !box.subscribed) continue;
    if (!mail::match_list_pattern(full, box.name)) continue;
    std::string line = verb + " (" + (lsub ? std::string() : list_attributes(box)) + ") \"/\" ";
    append_astring(line, box.name);
    untagged(out, line);
  }
  tagged(out, cmd.tag, "OK", verb + " completed");
}

void ImapServerSession::cmd_status(const Command& cmd, ImapOutput& out) {
  auto status = m_store.status(m_user, cmd.args[0]);
  if (!status) {
    store_failure(cmd, status.error(), out);
    return;
  }
  std::string line = "STATUS ";
  append_astring(line, cmd.args[0]);
  line += " (";
  bool first = true;
  for (StatusItem item : cmd.status_items) {
    if (!first) line += ' ';
    first = false;
    switch (item) {
      case StatusItem::Messages:
        line += "MESSAGES " + std::to_string(status->messages);
        break;
      case StatusItem::Recent:
        line += "RECENT " + std::to_string(status->recent);
        break;
      case StatusItem::UidNext:
        line += "UIDNEXT " + std::to_string(status->uid_next);
        break;
      case StatusItem::UidValidity:
        line += "UIDVALIDITY " + std::to_string(status->uid_validity);
        break;
      case StatusItem::Unseen:
        line += "UNSEEN " + std::to_string(status->unseen);
        break;
    }
  }
  line += ')';
  untagged(out, line);
  tagged(out, cmd.tag, "OK", "STATUS completed");
}

void ImapServerSession::cmd_append(TimeNs now, const Command& cmd, ImapOutput& out) {
  auto flags = mail::FlagSet::from_names(cmd.flag_names, m_store.options().keyword_size_max);
  if (!flags) {
    bad(out, cmd.tag, "Invalid flag: " + flags.error().what);
    return;
  }
  TimeNs internal_date = now;
  if (cmd.append_date) {
    internal_date = (*cmd.append_date - m_config.clock.epoch_seconds) * kSecond;
  }
  auto appended = m_store.append(m_user, cmd.args[0], cmd.append_message, internal_date, *flags);
  if (!appended) {
    store_failure(cmd, appended.error(), out, /*target_must_exist=*/true);
    return;
  }
  // RFC 3501 6.3.11: appending to the selected mailbox announces the message at once.
  catch_up(ExpungeReport::Allowed, out);
  tagged(out, cmd.tag, "OK",
         "[APPENDUID " + std::to_string(appended->uid_validity) + " " +
             std::to_string(appended->uid) + "] APPEND completed");
}

}  // namespace mailscope::imap
