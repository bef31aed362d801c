// The selected mailbox of ImapServerSession: its bookkeeping (what the client knows, what it is
// owed) and the commands on its messages: FETCH, STORE, SEARCH, COPY, MOVE, EXPUNGE, CLOSE,
// UNSELECT, with their UID forms (RFC 3501 6.4, RFC 4315, RFC 6851).

#include <algorithm>

#include "mail/date_time.h"
#include "proto/imap/format.h"
#include "proto/imap/search.h"
#include "proto/imap/server_session.h"

namespace mailscope::imap {
namespace {

std::int64_t day_of(TimeNs t, const mail::MailClock& clock) {
  const std::int64_t local = clock.unix_seconds(t) + std::int64_t{clock.zone_minutes} * 60;
  std::int64_t days = local / 86400;
  if (local % 86400 != 0 && local < 0) --days;
  return days;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Bookkeeping

void ImapServerSession::deselect(ImapOutput& out) {
  m_selection.close();
  m_mailbox.clear();
  m_view.clear();
  m_known = 0;
  m_read_only = false;
  m_mailbox_gone = false;
  m_overflowed = false;
  if (m_state == ServerState::Selected) enter_state(ServerState::Authenticated, out);
}

void ImapServerSession::absorb_changes() {
  if (!m_selection.active()) return;
  for (mail::MailboxChange& change : m_store.take_changes(m_selection.id())) {
    const auto it = std::lower_bound(m_view.begin(), m_view.end(), change.uid,
                                     [](const Entry& e, mail::Uid uid) { return e.uid < uid; });
    const bool found = it != m_view.end() && it->uid == change.uid;
    switch (change.kind) {
      case mail::ChangeKind::Appended: {
        if (found) break;
        auto info = m_store.message(m_user, m_mailbox, change.uid, m_selection.id());
        if (!info) break;  // already gone again; its Expunged change follows
        Entry e;
        e.uid = info->uid;
        e.flags = std::move(info->flags);
        e.recent = change.recent;
        e.internal_date = info->internal_date;
        e.size = info->size;
        e.bytes = std::move(info->bytes);
        // UIDs only grow, so an arrival goes at the end (keeping m_view ascending).
        if (!m_view.empty() && m_view.back().uid > e.uid) break;
        m_view.push_back(std::move(e));
        break;
      }
      case mail::ChangeKind::FlagsChanged:
        if (found && !it->expunged) {
          it->flags = std::move(change.flags);
          it->flags_changed = true;
        }
        break;
      case mail::ChangeKind::Expunged:
        if (!found) break;
        if (static_cast<std::size_t>(it - m_view.begin()) >= m_known) {
          m_view.erase(it);  // the client never heard of it
        } else {
          it->expunged = true;
        }
        break;
      case mail::ChangeKind::MailboxGone:
        m_mailbox_gone = true;
        break;
      case mail::ChangeKind::Overflow:
        m_overflowed = true;
        break;
    }
  }
}

void ImapServerSession::report_changes(ExpungeReport expunges, ImapOutput& out) {
  if (m_overflowed) {
    close_with(out, "[ALERT] Too many mailbox changes to report; please reconnect");
    return;
  }
  if (m_mailbox_gone) {
    // RFC 9051 7.1: CLOSED says the selected mailbox is no longer selected.
    const bool idling = m_state == ServerState::Idle;
    deselect(out);
    if (idling) m_idle_return = ServerState::Authenticated;
    untagged(out, "OK [CLOSED] The selected mailbox was deleted or renamed");
    return;
  }
  if (expunges == ExpungeReport::Allowed) {
    // Each EXPUNGE renumbers the messages after it, so they go out one at a time, in order.
    std::size_t i = 0;
    while (i < m_known) {
      if (m_view[i].expunged) {
        untagged(out, std::to_string(i + 1) + " EXPUNGE");
        m_view.erase(m_view.begin() + static_cast<std::ptrdiff_t>(i));
        --m_known;
      } else {
        ++i;
      }
    }
  }
  for (std::size_t i = 0; i < m_known; ++i) {
    Entry& e = m_view[i];
    if (!e.flags_changed || e.expunged) continue;
    e.flags_changed = false;
    untagged(out, std::to_string(i + 1) + " FETCH (FLAGS " + format_flags(e.flags, e.recent) + ")");
  }
  if (m_view.size() > m_known) {
    for (std::size_t i = m_known; i < m_view.size(); ++i)
      m_view[i].flags_changed = false;
    m_known = m_view.size();
    const auto recent =
        std::count_if(m_view.begin(), m_view.end(), [](const Entry& e) { return e.recent; });
    untagged(out, std::to_string(m_known) + " EXISTS");
    untagged(out, std::to_string(recent) + " RECENT");
  }
}

void ImapServerSession::catch_up(ExpungeReport expunges, ImapOutput& out) {
  if (!m_selection.active()) return;
  absorb_changes();
  report_changes(expunges, out);
}

void ImapServerSession::mark_expunged(const std::vector<mail::Uid>& uids) {
  for (mail::Uid uid : uids) {
    const auto it = std::lower_bound(m_view.begin(), m_view.end(), uid,
                                     [](const Entry& e, mail::Uid u) { return e.uid < u; });
    if (it != m_view.end() && it->uid == uid) it->expunged = true;
  }
}

bool ImapServerSession::resolve(const Command& cmd, std::vector<std::size_t>& indexes,
                                ImapOutput& out) {
  indexes.clear();
  if (!cmd.uid) {
    // RFC 3501 6.4.8: a sequence number beyond the mailbox is a client error.
    if (cmd.set.exceeds(static_cast<std::uint32_t>(m_known))) {
      bad(out, cmd.tag, "Invalid message sequence number");
      return false;
    }
    for (std::size_t i = 0; i < m_known; ++i) {
      if (cmd.set.contains(static_cast<std::uint32_t>(i + 1),
                           static_cast<std::uint32_t>(m_known))) {
        indexes.push_back(i);
      }
    }
    return true;
  }
  // UIDs that do not exist are simply not there (RFC 3501 6.4.8).
  const mail::Uid largest = m_known == 0 ? 0 : m_view[m_known - 1].uid;
  for (std::size_t i = 0; i < m_known; ++i) {
    if (largest != 0 && cmd.set.contains(m_view[i].uid, largest)) indexes.push_back(i);
  }
  return true;
}

const mail::Message& ImapServerSession::parsed(Entry& entry) {
  if (!entry.parsed) {
    entry.parsed = std::make_shared<const mail::Message>(mail::Message::parse(*entry.bytes));
  }
  return *entry.parsed;
}

// ---------------------------------------------------------------------------------------------
// CLOSE, UNSELECT, EXPUNGE

void ImapServerSession::cmd_close(const Command& cmd, ImapOutput& out) {
  // RFC 3501 6.4.2: CLOSE expunges silently (not in a read-only mailbox); UNSELECT does not.
  if (cmd.verb == Verb::Close && !m_read_only) {
    (void)m_store.expunge(m_user, m_mailbox, m_selection.id());
  }
  deselect(out);
  tagged(out, cmd.tag, "OK", std::string(to_string(cmd.verb)) + " completed");
}

void ImapServerSession::cmd_expunge(const Command& cmd, ImapOutput& out) {
  std::vector<std::size_t> indexes;
  if (!resolve(cmd, indexes, out)) return;
  mail::StoreResult<std::vector<mail::Uid>> removed = std::vector<mail::Uid>{};
  if (cmd.uid) {
    std::vector<mail::Uid> uids;
    for (std::size_t i : indexes)
      uids.push_back(m_view[i].uid);
    removed = m_store.expunge_uids(m_user, m_mailbox, uids, m_selection.id());
  } else {
    removed = m_store.expunge(m_user, m_mailbox, m_selection.id());
  }
  if (!removed) {
    store_failure(cmd, removed.error(), out);
    return;
  }
  mark_expunged(*removed);
  report_changes(ExpungeReport::Allowed, out);
  tagged(out, cmd.tag, "OK", cmd.uid ? "UID EXPUNGE completed" : "EXPUNGE completed");
}

// ---------------------------------------------------------------------------------------------
// SEARCH

void ImapServerSession::cmd_search(const Command& cmd, ImapOutput& out) {
  if (!cmd.charset.empty() && cmd.charset != "US-ASCII" && cmd.charset != "UTF-8") {
    tagged(out, cmd.tag, "NO", "[BADCHARSET (US-ASCII UTF-8)] Unsupported charset");
    return;
  }
  SearchScope scope;
  scope.largest_seq = static_cast<std::uint32_t>(m_known);
  scope.largest_uid = m_known == 0 ? 0 : m_view[m_known - 1].uid;
  scope.zone_minutes = m_config.clock.zone_minutes;
  std::string line = "SEARCH";
  for (std::size_t i = 0; i < m_known; ++i) {
    Entry& e = m_view[i];
    if (e.expunged) continue;
    SearchTarget target;
    target.seq = static_cast<std::uint32_t>(i + 1);
    target.uid = e.uid;
    target.flags = &e.flags;
    target.recent = e.recent;
    target.internal_day = day_of(e.internal_date, m_config.clock);
    target.size = e.size;
    target.message = [this, &e]() -> const mail::Message& { return parsed(e); };
    if (search_matches(cmd.search, target, scope)) {
      line += ' ' + std::to_string(cmd.uid ? e.uid : target.seq);
    }
  }
  untagged(out, line);
  tagged(out, cmd.tag, "OK", cmd.uid ? "UID SEARCH completed" : "SEARCH completed");
}

// ---------------------------------------------------------------------------------------------
// FETCH

std::string ImapServerSession::fetch_line(std::size_t index, const Command& cmd, bool add_flags) {
  Entry& e = m_view[index];
  std::string line = std::to_string(index + 1) + " FETCH (";
  line.reserve(e.size + 256);
  bool first = true;
  auto item = [&](std::string_view name) {
    if (!first) line += ' ';
    first = false;
    line += name;
    line += ' ';
  };
  const bool uid_asked = std::any_of(cmd.fetch.begin(), cmd.fetch.end(), [](const FetchItem& f) {
    return f.kind == FetchItemKind::Uid;
  });
  // RFC 3501 6.4.8: UID FETCH always returns the UID.
  if (cmd.uid && !uid_asked) {
    item("UID");
    line += std::to_string(e.uid);
  }
  for (const FetchItem& f : cmd.fetch) {
    item(f.response_name());
    switch (f.kind) {
      case FetchItemKind::Flags:
        line += format_flags(e.flags, e.recent);
        break;
      case FetchItemKind::Uid:
        line += std::to_string(e.uid);
        break;
      case FetchItemKind::InternalDate:
        line += '"' + m_config.clock.imap_date_time(e.internal_date) + '"';
        break;
      case FetchItemKind::Rfc822Size:
        line += std::to_string(e.size);
        break;
      case FetchItemKind::Envelope:
        line += format_envelope(parsed(e).envelope());
        break;
      case FetchItemKind::Body:
      case FetchItemKind::BodyStructure:
        line += format_body_structure(parsed(e).root(), f.kind == FetchItemKind::BodyStructure);
        break;
      case FetchItemKind::Rfc822:
      case FetchItemKind::Rfc822Header:
      case FetchItemKind::Rfc822Text:
      case FetchItemKind::BodySection: {
        // data views either the stored bytes or section_bytes; no copy for the whole message.
        std::string section_bytes;
        std::string_view data;
        if (f.kind == FetchItemKind::Rfc822 ||
            (f.kind == FetchItemKind::BodySection && f.section.part.empty() &&
             f.section.text == mail::SectionText::Full)) {
          data = *e.bytes;  // the whole message needs no parsing
        } else if (f.kind == FetchItemKind::Rfc822Header) {
          data = parsed(e).header_bytes();
        } else if (f.kind == FetchItemKind::Rfc822Text) {
          data = parsed(e).body_bytes();
        } else {
          // A part that does not exist reads as empty (RFC 3501 6.4.5 leaves it open).
          auto section = parsed(e).section(f.section);
          if (section) section_bytes = std::move(*section);
          data = section_bytes;
        }
        if (f.partial_origin) data = mail::partial(data, *f.partial_origin, f.partial_count);
        // Message text always goes as a literal: it may hold any octet and line ends.
        line += '{' + std::to_string(data.size()) + "}\r\n";
        line += data;
        break;
      }
    }
  }
  if (add_flags) {
    item("FLAGS");
    line += format_flags(e.flags, e.recent);
  }
  line += ')';
  return line;
}

void ImapServerSession::cmd_fetch(const Command& cmd, ImapOutput& out) {
  std::vector<std::size_t> indexes;
  if (!resolve(cmd, indexes, out)) return;
  const bool flags_asked = std::any_of(cmd.fetch.begin(), cmd.fetch.end(), [](const FetchItem& f) {
    return f.kind == FetchItemKind::Flags;
  });
  const bool sets_seen = std::any_of(cmd.fetch.begin(), cmd.fetch.end(),
                                     [](const FetchItem& f) { return f.sets_seen(); });
  // Non-PEEK body fetches set \Seen first (RFC 3501 6.4.5), so the response shows it.
  std::vector<bool> seen_now(m_view.size(), false);
  if (sets_seen && !m_read_only) {
    std::vector<mail::Uid> uids;
    for (std::size_t i : indexes) {
      if (!m_view[i].expunged && !m_view[i].flags.has(mail::SystemFlag::Seen)) {
        uids.push_back(m_view[i].uid);
      }
    }
    if (!uids.empty()) {
      mail::FlagSet seen;
      seen.set(mail::SystemFlag::Seen, true);
      auto stored =
          m_store.store_flags(m_user, m_mailbox, uids, mail::FlagOp::Add, seen, m_selection.id());
      if (stored) {
        for (std::size_t i : indexes) {
          if (!m_view[i].expunged && !m_view[i].flags.has(mail::SystemFlag::Seen)) {
            m_view[i].flags.set(mail::SystemFlag::Seen, true);
            seen_now[i] = true;
          }
        }
      }
    }
  }
  for (std::size_t i : indexes) {
    // A message whose flags changed is shown with them, so the client need not fetch again.
    const bool add_flags = !flags_asked && (seen_now[i] || m_view[i].flags_changed);
    m_view[i].flags_changed = m_view[i].flags_changed && !add_flags && !flags_asked;
    respond(out, "* " + fetch_line(i, cmd, add_flags));
  }
  tagged(out, cmd.tag, "OK", cmd.uid ? "UID FETCH completed" : "FETCH completed");
}

// ---------------------------------------------------------------------------------------------
// STORE

void ImapServerSession::cmd_store(const Command& cmd, ImapOutput& out) {
  auto flags = mail::FlagSet::from_names(cmd.flag_names, m_store.options().keyword_size_max);
  if (!flags) {
    bad(out, cmd.tag, "Invalid flag: " + flags.error().what);
    return;
  }
  std::vector<std::size_t> indexes;
  if (!resolve(cmd, indexes, out)) return;
  std::vector<mail::Uid> uids;
  for (std::size_t i : indexes) {
    if (!m_view[i].expunged) uids.push_back(m_view[i].uid);
  }
  auto stored =
      m_store.store_flags(m_user, m_mailbox, uids, cmd.store_op, *flags, m_selection.id());
  if (!stored) {
    store_failure(cmd, stored.error(), out);
    return;
  }
  std::size_t k = 0;
  for (std::size_t i : indexes) {
    Entry& e = m_view[i];
    if (e.expunged) continue;
    // store_flags() answers in ascending UID order, as indexes are.
    while (k < stored->size() && (*stored)[k].uid < e.uid)
      ++k;
    if (k < stored->size() && (*stored)[k].uid == e.uid) e.flags = (*stored)[k].flags;
    e.flags_changed = false;
    if (cmd.silent) continue;
    std::string line = std::to_string(i + 1) + " FETCH (FLAGS " + format_flags(e.flags, e.recent);
    if (cmd.uid) line += " UID " + std::to_string(e.uid);
    untagged(out, line + ")");
  }
  tagged(out, cmd.tag, "OK", cmd.uid ? "UID STORE completed" : "STORE completed");
}

// ---------------------------------------------------------------------------------------------
// COPY and MOVE

void ImapServerSession::cmd_copy(const Command& cmd, ImapOutput& out) {
  const bool move = cmd.verb == Verb::Move;
  const std::string verb = std::string(cmd.uid ? "UID " : "") + std::string(to_string(cmd.verb));
  std::vector<std::size_t> indexes;
  if (!resolve(cmd, indexes, out)) return;
  std::vector<mail::Uid> uids;
  for (std::size_t i : indexes) {
    if (!m_view[i].expunged) uids.push_back(m_view[i].uid);
  }
  auto copied = move ? m_store.move(m_user, m_mailbox, uids, cmd.args[0], m_selection.id())
                     : m_store.copy(m_user, m_mailbox, uids, cmd.args[0]);
  if (!copied) {
    store_failure(cmd, copied.error(), out, /*target_must_exist=*/true);
    return;
  }
  std::string code;
  if (!copied->source_uids.empty()) {
    code = "[COPYUID " + std::to_string(copied->uid_validity) + " " +
           compress_numbers(copied->source_uids) + " " + compress_numbers(copied->dest_uids) + "] ";
  }
  if (move) {
    // RFC 6851 4.3: COPYUID goes in an untagged OK before the EXPUNGEs.
    if (!code.empty()) untagged(out, "OK " + code + "Moved UIDs");
    mark_expunged(copied->source_uids);
    catch_up(ExpungeReport::Allowed, out);
    tagged(out, cmd.tag, "OK", verb + " completed");
    return;
  }
  catch_up(ExpungeReport::Allowed, out);
  tagged(out, cmd.tag, "OK", code + verb + " completed");
}

}  // namespace mailscope::imap
