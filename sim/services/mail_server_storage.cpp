#include "services/mail_server_storage.h"

#include "services/mail_router.h"

namespace mailscope::services {

MailServerStorage::MailServerStorage(MailServerStorageOptions options)
    : m_store(std::move(options.store)), m_queue(std::move(options.queue)) {}

Result<std::string> MailServerStorage::add_user(std::string_view user, std::string_view password) {
  const std::string name = lower_ascii(user);
  if (password.size() > kPasswordMax) return make_error("password too long", "password");
  if (!m_store.has_user(name)) {
    auto added = m_store.add_user(name);
    if (!added) return make_error(added.error().what, "user");
  }
  m_passwords[name] = std::string(password);
  return name;
}

bool MailServerStorage::check_password(std::string_view user, std::string_view password) const {
  const auto it = m_passwords.find(lower_ascii(user));
  return it != m_passwords.end() && it->second == password;
}

bool MailServerStorage::has_user(std::string_view user) const {
  return m_store.has_user(lower_ascii(user));
}

Result<mail::QueueId> MailServerStorage::enqueue(std::string_view reverse_path,
                                                 std::span<const std::string> recipients,
                                                 std::string_view message, TimeNs now) {
  auto id = m_queue.enqueue(reverse_path, recipients, message, now);
  if (id) m_next_queue_id = *id + 1;
  return id;
}

std::optional<TimeNs> MailServerStorage::greylist_first_seen(const GreylistKey& key, TimeNs now) {
  const auto it = m_greylist.find(key);
  if (it != m_greylist.end()) return it->second;
  if (m_greylist.size() >= kGreylistEntriesMax) return std::nullopt;
  m_greylist.emplace(key, now);
  return now;
}

std::optional<mail::Uid> MailServerStorage::remember_delivery(std::string_view user,
                                                              std::string_view message_id,
                                                              mail::Uid uid) {
  if (message_id.empty()) return std::nullopt;
  auto key = std::make_pair(lower_ascii(user), std::string(message_id));
  const auto it = m_delivered.find(key);
  if (it != m_delivered.end()) return it->second;
  if (m_delivered.size() < kDeliveryRecordsMax) m_delivered.emplace(std::move(key), uid);
  return std::nullopt;
}

}  // namespace mailscope::services
