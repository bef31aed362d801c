#include "proto/imap/search.h"

#include <algorithm>

#include "mail/date_time.h"
#include "mail/text.h"

namespace mailscope::imap {
namespace {

bool contains_ci(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  const auto it =
      std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                  [](char a, char b) { return mail::to_lower(a) == mail::to_lower(b); });
  return it != haystack.end();
}

bool header_matches(const mail::Message& message, std::string_view field, std::string_view text) {
  for (const mail::HeaderField* f : message.fields_named(field)) {
    if (contains_ci(f->value, text)) return true;
  }
  return false;
}

std::int64_t floor_days(std::int64_t seconds) {
  std::int64_t days = seconds / 86400;
  if (seconds % 86400 != 0 && seconds < 0) --days;
  return days;
}

// The day of the Date: field, or nothing when there is none or it cannot be read.
std::optional<std::int64_t> sent_day(const mail::Message& message, int zone_minutes) {
  const mail::HeaderField* date = message.field("Date");
  if (date == nullptr) return std::nullopt;
  auto seconds = mail::parse_date_time(date->value);
  if (!seconds) return std::nullopt;
  return floor_days(*seconds + std::int64_t{zone_minutes} * 60);
}

}  // namespace

bool search_matches(const SearchKey& key, const SearchTarget& t, const SearchScope& scope) {
  using Kind = SearchKey::Kind;
  using mail::SystemFlag;
  const mail::FlagSet& flags = *t.flags;
  switch (key.kind) {
    case Kind::And:
      return std::all_of(key.children.begin(), key.children.end(),
                         [&](const SearchKey& k) { return search_matches(k, t, scope); });
    case Kind::All:
      return true;
    case Kind::Answered:
      return flags.has(SystemFlag::Answered);
    case Kind::Deleted:
      return flags.has(SystemFlag::Deleted);
    case Kind::Draft:
      return flags.has(SystemFlag::Draft);
    case Kind::Flagged:
      return flags.has(SystemFlag::Flagged);
    case Kind::Seen:
      return flags.has(SystemFlag::Seen);
    case Kind::Unanswered:
      return !flags.has(SystemFlag::Answered);
    case Kind::Undeleted:
      return !flags.has(SystemFlag::Deleted);
    case Kind::Undraft:
      return !flags.has(SystemFlag::Draft);
    case Kind::Unflagged:
      return !flags.has(SystemFlag::Flagged);
    case Kind::Unseen:
      return !flags.has(SystemFlag::Seen);
    case Kind::Recent:
      return t.recent;
    case Kind::New:
      return t.recent && !flags.has(SystemFlag::Seen);
    case Kind::Old:
      return !t.recent;
    case Kind::Keyword:
      return flags.has_keyword(key.text);
    case Kind::Unkeyword:
      return !flags.has_keyword(key.text);
    case Kind::Larger:
      return t.size > key.number;
    case Kind::Smaller:
      return t.size < key.number;
    case Kind::Before:
      return t.internal_day < key.day;
    case Kind::On:
      return t.internal_day == key.day;
    case Kind::Since:
      return t.internal_day >= key.day;
    case Kind::SentBefore:
    case Kind::SentOn:
    case Kind::SentSince: {
      const auto day = sent_day(t.message(), scope.zone_minutes);
      if (!day) return false;
      if (key.kind == Kind::SentBefore) return *day < key.day;
      if (key.kind == Kind::SentOn) return *day == key.day;
      return *day >= key.day;
    }
    case Kind::Bcc:
      return header_matches(t.message(), "Bcc", key.text);
    case Kind::Cc:
      return header_matches(t.message(), "Cc", key.text);
    case Kind::From:
      return header_matches(t.message(), "From", key.text);
    case Kind::To:
      return header_matches(t.message(), "To", key.text);
    case Kind::Subject:
      return header_matches(t.message(), "Subject", key.text);
    case Kind::Header:
      return header_matches(t.message(), key.field, key.text);
    case Kind::Body:
      return contains_ci(t.message().body_bytes(), key.text);
    case Kind::Text:
      return contains_ci(t.message().bytes(), key.text);
    case Kind::Not:
      return !search_matches(key.children.front(), t, scope);
    case Kind::Or:
      return search_matches(key.children[0], t, scope) || search_matches(key.children[1], t, scope);
    case Kind::Uid:
      return key.set.contains(t.uid, scope.largest_uid);
    case Kind::Sequence:
      return key.set.contains(t.seq, scope.largest_seq);
  }
  return false;
}

}  // namespace mailscope::imap
