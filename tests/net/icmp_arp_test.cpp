#include <gtest/gtest.h>

#include "net/udp_socket.h"
#include "network_fixture.h"
#include "wire/arp.h"
#include "wire/ethernet.h"

namespace mailscope::net {
namespace {

using testing::count_drops;
using testing::count_events;
using testing::World;
using wire::Ipv4Addr;

std::size_t arp_frames_sent(const Trace& trace, wire::ArpOperation op) {
  return count_events(trace, [&](const TraceEvent& e) {
    if (e.layer != Layer::Link || e.kind != EventKind::Send || e.detail != 0x0806) return false;
    const auto arp = wire::ArpPacket::parse(
        trace.prefix(trace.data_ref(e)).subspan(wire::EthernetHeader::kLength));
    return arp && arp->operation == op;
  });
}

TEST(Arp, ResolvesAcrossASwitchOnceThenUsesTheCache) {
  Simulator sim(1);
  Network net(sim);
  Switch& lan = net.add_switch("lan");
  Host& a = net.add_host("a");
  Host& b = net.add_host("b");
  net.attach(a, lan, wire::Ipv4Cidr::parse("10.0.0.1/24"));
  net.attach(b, lan, wire::Ipv4Cidr::parse("10.0.0.2/24"));

  int replies = 0;
  a.ping(Ipv4Addr::from_octets(10, 0, 0, 2), 1, [&](const PingResult& r) {
    EXPECT_EQ(r.outcome, PingResult::Outcome::Reply);
    ++replies;
  });
  sim.run();
  EXPECT_EQ(replies, 1);
  EXPECT_EQ(arp_frames_sent(sim.trace(), wire::ArpOperation::Request), 1u);
  EXPECT_EQ(arp_frames_sent(sim.trace(), wire::ArpOperation::Reply), 1u);

  a.ping(Ipv4Addr::from_octets(10, 0, 0, 2), 2, [&](const PingResult&) { ++replies; });
  sim.run();
  EXPECT_EQ(replies, 2);
  // b learned a's address from a's request, so neither side asked again.
  EXPECT_EQ(arp_frames_sent(sim.trace(), wire::ArpOperation::Request), 1u);
}

TEST(Arp, UnansweredRequestsDropTheWaitingPacket) {
  Simulator sim(1);
  Network net(sim);
  Switch& lan = net.add_switch("lan");
  Host& a = net.add_host("a");
  net.attach(a, lan, wire::Ipv4Cidr::parse("10.0.0.1/24"));
  PingResult result;
  a.ping(
      Ipv4Addr::from_octets(10, 0, 0, 99), 1, [&](const PingResult& r) { result = r; },
      10 * kSecond);
  sim.run();
  EXPECT_EQ(result.outcome, PingResult::Outcome::Timeout);
  EXPECT_EQ(arp_frames_sent(sim.trace(), wire::ArpOperation::Request),
            static_cast<std::size_t>(Host::kArpAttemptsMax));
  EXPECT_EQ(count_drops(sim.trace(), DropReason::ArpTimeout), 1u);
}

TEST(Icmp, PingCrossesTwoRouters) {
  World w(1);
  PingResult result;
  w.client().ping(w.server().address(), 1, [&](const PingResult& r) { result = r; });
  w.sim.run();
  EXPECT_EQ(result.outcome, PingResult::Outcome::Reply);
  EXPECT_EQ(result.from, w.server().address());
  // Each router forwarded the request and the reply.
  EXPECT_EQ(count_events(w.sim.trace(),
                         [&](const TraceEvent& e) {
                           return e.kind == EventKind::Forward && e.layer == Layer::Network;
                         }),
            4u);
  // The first ping waited for three ARP resolutions (client, r1 over the WAN, r2): a second
  // one only pays the latency: 2 x (1 + 1 + 10 + 1 + 1) ms over four LAN links and the WAN,
  // plus about 6 us of serialization per hop.
  EXPECT_GT(result.rtt, 2 * 28 * kMillisecond);
  PingResult again;
  w.client().ping(w.server().address(), 2, [&](const PingResult& r) { again = r; });
  w.sim.run();
  EXPECT_EQ(again.outcome, PingResult::Outcome::Reply);
  EXPECT_GE(again.rtt, 28 * kMillisecond);
  EXPECT_LT(again.rtt, 28 * kMillisecond + 100 * kMicrosecond);
}

TEST(Icmp, TtlExpiryProducesTimeExceededFromEachRouter) {
  World w(1);
  PingResult first, second;
  w.client().ping(
      w.server().address(), 1, [&](const PingResult& r) { first = r; }, 2 * kSecond, 1);
  w.client().ping(
      w.server().address(), 2, [&](const PingResult& r) { second = r; }, 2 * kSecond, 2);
  w.sim.run();
  EXPECT_EQ(first.outcome, PingResult::Outcome::TimeExceeded);
  EXPECT_EQ(first.from, Ipv4Addr::from_octets(10, 0, 1, 1));  // r1, on the interface it came in
  EXPECT_EQ(second.outcome, PingResult::Outcome::TimeExceeded);
  EXPECT_EQ(second.from, Ipv4Addr::from_octets(192, 0, 2, 2));  // r2
  EXPECT_EQ(count_drops(w.sim.trace(), DropReason::TtlExpired), 2u);
}

TEST(Icmp, UnroutableDestinationIsReportedByTheRouter) {
  World w(1);
  PingResult result;
  w.client().ping(Ipv4Addr::from_octets(203, 0, 113, 7), 1,
                  [&](const PingResult& r) { result = r; });
  w.sim.run();
  EXPECT_EQ(result.outcome, PingResult::Outcome::Unreachable);
  EXPECT_EQ(count_drops(w.sim.trace(), DropReason::NoRoute), 1u);
}

TEST(Udp, DatagramArrivesAndClosedPortAnswersPortUnreachable) {
  World w(1);
  auto server_socket = w.server().udp_bind(53);
  ASSERT_NE(server_socket, nullptr);
  EXPECT_EQ(w.server().udp_bind(53), nullptr);  // taken
  std::string received;
  server_socket->on_receive([&](const UdpDatagram& d) {
    received.assign(d.payload.begin(), d.payload.end());
    EXPECT_EQ(d.src, w.client().address());
  });
  auto client_socket = w.client().udp_bind(0);
  ASSERT_NE(client_socket, nullptr);
  EXPECT_GE(client_socket->port(), 32768);
  int errors = 0;
  client_socket->on_error(
      [&](Ipv4Addr dst, std::uint16_t port, wire::IcmpType type, std::uint8_t code) {
        EXPECT_EQ(dst, w.server().address());
        EXPECT_EQ(port, 54);
        EXPECT_EQ(type, wire::IcmpType::DestinationUnreachable);
        EXPECT_EQ(code, 3);
        ++errors;
      });
  client_socket->send_to(w.server().address(), 53, wire::as_bytes("hello"));
  client_socket->send_to(w.server().address(), 54, wire::as_bytes("nobody"));
  w.sim.run();
  EXPECT_EQ(received, "hello");
  EXPECT_EQ(errors, 1);
  EXPECT_EQ(count_drops(w.sim.trace(), DropReason::PortUnreachable), 1u);
}

TEST(Link, LossIsDrawnFromTheSeedAndRecorded) {
  World w(1);
  w.client().ping(w.server().address(), 1, [](const PingResult&) {});  // resolves ARP
  w.sim.run();
  w.topology.wan->config().loss = 1.0;
  PingResult result;
  w.client().ping(w.server().address(), 2, [&](const PingResult& r) { result = r; });
  w.sim.run();
  EXPECT_EQ(result.outcome, PingResult::Outcome::Timeout);
  EXPECT_EQ(count_drops(w.sim.trace(), DropReason::Loss), 1u);
}

TEST(Link, RouterReportsAnUnreachableNextHopWhenArpIsLost) {
  LanWanLanOptions options;
  options.wan.loss = 1.0;
  World w(1, options);
  PingResult result;
  w.client().ping(
      w.server().address(), 1, [&](const PingResult& r) { result = r; }, 10 * kSecond);
  w.sim.run();
  EXPECT_EQ(result.outcome, PingResult::Outcome::Unreachable);
  EXPECT_EQ(result.from, wire::Ipv4Addr::from_octets(10, 0, 1, 1));
  EXPECT_EQ(count_drops(w.sim.trace(), DropReason::Loss),
            static_cast<std::size_t>(Host::kArpAttemptsMax));
  EXPECT_EQ(count_drops(w.sim.trace(), DropReason::ArpTimeout), 1u);
}

TEST(Link, FullQueueDropsFrames) {
  LanWanLanOptions options;
  options.wan.queue_frames_max = 2;
  options.wan.bandwidth_bps = 1'000'000;  // slow enough to queue
  World w(1, options);
  auto socket = w.client().udp_bind(0);
  auto sink = w.server().udp_bind(9);
  int received = 0;
  sink->on_receive([&](const UdpDatagram&) { ++received; });
  // Resolve ARP first so that all datagrams reach the WAN queue together.
  w.client().ping(w.server().address(), 1, [](const PingResult&) {});
  w.sim.run();
  const std::string payload(1000, 'x');
  for (int i = 0; i < 10; ++i)
    socket->send_to(w.server().address(), 9, wire::as_bytes(payload));
  w.sim.run();
  // LAN A is ten times faster than the WAN: the WAN transmitter holds one, its queue two more.
  EXPECT_LT(received, 10);
  EXPECT_GT(count_drops(w.sim.trace(), DropReason::QueueFull), 0u);
  EXPECT_EQ(received + static_cast<int>(count_drops(w.sim.trace(), DropReason::QueueFull)), 10);
}

TEST(Host, PoweredOffHostDropsFrames) {
  World w(1);
  w.server().power_off();
  PingResult result;
  w.client().ping(
      w.server().address(), 1, [&](const PingResult& r) { result = r; }, 5 * kSecond);
  w.sim.run();
  // r2 asks for the server's MAC in vain and tells the client the host is unreachable, from
  // the address of the interface the error leaves by (the WAN), as Linux does by default.
  EXPECT_EQ(result.outcome, PingResult::Outcome::Unreachable);
  EXPECT_EQ(result.from, wire::Ipv4Addr::from_octets(192, 0, 2, 2));
  EXPECT_GT(count_drops(w.sim.trace(), DropReason::HostDown), 0u);
  w.server().power_on();
  w.client().ping(w.server().address(), 2, [&](const PingResult& r) { result = r; });
  w.sim.run();
  EXPECT_EQ(result.outcome, PingResult::Outcome::Reply);
}

}  // namespace
}  // namespace mailscope::net
