#include "mail/mail_store.h"

#include <gtest/gtest.h>

#include <memory>

namespace mailscope::mail {
namespace {

const std::string kMsg = "Subject: hi\r\n\r\nhello\r\n";
const std::uint64_t kSize = kMsg.size();  // 22 octets

std::vector<Uid> uids_of(const std::vector<MessageInfo>& list) {
  std::vector<Uid> out;
  for (const MessageInfo& m : list)
    out.push_back(m.uid);
  return out;
}

FlagSet flags_of(std::initializer_list<SystemFlag> list) {
  FlagSet f;
  for (SystemFlag s : list)
    f.set(s, true);
  return f;
}

class MailStoreTest : public ::testing::Test {
 protected:
  MailStoreTest() {
    EXPECT_TRUE(store.add_user("alice").ok());
    EXPECT_TRUE(store.add_user("bob").ok());
  }
  Uid deliver(const std::string& user = "alice", TimeNs now = 0) {
    auto r = store.deliver(user, kMsg, now);
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->uid : 0;
  }
  MailStore store;
};

TEST(MailboxNames, ValidationTable) {
  struct Case {
    const char* name;
    const char* canonical;  // nullptr: refused
  };
  const Case cases[] = {
      {"INBOX", "INBOX"},
      {"inbox", "INBOX"},  // INBOX is case-insensitive
      {"Projects/2024/Q3", "Projects/2024/Q3"},
      {"Caf&AOk-", "Caf&AOk-"},  // modified UTF-7 is plain ASCII
      {"With space", "With space"},
      {"", nullptr},                // empty
      {"../other/INBOX", nullptr},  // escape upwards
      {"a/../b", nullptr},          // dot-dot inside
      {"a/./b", nullptr},           // dot component
      {"..", nullptr},              // just dot-dot
      {"/etc/passwd", nullptr},     // leading slash
      {"a/", nullptr},              // trailing slash: empty last component
      {"a//b", nullptr},            // empty component
      {"a*", nullptr},              // LIST wildcard
      {"a%", nullptr},              // LIST wildcard
      {"a\\b", nullptr},            // backslash
      {"tab\there", nullptr},       // control character
      {"caf\xc3\xa9", nullptr},     // raw 8-bit (must be modified UTF-7)
  };
  for (const Case& c : cases) {
    auto r = validate_mailbox_name(c.name);
    if (c.canonical == nullptr) {
      EXPECT_FALSE(r.ok()) << c.name;
    } else {
      ASSERT_TRUE(r.ok()) << c.name << ": " << r.error().to_string();
      EXPECT_EQ(*r, c.canonical);
    }
  }
  EXPECT_FALSE(validate_mailbox_name(std::string(201, 'a')).ok());  // whole name too long
  EXPECT_FALSE(validate_mailbox_name(std::string(65, 'a')).ok());   // component too long
  std::string deep = "a";
  for (int i = 0; i < 16; ++i)
    deep += "/a";
  EXPECT_FALSE(validate_mailbox_name(deep).ok());  // 17 levels
}

TEST(MailboxNames, ListPatterns) {
  EXPECT_TRUE(match_list_pattern("*", "a/b/c"));
  EXPECT_TRUE(match_list_pattern("%", "Sent"));
  EXPECT_FALSE(match_list_pattern("%", "a/b"));
  EXPECT_TRUE(match_list_pattern("a/%", "a/b"));
  EXPECT_FALSE(match_list_pattern("a/%", "a/b/c"));
  EXPECT_TRUE(match_list_pattern("a/*", "a/b/c"));
  EXPECT_TRUE(match_list_pattern("inbox", "INBOX"));
  EXPECT_FALSE(match_list_pattern("sent", "Sent"));  // only INBOX ignores case
  EXPECT_TRUE(match_list_pattern("S%t", "Sent"));
  EXPECT_FALSE(match_list_pattern("", "x"));
}

TEST_F(MailStoreTest, UsersHaveDefaultMailboxes) {
  auto list = store.list_mailboxes("alice");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].name, "INBOX");
  EXPECT_EQ((*list)[1].name, "Sent");
  EXPECT_EQ((*list)[1].special_use, SpecialUse::Sent);
  EXPECT_EQ((*list)[2].name, "Trash");
  EXPECT_EQ(store.add_user("alice").code(), StoreErrorCode::AlreadyExists);
  EXPECT_EQ(store.add_user("../bob").code(), StoreErrorCode::InvalidName);
  EXPECT_EQ(store.list_mailboxes("carol").code(), StoreErrorCode::NoSuchUser);
}

