// AppConnection on its own: ordering behind a delayed write, plaintext L7 events, a TLS
// handshake that fails verification.

#include <gtest/gtest.h>

#include "mail_world.h"
#include "net/lan_wan_lan.h"
#include "net/network.h"
#include "services/app_connection.h"

namespace mailscope::services {
namespace {

using testing::contains;

struct Pair {
  Pair() : sim(5), network(sim), topology(net::build_lan_wan_lan(network)) {}
  net::Host& client() { return *topology.clients.at(0); }
  net::Host& server() { return *topology.servers.at(0); }

  // Listens on `port`; the accepted side records what it reads with the time.
  void listen(std::uint16_t port, AppConnectionOptions options = {"test", nullptr, nullptr}) {
    listener = server().tcp().listen(port, [this, options](std::shared_ptr<net::TcpStream> s) {
      AppConnection::Callbacks callbacks;
      callbacks.data = [this](std::string_view data, EventId) {
        received.push_back({std::string(data), sim.now()});
      };
      callbacks.tls_failed = [this](const std::string& reason) { server_tls_failure = reason; };
      accepted = AppConnection::adopt(std::move(s), options, std::move(callbacks));
      if (server_tls) accepted->start_tls_server(*server_tls);
    });
  }

  Simulator sim;
  net::Network network;
  net::LanWanLan topology;
  std::unique_ptr<net::TcpListener> listener;
  std::shared_ptr<AppConnection> accepted;
  std::optional<tls::TlsServerConfig> server_tls;
  std::vector<std::pair<std::string, TimeNs>> received;
  std::string server_tls_failure;
};

TEST(AppConnection, DelayedWriteHoldsBackEverythingAfterIt) {
  Pair p;
  p.listen(7000);
  std::shared_ptr<AppConnection> client;
  TimeNs connected_at = 0;
  AppConnection::Callbacks callbacks;
  callbacks.connected = [&] {
    connected_at = p.sim.now();
    client->send("first\r\n", {L7Unit{7, EventKind::Request, 0}}, kNoEvent, 1 * kSecond);
    client->send("second\r\n", {L7Unit{8, EventKind::Request, kDetailSecret}}, kNoEvent);
    client->close();  // also waits: the FIN must not overtake the delayed bytes
  };
  client = AppConnection::connect(p.client(), p.server().address(), 7000,
                                  {"test", nullptr, nullptr}, std::move(callbacks));
  p.sim.run();
  // Both arrived after the delay, in the order they were written (one segment each).
  ASSERT_EQ(p.received.size(), 2u);
  EXPECT_EQ(p.received[0].first, "first\r\n");
  EXPECT_EQ(p.received[1].first, "second\r\n");
  EXPECT_GE(p.received[0].second, connected_at + 1 * kSecond);
  EXPECT_GE(p.received[1].second, p.received[0].second);
  // One L7 event per unit, recorded when the bytes left, in order, on the client's node.
  std::vector<const TraceEvent*> requests;
  for (const TraceEvent& e : p.sim.trace().events()) {
    if (e.layer == Layer::Application && e.kind == EventKind::Request) requests.push_back(&e);
  }
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(testing::event_text(p.sim.trace(), *requests[0]), "first\r\n");
  EXPECT_EQ(testing::event_text(p.sim.trace(), *requests[1]), "second\r\n");
  EXPECT_EQ(requests[0]->time, connected_at + 1 * kSecond);
  EXPECT_EQ(requests[1]->time, requests[0]->time);
  EXPECT_EQ(requests[0]->detail, 0);
  EXPECT_EQ(requests[1]->detail, kDetailSecret);
  EXPECT_EQ(requests[0]->node, p.client().id());
  const FlowInfo& flow = p.sim.trace().flow(requests[0]->flow);
  EXPECT_EQ(flow.application, "test");
  EXPECT_EQ(flow.client, p.client().id());
  EXPECT_EQ(flow.server, p.server().id());
}

TEST(AppConnection, DroppingTheLastReferenceResetsTheConnection) {
  Pair p;
  p.listen(7001);
  std::shared_ptr<AppConnection> client;
  AppConnection::Callbacks callbacks;
  callbacks.connected = [&] { client.reset(); };
  client = AppConnection::connect(p.client(), p.server().address(), 7001,
                                  {"test", nullptr, nullptr}, std::move(callbacks));
  p.sim.run();
  EXPECT_EQ(client, nullptr);
  EXPECT_EQ(p.client().tcp().connection_count(), 0u);
  EXPECT_EQ(p.server().tcp().connection_count(), 0u) << "the RST reached the server";
}

TEST(AppConnection, CertificateForAnotherNameFailsTheHandshake) {
  Pair p;
  mail::MailClock clock{testing::kEpoch, 0};
  auto tls_parts = ScenarioTls::create(p.sim, "App tests", clock);
  ASSERT_TRUE(tls_parts.ok());
  ScenarioTls& world = **tls_parts;
  auto credentials = world.ca.issue("wrong.example", server_certificate_validity(clock));
  ASSERT_TRUE(credentials.ok());
  p.server_tls = tls::TlsServerConfig{*credentials};
  p.listen(7002, {"test", &world.crypto, &world.key_log});

  std::string failure;
  std::shared_ptr<AppConnection> client;
  AppConnection::Callbacks callbacks;
  callbacks.connected = [&] {
    tls::TlsClientConfig config;
    config.trusted_cas = {world.ca.certificate()};
    config.server_name = "right.example";
    config.verify_time_s = clock.unix_seconds(p.sim.now());
    client->start_tls_client(config);
  };
  callbacks.tls_failed = [&](const std::string& reason) { failure = reason; };
  client = AppConnection::connect(p.client(), p.server().address(), 7002,
                                  {"test", &world.crypto, &world.key_log}, std::move(callbacks));
  p.sim.run();
  EXPECT_TRUE(contains(failure, "hostname mismatch")) << failure;
  EXPECT_FALSE(p.server_tls_failure.empty()) << "the server saw the client's fatal alert";
  std::vector<std::string> client_tls;
  for (const TraceEvent& e : p.sim.trace().events()) {
    if (e.layer == Layer::Tls && e.node == p.client().id() && e.kind != EventKind::Send &&
        e.kind != EventKind::Receive)
      client_tls.emplace_back(p.sim.trace().text(e));
  }
  ASSERT_EQ(client_tls.size(), 2u);
  EXPECT_TRUE(client_tls[0].starts_with("alert sent: fatal")) << client_tls[0];
  EXPECT_TRUE(client_tls[1].starts_with("TLS failed: ")) << client_tls[1];
  EXPECT_EQ(p.client().tcp().connection_count(), 0u);
}

}  // namespace
}  // namespace mailscope::services
