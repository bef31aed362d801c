#pragma once
// DnsMailRouter: the MailRouter a real MTA has — it asks DNS. route("gmail.com") sends an MX
// query through the host's stub resolver (which also falls back to the implicit MX, RFC 5321
// §5.1, and recognises the null MX of RFC 7505) and maps the answer to what the delivery agent
// needs: exchanges with addresses, or a reason to bounce now or to try again later.

#include <string_view>

#include "services/dns_stub.h"
#include "services/mail_router.h"

namespace mailscope::services {

class DnsMailRouter : public MailRouter {
 public:
  // The stub must outlive the router.
  explicit DnsMailRouter(StubResolver& stub) : m_stub(stub) {}
  void route(std::string_view domain, Callback done) override;

 private:
  StubResolver& m_stub;
};

// The MailRouter's view of one MX lookup (exposed for tests).
RouteResult route_from_mx(const MxResult& mx);

}  // namespace mailscope::services
