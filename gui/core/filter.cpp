#include "gui/core/filter.h"

#include <array>

namespace mailscope::gui {

namespace {
constexpr std::array<std::string_view, static_cast<std::size_t>(Protocol::Count)> kProtocolNames{
    "DNS", "SMTP", "IMAP", "POP3", "TCP", "UDP", "ICMP", "ARP", "other", "none"};
static_assert(kProtocolNames.size() == static_cast<std::size_t>(Protocol::Count));
}  // namespace

std::string_view to_string(Protocol protocol) {
  const auto i = static_cast<std::size_t>(protocol);
  return i < kProtocolNames.size() ? kProtocolNames[i] : "other";
}

Protocol protocol_from_name(std::string_view name) {
  if (name == "dns") return Protocol::Dns;
  if (name == "smtp" || name == "smtps" || name == "submission") return Protocol::Smtp;
  if (name == "imap" || name == "imaps") return Protocol::Imap;
  if (name == "pop3" || name == "pop3s") return Protocol::Pop3;
  if (name == "tcp") return Protocol::Tcp;
  if (name == "udp") return Protocol::Udp;
  if (name == "icmp") return Protocol::Icmp;
  if (name == "arp") return Protocol::Arp;
  return Protocol::Other;
}

}  // namespace mailscope::gui
