#include "services/duplicate_mark.h"

#include <charconv>
#include <vector>

#include "mail/header.h"

namespace mailscope::services {
namespace {

constexpr std::string_view kTo = " to=<";
constexpr std::string_view kDuplicate = "> duplicate: INBOX uid=";
constexpr std::string_view kRepeats = " repeats Message-ID ";
constexpr std::string_view kOf = " of uid=";

std::optional<mail::Uid> parse_uid(std::string_view text) {
  mail::Uid value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value == 0) return std::nullopt;
  return value;
}

}  // namespace

std::string format_duplicate_mark(mail::QueueId id, const DuplicateMark& mark) {
  return mail::format_queue_id(id) + std::string(kTo) + mark.recipient + std::string(kDuplicate) +
         std::to_string(mark.uid) + std::string(kRepeats) + mark.message_id + std::string(kOf) +
         std::to_string(mark.first_uid);
}

std::optional<DuplicateMark> parse_duplicate_mark(std::string_view text) {
  const std::size_t to = text.find(kTo);
  if (to == std::string_view::npos) return std::nullopt;
  const std::size_t duplicate = text.find(kDuplicate, to);
  if (duplicate == std::string_view::npos) return std::nullopt;
  const std::size_t repeats = text.find(kRepeats, duplicate);
  if (repeats == std::string_view::npos) return std::nullopt;
  const std::size_t of = text.rfind(kOf);
  if (of == std::string_view::npos || of < repeats) return std::nullopt;
  DuplicateMark mark;
  mark.recipient = std::string(text.substr(to + kTo.size(), duplicate - to - kTo.size()));
  const std::size_t uid_begin = duplicate + kDuplicate.size();
  const auto uid = parse_uid(text.substr(uid_begin, repeats - uid_begin));
  const std::size_t id_begin = repeats + kRepeats.size();
  mark.message_id = std::string(text.substr(id_begin, of - id_begin));
  const auto first = parse_uid(text.substr(of + kOf.size()));
  if (!uid || !first || mark.recipient.empty() || mark.message_id.empty()) return std::nullopt;
  mark.uid = *uid;
  mark.first_uid = *first;
  return mark;
}

std::string message_id_of(std::string_view message) {
  std::vector<Error> defects;
  const mail::HeaderBlock header =
      mail::parse_header_block(message, 0, message.size(), mail::ParseLimits{}, defects);
  const mail::HeaderField* field = mail::find_field(header.fields, "Message-ID");
  return field != nullptr ? field->value : std::string{};
}

}  // namespace mailscope::services