TEST_F(MailStoreTest, UsersReachOnlyTheirOwnMailboxes) {
  deliver("bob");
  EXPECT_EQ(store.messages("alice", "../bob/INBOX").code(), StoreErrorCode::InvalidName);
  EXPECT_EQ(store.status("alice", "/bob/INBOX").code(), StoreErrorCode::InvalidName);
  EXPECT_EQ(store.messages("alice", "bob/INBOX").code(), StoreErrorCode::NoSuchMailbox);
  EXPECT_EQ(store.create_mailbox("alice", "../../x").code(), StoreErrorCode::InvalidName);
  EXPECT_EQ(store.messages("alice", "INBOX")->size(), 0u);
}

TEST_F(MailStoreTest, UidRules) {
  auto before = store.status("alice", "INBOX");
  EXPECT_EQ(before->uid_next, 1u);
  EXPECT_EQ(before->uid_validity, 1u);  // the first mailbox created
  EXPECT_EQ(deliver(), 1u);
  EXPECT_EQ(deliver(), 2u);
  EXPECT_EQ(deliver(), 3u);
  ASSERT_TRUE(store
                  .store_flags("alice", "INBOX", std::vector<Uid>{3}, FlagOp::Add,
                               flags_of({SystemFlag::Deleted}))
                  .ok());
  EXPECT_EQ(*store.expunge("alice", "INBOX"), std::vector<Uid>{3});
  EXPECT_EQ(deliver(), 4u);  // UIDs are never reused, even after expunge
  EXPECT_EQ(store.status("alice", "INBOX")->uid_next, 5u);
  EXPECT_EQ(uids_of(*store.messages("alice", "INBOX")), (std::vector<Uid>{1, 2, 4}));
}

TEST_F(MailStoreTest, UidValidityIsADeterministicCounter) {
  // alice: INBOX 1, Sent 2, Trash 3; bob: 4, 5, 6.
  EXPECT_EQ(store.status("bob", "INBOX")->uid_validity, 4u);
  ASSERT_TRUE(store.create_mailbox("alice", "Work").ok());
  EXPECT_EQ(store.status("alice", "Work")->uid_validity, 7u);
  ASSERT_TRUE(store.delete_mailbox("alice", "Work").ok());
  ASSERT_TRUE(store.create_mailbox("alice", "Work").ok());
  EXPECT_EQ(store.status("alice", "Work")->uid_validity, 8u);  // a re-created name is new
  MailStoreOptions options;
  options.first_uid_validity = 1000;
  MailStore other(options);
  ASSERT_TRUE(other.add_user("x").ok());
  EXPECT_EQ(other.status("x", "INBOX")->uid_validity, 1000u);
}

TEST_F(MailStoreTest, MessagesKeepFlagsDateAndSize) {
  auto r = store.append("alice", "Sent", "Subject: s\n\nbody\n", 5 * kSecond,
                        flags_of({SystemFlag::Seen}));
  ASSERT_TRUE(r.ok());
  auto m = store.message("alice", "Sent", r->uid);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(*m->bytes, "Subject: s\r\n\r\nbody\r\n");  // stored with CRLF line ends
  EXPECT_EQ(m->size, 20u);
  EXPECT_EQ(m->internal_date, 5 * kSecond);
  EXPECT_TRUE(m->flags.has(SystemFlag::Seen));
  EXPECT_EQ(store.message("alice", "Sent", 99).code(), StoreErrorCode::NoSuchMessage);
}

