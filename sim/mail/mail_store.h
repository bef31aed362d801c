#pragma once
// MailStore: every user's mailboxes and messages, as the IMAP and POP3 servers and the local
// delivery agent see them.
//
// Durability: a simulated mail server *has* a MailStore; when the server process crashes and
// restarts, the service objects are destroyed and re-created around the same store. So the store
// holds data only. The one link to live sessions is the subscription (Selection) and the maildrop
// lock, both owned by the session as move-only handles: destroying a session (or a whole crashed
// service) ends them, and the store never calls back into a session that has gone.
//
// Model (RFC 3501):
//  - each user has INBOX (always), Sent and Trash, plus mailboxes they create, hierarchical
//    with "/" as delimiter;
//  - each message has a UID, strictly ascending within a mailbox and never reused; UIDNEXT is
//    the next UID to give; UIDVALIDITY is a deterministic counter, a new value for every mailbox
//    created (so a re-created name never reuses old UIDs under the same UIDVALIDITY);
//  - flags are stored per message; \Recent is derived: the first session that selects the mailbox
//    read-write after a message arrived sees it as recent, no other session does;
//  - INTERNALDATE is the virtual time of arrival; the size is the size of the stored bytes;
//  - every change is all-or-nothing: a call that fails leaves no trace.
//
// Line endings: messages are stored with CRLF line ends; a bare LF or CR on input is turned into
// CRLF when the message is stored (RFC 5322 canonical form), so sizes and sections agree with what
// IMAP and POP3 send.

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "mail/flags.h"
#include "mail/mailbox_name.h"
#include "mail/store_result.h"

namespace mailscope::mail {

using Uid = std::uint32_t;
using SessionId = std::uint64_t;  // names one Selection; 0 names none
constexpr std::uint64_t kNoQuota = UINT64_MAX;

struct MailStoreOptions {
  std::uint32_t first_uid_validity = 1;  // the first mailbox created gets this, then +1 each
  std::size_t users_max = 1000;
  std::size_t mailboxes_per_user_max = 1000;
  std::size_t messages_per_mailbox_max = 100'000;
  std::size_t message_size_max = 10'240'000;  // octets, as Postfix's default message_size_limit
  std::size_t keywords_per_message_max = 32;
  std::size_t keyword_size_max = 64;
  std::size_t sessions_max = 10'000;
  std::size_t changes_pending_max = 10'000;  // per session, before it is told to resynchronise
  MailboxNameLimits names;
  std::vector<std::string> default_mailboxes = {"Sent", "Trash"};  // besides INBOX
};

enum class SpecialUse { None, Sent, Trash };  // RFC 6154 attributes \Sent and \Trash

struct MessageInfo {
  Uid uid = 0;
  FlagSet flags;
  bool recent = false;  // \Recent as seen by the session that asked
  TimeNs internal_date = 0;
  std::size_t size = 0;                      // RFC822.SIZE
  std::shared_ptr<const std::string> bytes;  // shared, never changed once stored
};

struct MailboxStatus {
  std::uint32_t messages = 0;
  std::uint32_t recent = 0;
  std::uint32_t unseen = 0;
  Uid uid_next = 1;
  std::uint32_t uid_validity = 0;
};

struct MailboxListing {
  std::string name;
  bool has_children = false;
  bool subscribed = false;
  SpecialUse special_use = SpecialUse::None;
};

struct AppendResult {
  std::uint32_t uid_validity = 0;  // for APPENDUID (RFC 4315)
  Uid uid = 0;
};

struct CopyResult {
  std::uint32_t uid_validity = 0;  // of the destination, for COPYUID (RFC 4315)
  std::vector<Uid> source_uids;    // in ascending order
  std::vector<Uid> dest_uids;      // dest_uids[i] is the copy of source_uids[i]
};

struct QuotaUsage {
  std::uint64_t used_bytes = 0;
  std::uint64_t limit_bytes = kNoQuota;
};

// What a session learns about its selected mailbox from other sessions and deliveries.
enum class ChangeKind {
  Appended,      // a new message (uid, flags, recent for this session)
  FlagsChanged,  // flags of uid changed
  Expunged,      // uid is gone
  MailboxGone,   // the mailbox was deleted or renamed; the session should deselect it
  Overflow,      // more changes than changes_pending_max were waiting; re-select to resync
};
struct MailboxChange {
  ChangeKind kind = ChangeKind::Appended;
  Uid uid = 0;
  FlagSet flags;
  bool recent = false;
};

enum class SelectMode { ReadWrite, ReadOnly };  // IMAP SELECT and EXAMINE

class MailStore;

// A session's hold on a selected mailbox. Move-only; ends the subscription when destroyed.
class Selection {
 public:
  Selection() = default;
  Selection(Selection&& other) noexcept { *this = std::move(other); }
  Selection& operator=(Selection&& other) noexcept;
  Selection(const Selection&) = delete;
  Selection& operator=(const Selection&) = delete;
  ~Selection() { close(); }

