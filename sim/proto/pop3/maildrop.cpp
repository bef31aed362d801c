#include "proto/pop3/maildrop.h"

#include <array>

namespace mailscope::pop3 {
namespace {

void append_hex8(std::string& out, std::uint32_t value) {
  constexpr std::array<char, 16> kDigits = {'0', '1', '2', '3', '4', '5', '6', '7',
                                            '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
  for (int shift = 28; shift >= 0; shift -= 4)
    out += kDigits[(value >> shift) & 0xF];
}

}  // namespace

std::string make_unique_id(std::uint32_t uid_validity, mail::Uid uid) {
  std::string out;
  out.reserve(16);
  append_hex8(out, uid);
  append_hex8(out, uid_validity);
  return out;
}

Maildrop::Maildrop(const std::vector<mail::MessageInfo>& messages, std::uint32_t uid_validity)
    : m_uid_validity(uid_validity) {
  m_entries.reserve(messages.size());
  for (const mail::MessageInfo& info : messages) {
    m_entries.push_back(Entry{info.uid, info.size, info.bytes, false});
    m_live_size += info.size;
  }
}

Maildrop::Lookup Maildrop::find(std::uint64_t number) const {
  if (number == 0 || number > m_entries.size()) return Lookup::NoSuchMessage;
  return m_entries[number - 1].deleted ? Lookup::Deleted : Lookup::Found;
}

std::string Maildrop::unique_id(std::size_t number) const {
  return make_unique_id(m_uid_validity, at(number).uid);
}

void Maildrop::mark_deleted(std::size_t number) {
  Entry& entry = m_entries[number - 1];
  if (entry.deleted) return;
  entry.deleted = true;
  ++m_marked;
  m_live_size -= entry.size;
}

void Maildrop::unmark_all() {
  for (Entry& entry : m_entries) {
    if (!entry.deleted) continue;
    entry.deleted = false;
    m_live_size += entry.size;
  }
  m_marked = 0;
}

std::vector<mail::Uid> Maildrop::marked_uids() const {
  std::vector<mail::Uid> out;
  out.reserve(m_marked);
  for (const Entry& entry : m_entries) {
    if (entry.deleted) out.push_back(entry.uid);
  }
  return out;
}

}  // namespace mailscope::pop3
