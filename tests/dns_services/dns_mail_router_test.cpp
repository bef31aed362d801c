// How an MX lookup's outcome becomes a mail routing decision.

#include "services/dns_mail_router.h"

#include <gtest/gtest.h>

namespace mailscope::services {
namespace {

wire::DnsName name(const char* text) {
  return wire::DnsName::parse(text).value();
}

MxExchange exchange(std::uint16_t preference, const char* host,
                    std::vector<wire::Ipv4Addr> addresses) {
  return MxExchange{preference, name(host), std::move(addresses)};
}

const wire::Ipv4Addr kMx1 = wire::Ipv4Addr::from_octets(10, 0, 2, 25);
const wire::Ipv4Addr kMx2 = wire::Ipv4Addr::from_octets(10, 0, 2, 26);

TEST(DnsMailRouter, ExchangesKeepTheirOrderAndLoseTheTrailingDot) {
  MxResult mx;
  mx.status = MxStatus::Ok;
  mx.exchanges = {exchange(10, "mx1.gmail.com.", {kMx1}), exchange(20, "mx2.gmail.com.", {kMx2})};
  const RouteResult route = route_from_mx(mx);
  ASSERT_EQ(route.status, RouteStatus::Ok);
  ASSERT_EQ(route.exchanges.size(), 2u);
  EXPECT_EQ(route.exchanges[0].host, "mx1.gmail.com");
  EXPECT_EQ(route.exchanges[0].preference, 10);
  EXPECT_EQ(route.exchanges[0].addresses, std::vector<wire::Ipv4Addr>{kMx1});
  EXPECT_EQ(route.exchanges[1].host, "mx2.gmail.com");
}

TEST(DnsMailRouter, ExchangeWithoutAddressIsSkipped) {
  MxResult mx;
  mx.status = MxStatus::Ok;
  mx.exchanges = {exchange(10, "gone.gmail.com.", {}), exchange(20, "mx2.gmail.com.", {kMx2})};
  const RouteResult route = route_from_mx(mx);
  ASSERT_EQ(route.status, RouteStatus::Ok);
  ASSERT_EQ(route.exchanges.size(), 1u);
  EXPECT_EQ(route.exchanges[0].host, "mx2.gmail.com");
}

TEST(DnsMailRouter, NoAddressForAnyExchangeIsATemporaryFailure) {
  MxResult mx;
  mx.status = MxStatus::Ok;
  mx.exchanges = {exchange(10, "gone.gmail.com.", {})};
  EXPECT_EQ(route_from_mx(mx).status, RouteStatus::TempFail);
}

TEST(DnsMailRouter, LookupOutcomesMapToRouteStatuses) {
  struct Case {
    MxStatus mx;
    RouteStatus route;
  };
  const Case cases[] = {
      {MxStatus::NoMail, RouteStatus::NoMail},      // null MX: bounce at once (RFC 7505)
      {MxStatus::NxDomain, RouteStatus::NotFound},  // no such domain: bounce
      {MxStatus::NoData, RouteStatus::NotFound},    // neither MX nor A: bounce
      {MxStatus::ServFail, RouteStatus::TempFail},  // DNS trouble: keep it queued
      {MxStatus::Timeout, RouteStatus::TempFail},
  };
  for (const Case& c : cases) {
    MxResult mx;
    mx.status = c.mx;
    mx.detail = "detail";
    const RouteResult route = route_from_mx(mx);
    EXPECT_EQ(route.status, c.route) << to_string(c.mx);
    EXPECT_TRUE(route.exchanges.empty());
    EXPECT_EQ(route.detail, "detail");
  }
}

}  // namespace
}  // namespace mailscope::services
