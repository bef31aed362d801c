#pragma once
// A small world for the bridge tests, running in real time on a thread of its own:
//
//   external-client 10.0.1.99 -+                           +- mx.b.test 10.0.2.25 (b.test: bob)
//   mail.a.test 10.0.1.25 -----+- lan-a - r1 == WAN == r2 -+
//   resolver 10.0.1.53 --------+                           +- ns.test 10.0.2.53 (zone ".")
//
// mail.a.test serves a.test (alice, carol) with MTA, MSA and SMTPS; mx.b.test serves b.test.
// Mail between them is routed by a static table; the resolver is recursive and starts at
// ns.test, which is authoritative for the whole (tiny) name space. The scenario's calendar
// starts at the real date, so that real TLS clients accept the certificates.

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <ctime>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bridge/bridge.h"
#include "bridge/real_time_driver.h"
#include "core/simulator.h"
#include "net/lan_wan_lan.h"
#include "net/network.h"
#include "services/dns_authoritative_server.h"
#include "services/dns_resolver.h"
#include "services/dns_zone.h"
#include "services/mail_server.h"
#include "services/service_context.h"

namespace mailscope::bridge::testing {

inline wire::Ipv4Addr ip(const char* text) {
  return *wire::Ipv4Addr::parse(text);
}
inline wire::Ipv4Cidr cidr(const char* text) {
  return *wire::Ipv4Cidr::parse(text);
}

inline const std::string kAlicePassword = "alice-secret";

inline const std::vector<std::string> kRootZone = {
    ". 86400 IN SOA ns.test. hostmaster.test. 1 1800 900 604800 86400",
    ". 86400 IN NS ns.test.",
    "ns.test. 86400 IN A 10.0.2.53",
    "a.test. 3600 IN MX 10 mail.a.test.",
    "mail.a.test. 3600 IN A 10.0.1.25",
    "b.test. 3600 IN MX 10 mx.b.test.",
    "mx.b.test. 3600 IN A 10.0.2.25",
    "gmail.com. 3600 IN MX 10 gmail-smtp-in.l.google.com.",
    "gmail-smtp-in.l.google.com. 300 IN A 142.250.27.26",
};

struct WorldOptions {
  double speed = 1.0;
  // Link delays: the bridge benchmark uses a zero-latency world.
  TimeNs lan_delay_ns = 1 * kMillisecond;
  TimeNs wan_delay_ns = 10 * kMillisecond;
  std::uint64_t bandwidth_bps = 100'000'000;  // 0: infinitely fast
  BridgeOptions bridge;                       // addresses filled in when unset
};

class BridgeWorld {
 public:
  explicit BridgeWorld(WorldOptions options = {})
      : m_options(std::move(options)),
        sim(7),
        network(sim),
        topology(build()),
        storage_a(services::MailServerStorageOptions{}),
        storage_b(services::MailServerStorageOptions{}),
        driver(io, sim, m_options.speed) {
    const mail::MailClock clock{static_cast<std::int64_t>(std::time(nullptr)), 0};
    auto created = services::ScenarioTls::create(sim, "Bridge tests", clock);
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().to_string());
    tls = std::move(created).value();
    context = std::make_unique<services::ServiceContext>(
        services::ServiceContext{sim, tls->crypto, tls->ca, &tls->key_log, clock});

    router.add("a.test", services::MailExchange{10, "mail.a.test", {mail_a->address()}});
    router.add("b.test", services::MailExchange{10, "mx.b.test", {mx_b->address()}});
    EXPECT_TRUE(storage_a.add_user("alice", kAlicePassword).ok());
    EXPECT_TRUE(storage_a.add_user("carol", "carol-secret").ok());
    EXPECT_TRUE(storage_b.add_user("bob", "bob-secret").ok());

    services::MailServerOptions a;
    a.hostname = "mail.a.test";
    a.domains = {"a.test"};
    server_a = start(*mail_a, storage_a, std::move(a));
    services::MailServerOptions b;
    b.hostname = "mx.b.test";
    b.domains = {"b.test"};
    server_b = start(*mx_b, storage_b, std::move(b));

    authority = std::make_unique<services::AuthoritativeServer>(*ns_host);
    auto root = services::DnsZone::from_lines(*wire::DnsName::parse("."), kRootZone);
    EXPECT_TRUE(root.ok()) << (root.ok() ? "" : root.error().to_string());
    EXPECT_FALSE(authority->add_zone(std::move(root).value()).has_value());
    services::RecursiveResolverConfig resolver_config;
    resolver_config.root_hints = {ns_host->address()};
    resolver = std::make_unique<services::RecursiveResolver>(*resolver_host, resolver_config);

