#include "mail/mail_store.h"

#include <algorithm>

#include "mail/text.h"

namespace mailscope::mail {
namespace {

StoreError no_such_mailbox(std::string_view name) {
  return store_error(StoreErrorCode::NoSuchMailbox, "no mailbox named " + std::string(name));
}

bool valid_user_name(std::string_view user) {
  if (user.empty() || user.size() > 128 || user == "." || user == "..") return false;
  for (char c : user) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '/' || c == '\\') return false;
  }
  return true;
}

std::vector<Uid> sorted_unique(std::span<const Uid> uids) {
  std::vector<Uid> out(uids.begin(), uids.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

std::string_view to_string(StoreErrorCode code) {
  switch (code) {
    case StoreErrorCode::NoSuchUser:
      return "no-such-user";
    case StoreErrorCode::NoSuchMailbox:
      return "no-such-mailbox";
    case StoreErrorCode::AlreadyExists:
      return "already-exists";
    case StoreErrorCode::InvalidName:
      return "invalid-name";
    case StoreErrorCode::HasChildren:
      return "has-children";
    case StoreErrorCode::CannotDelete:
      return "cannot-delete";
    case StoreErrorCode::OverQuota:
      return "over-quota";
    case StoreErrorCode::TooLarge:
      return "too-large";
    case StoreErrorCode::LimitReached:
      return "limit-reached";
    case StoreErrorCode::Locked:
      return "locked";
    case StoreErrorCode::NoSuchMessage:
      return "no-such-message";
    case StoreErrorCode::InvalidFlag:
      return "invalid-flag";
    case StoreErrorCode::ReadOnly:
      return "read-only";
  }
  return "unknown";
}

std::string_view to_string(SpecialUse use) {
  switch (use) {
    case SpecialUse::None:
      return "";
    case SpecialUse::Sent:
      return "\\Sent";
    case SpecialUse::Trash:
      return "\\Trash";
  }
  return "";
}

// ---- handles ----------------------------------------------------------------------------------

Selection& Selection::operator=(Selection&& other) noexcept {
  if (this != &other) {
    close();
    m_store = other.m_store;
    m_alive = std::move(other.m_alive);
    m_id = other.m_id;
    other.m_store = nullptr;
    other.m_id = 0;
  }
  return *this;
}

void Selection::close() {
  if (m_id != 0 && !m_alive.expired()) m_store->end_session(m_id);
  m_id = 0;
  m_store = nullptr;
}

MaildropLock& MaildropLock::operator=(MaildropLock&& other) noexcept {
  if (this != &other) {
    release();
    m_store = other.m_store;
    m_alive = std::move(other.m_alive);
    m_user = std::move(other.m_user);
    other.m_store = nullptr;
  }
  return *this;
}

void MaildropLock::release() {
  if (m_store != nullptr && !m_alive.expired()) m_store->unlock_maildrop(m_user);
  m_store = nullptr;
}

// ---- users and lookups ------------------------------------------------------------------------

MailStore::MailStore(MailStoreOptions options)
    : m_options(std::move(options)), m_next_uid_validity(m_options.first_uid_validity) {
  if (m_next_uid_validity == 0) m_next_uid_validity = 1;  // UIDVALIDITY is a non-zero number
}

MailStore::~MailStore() {
  m_alive.reset();
}

StoreResult<Done> MailStore::add_user(std::string_view user) {
  if (!valid_user_name(user)) {
    return store_error(StoreErrorCode::InvalidName, "user names are printable ASCII without '/'");
  }
  if (m_users.find(user) != m_users.end()) {
    return store_error(StoreErrorCode::AlreadyExists, "user exists");
  }
  if (m_users.size() >= m_options.users_max) {
    return store_error(StoreErrorCode::LimitReached, "too many users");
  }
  std::vector<std::string> names;
  for (const std::string& name : m_options.default_mailboxes) {
    auto canonical = validate_mailbox_name(name, m_options.names);
    if (canonical.ok() && *canonical != "INBOX") names.push_back(*canonical);
  }
  User record;
  record.mailboxes.emplace("INBOX", new_mailbox());
  record.mailboxes["INBOX"].subscribed = true;
  for (const std::string& name : names) {
    Mailbox box = new_mailbox();
    box.subscribed = true;
    if (iequals(name, "Sent")) box.special_use = SpecialUse::Sent;
    if (iequals(name, "Trash")) box.special_use = SpecialUse::Trash;
    record.mailboxes.emplace(name, std::move(box));
  }
  m_users.emplace(std::string(user), std::move(record));
  return Done{};
}

bool MailStore::has_user(std::string_view user) const {
  return m_users.find(user) != m_users.end();
}

StoreResult<MailStore::User*> MailStore::find_user(std::string_view user) {
  auto it = m_users.find(user);
  if (it == m_users.end()) return store_error(StoreErrorCode::NoSuchUser, "no such user");
  return &it->second;
}

StoreResult<const MailStore::User*> MailStore::find_user(std::string_view user) const {
  auto it = m_users.find(user);
  if (it == m_users.end()) return store_error(StoreErrorCode::NoSuchUser, "no such user");
  return &it->second;
}

StoreResult<std::string> MailStore::check_name(std::string_view name) const {
  auto canonical = validate_mailbox_name(name, m_options.names);
  if (!canonical.ok()) return store_error(StoreErrorCode::InvalidName, canonical.error().what);
  return std::move(canonical).value();
}

StoreResult<MailStore::Mailbox*> MailStore::find_mailbox(std::string_view user,
                                                         std::string_view name,
                                                         std::string* canonical) {
  auto owner = find_user(user);
  if (!owner.ok()) return owner.error();
  auto checked = check_name(name);
  if (!checked.ok()) return checked.error();
  auto it = owner.value()->mailboxes.find(checked.value());
  if (it == owner.value()->mailboxes.end()) return no_such_mailbox(name);
  if (canonical != nullptr) *canonical = checked.value();
  return &it->second;
}

StoreResult<const MailStore::Mailbox*> MailStore::find_mailbox(std::string_view user,
                                                               std::string_view name) const {
  auto owner = find_user(user);
  if (!owner.ok()) return owner.error();
  auto checked = check_name(name);
  if (!checked.ok()) return checked.error();
  auto it = owner.value()->mailboxes.find(checked.value());
  if (it == owner.value()->mailboxes.end()) return no_such_mailbox(name);
  return &it->second;
}

MailStore::Mailbox MailStore::new_mailbox() {
  Mailbox box;
  box.uid_validity = m_next_uid_validity++;
  if (m_next_uid_validity == 0) m_next_uid_validity = 1;
  return box;
}

StoreResult<Done> MailStore::set_quota(std::string_view user, std::uint64_t limit_bytes) {
  auto owner = find_user(user);
  if (!owner.ok()) return owner.error();
  owner.value()->limit_bytes = limit_bytes;
  return Done{};
}

StoreResult<QuotaUsage> MailStore::quota(std::string_view user) const {
  auto owner = find_user(user);
  if (!owner.ok()) return owner.error();
  return QuotaUsage{owner.value()->used_bytes, owner.value()->limit_bytes};
}

// ---- mailboxes --------------------------------------------------------------------------------

StoreResult<Done> MailStore::create_mailbox(std::string_view user, std::string_view name) {
  auto owner = find_user(user);
  if (!owner.ok()) return owner.error();
  auto checked = check_name(name);
  if (!checked.ok()) return checked.error();
  User& u = *owner.value();
  const std::string& canonical = checked.value();
  if (u.mailboxes.count(canonical) != 0) {
    return store_error(StoreErrorCode::AlreadyExists, "mailbox exists");
  }
  // Superiors that do not exist yet are created too (RFC 3501 6.3.3).
  std::vector<std::string> to_create{canonical};
  for (std::string_view up = parent_name(canonical); !up.empty(); up = parent_name(up)) {
    if (u.mailboxes.count(std::string(up)) == 0) to_create.emplace_back(up);
  }
  if (u.mailboxes.size() + to_create.size() > m_options.mailboxes_per_user_max) {
    return store_error(StoreErrorCode::LimitReached, "too many mailboxes");
  }
  for (auto it = to_create.rbegin(); it != to_create.rend(); ++it) {
    u.mailboxes.emplace(*it, new_mailbox());
  }
  return Done{};
}

StoreResult<Done> MailStore::delete_mailbox(std::string_view user, std::string_view name) {
  std::string canonical;
  auto box = find_mailbox(user, name, &canonical);
  if (!box.ok()) return box.error();
  if (canonical == "INBOX")
    return store_error(StoreErrorCode::CannotDelete, "INBOX cannot be deleted");
  User& u = *find_user(user).value();
  for (const auto& [other, unused] : u.mailboxes) {
    if (is_inferior(other, canonical)) {
      return store_error(StoreErrorCode::HasChildren, "mailbox has inferior mailboxes");
    }
  }
  for (const StoredMessage& m : box.value()->messages)
    u.used_bytes -= m.bytes->size();
  detach_sessions(user, canonical);
  u.mailboxes.erase(canonical);
  wake_pending();
  return Done{};
}

StoreResult<Done> MailStore::rename_mailbox(std::string_view user, std::string_view from,
                                            std::string_view to) {
  std::string old_name;
  auto source = find_mailbox(user, from, &old_name);
  if (!source.ok()) return source.error();
  auto checked = check_name(to);
  if (!checked.ok()) return checked.error();
  const std::string new_name = checked.value();
  User& u = *find_user(user).value();
  if (u.mailboxes.count(new_name) != 0) {
    return store_error(StoreErrorCode::AlreadyExists, "target mailbox exists");
  }
  if (new_name == "INBOX" || is_inferior(new_name, old_name)) {
    return store_error(StoreErrorCode::InvalidName, "cannot rename a mailbox to that name");
  }
  // Every mailbox that moves, with its new name (INBOX moves alone; its inferiors stay).
  std::vector<std::pair<std::string, std::string>> moves{{old_name, new_name}};
  if (old_name != "INBOX") {
    for (const auto& [name, unused] : u.mailboxes) {
      if (!is_inferior(name, old_name)) continue;
      auto renamed = check_name(new_name + name.substr(old_name.size()));
      if (!renamed.ok()) return renamed.error();
      if (u.mailboxes.count(renamed.value()) != 0) {
        return store_error(StoreErrorCode::AlreadyExists, "an inferior's new name exists");
      }
      moves.emplace_back(name, renamed.value());
    }
  }
  std::vector<std::string> parents;
  for (std::string_view up = parent_name(new_name); !up.empty(); up = parent_name(up)) {
    if (u.mailboxes.count(std::string(up)) == 0) parents.emplace_back(up);
  }
  const std::size_t added = parents.size() + (old_name == "INBOX" ? 1 : 0);
  if (u.mailboxes.size() + added > m_options.mailboxes_per_user_max) {
    return store_error(StoreErrorCode::LimitReached, "too many mailboxes");
  }
  for (auto it = parents.rbegin(); it != parents.rend(); ++it)
    u.mailboxes.emplace(*it, new_mailbox());
  if (old_name == "INBOX") {
    // RFC 3501 6.3.5: the messages move to the new mailbox and INBOX stays, empty.
    Mailbox& inbox = u.mailboxes["INBOX"];
    Mailbox moved = new_mailbox();
    moved.uid_next = inbox.uid_next;
    moved.messages = std::move(inbox.messages);
    inbox.messages.clear();
    for (StoredMessage& m : moved.messages) {
      queue_change(user, "INBOX", MailboxChange{ChangeKind::Expunged, m.uid, {}, false}, 0);
      if (m.recent_owner != 0) m.recent_owner = kRecentDone;
    }
    u.mailboxes.emplace(new_name, std::move(moved));
  } else {
    for (const auto& [old_key, new_key] : moves) {
      detach_sessions(user, old_key);
      auto node = u.mailboxes.extract(old_key);
      node.key() = new_key;
      u.mailboxes.insert(std::move(node));
    }
  }
  wake_pending();
  return Done{};
}

StoreResult<Done> MailStore::set_subscribed(std::string_view user, std::string_view name,
                                            bool subscribed) {
  auto box = find_mailbox(user, name);
  if (!box.ok()) return box.error();
  box.value()->subscribed = subscribed;
  return Done{};
}

StoreResult<std::vector<MailboxListing>> MailStore::list_mailboxes(std::string_view user) const {
  auto owner = find_user(user);
  if (!owner.ok()) return owner.error();
  std::map<std::string, MailboxListing> listing;
  for (const auto& [name, box] : owner.value()->mailboxes) {
    listing[name] = MailboxListing{name, false, box.subscribed, box.special_use};
  }
  for (const auto& [name, unused] : owner.value()->mailboxes) {
    const std::string_view up = parent_name(name);
    if (!up.empty()) {
      auto it = listing.find(std::string(up));
      if (it != listing.end()) it->second.has_children = true;
    }
  }
  std::vector<MailboxListing> out;
  out.push_back(listing.at("INBOX"));
  for (auto& [name, entry] : listing) {
    if (name != "INBOX") out.push_back(std::move(entry));
  }
  return out;
}

StoreResult<MailboxStatus> MailStore::status(std::string_view user, std::string_view name) const {
  auto box = find_mailbox(user, name);
  if (!box.ok()) return box.error();
  const Mailbox& b = *box.value();
  MailboxStatus s;
  s.messages = static_cast<std::uint32_t>(b.messages.size());
  for (const StoredMessage& m : b.messages) {
    if (recent_for(m, 0)) ++s.recent;
    if (!m.flags.has(SystemFlag::Seen)) ++s.unseen;
  }
  s.uid_next = b.uid_next;
  s.uid_validity = b.uid_validity;
  return s;
}

// ---- messages ---------------------------------------------------------------------------------

bool MailStore::recent_for(const StoredMessage& message, SessionId viewer) const {
  if (message.recent_owner == kRecentDone) return false;
  if (viewer == 0) return true;  // unclaimed, or claimed by a session that is still open
  if (message.recent_owner == viewer) return true;
  if (message.recent_owner != 0) return false;
  // Unclaimed: a read-only (EXAMINE) session sees it as recent without claiming it.
  auto it = m_sessions.find(viewer);
  return it != m_sessions.end() && it->second.mode == SelectMode::ReadOnly;
}

MessageInfo MailStore::info(const StoredMessage& message, SessionId viewer) const {
  return MessageInfo{message.uid,           message.flags,         recent_for(message, viewer),
                     message.internal_date, message.bytes->size(), message.bytes};
}

SessionId MailStore::recent_claimant(std::string_view user, std::string_view mailbox) const {
  for (const auto& [id, session] : m_sessions) {
    if (session.mode == SelectMode::ReadWrite && session.user == user &&
        session.mailbox == mailbox) {
      return id;
    }
  }
  return 0;
}

StoreResult<AppendResult> MailStore::append(std::string_view user, std::string_view mailbox,
                                            std::string_view bytes, TimeNs internal_date,
                                            const FlagSet& flags) {
  if ((flags.system & ~kAllSystemFlags) != 0) {
    return store_error(StoreErrorCode::InvalidFlag, "unknown system flag");
  }
  if (flags.keywords.size() > m_options.keywords_per_message_max) {
    return store_error(StoreErrorCode::LimitReached, "too many keywords");
  }
  for (const std::string& k : flags.keywords) {
    if (!is_valid_keyword(k, m_options.keyword_size_max)) {
      return store_error(StoreErrorCode::InvalidFlag, "malformed keyword");
    }
  }
  if (bytes.size() > m_options.message_size_max) {
    return store_error(StoreErrorCode::TooLarge, "message larger than the size limit");
  }
  StoredMessage message;
  message.flags = flags;
  message.internal_date = internal_date;
  message.bytes = std::make_shared<const std::string>(normalize_crlf(bytes));
  std::string canonical;
  auto box = find_mailbox(user, mailbox, &canonical);
  if (!box.ok()) return box.error();
  std::vector<Uid> uids;
  auto inserted = insert_copies(user, canonical, {std::move(message)}, 0, &uids);
  if (!inserted.ok()) return inserted.error();
  return AppendResult{box.value()->uid_validity, uids.front()};
}

StoreResult<Done> MailStore::insert_copies(std::string_view user, std::string_view to,
                                           std::vector<StoredMessage> copies, SessionId origin,
                                           std::vector<Uid>* new_uids) {
  User& u = *find_user(user).value();
  Mailbox& box = u.mailboxes.at(std::string(to));
  std::uint64_t total = 0;
  for (const StoredMessage& m : copies) {
    if (m.bytes->size() > m_options.message_size_max) {
      return store_error(StoreErrorCode::TooLarge, "message larger than the size limit");
    }
    total += m.bytes->size();
  }
  if (u.limit_bytes != kNoQuota && (u.used_bytes + total > u.limit_bytes)) {
    return store_error(StoreErrorCode::OverQuota, "mailbox quota exceeded");
  }
  if (box.messages.size() + copies.size() > m_options.messages_per_mailbox_max) {
    return store_error(StoreErrorCode::LimitReached, "too many messages in the mailbox");
  }
  if (std::uint64_t{box.uid_next} + copies.size() >= UINT32_MAX) {
    return store_error(StoreErrorCode::LimitReached, "the mailbox has run out of UIDs");
  }
  // Nothing can fail from here on: the change is all or nothing.
  const SessionId claimant = recent_claimant(user, to);
  for (StoredMessage& m : copies) {
    m.uid = box.uid_next++;
    m.recent_owner = claimant;
    u.used_bytes += m.bytes->size();
    if (new_uids != nullptr) new_uids->push_back(m.uid);
    box.messages.push_back(std::move(m));
    const StoredMessage& stored = box.messages.back();
    queue_change(user, to, MailboxChange{ChangeKind::Appended, stored.uid, stored.flags, false},
                 origin, &stored);
  }
  wake_pending();
  return Done{};
}

StoreResult<std::vector<MessageInfo>> MailStore::messages(std::string_view user,
                                                          std::string_view mailbox,
                                                          SessionId viewer) const {
  auto box = find_mailbox(user, mailbox);
  if (!box.ok()) return box.error();
  std::vector<MessageInfo> out;
  out.reserve(box.value()->messages.size());
  for (const StoredMessage& m : box.value()->messages)
    out.push_back(info(m, viewer));
  return out;
}

StoreResult<MessageInfo> MailStore::message(std::string_view user, std::string_view mailbox,
                                            Uid uid, SessionId viewer) const {
  auto box = find_mailbox(user, mailbox);
  if (!box.ok()) return box.error();
  const auto& list = box.value()->messages;
  auto it = std::lower_bound(list.begin(), list.end(), uid,
                             [](const StoredMessage& m, Uid u) { return m.uid < u; });
  if (it == list.end() || it->uid != uid) {
    return store_error(StoreErrorCode::NoSuchMessage, "no message with that UID");
  }
  return info(*it, viewer);
}

// ---- sessions ---------------------------------------------------------------------------------

StoreResult<SelectResult> MailStore::select(std::string_view user, std::string_view mailbox,
                                            SelectMode mode, WakeFn wake) {
  std::string canonical;
  auto box = find_mailbox(user, mailbox, &canonical);
  if (!box.ok()) return box.error();
  if (m_sessions.size() >= m_options.sessions_max) {
    return store_error(StoreErrorCode::LimitReached, "too many sessions");
  }
  const SessionId id = m_next_session++;
  m_sessions.emplace(id, Session{std::string(user), canonical, mode, std::move(wake), {}, false});
  Mailbox& b = *box.value();
  SelectResult result;
  result.read_only = mode == SelectMode::ReadOnly;
  result.uid_validity = b.uid_validity;
  result.uid_next = b.uid_next;
  FlagSet all_keywords;
  for (StoredMessage& m : b.messages) {
    // The first read-write session after arrival takes \Recent (RFC 3501 2.3.2).
    if (mode == SelectMode::ReadWrite && m.recent_owner == 0) m.recent_owner = id;
    result.messages.push_back(info(m, id));
    if (result.messages.back().recent) ++result.recent;
    for (const std::string& k : m.flags.keywords)
      all_keywords.add_keyword(k);
  }
  result.keywords = all_keywords.keywords;
  result.selection = Selection(this, m_alive, id);
  return result;
}

std::vector<MailboxChange> MailStore::take_changes(SessionId session) {
  auto it = m_sessions.find(session);
  if (it == m_sessions.end()) return {};
  std::vector<MailboxChange> out(it->second.pending.begin(), it->second.pending.end());
  it->second.pending.clear();
  it->second.overflowed = false;
  return out;
}

bool MailStore::has_changes(SessionId session) const {
  auto it = m_sessions.find(session);
  return it != m_sessions.end() && !it->second.pending.empty();
}

void MailStore::end_session(SessionId id) {
  auto it = m_sessions.find(id);
  if (it == m_sessions.end()) return;
  const Session& session = it->second;
  // \Recent lasts for the session that claimed it; when that session ends it is gone.
  auto owner = m_users.find(session.user);
  if (owner != m_users.end() && !session.mailbox.empty()) {
    auto box = owner->second.mailboxes.find(session.mailbox);
    if (box != owner->second.mailboxes.end()) {
      for (StoredMessage& m : box->second.messages) {
        if (m.recent_owner == id) m.recent_owner = kRecentDone;
      }
    }
  }
  m_sessions.erase(it);
}

void MailStore::queue_change(std::string_view user, std::string_view mailbox,
                             const MailboxChange& change, SessionId origin,
                             const StoredMessage* message) {
  for (auto& [id, session] : m_sessions) {
    if (id == origin || session.user != user || session.mailbox != mailbox) continue;
    if (session.overflowed) continue;
    if (session.pending.size() >= m_options.changes_pending_max) {
      session.pending.clear();
      session.pending.push_back(MailboxChange{ChangeKind::Overflow, 0, {}, false});
      session.overflowed = true;
    } else {
      MailboxChange copy = change;
      if (message != nullptr) copy.recent = recent_for(*message, id);
      session.pending.push_back(std::move(copy));
    }
    if (std::find(m_to_wake.begin(), m_to_wake.end(), id) == m_to_wake.end()) {
      m_to_wake.push_back(id);
    }
  }
}

void MailStore::detach_sessions(std::string_view user, std::string_view mailbox) {
  queue_change(user, mailbox, MailboxChange{ChangeKind::MailboxGone, 0, {}, false}, 0);
  for (auto& [id, session] : m_sessions) {
    if (session.user == user && session.mailbox == mailbox) session.mailbox.clear();
  }
}

void MailStore::wake_pending() {
  std::vector<SessionId> ids;
  ids.swap(m_to_wake);
  for (SessionId id : ids) {
    auto it = m_sessions.find(id);
    if (it == m_sessions.end() || !it->second.wake) continue;
    // A copy, so that the callback may end its own session without destroying itself.
    WakeFn wake = it->second.wake;
    wake();
  }
}

std::optional<StoreError> MailStore::check_origin(SessionId origin) const {
  auto it = m_sessions.find(origin);
  if (it != m_sessions.end() && it->second.mode == SelectMode::ReadOnly) {
    return store_error(StoreErrorCode::ReadOnly, "mailbox is selected read-only");
  }
  return std::nullopt;
}

// ---- changes ----------------------------------------------------------------------------------

StoreResult<std::vector<MessageInfo>> MailStore::store_flags(std::string_view user,
                                                             std::string_view mailbox,
                                                             std::span<const Uid> uids, FlagOp op,
                                                             const FlagSet& flags,
                                                             SessionId origin) {
  std::string canonical;
  auto box = find_mailbox(user, mailbox, &canonical);
  if (!box.ok()) return box.error();
  if (auto refused = check_origin(origin)) return *refused;
  if ((flags.system & ~kAllSystemFlags) != 0) {
    return store_error(StoreErrorCode::InvalidFlag, "unknown system flag");
  }
  for (const std::string& k : flags.keywords) {
    if (!is_valid_keyword(k, m_options.keyword_size_max)) {
      return store_error(StoreErrorCode::InvalidFlag, "malformed keyword");
    }
  }
  const std::vector<Uid> wanted = sorted_unique(uids);
  auto& list = box.value()->messages;
  // Work out every new flag set first, so that a limit failure changes nothing.
  std::vector<std::pair<StoredMessage*, FlagSet>> updates;
  for (StoredMessage& m : list) {
    if (!std::binary_search(wanted.begin(), wanted.end(), m.uid)) continue;
    FlagSet next = m.flags;
    next.apply(op, flags);
    if (next.keywords.size() > m_options.keywords_per_message_max) {
      return store_error(StoreErrorCode::LimitReached, "too many keywords");
    }
    updates.emplace_back(&m, std::move(next));
  }
  std::vector<MessageInfo> out;
  for (auto& [m, next] : updates) {
    if (!(m->flags == next)) {
      m->flags = std::move(next);
      queue_change(user, canonical,
                   MailboxChange{ChangeKind::FlagsChanged, m->uid, m->flags, false}, origin, m);
    }
    out.push_back(info(*m, origin));
  }
  wake_pending();
  return out;
}

std::vector<Uid> MailStore::remove_where(std::string_view user, std::string_view mailbox,
                                         User& owner, Mailbox& box,
                                         const std::function<bool(const StoredMessage&)>& pred,
                                         SessionId origin) {
  std::vector<Uid> removed;
  for (const StoredMessage& m : box.messages) {
    if (!pred(m)) continue;
    removed.push_back(m.uid);
    owner.used_bytes -= m.bytes->size();
  }
  std::erase_if(box.messages, pred);
  for (Uid uid : removed) {
    queue_change(user, mailbox, MailboxChange{ChangeKind::Expunged, uid, {}, false}, origin);
  }
  wake_pending();
  return removed;
}

StoreResult<std::vector<Uid>> MailStore::expunge(std::string_view user, std::string_view mailbox,
                                                 SessionId origin) {
  std::string canonical;
  auto box = find_mailbox(user, mailbox, &canonical);
  if (!box.ok()) return box.error();
  if (auto refused = check_origin(origin)) return *refused;
  return remove_where(
      user, canonical, *find_user(user).value(), *box.value(),
      [](const StoredMessage& m) { return m.flags.has(SystemFlag::Deleted); }, origin);
}

StoreResult<std::vector<Uid>> MailStore::expunge_uids(std::string_view user,
                                                      std::string_view mailbox,
                                                      std::span<const Uid> only_uids,
                                                      SessionId origin) {
  std::string canonical;
  auto box = find_mailbox(user, mailbox, &canonical);
  if (!box.ok()) return box.error();
  if (auto refused = check_origin(origin)) return *refused;
  const std::vector<Uid> wanted = sorted_unique(only_uids);
  return remove_where(
      user, canonical, *find_user(user).value(), *box.value(),
      [&](const StoredMessage& m) {
        return m.flags.has(SystemFlag::Deleted) &&
               std::binary_search(wanted.begin(), wanted.end(), m.uid);
      },
      origin);
}

StoreResult<std::vector<Uid>> MailStore::remove(std::string_view user, std::string_view mailbox,
                                                std::span<const Uid> uids, SessionId origin) {
  std::string canonical;
  auto box = find_mailbox(user, mailbox, &canonical);
  if (!box.ok()) return box.error();
  if (auto refused = check_origin(origin)) return *refused;
  const std::vector<Uid> wanted = sorted_unique(uids);
  return remove_where(
      user, canonical, *find_user(user).value(), *box.value(),
      [&](const StoredMessage& m) {
        return std::binary_search(wanted.begin(), wanted.end(), m.uid);
      },
      origin);
}

StoreResult<CopyResult> MailStore::copy(std::string_view user, std::string_view from,
                                        std::span<const Uid> uids, std::string_view to) {
  std::string source_name, dest_name;
  auto source = find_mailbox(user, from, &source_name);
  if (!source.ok()) return source.error();
  auto dest = find_mailbox(user, to, &dest_name);
  if (!dest.ok()) return dest.error();
  const std::vector<Uid> wanted = sorted_unique(uids);
  CopyResult result;
  std::vector<StoredMessage> copies;
  for (const StoredMessage& m : source.value()->messages) {
    if (!std::binary_search(wanted.begin(), wanted.end(), m.uid)) continue;
    StoredMessage copy;
    copy.flags = m.flags;
    copy.internal_date = m.internal_date;
    copy.bytes = m.bytes;  // shared: stored bytes never change
    copies.push_back(std::move(copy));
    result.source_uids.push_back(m.uid);
  }
  result.uid_validity = dest.value()->uid_validity;
  if (copies.empty()) return result;
  // Arrivals are announced to every session on the destination, the origin's included.
  auto inserted = insert_copies(user, dest_name, std::move(copies), 0, &result.dest_uids);
  if (!inserted.ok()) return inserted.error();
  return result;
}

StoreResult<CopyResult> MailStore::move(std::string_view user, std::string_view from,
                                        std::span<const Uid> uids, std::string_view to,
                                        SessionId origin) {
  if (auto refused = check_origin(origin)) return *refused;
  auto copied = copy(user, from, uids, to);
  if (!copied.ok()) return copied;
  auto removed = remove(user, from, copied->source_uids, origin);
  if (!removed.ok()) return removed.error();
  return copied;
}

// ---- POP3 lock --------------------------------------------------------------------------------

StoreResult<MaildropLock> MailStore::lock_maildrop(std::string_view user) {
  auto owner = find_user(user);
  if (!owner.ok()) return owner.error();
  if (owner.value()->maildrop_locked) {
    return store_error(StoreErrorCode::Locked, "maildrop is locked by another session");
  }
  owner.value()->maildrop_locked = true;
  return MaildropLock(this, m_alive, std::string(user));
}

bool MailStore::maildrop_locked(std::string_view user) const {
  auto it = m_users.find(user);
  return it != m_users.end() && it->second.maildrop_locked;
}

void MailStore::unlock_maildrop(const std::string& user) {
  auto it = m_users.find(user);
  if (it != m_users.end()) it->second.maildrop_locked = false;
}

}  // namespace mailscope::mail
