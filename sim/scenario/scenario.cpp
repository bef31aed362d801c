#include "scenario/scenario.h"

#include <algorithm>

#include "scenario/text_rules.h"

namespace mailscope::scenario {

std::string_view to_string(Level level) {
  switch (level) {
    case Level::Beginner:
      return "beginner";
    case Level::Intermediate:
      return "intermediate";
    case Level::Advanced:
      return "advanced";
  }
  return "?";
}

std::string_view to_string(MailService service) {
  switch (service) {
    case MailService::Smtp:
      return "smtp";
    case MailService::Submission:
      return "submission";
    case MailService::Smtps:
      return "smtps";
    case MailService::Imap:
      return "imap";
    case MailService::Imaps:
      return "imaps";
    case MailService::Pop3:
      return "pop3";
    case MailService::Pop3s:
      return "pop3s";
  }
  return "?";
}

std::uint16_t port_of(MailService service) {
  switch (service) {
    case MailService::Smtp:
      return 25;
    case MailService::Submission:
      return 587;
    case MailService::Smtps:
      return 465;
    case MailService::Imap:
      return 143;
    case MailService::Imaps:
      return 993;
    case MailService::Pop3:
      return 110;
    case MailService::Pop3s:
      return 995;
  }
  return 0;
}

std::string_view to_string(Certificate certificate) {
  switch (certificate) {
    case Certificate::None:
      return "none";
    case Certificate::Valid:
      return "valid";
    case Certificate::Expired:
      return "expired";
    case Certificate::NotYetValid:
      return "not-yet-valid";
    case Certificate::WrongName:
      return "wrong-name";
    case Certificate::SelfSigned:
      return "self-signed";
  }
  return "?";
}

std::string_view to_string(DnsMode mode) {
  return mode == DnsMode::Single ? "single" : "hierarchy";
}

std::string_view to_string(Security security) {
  switch (security) {
    case Security::None:
      return "none";
    case Security::StartTls:
      return "starttls";
    case Security::Implicit:
      return "implicit";
  }
  return "?";
}

std::string_view to_string(FetchProtocol protocol) {
  return protocol == FetchProtocol::Imap ? "imap" : "pop3";
}

std::string_view to_string(FetchMode mode) {
  return mode == FetchMode::Keep ? "keep" : "delete";
}

std::string_view to_string(DnsFailure failure) {
  switch (failure) {
    case DnsFailure::Servfail:
      return "servfail";
    case DnsFailure::Refused:
      return "refused";
    case DnsFailure::Nxdomain:
      return "nxdomain";
    case DnsFailure::Timeout:
      return "timeout";
    case DnsFailure::Restore:
      return "restore";
  }
  return "?";
}

std::string_view to_string(MailFault fault) {
  switch (fault) {
    case MailFault::Greylisting:
      return "greylisting";
    case MailFault::Refuse:
      return "refuse";
    case MailFault::OverQuota:
      return "over-quota";
  }
  return "?";
}

std::string_view to_string(Trigger trigger) {
  switch (trigger) {
    case Trigger::DnsQuery:
      return "dns-query";
    case Trigger::DnsResponse:
      return "dns-response";
    case Trigger::SmtpCommand:
      return "smtp-command";
    case Trigger::SmtpReply:
      return "smtp-reply";
    case Trigger::ImapCommand:
      return "imap-command";
    case Trigger::Pop3Command:
      return "pop3-command";
    case Trigger::TlsEstablished:
      return "tls-established";
    case Trigger::TlsFailed:
      return "tls-failed";
    case Trigger::TcpConnect:
      return "tcp-connect";
    case Trigger::TcpRetransmission:
      return "tcp-retransmission";
    case Trigger::ConnectionRefused:
      return "connection-refused";
    case Trigger::MailQueued:
      return "mail-queued";
    case Trigger::MailDeferred:
      return "mail-deferred";
    case Trigger::MailDelivered:
      return "mail-delivered";
    case Trigger::MailBounced:
      return "mail-bounced";
    case Trigger::PacketDropped:
      return "packet-dropped";
  }
  return "?";
}

std::string_view to_string(HostRole role) {
  switch (role) {
    case HostRole::MailServer:
      return "mail-server";
    case HostRole::DnsSingle:
      return "dns";
    case HostRole::DnsRoot:
      return "dns-root";
    case HostRole::DnsTld:
      return "dns-tld";
    case HostRole::DnsDomain:
      return "dns-domain";
    case HostRole::DnsResolver:
      return "dns-resolver";
    case HostRole::Client:
      return "client";
  }
  return "?";
}

bool MailServer::offers(MailService service) const {
  return std::find(services.begin(), services.end(), service) != services.end();
}

std::string_view User::local_part() const {
  const std::size_t at = address.rfind('@');
  return at == std::string::npos ? std::string_view(address)
                                 : std::string_view(address).substr(0, at);
}

std::string_view User::domain() const {
  return domain_of(address);
}

const Domain* Scenario::find_domain(std::string_view name) const {
  for (const Domain& d : domains) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

const User* Scenario::find_user(std::string_view address) const {
  for (const User& u : users) {
    if (u.address == address) return &u;
  }
  return nullptr;
}

const MailServer* Scenario::find_server(std::string_view host) const {
  for (const Domain& d : domains) {
    for (const MailServer& m : d.servers) {
      if (m.host == host) return &m;
    }
  }
  return nullptr;
}

const HostPlan* Scenario::find_host(std::string_view name) const {
  for (const HostPlan& h : hosts) {
    if (h.name == name) return &h;
  }
  return nullptr;
}

const Lan* Scenario::find_lan(std::string_view name) const {
  for (const Lan& l : lans) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

}  // namespace mailscope::scenario