    BridgeOptions bridge_options = m_options.bridge;
    if (bridge_options.client_address.address.is_unspecified()) {
      bridge_options.client_address = cidr("10.0.1.99/24");
    }
    if (bridge_options.gateway.is_unspecified()) bridge_options.gateway = ip("10.0.1.1");
    bridge_options.client_link.latency = m_options.lan_delay_ns;
    bridge_options.client_link.bandwidth_bps = m_options.bandwidth_bps;
    auto made = Bridge::create(io, driver, network, *topology.lan_a, bridge_options);
    if (made.ok()) {
      bridge = std::move(made).value();
    } else {
      bridge_error = made.error();
    }
  }

  ~BridgeWorld() { stop(); }

  // Starts the driver and runs the io_context on a thread of its own.
  void run() {
    driver.start();
    m_work.emplace(io.get_executor());
    m_thread = std::thread([this] { io.run(); });
  }

  // Runs fn on the io_context's thread (where the simulation lives) and returns its result.
  template <typename Fn>
  auto on_loop(Fn fn) -> decltype(fn()) {
    if (!m_thread.joinable()) return fn();
    std::packaged_task<decltype(fn())()> task(std::move(fn));
    auto result = task.get_future();
    boost::asio::post(io, [&task] { task(); });
    return result.get();
  }

  // Waits (on the test thread) until `condition`, checked on the loop, holds; false after
  // `limit` of wall time. A safety net for a broken build, not a timing assertion.
  bool wait_for(const std::function<bool()>& condition,
                std::chrono::seconds limit = std::chrono::seconds(60)) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      if (on_loop([&] { return condition(); })) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }

  void stop() {
    if (!m_thread.joinable()) return;
    m_work.reset();
    boost::asio::post(io, [this] {
      driver.stop();
      io.stop();
    });
    m_thread.join();
  }

  std::size_t inbox_size(services::MailServerStorage& storage, const std::string& user) {
    return on_loop([&] {
      auto messages = storage.store().messages(user, "INBOX");
      return messages.ok() ? messages->size() : std::size_t{0};
    });
  }
  std::vector<std::string> inbox(services::MailServerStorage& storage, const std::string& user) {
    return on_loop([&] {
      std::vector<std::string> out;
      auto messages = storage.store().messages(user, "INBOX");
      if (messages.ok()) {
        for (const auto& m : *messages)
          out.push_back(*m.bytes);
      }
      return out;
    });
  }

  std::string ca_pem() const { return tls->ca.certificate_pem(); }

 private:
  net::LanWanLan build() {
    net::LanWanLanOptions options;
    options.clients = 0;
    options.servers = 0;
    options.lan.latency = m_options.lan_delay_ns;
    options.wan.latency = m_options.wan_delay_ns;
    options.lan.bandwidth_bps = m_options.bandwidth_bps;
    options.wan.bandwidth_bps = m_options.bandwidth_bps;
    net::LanWanLan t = net::build_lan_wan_lan(network, options);
    const auto attach = [&](const char* name, const char* kind, net::Switch& lan,
                            const char* address, const char* gateway) {
      net::Host& host = network.add_host(name, kind);
      network.attach(host, lan, cidr(address), options.lan);
      host.set_default_gateway(ip(gateway));
      return &host;
    };
    mail_a = attach("mail.a.test", "mail-server", *t.lan_a, "10.0.1.25/24", "10.0.1.1");
    resolver_host = attach("resolver", "dns-server", *t.lan_a, "10.0.1.53/24", "10.0.1.1");
    mx_b = attach("mx.b.test", "mail-server", *t.lan_b, "10.0.2.25/24", "10.0.2.1");
    ns_host = attach("ns.test", "dns-server", *t.lan_b, "10.0.2.53/24", "10.0.2.1");
    return t;
  }

  std::unique_ptr<services::MailServer> start(net::Host& host, services::MailServerStorage& storage,
                                              services::MailServerOptions options) {
    auto server = services::MailServer::create(*context, host, storage, router, std::move(options));
    EXPECT_TRUE(server.ok()) << (server.ok() ? "" : server.error().to_string());
    return server.ok() ? std::move(server).value() : nullptr;
  }

  WorldOptions m_options;

 public:
  boost::asio::io_context io;
  Simulator sim;
  net::Network network;
  net::Host* mail_a = nullptr;
  net::Host* resolver_host = nullptr;
  net::Host* mx_b = nullptr;
  net::Host* ns_host = nullptr;
  net::LanWanLan topology;
  std::unique_ptr<services::ScenarioTls> tls;
  std::unique_ptr<services::ServiceContext> context;
  services::StaticMailRouter router;
  services::MailServerStorage storage_a;
  services::MailServerStorage storage_b;
  RealTimeDriver driver;
  std::unique_ptr<services::MailServer> server_a;
  std::unique_ptr<services::MailServer> server_b;
  std::unique_ptr<services::AuthoritativeServer> authority;
  std::unique_ptr<services::RecursiveResolver> resolver;
  std::unique_ptr<Bridge> bridge;
  std::optional<Error> bridge_error;  // why Bridge::create failed

 private:
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> m_work;
  std::thread m_thread;
};

}  // namespace mailscope::bridge::testing
