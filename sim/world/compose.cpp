#include "world/compose.h"

#include <string>
#include <vector>

#include "mail/builder.h"

namespace mailscope::world {

namespace {

std::string mailbox_field(const scenario::User& user) {
  if (user.display_name.empty()) return user.address;
  return mail::encode_header_text(user.display_name) + " <" + user.address + ">";
}

// Bytes that stand in for a file of the given size: random, so they neither compress nor repeat,
// as a real photo or PDF would not.
std::string generated_content(std::uint64_t size_bytes, Rng& rng) {
  std::string data(size_bytes, '\0');
  for (std::size_t i = 0; i < data.size(); i += 8) {
    std::uint64_t word = rng.next_u64();
    for (std::size_t j = i; j < data.size() && j < i + 8; ++j) {
      data[j] = static_cast<char>(word & 0xff);
      word >>= 8;
    }
  }
  return data;
}

}  // namespace

smtp::OutgoingMessage compose_message(const scenario::User& sender, const scenario::SendMail& send,
                                      Rng& rng) {
  mail::NewMessage message;
  message.from = mailbox_field(sender);
  message.to = send.to;
  message.cc = send.cc;
  message.subject = send.subject;
  message.text = send.body;

  smtp::OutgoingMessage out;
  out.reverse_path = sender.address;
  for (const auto* list : {&send.to, &send.cc, &send.bcc})
    out.recipients.insert(out.recipients.end(), list->begin(), list->end());

  if (send.attachments.empty()) {
    out.content = mail::build_text_message(message);
    return out;
  }
  std::vector<mail::Attachment> attachments;
  for (const scenario::Attachment& a : send.attachments) {
    mail::Attachment attachment;
    attachment.filename = a.name;
    attachment.content_type = a.content_type;
    attachment.data = a.content ? *a.content : generated_content(a.size_bytes.value_or(0), rng);
    attachments.push_back(std::move(attachment));
  }
  out.content = mail::build_mixed_message(message, attachments, mail::make_boundary(rng));
  return out;
}

}  // namespace mailscope::world