TEST_F(MailStoreTest, RecentBelongsToOneSessionOnly) {
  deliver();
  deliver();
  // STATUS sees both as recent: nobody has claimed them yet.
  EXPECT_EQ(store.status("alice", "INBOX")->recent, 2u);
  auto examine = store.select("alice", "INBOX", SelectMode::ReadOnly);
  EXPECT_EQ(examine->recent, 2u);  // EXAMINE shows \Recent but does not take it
  auto first = store.select("alice", "INBOX", SelectMode::ReadWrite);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->recent, 2u);
  EXPECT_TRUE(first->messages[0].recent);
  auto second = store.select("alice", "INBOX", SelectMode::ReadWrite);
  EXPECT_EQ(second->recent, 0u);  // the first session took them
  EXPECT_FALSE(second->messages[0].recent);
  // A message arriving while both are selected is recent for the older session only.
  deliver();
  const auto to_first = store.take_changes(first->selection.id());
  const auto to_second = store.take_changes(second->selection.id());
  ASSERT_EQ(to_first.size(), 1u);
  ASSERT_EQ(to_second.size(), 1u);
  EXPECT_TRUE(to_first[0].recent);
  EXPECT_FALSE(to_second[0].recent);
  EXPECT_EQ(store.status("alice", "INBOX")->recent, 3u);  // still \Recent while first is open
  first->selection.close();
  EXPECT_EQ(store.status("alice", "INBOX")->recent, 0u);  // gone with its session
  auto third = store.select("alice", "INBOX", SelectMode::ReadWrite);
  EXPECT_EQ(third->recent, 0u);
}

TEST_F(MailStoreTest, FailedAppendLeavesNoTrace) {
  deliver();
  auto session = store.select("alice", "INBOX", SelectMode::ReadWrite);
  ASSERT_TRUE(store.set_quota("alice", 30).ok());
  const auto before = *store.status("alice", "INBOX");
  struct Case {
    const char* comment;
    StoreResult<AppendResult> result;
    StoreErrorCode code;
  };
  FlagSet bad_keyword;
  bad_keyword.keywords = {"bad keyword"};
  FlagSet unknown_flag;
  unknown_flag.system = 0x80;
  std::vector<Case> cases;
  cases.push_back({"over quota", store.deliver("alice", kMsg, 0), StoreErrorCode::OverQuota});
  cases.push_back(
      {"no such mailbox", store.append("alice", "Nope", "x", 0), StoreErrorCode::NoSuchMailbox});
  cases.push_back(
      {"bad mailbox name", store.append("alice", "../x", "x", 0), StoreErrorCode::InvalidName});
  cases.push_back({"no such user", store.deliver("carol", "x", 0), StoreErrorCode::NoSuchUser});
  cases.push_back({"bad keyword", store.append("alice", "INBOX", "x", 0, bad_keyword),
                   StoreErrorCode::InvalidFlag});
  cases.push_back({"unknown system flag", store.append("alice", "INBOX", "x", 0, unknown_flag),
                   StoreErrorCode::InvalidFlag});
  cases.push_back({"too large", store.deliver("alice", std::string(10'240'001, 'x'), 0),
                   StoreErrorCode::TooLarge});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.comment);
    ASSERT_FALSE(c.result.ok());
    EXPECT_EQ(c.result.code(), c.code);
  }
  const auto after = *store.status("alice", "INBOX");
  EXPECT_EQ(after.messages, before.messages);
  EXPECT_EQ(after.uid_next, before.uid_next);  // no UID was used up
  EXPECT_EQ(store.quota("alice")->used_bytes, kSize);
  EXPECT_FALSE(store.has_changes(session->selection.id()));  // nobody was told anything
}

TEST_F(MailStoreTest, QuotaShowsOverQuota) {
  ASSERT_TRUE(store.set_quota("alice", 2 * kSize).ok());
  deliver();
  deliver();  // exactly at the limit
  auto third = store.deliver("alice", kMsg, 0);
  EXPECT_EQ(third.code(), StoreErrorCode::OverQuota);
  EXPECT_EQ(store.quota("alice")->used_bytes, 2 * kSize);
  // Copies count too; expunging frees space.
  EXPECT_EQ(store.copy("alice", "INBOX", std::vector<Uid>{1}, "Trash").code(),
            StoreErrorCode::OverQuota);
  ASSERT_TRUE(store.remove("alice", "INBOX", std::vector<Uid>{1}).ok());
  EXPECT_EQ(store.quota("alice")->used_bytes, kSize);
  EXPECT_TRUE(store.deliver("alice", kMsg, 0).ok());
  // bob is not affected by alice's quota.
  EXPECT_TRUE(store.deliver("bob", kMsg, 0).ok());
}

