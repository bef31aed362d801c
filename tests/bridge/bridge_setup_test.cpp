// The bridge's set-up: ports, the READY line, bind addresses, the driver's speed.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bridge_world.h"
#include "real_client.h"

namespace mailscope::bridge::testing {
namespace {

TEST(BridgeSetup, PortInUseIsAnErrorNamingThePort) {
  BridgeWorld world;
  auto first = world.bridge->expose(*world.mx_b, 25, 0);
  ASSERT_TRUE(first.ok());
  auto second = world.bridge->expose(*world.mail_a, 25, *first);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().what, "port " + std::to_string(*first) + " is already in use (TCP)");
  EXPECT_EQ(second.error().where, "127.0.0.1:" + std::to_string(*first));
  // DNS needs UDP and TCP on one port: the TCP half is taken.
  auto dns = world.bridge->expose_dns(world.resolver_host->address(), *first);
  ASSERT_FALSE(dns.ok());
  EXPECT_EQ(dns.error().what, "port " + std::to_string(*first) + " is already in use (TCP)");
}

TEST(BridgeSetup, ReadyLineListsEveryPortInOrder) {
  BridgeWorld world;
  const auto smtp = world.bridge->expose(*world.mx_b, 25, 0);
  const auto msa = world.bridge->expose(*world.mail_a, 587, 0);
  const auto dns = world.bridge->expose_dns(world.resolver_host->address(), 0);
  ASSERT_TRUE(smtp.ok() && msa.ok() && dns.ok());
  EXPECT_EQ(world.bridge->ready_line(), "READY {\"mx.b.test:25\": " + std::to_string(*smtp) +
                                            ", \"mail.a.test:587\": " + std::to_string(*msa) +
                                            ", \"dns\": " + std::to_string(*dns) + "}");
  // It is JSON: a script reads the ports with any JSON parser.
  const auto parsed = nlohmann::json::parse(world.bridge->ready_line().substr(6));
  EXPECT_EQ(parsed.at("mail.a.test:587").get<int>(), *msa);
  const std::string table = world.bridge->table();
  EXPECT_NE(table.find("mx.b.test:25       127.0.0.1:" + std::to_string(*smtp) + " (smtp)\n"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("dns 10.0.1.53:53   127.0.0.1:" + std::to_string(*dns) + " (UDP and TCP)\n"),
            std::string::npos)
      << table;
}

struct BindCase {
  const char* address;
  bool ok;
  bool warning;
};

TEST(BridgeSetup, BindAddresses) {
  const BindCase cases[] = {
      {"127.0.0.1", true, false},     // the default: loopback only
      {"::1", true, false},           // IPv6 loopback
      {"0.0.0.0", true, true},        // every interface: reachable from the network
      {"mail.a.test", false, false},  // a name, not an address
      {"", false, false},             // nothing at all
  };
  for (const BindCase& c : cases) {
    WorldOptions options;
    options.bridge.bind_address = c.address;
    BridgeWorld world(options);
    SCOPED_TRACE(c.address);
    if (!c.ok) {
      ASSERT_TRUE(world.bridge_error.has_value());
      EXPECT_EQ(world.bridge_error->to_string(),
                "bind: not an IP address: \"" + std::string(c.address) + "\"");
      continue;
    }
    ASSERT_NE(world.bridge, nullptr);
    EXPECT_EQ(world.bridge->bind_warning().has_value(), c.warning);
  }
}

TEST(BridgeSetup, ApplicationByPort) {
  const std::pair<std::uint16_t, const char*> cases[] = {
      {25, "smtp"},  {465, "smtp"}, {587, "smtp"}, {143, "imap"}, {993, "imap"},
      {110, "pop3"}, {995, "pop3"}, {53, "dns"},   {8080, ""},  // unknown: no name
  };
  for (const auto& [port, name] : cases)
    EXPECT_EQ(application_for_port(port), name) << port;
}

TEST(RealTimeDriver, SpeedLimits) {
  const std::pair<double, bool> cases[] = {
      {1.0, true},           {0.01, true},  // the slowest allowed
      {0.009, false},                       // slower than that
      {1'000'000.0, true},                  // the fastest allowed
      {0.0, false},                         // time would stand still
      {-1.0, false},                        // backwards
      {std::nan(""), false},                // not a number
  };
  for (const auto& [speed, ok] : cases) {
    EXPECT_EQ(!RealTimeDriver::check_speed(speed).has_value(), ok) << speed;
  }
}

TEST(RealTimeDriver, IdleSimulationDoesNotSpin) {
  boost::asio::io_context io;
  Simulator sim(1);
  RealTimeDriver driver(io, sim, 1.0);
  int fired = 0;
  sim.schedule_at(5 * kMillisecond, [&] { ++fired; });
  driver.start();
  io.run_for(std::chrono::milliseconds(200));
  EXPECT_EQ(fired, 1);
  // One pass to start, one when the event fell due, and nothing while the queue is empty.
  EXPECT_LE(driver.passes(), 4u);
  // Virtual time follows the wall clock, not the event queue: a catch-up moves it there.
  EXPECT_LT(sim.now(), 100 * kMillisecond);
  driver.catch_up();
  EXPECT_GE(sim.now(), 200 * kMillisecond);
}

TEST(RealTimeDriver, NeverRunsAheadOfScaledWallTime) {
  boost::asio::io_context io;
  Simulator sim(1);
  RealTimeDriver driver(io, sim, 1000.0);
  bool far_event = false;
  sim.schedule_at(1 * kHour, [&] { far_event = true; });  // 3.6 s of wall time at 1000x
  driver.start();
  io.run_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(far_event);
  EXPECT_LT(sim.now(), 1 * kHour);
}

}  // namespace
}  // namespace mailscope::bridge::testing
