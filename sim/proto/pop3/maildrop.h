#pragma once
// Maildrop: the user's INBOX as one POP3 session sees it (RFC 1939 §5). It is a snapshot taken
// when the session locked the maildrop: messages are numbered from 1 in ascending UID order,
// the numbers never change during the session, and messages delivered later are not seen until
// the next session. DELE only marks; the store changes in the UPDATE state, after QUIT.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mail/mail_store.h"

namespace mailscope::pop3 {

// The unique-id of UIDL (RFC 1939 §7): 16 upper-case hex digits, the UID then the UIDVALIDITY
// (the scheme of Dovecot's "%08Xu%08Xv"). The pair never names two different messages of one
// user, so a client that keeps mail on the server can tell new messages from old ones.
std::string make_unique_id(std::uint32_t uid_validity, mail::Uid uid);

class Maildrop {
 public:
  struct Entry {
    mail::Uid uid = 0;
    std::size_t size = 0;                      // octets as sent by RETR, before stuffing
    std::shared_ptr<const std::string> bytes;  // shared with the store, never changed
    bool deleted = false;                      // marked by DELE in this session
  };
  enum class Lookup { Found, NoSuchMessage, Deleted };

  Maildrop() = default;
  Maildrop(const std::vector<mail::MessageInfo>& messages, std::uint32_t uid_validity);

  // The highest message number: every message of the snapshot, marked ones included.
  std::size_t count() const { return m_entries.size(); }
  std::size_t live_count() const { return m_entries.size() - m_marked; }
  std::uint64_t live_size() const { return m_live_size; }
  std::size_t marked() const { return m_marked; }

  Lookup find(std::uint64_t number) const;
  // number must be 1..count().
  const Entry& at(std::size_t number) const { return m_entries[number - 1]; }
  std::string unique_id(std::size_t number) const;
  void mark_deleted(std::size_t number);
  void unmark_all();
  std::vector<mail::Uid> marked_uids() const;

 private:
  std::vector<Entry> m_entries;  // index = number - 1, ascending UID
  std::uint32_t m_uid_validity = 0;
  std::size_t m_marked = 0;       // entries with deleted set
  std::uint64_t m_live_size = 0;  // sum of size over entries without deleted
};

}  // namespace mailscope::pop3
