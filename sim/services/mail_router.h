#pragma once
// MailRouter: where mail for a domain goes. An MTA asks route(domain) and gets the domain's mail
// exchangers (RFC 5321 §5.1): each with a preference (lower is tried first), a host name and its
// addresses. The DNS developer's stub resolver gets an adapter that answers from MX and A records
// (including the implicit MX of a domain with only an A record, and RFC 7505's null MX); tests
// and simple worlds use StaticMailRouter, a fixed table.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "wire/address.h"

namespace mailscope::services {

struct MailExchange {
  std::uint16_t preference = 0;
  std::string host;                       // "mx1.example.org"
  std::vector<wire::Ipv4Addr> addresses;  // in the order to try them
};

enum class RouteStatus {
  Ok,        // exchanges found; try them in preference order
  NoMail,    // the domain says it accepts no mail (null MX, RFC 7505): fail at once
  NotFound,  // the domain does not exist (NXDOMAIN): fail at once
  TempFail,  // the lookup failed for now (timeout, SERVFAIL): try again later
};
std::string_view to_string(RouteStatus status);  // "ok", "no-mail", "not-found", "temp-fail"

struct RouteResult {
  RouteStatus status = RouteStatus::NotFound;
  std::vector<MailExchange> exchanges;  // only for Ok
  std::string detail;                   // what the lookup said, for the trace
};

class MailRouter {
 public:
  using Callback = std::function<void(RouteResult)>;
  virtual ~MailRouter() = default;
  // Looks up `domain` (lower case) and calls done once, now or later. The caller keeps done's
  // captures alive or guards them, since a DNS lookup may answer after a long virtual delay.
  virtual void route(std::string_view domain, Callback done) = 0;
};

// A fixed table of domains, answered at once. Unknown domains are NotFound.
class StaticMailRouter : public MailRouter {
 public:
  // Adds an exchanger for a domain (keeps earlier ones).
  void add(std::string_view domain, MailExchange exchange);
  // Makes lookups of the domain answer with this status and no exchanges.
  void set_status(std::string_view domain, RouteStatus status, std::string detail = {});
  void route(std::string_view domain, Callback done) override;

 private:
  std::map<std::string, RouteResult, std::less<>> m_routes;  // by lower-case domain
};

// Lower-cases ASCII letters (domains compare without regard to case).
std::string lower_ascii(std::string_view text);

}  // namespace mailscope::services