  SessionId id() const { return m_id; }
  bool active() const { return m_id != 0; }
  void close();

 private:
  friend class MailStore;
  Selection(MailStore* store, std::weak_ptr<int> alive, SessionId id)
      : m_store(store), m_alive(std::move(alive)), m_id(id) {}
  MailStore* m_store = nullptr;
  std::weak_ptr<int> m_alive;  // expired once the store is gone: then close() does nothing
  SessionId m_id = 0;
};

// The POP3 maildrop lock (RFC 1939 8). Move-only; released when destroyed.
class MaildropLock {
 public:
  MaildropLock() = default;
  MaildropLock(MaildropLock&& other) noexcept { *this = std::move(other); }
  MaildropLock& operator=(MaildropLock&& other) noexcept;
  MaildropLock(const MaildropLock&) = delete;
  MaildropLock& operator=(const MaildropLock&) = delete;
  ~MaildropLock() { release(); }

  bool held() const { return m_store != nullptr; }
  const std::string& user() const { return m_user; }
  void release();

 private:
  friend class MailStore;
  MaildropLock(MailStore* store, std::weak_ptr<int> alive, std::string user)
      : m_store(store), m_alive(std::move(alive)), m_user(std::move(user)) {}
  MailStore* m_store = nullptr;
  std::weak_ptr<int> m_alive;
  std::string m_user;
};

struct SelectResult {
  Selection selection;
  bool read_only = false;
  std::uint32_t uid_validity = 0;
  Uid uid_next = 1;
  std::uint32_t recent = 0;
  std::vector<MessageInfo> messages;  // the mailbox at the moment of selection, by ascending UID
  std::vector<std::string> keywords;  // every keyword in use in the mailbox (for FLAGS)
};

class MailStore {
 public:
  // Called after a change that the session should learn about has been queued for it. It may
  // call back into the store; typically it schedules the session's next step on the Simulator.
  using WakeFn = std::function<void()>;

  explicit MailStore(MailStoreOptions options = {});
  MailStore(const MailStore&) = delete;
  MailStore& operator=(const MailStore&) = delete;
  ~MailStore();

  const MailStoreOptions& options() const { return m_options; }

  // Users.
  StoreResult<Done> add_user(std::string_view user);
  bool has_user(std::string_view user) const;
  StoreResult<Done> set_quota(std::string_view user, std::uint64_t limit_bytes);
  StoreResult<QuotaUsage> quota(std::string_view user) const;

  // Mailboxes of one user. Every name is validated first; a user reaches only their own tree.
  StoreResult<Done> create_mailbox(std::string_view user, std::string_view name);
  StoreResult<Done> delete_mailbox(std::string_view user, std::string_view name);
  StoreResult<Done> rename_mailbox(std::string_view user, std::string_view from,
                                   std::string_view to);
  StoreResult<Done> set_subscribed(std::string_view user, std::string_view name, bool subscribed);
  StoreResult<std::vector<MailboxListing>> list_mailboxes(std::string_view user) const;
  StoreResult<MailboxStatus> status(std::string_view user, std::string_view name) const;

  // Adding messages. The bytes are stored with CRLF line ends; flags may not include \Recent.
  StoreResult<AppendResult> append(std::string_view user, std::string_view mailbox,
                                   std::string_view bytes, TimeNs internal_date,
                                   const FlagSet& flags = {});
  // Final delivery into INBOX (the MTA or LDA).
  StoreResult<AppendResult> deliver(std::string_view user, std::string_view bytes, TimeNs now) {
    return append(user, "INBOX", bytes, now);
  }

  // Reading. viewer decides \Recent (0: recent means "not yet claimed by any session").
  StoreResult<std::vector<MessageInfo>> messages(std::string_view user, std::string_view mailbox,
                                                 SessionId viewer = 0) const;
  StoreResult<MessageInfo> message(std::string_view user, std::string_view mailbox, Uid uid,
                                   SessionId viewer = 0) const;

  // Sessions.
  StoreResult<SelectResult> select(std::string_view user, std::string_view mailbox, SelectMode mode,
                                   WakeFn wake = {});
  // Changes queued for a session since the last call, oldest first.
  std::vector<MailboxChange> take_changes(SessionId session);
  bool has_changes(SessionId session) const;
  std::size_t session_count() const { return m_sessions.size(); }

