#pragma once
// Delivery status notifications (RFC 3464), the standard form of a bounce:
//
//   multipart/report; report-type=delivery-status
//     1. text/plain              what happened, for people
//     2. message/delivery-status  the same for programs: one block for the message
//                                 (Reporting-MTA, Arrival-Date) and one per recipient
//                                 (Final-Recipient, Action, Status, Remote-MTA, Diagnostic-Code)
//     3. text/rfc822-headers     the header of the message that could not be delivered

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailscope::mail {

enum class DsnAction { Failed, Delayed, Delivered, Relayed, Expanded };
std::string_view to_string(DsnAction action);  // "failed", "delayed", ...

struct DsnRecipient {
  std::string final_recipient;     // "bob@example.org" (written as "rfc822; bob@example.org")
  std::string original_recipient;  // as given in RCPT TO, when it differs; empty leaves it out
  DsnAction action = DsnAction::Failed;
  std::string status;             // enhanced status code, "5.1.1"
  std::string remote_mta;         // "mx.example.org"; empty when no server answered
  std::string diagnostic;         // the server's reply, "550 5.1.1 <bob@example.org>: ..."
  std::string last_attempt_date;  // RFC 5322 date-time; empty leaves it out
};

struct DsnSpec {
  std::string reporting_mta;  // this MTA's name, "mta.example.com"
  std::string from;           // "Mail Delivery System <MAILER-DAEMON@mta.example.com>"
  std::string to;             // the original sender (the reverse path), "alice@example.com"
  std::string date;           // RFC 5322 date-time of the notification
  std::string message_id;     // "<...>"
  std::string boundary;
  std::string arrival_date;  // when the original message arrived; empty leaves it out
  std::vector<DsnRecipient> recipients;
  std::string original_message;  // its header is quoted in the third part
};

std::string build_dsn(const DsnSpec& spec);

// The enhanced status code in an SMTP reply ("550 5.1.1 text" -> "5.1.1"). Without one, the
// basic code's class with detail zero ("550 text" -> "5.0.0"); with no reply code at all,
// fallback.
std::string status_of_reply(std::string_view reply, std::string_view fallback);

}  // namespace mailscope::mail
