#include "mail/dsn.h"

#include "mail/message.h"
#include "mail/text.h"

namespace mailscope::mail {
namespace {

bool is_status_code(std::string_view text) {
  // class "." subject "." detail: 2, 4 or 5, then 1-3 digits, then 1-3 digits.
  if (text.size() < 5 || (text[0] != '2' && text[0] != '4' && text[0] != '5') || text[1] != '.') {
    return false;
  }
  std::size_t i = 2;
  for (int group = 0; group < 2; ++group) {
    const std::size_t start = i;
    while (i < text.size() && is_digit(text[i]))
      ++i;
    if (i == start || i - start > 3) return false;
    if (group == 0) {
      if (i >= text.size() || text[i] != '.') return false;
      ++i;
    }
  }
  return i == text.size();
}

std::string human_text(const DsnSpec& spec) {
  bool any_failed = false;
  bool any_delayed = false;
  for (const DsnRecipient& r : spec.recipients) {
    any_failed |= r.action == DsnAction::Failed;
    any_delayed |= r.action == DsnAction::Delayed;
  }
  std::string out = "This is the mail system at host " + spec.reporting_mta + ".\r\n\r\n";
  if (any_failed) {
    out += "Your message could not be delivered to one or more recipients.\r\n";
    out += "It is attached below (headers only).\r\n";
  } else if (any_delayed) {
    out += "Your message has not been delivered yet. The mail system will keep trying;\r\n";
    out += "you do not need to send it again.\r\n";
  } else {
    out += "This is a report on the delivery of your message.\r\n";
  }
  out += "\r\n";
  for (const DsnRecipient& r : spec.recipients) {
    out += "<" + r.final_recipient + ">: " + std::string(to_string(r.action));
    if (!r.diagnostic.empty()) {
      out += "\r\n    ";
      if (!r.remote_mta.empty()) out += r.remote_mta + " said: ";
      out += r.diagnostic;
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace

std::string_view to_string(DsnAction action) {
  switch (action) {
    case DsnAction::Failed:
      return "failed";
    case DsnAction::Delayed:
      return "delayed";
    case DsnAction::Delivered:
      return "delivered";
    case DsnAction::Relayed:
      return "relayed";
    case DsnAction::Expanded:
      return "expanded";
  }
  return "failed";
}

std::string status_of_reply(std::string_view reply, std::string_view fallback) {
  reply = trim_space(reply);
  if (reply.size() < 3 || !is_digit(reply[0]) || !is_digit(reply[1]) || !is_digit(reply[2])) {
    return std::string(fallback);
  }
  std::string_view rest = reply.substr(3);
  if (!rest.empty() && (rest[0] == ' ' || rest[0] == '-')) {
    rest.remove_prefix(1);
    const std::size_t space = rest.find(' ');
    const std::string_view word = rest.substr(0, space);
    if (is_status_code(word)) return std::string(word);
  }
  if (reply[0] == '2' || reply[0] == '4' || reply[0] == '5')
    return std::string(1, reply[0]) + ".0.0";
  return std::string(fallback);
}

std::string build_dsn(const DsnSpec& spec) {
  const std::string delimiter = "--" + spec.boundary;
  std::string out;
  out += format_field("From", spec.from);
  out += format_field("To", "<" + spec.to + ">");
  out += format_field("Subject", "Undelivered Mail Returned to Sender");
  out += format_field("Date", spec.date);
  out += format_field("Message-ID", spec.message_id);
  out += "Auto-Submitted: auto-replied\r\n";  // RFC 3834: never answer this automatically
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"" +
         spec.boundary + "\"\r\n";
  out += "\r\nThis is a MIME-encapsulated message.\r\n";

  out += "\r\n" + delimiter + "\r\n";
  out += "Content-Type: text/plain; charset=us-ascii\r\n";
  out += "Content-Description: Notification\r\n\r\n";
  out += human_text(spec);

  out += "\r\n" + delimiter + "\r\n";
  out += "Content-Type: message/delivery-status\r\n";
  out += "Content-Description: Delivery report\r\n\r\n";
  out += "Reporting-MTA: dns; " + spec.reporting_mta + "\r\n";
  if (!spec.arrival_date.empty()) out += "Arrival-Date: " + spec.arrival_date + "\r\n";
  for (const DsnRecipient& r : spec.recipients) {
    out += "\r\n";
    if (!r.original_recipient.empty()) {
      out += "Original-Recipient: rfc822; " + r.original_recipient + "\r\n";
    }
    out += "Final-Recipient: rfc822; " + r.final_recipient + "\r\n";
    out += "Action: " + std::string(to_string(r.action)) + "\r\n";
    out += "Status: " + r.status + "\r\n";
    if (!r.remote_mta.empty()) out += "Remote-MTA: dns; " + r.remote_mta + "\r\n";
    if (!r.diagnostic.empty()) {
      // An SMTP reply is typed "smtp"; a local reason (no reply at all) is not (RFC 3464 2.3.6).
      const bool is_reply = r.diagnostic.size() >= 3 && is_digit(r.diagnostic[0]) &&
                            is_digit(r.diagnostic[1]) && is_digit(r.diagnostic[2]);
      out += "Diagnostic-Code: " + std::string(is_reply ? "smtp; " : "X-MailScope; ") +
             r.diagnostic + "\r\n";
    }
    if (!r.last_attempt_date.empty()) out += "Last-Attempt-Date: " + r.last_attempt_date + "\r\n";
  }

  out += "\r\n" + delimiter + "\r\n";
  out += "Content-Type: text/rfc822-headers\r\n";
  out += "Content-Description: Undelivered Message Headers\r\n\r\n";
  const Message original = Message::parse(spec.original_message);
  std::string header;
  for (const HeaderField& field : original.fields()) {
    header += original.raw(field);
    if (header.back() != '\n') header += "\r\n";
  }
  out += header;
  out += "\r\n" + delimiter + "--\r\n";
  return out;
}

}  // namespace mailscope::mail
