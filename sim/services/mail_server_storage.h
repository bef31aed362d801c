#pragma once
// MailServerStorage: what a mail server keeps on disk — the users' mailboxes (MailStore), the
// queue of messages not yet delivered (MailQueue), the accounts' passwords, the greylisting
// table and the server's certificate. The world owns it, not the server process: when a server
// crashes its service objects are destroyed, and restart() builds new ones on the same storage,
// so every message that got a 250 is still there.

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>

#include "core/result.h"
#include "mail/mail_queue.h"
#include "mail/mail_store.h"
#include "tls/certificate.h"

namespace mailscope::services {

struct MailServerStorageOptions {
  mail::MailStoreOptions store;
  mail::MailQueueOptions queue;  // the retry schedule lives here: scenarios shorten it
};

// One greylisting triple (RFC 6647 §2.1): the client's address, the sender and the recipient.
struct GreylistKey {
  std::uint32_t client_address = 0;
  std::string sender;
  std::string recipient;
  auto operator<=>(const GreylistKey&) const = default;
};

class MailServerStorage {
 public:
  static constexpr std::size_t kGreylistEntriesMax = 100'000;
  static constexpr std::size_t kPasswordMax = 256;
  static constexpr std::size_t kDeliveryRecordsMax = 1'000'000;

  explicit MailServerStorage(MailServerStorageOptions options = {});
  MailServerStorage(const MailServerStorage&) = delete;
  MailServerStorage& operator=(const MailServerStorage&) = delete;

  mail::MailStore& store() { return m_store; }
  const mail::MailStore& store() const { return m_store; }
  mail::MailQueue& queue() { return m_queue; }
  const mail::MailQueue& queue() const { return m_queue; }

  // A local user (the local part of their address, compared in lower case) with a password.
  Result<std::string> add_user(std::string_view user, std::string_view password);
  bool check_password(std::string_view user, std::string_view password) const;
  bool has_user(std::string_view user) const;

  // The id the queue will give the next message, so that the Received: field written before
  // enqueueing can name it. Every enqueue goes through enqueue() below, which keeps it true.
  mail::QueueId next_queue_id() const { return m_next_queue_id; }
  Result<mail::QueueId> enqueue(std::string_view reverse_path,
                                std::span<const std::string> recipients, std::string_view message,
                                TimeNs now);

  // A number never handed out before by this storage (for Message-IDs).
  std::uint64_t next_serial() { return ++m_serials; }

  // Greylisting: when the triple was first seen, recording now if it is new. nullopt when the
  // table is full (then the server lets the message through rather than refusing everyone).
  std::optional<TimeNs> greylist_first_seen(const GreylistKey& key, TimeNs now);

  std::optional<tls::Credentials>& credentials() { return m_credentials; }

  // The duplicate database (services/duplicate_mark.h): the UID under which a Message-ID was
  // first delivered to a user. When the id was delivered to that user before, returns the first
  // UID (the new copy is a duplicate); otherwise remembers `uid` and returns nullopt. An empty id
  // is never remembered. Beyond kDeliveryRecordsMax records new ids are no longer remembered, so
  // a later copy of them would go unmarked (never wrongly marked).
  std::optional<mail::Uid> remember_delivery(std::string_view user, std::string_view message_id,
                                             mail::Uid uid);

 private:
  mail::MailStore m_store;
  mail::MailQueue m_queue;
  std::map<std::string, std::string, std::less<>> m_passwords;  // lower-case user -> password
  std::map<GreylistKey, TimeNs> m_greylist;  // at most kGreylistEntriesMax triples
  mail::QueueId m_next_queue_id = 1;         // equals the queue's own next id
  std::uint64_t m_serials = 0;
  std::optional<tls::Credentials> m_credentials;  // issued once, kept across restarts
  // (lower-case user, Message-ID) -> first UID; at most kDeliveryRecordsMax entries.
  std::map<std::pair<std::string, std::string>, mail::Uid, std::less<>> m_delivered;
};

}  // namespace mailscope::services