TEST_F(MailStoreTest, ExpungeOnlyDeleted) {
  for (int i = 0; i < 4; ++i)
    deliver();
  ASSERT_TRUE(store
                  .store_flags("alice", "INBOX", std::vector<Uid>{2, 3, 4}, FlagOp::Add,
                               flags_of({SystemFlag::Deleted}))
                  .ok());
  // UID EXPUNGE 2:3 leaves 4 although it is \Deleted.
  EXPECT_EQ(*store.expunge_uids("alice", "INBOX", std::vector<Uid>{2, 3}),
            (std::vector<Uid>{2, 3}));
  EXPECT_EQ(uids_of(*store.messages("alice", "INBOX")), (std::vector<Uid>{1, 4}));
  EXPECT_EQ(*store.expunge("alice", "INBOX"), std::vector<Uid>{4});
  EXPECT_EQ(store.quota("alice")->used_bytes, kSize);
}

TEST_F(MailStoreTest, CopyKeepsFlagsAndDateAndGivesNewUids) {
  deliver("alice", 1 * kSecond);
  deliver("alice", 2 * kSecond);
  ASSERT_TRUE(store
                  .store_flags("alice", "INBOX", std::vector<Uid>{2}, FlagOp::Add,
                               flags_of({SystemFlag::Flagged}))
                  .ok());
  ASSERT_TRUE(store.create_mailbox("alice", "Archive").ok());
  ASSERT_TRUE(store.deliver("alice", kMsg, 0).ok());  // INBOX uid 3
  auto copied = store.copy("alice", "INBOX", std::vector<Uid>{2, 1, 99}, "Archive");
  ASSERT_TRUE(copied.ok());
  EXPECT_EQ(copied->source_uids, (std::vector<Uid>{1, 2}));  // 99 does not exist: ignored
  EXPECT_EQ(copied->dest_uids, (std::vector<Uid>{1, 2}));
  EXPECT_EQ(copied->uid_validity, store.status("alice", "Archive")->uid_validity);
  auto archived = *store.messages("alice", "Archive");
  EXPECT_EQ(archived[1].internal_date, 2 * kSecond);
  EXPECT_TRUE(archived[1].flags.has(SystemFlag::Flagged));
  EXPECT_EQ(archived[1].bytes, store.message("alice", "INBOX", 2)->bytes);  // shared bytes
  EXPECT_EQ(store.quota("alice")->used_bytes, 5 * kSize);
  EXPECT_EQ(store.copy("alice", "INBOX", std::vector<Uid>{1}, "Nope").code(),
            StoreErrorCode::NoSuchMailbox);
  // MOVE = COPY + expunge from the source.
  auto moved = store.move("alice", "INBOX", std::vector<Uid>{3}, "Archive");
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->dest_uids, std::vector<Uid>{3});
  EXPECT_EQ(uids_of(*store.messages("alice", "INBOX")), (std::vector<Uid>{1, 2}));
}