  // Changes through a session (origin; 0 for none). The origin does not get its own changes
  // queued, since it reports them itself; every other session on the mailbox does.
  StoreResult<std::vector<MessageInfo>> store_flags(std::string_view user, std::string_view mailbox,
                                                    std::span<const Uid> uids, FlagOp op,
                                                    const FlagSet& flags, SessionId origin = 0);
  // Removes the messages flagged \Deleted (all of them, or only those in only_uids for
  // UID EXPUNGE); returns their UIDs in ascending order.
  StoreResult<std::vector<Uid>> expunge(std::string_view user, std::string_view mailbox,
                                        SessionId origin = 0);
  StoreResult<std::vector<Uid>> expunge_uids(std::string_view user, std::string_view mailbox,
                                             std::span<const Uid> only_uids, SessionId origin = 0);
  // Removes the given messages whatever their flags (POP3's UPDATE state).
  StoreResult<std::vector<Uid>> remove(std::string_view user, std::string_view mailbox,
                                       std::span<const Uid> uids, SessionId origin = 0);
  // Copies messages (flags and INTERNALDATE kept) to another mailbox of the same user.
  // Every session on the destination (the caller's too) learns of the new messages.
  StoreResult<CopyResult> copy(std::string_view user, std::string_view from,
                               std::span<const Uid> uids, std::string_view to);
  // COPY, then removal from the source (RFC 6851 MOVE).
  StoreResult<CopyResult> move(std::string_view user, std::string_view from,
                               std::span<const Uid> uids, std::string_view to,
                               SessionId origin = 0);

  // POP3: exclusive lock of the user's maildrop (INBOX). A second attempt fails with Locked.
  StoreResult<MaildropLock> lock_maildrop(std::string_view user);
  bool maildrop_locked(std::string_view user) const;

 private:
  friend class Selection;
  friend class MaildropLock;

  struct StoredMessage {
    Uid uid = 0;
    FlagSet flags;
    TimeNs internal_date = 0;
    std::shared_ptr<const std::string> bytes;
    SessionId recent_owner = 0;  // 0: unclaimed (recent); kRecentDone: no longer recent
  };
  struct Mailbox {
    std::uint32_t uid_validity = 0;
    Uid uid_next = 1;                     // greater than every UID ever given in this mailbox
    std::vector<StoredMessage> messages;  // ascending UID
    bool subscribed = false;
    SpecialUse special_use = SpecialUse::None;
  };
  struct User {
    std::map<std::string, Mailbox> mailboxes;  // by canonical name; "INBOX" always present
    std::uint64_t used_bytes = 0;              // sum of the sizes of all stored messages
    std::uint64_t limit_bytes = kNoQuota;
    bool maildrop_locked = false;
  };
  struct Session {
    std::string user;
    std::string mailbox;  // empty once the mailbox has gone
    SelectMode mode = SelectMode::ReadWrite;
    WakeFn wake;
    std::deque<MailboxChange> pending;  // bounded by changes_pending_max (then one Overflow)
    bool overflowed = false;
  };
  static constexpr SessionId kRecentDone = UINT64_MAX;

  StoreResult<User*> find_user(std::string_view user);
  StoreResult<const User*> find_user(std::string_view user) const;
  StoreResult<Mailbox*> find_mailbox(std::string_view user, std::string_view name,
                                     std::string* canonical = nullptr);
  StoreResult<const Mailbox*> find_mailbox(std::string_view user, std::string_view name) const;
  StoreResult<std::string> check_name(std::string_view name) const;
  // ReadOnly when origin selected the mailbox with EXAMINE; nothing when the change may go ahead.
  std::optional<StoreError> check_origin(SessionId origin) const;
  Mailbox new_mailbox();
  bool recent_for(const StoredMessage& message, SessionId viewer) const;
  MessageInfo info(const StoredMessage& message, SessionId viewer) const;
  // The session that claims \Recent of a message arriving now: the oldest read-write one.
  SessionId recent_claimant(std::string_view user, std::string_view mailbox) const;
  StoreResult<Done> insert_copies(std::string_view user, std::string_view to,
                                  std::vector<StoredMessage> copies, SessionId origin,
                                  std::vector<Uid>* new_uids);
  std::vector<Uid> remove_where(std::string_view user, std::string_view mailbox, User& owner,
                                Mailbox& box, const std::function<bool(const StoredMessage&)>& pred,
                                SessionId origin);
  // Queues a change for every session on (user, mailbox) except origin, and remembers whom to wake.
  void queue_change(std::string_view user, std::string_view mailbox, const MailboxChange& change,
                    SessionId origin, const StoredMessage* message = nullptr);
  void detach_sessions(std::string_view user, std::string_view mailbox);
  void wake_pending();
  void end_session(SessionId id);
  void unlock_maildrop(const std::string& user);

  MailStoreOptions m_options;
  std::map<std::string, User, std::less<>> m_users;
  std::map<SessionId, Session> m_sessions;  // live selections, by id (ascending = oldest first)
  std::vector<SessionId> m_to_wake;         // sessions with new changes, woken after each call
  std::uint32_t m_next_uid_validity;        // strictly increasing; one value per created mailbox
  SessionId m_next_session = 1;
  std::shared_ptr<int> m_alive = std::make_shared<int>(0);  // handles check it before calling in
};

std::string_view to_string(SpecialUse use);  // "", "\\Sent", "\\Trash"

}  // namespace mailscope::mail
