#include "services/dns_mail_router.h"

#include <string>
#include <utility>

namespace mailscope::services {

RouteResult route_from_mx(const MxResult& mx) {
  RouteResult result;
  result.detail = mx.detail;
  switch (mx.status) {
    case MxStatus::NoMail:
      result.status = RouteStatus::NoMail;
      return result;
    case MxStatus::NxDomain:
    case MxStatus::NoData:
      // Either way there is nowhere to deliver, and asking again will not change that soon.
      result.status = RouteStatus::NotFound;
      return result;
    case MxStatus::ServFail:
    case MxStatus::Timeout:
      result.status = RouteStatus::TempFail;
      return result;
    case MxStatus::Ok:
      break;
  }
  for (const MxExchange& exchange : mx.exchanges) {
    // An exchange whose address could not be found cannot be tried; the others still can.
    if (exchange.addresses.empty()) continue;
    std::string host = exchange.host.to_string();
    if (!host.empty() && host.back() == '.') host.pop_back();
    result.exchanges.push_back(
        MailExchange{exchange.preference, std::move(host), exchange.addresses});
  }
  if (result.exchanges.empty()) {
    // MX records exist but none of their addresses resolved: a DNS problem that may pass.
    result.status = RouteStatus::TempFail;
    if (result.detail.empty()) result.detail = "no address for any mail exchanger";
    return result;
  }
  result.status = RouteStatus::Ok;
  if (mx.implicit && result.detail.empty()) result.detail = "no MX record: implicit MX";
  return result;
}

void DnsMailRouter::route(std::string_view domain, Callback done) {
  auto name = wire::DnsName::parse(domain);
  if (!name) {
    RouteResult result;
    result.status = RouteStatus::NotFound;
    result.detail = "not a valid domain name: " + name.error().to_string();
    done(std::move(result));
    return;
  }
  m_stub.resolve_mx(*name,
                    [done = std::move(done)](const MxResult& mx) { done(route_from_mx(mx)); });
}

}  // namespace mailscope::services