TEST_F(MailStoreTest, CreateRenameDeleteHierarchy) {
  ASSERT_TRUE(store.create_mailbox("alice", "Work/2024/Q3").ok());  // superiors are created too
  EXPECT_TRUE(store.status("alice", "Work").ok());
  EXPECT_TRUE(store.status("alice", "Work/2024").ok());
  EXPECT_EQ(store.create_mailbox("alice", "Work").code(), StoreErrorCode::AlreadyExists);
  EXPECT_EQ(store.create_mailbox("alice", "inbox").code(), StoreErrorCode::AlreadyExists);
  ASSERT_TRUE(store.append("alice", "Work/2024/Q3", kMsg, 0).ok());
  const auto validity = store.status("alice", "Work/2024/Q3")->uid_validity;

  ASSERT_TRUE(store.rename_mailbox("alice", "Work", "Jobs/Old").ok());  // inferiors move along
  EXPECT_EQ(store.status("alice", "Work").code(), StoreErrorCode::NoSuchMailbox);
  EXPECT_EQ(store.status("alice", "Jobs/Old/2024/Q3")->messages, 1u);
  EXPECT_EQ(store.status("alice", "Jobs/Old/2024/Q3")->uid_validity, validity);
  EXPECT_EQ(store.rename_mailbox("alice", "Jobs", "Jobs/Inside").code(),
            StoreErrorCode::InvalidName);
  EXPECT_EQ(store.rename_mailbox("alice", "Jobs", "Sent").code(), StoreErrorCode::AlreadyExists);
  EXPECT_EQ(store.rename_mailbox("alice", "Nope", "X").code(), StoreErrorCode::NoSuchMailbox);

  EXPECT_EQ(store.delete_mailbox("alice", "Jobs/Old").code(), StoreErrorCode::HasChildren);
  EXPECT_EQ(store.delete_mailbox("alice", "INBOX").code(), StoreErrorCode::CannotDelete);
  ASSERT_TRUE(store.delete_mailbox("alice", "Jobs/Old/2024/Q3").ok());
  EXPECT_EQ(store.quota("alice")->used_bytes, 0u);  // its messages went with it

  auto list = *store.list_mailboxes("alice");
  std::vector<std::string> names;
  for (const auto& entry : list)
    names.push_back(entry.name + (entry.has_children ? "+" : ""));
  EXPECT_EQ(names, (std::vector<std::string>{"INBOX", "Jobs+", "Jobs/Old+", "Jobs/Old/2024", "Sent",
                                             "Trash"}));
}

TEST_F(MailStoreTest, RenamingInboxMovesItsMessages) {
  deliver();
  deliver();
  auto session = store.select("alice", "INBOX", SelectMode::ReadWrite);
  ASSERT_TRUE(store.rename_mailbox("alice", "INBOX", "Old Inbox").ok());
  EXPECT_EQ(store.status("alice", "INBOX")->messages, 0u);
  EXPECT_EQ(store.status("alice", "INBOX")->uid_next, 3u);  // INBOX's UIDs are not reused
  EXPECT_EQ(store.status("alice", "Old Inbox")->messages, 2u);
  const auto changes = store.take_changes(session->selection.id());
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].kind, ChangeKind::Expunged);
}

TEST_F(MailStoreTest, NotificationsReachTwoSubscribers) {
  deliver();
  int woken_a = 0, woken_b = 0;
  auto a = store.select("alice", "INBOX", SelectMode::ReadWrite, [&] { ++woken_a; });
  auto b = store.select("alice", "INBOX", SelectMode::ReadWrite, [&] { ++woken_b; });
  auto other = store.select("alice", "Sent", SelectMode::ReadWrite);
  ASSERT_TRUE(a.ok() && b.ok() && other.ok());

  deliver();  // new message: both learn of it
  EXPECT_EQ(woken_a, 1);
  EXPECT_EQ(woken_b, 1);
  // a sets \Seen: b learns of it, a does not get its own change back.
  ASSERT_TRUE(store
                  .store_flags("alice", "INBOX", std::vector<Uid>{1}, FlagOp::Add,
                               flags_of({SystemFlag::Seen}), a->selection.id())
                  .ok());
  // Setting a flag that is already set changes nothing and tells nobody.
  ASSERT_TRUE(store
                  .store_flags("alice", "INBOX", std::vector<Uid>{1}, FlagOp::Add,
                               flags_of({SystemFlag::Seen}), a->selection.id())
                  .ok());
  // b deletes and expunges message 2: a learns of the expunge.
  ASSERT_TRUE(store
                  .store_flags("alice", "INBOX", std::vector<Uid>{2}, FlagOp::Add,
                               flags_of({SystemFlag::Deleted}), b->selection.id())
                  .ok());
  ASSERT_TRUE(store.expunge("alice", "INBOX", b->selection.id()).ok());

  const auto to_a = store.take_changes(a->selection.id());
  ASSERT_EQ(to_a.size(), 3u);
  EXPECT_EQ(to_a[0].kind, ChangeKind::Appended);
  EXPECT_EQ(to_a[0].uid, 2u);
  EXPECT_EQ(to_a[1].kind, ChangeKind::FlagsChanged);
  EXPECT_EQ(to_a[1].uid, 2u);
  EXPECT_TRUE(to_a[1].flags.has(SystemFlag::Deleted));
  EXPECT_EQ(to_a[2].kind, ChangeKind::Expunged);
  EXPECT_EQ(to_a[2].uid, 2u);

  const auto to_b = store.take_changes(b->selection.id());
  ASSERT_EQ(to_b.size(), 2u);
  EXPECT_EQ(to_b[0].kind, ChangeKind::Appended);
  EXPECT_EQ(to_b[1].kind, ChangeKind::FlagsChanged);
  EXPECT_EQ(to_b[1].uid, 1u);
  EXPECT_TRUE(to_b[1].flags.has(SystemFlag::Seen));

  EXPECT_TRUE(store.take_changes(other->selection.id()).empty());  // another mailbox
  EXPECT_TRUE(store.take_changes(a->selection.id()).empty());      // drained
}

