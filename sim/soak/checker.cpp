#include "soak/checker.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "mail/header.h"
#include "services/mail_text.h"
#include "world/world.h"

namespace mailscope::soak {
namespace {

// One copy of a generated message found in a mailbox.
struct Copy {
  std::string host;   // the server storing it
  std::string owner;  // the mailbox's address
  mail::Uid uid = 0;
  std::string message_id;
};

constexpr std::string_view kFinalRecipient = "Final-Recipient: rfc822; ";

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// The subjects quoted in a bounce (its text/rfc822-headers part) that are soak tokens of this run,
// and the recipients it reports as failed.
void read_bounce(std::string_view bytes, std::size_t body_offset, std::string_view token_prefix,
                 std::vector<std::string>& tokens, std::vector<std::string>& recipients) {
  const std::string subject_prefix = "\r\nSubject: " + std::string(token_prefix);
  for (std::size_t at = bytes.find(subject_prefix, body_offset); at != std::string_view::npos;
       at = bytes.find(subject_prefix, at + 1)) {
    const std::size_t begin = at + 11;  // after "\r\nSubject: "
    const std::size_t end = bytes.find("\r\n", begin);
    if (end == std::string_view::npos) break;
    tokens.emplace_back(bytes.substr(begin, end - begin));
  }
  for (std::size_t at = bytes.find(kFinalRecipient, body_offset); at != std::string_view::npos;
       at = bytes.find(kFinalRecipient, at + 1)) {
    const std::size_t begin = at + kFinalRecipient.size();
    const std::size_t end = bytes.find("\r\n", begin);
    if (end == std::string_view::npos) break;
    recipients.push_back(lower(bytes.substr(begin, end - begin)));
  }
}

std::string describe_difference(std::string_view got, std::string_view want) {
  const auto [g, w] = std::mismatch(got.begin(), got.end(), want.begin(), want.end());
  return "body of " + std::to_string(got.size()) + " octets, submitted " +
         std::to_string(want.size()) + ", first difference at octet " +
         std::to_string(g - got.begin()) +
         (got.size() < want.size() && std::string_view(want).starts_with(got) ? " (cut short)"
                                                                              : "");
}

}  // namespace

std::string_view to_string(ViolationKind kind) {
  switch (kind) {
    case ViolationKind::Missing:
      return "missing";
    case ViolationKind::DeliveredAndBounced:
      return "delivered-and-bounced";
    case ViolationKind::DuplicateBounce:
      return "duplicate-bounce";
    case ViolationKind::DuplicateWithoutWindow:
      return "duplicate-without-window";
    case ViolationKind::UnmarkedDuplicate:
      return "unmarked-duplicate";
    case ViolationKind::Truncated:
      return "truncated";
    case ViolationKind::MessageIdMismatch:
      return "message-id-mismatch";
    case ViolationKind::Misdelivered:
      return "misdelivered";
    case ViolationKind::TakenWithout250:
      return "taken-without-250";
    case ViolationKind::StuckQueueEntry:
      return "stuck-queue-entry";
    case ViolationKind::Count:
      break;
  }
  return "?";
}

std::string expected_body(std::string_view body) {
  std::string out;
  out.reserve(body.size() + body.size() / 16);
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\n' && (i == 0 || body[i - 1] != '\r')) out += '\r';
    out += body[i];
  }
  if (!out.empty() && out.back() != '\n') out += "\r\n";
  return out;
}