TEST_F(MailStoreTest, NoCallbackIntoAnEndedSession) {
  int woken = 0;
  {
    auto session = store.select("alice", "INBOX", SelectMode::ReadWrite, [&] { ++woken; });
    ASSERT_TRUE(session.ok());
    EXPECT_EQ(store.session_count(), 1u);
  }  // the session (and its Selection) is destroyed here, as in a server crash
  EXPECT_EQ(store.session_count(), 0u);
  deliver();
  EXPECT_EQ(woken, 0);
  // A moved-from handle ends nothing; the moved-to one ends the session.
  auto s = store.select("alice", "INBOX", SelectMode::ReadWrite);
  Selection held = std::move(s->selection);
  EXPECT_FALSE(s->selection.active());
  EXPECT_EQ(store.session_count(), 1u);
  held.close();
  EXPECT_EQ(store.session_count(), 0u);
}

TEST_F(MailStoreTest, CallbackMayEndItsOwnSession) {
  std::optional<SelectResult> holder;
  holder.emplace(std::move(
      store.select("alice", "INBOX", SelectMode::ReadWrite, [&] { holder->selection.close(); })
          .value()));
  deliver();
  EXPECT_EQ(store.session_count(), 0u);
}

TEST(MailStoreLifetime, HandlesOutlivingTheStoreAreHarmless) {
  Selection selection;
  MaildropLock lock;
  {
    MailStore store;
    ASSERT_TRUE(store.add_user("alice").ok());
    selection = std::move(store.select("alice", "INBOX", SelectMode::ReadWrite).value().selection);
    lock = std::move(store.lock_maildrop("alice").value());
  }
  selection.close();  // the store is gone: nothing is called
  lock.release();
  SUCCEED();
}

TEST_F(MailStoreTest, ReadOnlySessionsCannotChangeTheMailbox) {
  deliver();
  auto examine = store.select("alice", "INBOX", SelectMode::ReadOnly);
  const SessionId id = examine->selection.id();
  EXPECT_EQ(store
                .store_flags("alice", "INBOX", std::vector<Uid>{1}, FlagOp::Add,
                             flags_of({SystemFlag::Seen}), id)
                .code(),
            StoreErrorCode::ReadOnly);
  EXPECT_EQ(store.expunge("alice", "INBOX", id).code(), StoreErrorCode::ReadOnly);
  EXPECT_EQ(store.move("alice", "INBOX", std::vector<Uid>{1}, "Trash", id).code(),
            StoreErrorCode::ReadOnly);
}

TEST_F(MailStoreTest, DeletedMailboxTellsItsSessions) {
  ASSERT_TRUE(store.create_mailbox("alice", "Tmp").ok());
  auto session = store.select("alice", "Tmp", SelectMode::ReadWrite);
  ASSERT_TRUE(store.delete_mailbox("alice", "Tmp").ok());
  const auto changes = store.take_changes(session->selection.id());
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, ChangeKind::MailboxGone);
  ASSERT_TRUE(store.create_mailbox("alice", "Tmp").ok());
  ASSERT_TRUE(store.append("alice", "Tmp", kMsg, 0).ok());
  EXPECT_TRUE(store.take_changes(session->selection.id()).empty());  // not the new "Tmp"
}

TEST_F(MailStoreTest, PendingChangesAreBounded) {
  MailStoreOptions options;
  options.changes_pending_max = 3;
  MailStore small(options);
  ASSERT_TRUE(small.add_user("u").ok());
  auto session = small.select("u", "INBOX", SelectMode::ReadWrite);
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(small.deliver("u", kMsg, 0).ok());
  const auto changes = small.take_changes(session->selection.id());
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, ChangeKind::Overflow);
}

TEST_F(MailStoreTest, KeywordsAndFlagOperations) {
  deliver();
  auto set = FlagSet::from_names(std::vector<std::string>{"\\seen", "$Forwarded", "Work"});
  ASSERT_TRUE(set.ok());
  auto r = store.store_flags("alice", "INBOX", std::vector<Uid>{1}, FlagOp::Replace, *set);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].flags.names(), (std::vector<std::string>{"\\Seen", "$Forwarded", "Work"}));
  FlagSet remove;
  remove.add_keyword("work");  // keywords compare case-insensitively
  r = store.store_flags("alice", "INBOX", std::vector<Uid>{1}, FlagOp::Remove, remove);
  EXPECT_EQ((*r)[0].flags.names(), (std::vector<std::string>{"\\Seen", "$Forwarded"}));
  EXPECT_FALSE(FlagSet::from_names(std::vector<std::string>{"\\Recent"}).ok());
  EXPECT_FALSE(FlagSet::from_names(std::vector<std::string>{"\\Bogus"}).ok());
  EXPECT_FALSE(FlagSet::from_names(std::vector<std::string>{"two words"}).ok());
  auto selected = store.select("alice", "INBOX", SelectMode::ReadOnly);
  EXPECT_EQ(selected->keywords, std::vector<std::string>{"$Forwarded"});
  EXPECT_EQ(store.status("alice", "INBOX")->unseen, 0u);
}

TEST_F(MailStoreTest, Pop3MaildropLockIsExclusive) {
  auto first = store.lock_maildrop("alice");
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(store.maildrop_locked("alice"));
  EXPECT_EQ(store.lock_maildrop("alice").code(), StoreErrorCode::Locked);
  EXPECT_TRUE(store.lock_maildrop("bob").ok());       // another user's maildrop is separate
  EXPECT_TRUE(store.deliver("alice", kMsg, 0).ok());  // delivery goes on while locked
  first->release();
  EXPECT_FALSE(store.maildrop_locked("alice"));
  {
    auto again = store.lock_maildrop("alice");
    ASSERT_TRUE(again.ok());
  }  // released when the POP3 session (or its crashed server) goes away
  EXPECT_TRUE(store.lock_maildrop("alice").ok());
  EXPECT_EQ(store.lock_maildrop("carol").code(), StoreErrorCode::NoSuchUser);
}

TEST(MailStoreDeterminism, SameOperationsSameState) {
  auto run = [] {
    MailStore store;
    std::string log;
    EXPECT_TRUE(store.add_user("a").ok());
    EXPECT_TRUE(store.create_mailbox("a", "X/Y").ok());
    for (int i = 0; i < 5; ++i)
      EXPECT_TRUE(store.deliver("a", kMsg, i * kSecond).ok());
    EXPECT_TRUE(store.copy("a", "INBOX", std::vector<Uid>{2, 4}, "X/Y").ok());
    for (const auto& box : *store.list_mailboxes("a")) {
      const auto s = *store.status("a", box.name);
      log += box.name + ":" + std::to_string(s.uid_validity) + ":" + std::to_string(s.uid_next) +
             ":" + std::to_string(s.messages) + ";";
    }
    return log;
  };
  EXPECT_EQ(run(), run());
  EXPECT_EQ(run(), "INBOX:1:6:5;Sent:2:1:0;Trash:3:1:0;X:4:1:0;X/Y:5:3:2;");
}

}  // namespace
}  // namespace mailscope::mail