SoakCheck check_soak(world::World& world, const std::vector<SoakMessage>& messages) {
  SoakCheck check;
  SoakCounts& counts = check.counts;
  const TraceFacts facts = read_trace_facts(world.trace());
  check.crashes = facts.crashes;
  counts.windows = facts.windows;
  counts.messages = static_cast<std::uint32_t>(messages.size());
  auto violation = [&check](ViolationKind kind, std::string message, std::string recipient,
                            std::string detail) {
    check.violations.push_back(
        Violation{kind, std::move(message), std::move(recipient), std::move(detail)});
  };

  std::map<std::string_view, const SoakMessage*> by_token;
  for (const SoakMessage& m : messages)
    by_token.emplace(m.token, &m);
  // Every run's tokens share "soak <seed> #"; a bounce quotes them after that prefix.
  std::string token_prefix;
  if (!messages.empty()) {
    const std::string& t = messages.front().token;
    token_prefix = t.substr(0, t.find('#') + 1);
  }

  // Read every INBOX once: copies by (token, owner), bounces by (token, failed recipient).
  std::map<std::pair<std::string, std::string>, std::vector<Copy>> copies;
  std::map<std::pair<std::string, std::string>, std::uint32_t> bounces;
  std::map<std::string, std::set<std::string>> message_ids;  // by token
  for (const scenario::User& user : world.scenario().users) {
    world::MailHost* host = world.mailbox_host(user.address);
    if (host == nullptr) continue;
    const std::string owner = lower(user.address);
    auto box = host->storage->store().messages(services::local_part_of(owner), "INBOX");
    if (!box) continue;
    for (const mail::MessageInfo& info : *box) {
      const std::string_view bytes = *info.bytes;
      std::vector<Error> defects;
      const mail::HeaderBlock header =
          mail::parse_header_block(bytes, 0, bytes.size(), mail::ParseLimits{}, defects);
      const mail::HeaderField* type = mail::find_field(header.fields, "Content-Type");
      if (type != nullptr && type->value.find("report-type=delivery-status") != std::string::npos) {
        std::vector<std::string> tokens;
        std::vector<std::string> failed;
        read_bounce(bytes, header.body_offset, token_prefix, tokens, failed);
        // One bounce counts once per (message, recipient), however often it quotes them.
        std::sort(tokens.begin(), tokens.end());
        tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
        std::sort(failed.begin(), failed.end());
        failed.erase(std::unique(failed.begin(), failed.end()), failed.end());
        for (const std::string& token : tokens)
          for (const std::string& recipient : failed)
            ++bounces[{token, recipient}];
        continue;
      }
      const mail::HeaderField* subject = mail::find_field(header.fields, "Subject");
      if (subject == nullptr) continue;
      const auto it = by_token.find(subject->value);
      if (it == by_token.end()) continue;
      const SoakMessage& m = *it->second;
      const mail::HeaderField* id = mail::find_field(header.fields, "Message-ID");
      Copy copy{host->host->name(), owner, info.uid, id != nullptr ? id->value : std::string{}};
      message_ids[m.token].insert(copy.message_id);
      const std::string want = expected_body(m.body);
      const std::string_view got = bytes.substr(header.body_offset);
      if (got != want) {
        violation(ViolationKind::Truncated, m.token, owner,
                  "INBOX uid=" + std::to_string(info.uid) + ": " + describe_difference(got, want));
      }
      bool is_recipient = false;
      for (const std::string& r : m.recipients)
        is_recipient = is_recipient || lower(r) == owner;
      if (!is_recipient) {
        violation(ViolationKind::Misdelivered, m.token, owner,
                  "INBOX uid=" + std::to_string(info.uid) + " of someone not addressed");
      }
      copies[{m.token, owner}].push_back(std::move(copy));
    }
  }

  for (const SoakMessage& m : messages) {
    bool accepted = false;
    if (const auto it = facts.submissions.find(m.token); it != facts.submissions.end()) {
      for (const std::size_t index : it->second)
        accepted = accepted || facts.transfers[index].reply_code == 250;
    }
    if (accepted) ++counts.accepted;
    bool arrived = false;
    for (const std::string& address : m.recipients) {
      const std::string recipient = lower(address);
      const auto c = copies.find({m.token, recipient});
      const std::size_t copy_count = c == copies.end() ? 0 : c->second.size();
      const auto b = bounces.find({m.token, recipient});
      const std::uint32_t bounce_count = b == bounces.end() ? 0 : b->second;
      arrived = arrived || copy_count > 0 || bounce_count > 0;
      if (accepted) {
        ++counts.recipients_checked;
        if (copy_count > 0) ++counts.delivered;
        if (bounce_count > 0) ++counts.bounced;
        if (copy_count == 0 && bounce_count == 0) {
          violation(ViolationKind::Missing, m.token, recipient,
                    "accepted with 250 at submission; not in the INBOX and no bounce");
        }
        if (copy_count > 0 && bounce_count > 0) {
          // The window's other face: the sender never learned of the 250, kept trying, ran out
          // of time and bounced a message that had arrived.
          bool window = false;
          for (const Copy& copy : c->second)
            window = window || facts.window_message_ids.contains(copy.message_id);
          if (window) {
            ++counts.bounced_after_window;
          } else {
            violation(ViolationKind::DeliveredAndBounced, m.token, recipient,
                      std::to_string(copy_count) + " copies and " + std::to_string(bounce_count) +
                          " bounces, and no RFC 1047 window for the message in the trace");
          }
        }
      }
      if (bounce_count > 1) {
        violation(ViolationKind::DuplicateBounce, m.token, recipient,
                  std::to_string(bounce_count) + " bounces reached " + m.from);
      }
      if (copy_count < 2) continue;
      std::vector<Copy>& list = c->second;
      std::sort(list.begin(), list.end(),
                [](const Copy& x, const Copy& y) { return x.uid < y.uid; });
      for (std::size_t k = 1; k < list.size(); ++k) {
        const Copy& copy = list[k];
        ++counts.duplicates;
        const std::string where = "INBOX uid=" + std::to_string(copy.uid) +
                                  " repeats uid=" + std::to_string(list.front().uid);
        if (!facts.window_message_ids.contains(copy.message_id)) {
          violation(ViolationKind::DuplicateWithoutWindow, m.token, recipient,
                    where + "; the trace shows no RFC 1047 window for " + copy.message_id);
        }
        const auto mark = facts.marks.find(std::make_tuple(copy.host, recipient, copy.uid));
        if (mark == facts.marks.end() || mark->second.message_id != copy.message_id) {
          violation(ViolationKind::UnmarkedDuplicate, m.token, recipient,
                    where + " without the duplicate mark of " + copy.host);
        } else {
          ++counts.duplicates_marked;
        }
      }
    }
    if (!accepted && arrived) {
      ++counts.taken_without_250;
      if (!facts.window_subjects.contains(m.token)) {
        violation(ViolationKind::TakenWithout250, m.token, "",
                  "delivered or bounced, but its submission saw no 250 and no RFC 1047 window");
      }
    }
    if (const auto ids = message_ids.find(m.token);
        ids != message_ids.end() && ids->second.size() > 1) {
      std::string seen;
      for (const std::string& id : ids->second)
        seen += (seen.empty() ? "" : ", ") + id;
      violation(ViolationKind::MessageIdMismatch, m.token, "", "copies carry " + seen);
    }
  }

  const TimeNs now = world.sim().now();
  for (const auto& host : world.mail_hosts()) {
    const mail::MailQueue& queue = host->storage->queue();
    counts.queue_left += static_cast<std::uint32_t>(queue.size());
    for (const mail::QueueId id : queue.ids()) {
      const mail::QueueEntry* entry = queue.find(id);
      if (entry == nullptr) continue;
      const TimeNs expires = entry->expires_at(queue.options().retry);
      if (now - expires <= kStuckGraceNs) continue;
      violation(ViolationKind::StuckQueueEntry,
                host->host->name() + " " + mail::format_queue_id(id), "",
                "queued at " + std::to_string(entry->arrival / kSecond) + " s, give-up time " +
                    std::to_string(expires / kSecond) + " s, still there at " +
                    std::to_string(now / kSecond) + " s (" + std::to_string(entry->attempts) +
                    " attempts, " + (entry->in_flight ? "in flight" : "waiting") + ")");
    }
  }
  return check;
}

}  // namespace mailscope::soak
