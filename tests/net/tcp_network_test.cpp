// TCP over the whole simulated network: handshake through routers, bulk transfer with loss,
// refusals, aborts, and the determinism of all of it.

#include <gtest/gtest.h>

#include <string>

#include "export/pcap_export.h"
#include "net/tcp_stack.h"
#include "network_fixture.h"
#include "wire/ipv4.h"
#include "wire/tcp.h"

namespace mailscope::net {
namespace {

using testing::count_drops;
using testing::count_events;
using testing::World;

wire::Bytes pattern(std::size_t size, std::uint64_t seed) {
  Rng rng(seed);
  wire::Bytes bytes(size);
  for (auto& b : bytes)
    b = static_cast<std::uint8_t>(rng.next_u32());
  return bytes;
}

// A server on port 9 that stores what it receives and closes when the client does; a client
// that sends `payload` and closes.
struct Transfer {
  explicit Transfer(World& w, const wire::Bytes& payload) {
    listener = w.server().tcp().listen(9, [this](std::shared_ptr<TcpStream> s) {
      accepted = s;
      TcpStream* raw = s.get();
      s->set_callbacks(
          {.connected = {},
           .data = [this](wire::ByteView d,
                          EventId) { received.insert(received.end(), d.begin(), d.end()); },
           .peer_closed = [raw] { raw->close(); },
           .closed = [this] { server_closed = true; },
           .failed = [this](TcpError e) { server_error = e; }});
    });
    client = w.client().tcp().connect(w.server().address(), 9,
                                      {.connected =
                                           [this, &payload] {
                                             sent = client->send(payload);
                                             client->close();
                                           },
                                       .data = {},
                                       .peer_closed = {},
                                       .closed = [this] { client_closed = true; },
                                       .failed = [this](TcpError e) { client_error = e; }});
  }
  std::unique_ptr<TcpListener> listener;
  std::shared_ptr<TcpStream> client;
  std::shared_ptr<TcpStream> accepted;
  wire::Bytes received;
  std::size_t sent = 0;
  bool client_closed = false;
  bool server_closed = false;
  std::optional<TcpError> client_error;
  std::optional<TcpError> server_error;
};

std::size_t retransmissions(const Trace& trace) {
  return count_events(trace, [&](const TraceEvent& e) {
    return e.kind == EventKind::Note && e.layer == Layer::Transport &&
           trace.text(e).starts_with("retransmission");
  });
}

void run_transfer(World& w, std::size_t size, wire::Bytes* received = nullptr) {
  const wire::Bytes payload = pattern(size, 99);
  w.topology.clients[0]->tcp().config().send_buffer = static_cast<std::uint32_t>(size);
  Transfer t(w, payload);
  w.sim.run();
  EXPECT_FALSE(t.client_error.has_value());
  EXPECT_FALSE(t.server_error.has_value());
  EXPECT_EQ(t.sent, size);
  ASSERT_EQ(t.received.size(), size);
  EXPECT_TRUE(t.received == payload) << "bytes differ";
  EXPECT_TRUE(t.client_closed);
  EXPECT_TRUE(t.server_closed);
  if (received != nullptr) *received = t.received;
}

TEST(TcpNetwork, OneMebibyteArrivesByteExactWithoutLoss) {
  World w(1);
  run_transfer(w, 1 << 20);
  EXPECT_EQ(retransmissions(w.sim.trace()), 0u);
  EXPECT_EQ(count_drops(w.sim.trace(), DropReason::Loss), 0u);
}

// The payload crosses two routers, yet the trace holds it once: a forwarded frame is new
// Ethernet and IPv4 headers spliced before the segment the client stored.
TEST(TcpNetwork, RoutersShareTheSegmentsTheyForwardInsteadOfCopyingThem) {
  World w(1);
  run_transfer(w, 1 << 20);
  const Trace& trace = w.sim.trace();
  EXPECT_LT(trace.bytes_stored(), std::size_t{1} << 20 << 1) << "three copies would be 3 MiB";
  std::size_t shared = 0;
  Trace::Scratch scratch;
  for (const TraceEvent& e : trace.events()) {
    if (e.layer != Layer::Network || e.kind != EventKind::Forward) continue;
    const auto packet = wire::Ipv4Header::parse(trace.data(e, scratch));
    ASSERT_TRUE(packet.ok()) << packet.error().to_string();  // TTL and checksum rewritten
    EXPECT_LT(packet->ttl, 64);
    if (trace.size(trace.data_ref(e)) > 200) ++shared;
  }
  EXPECT_GT(shared, 2 * 700u);  // 1 MiB is about 720 full segments, each forwarded twice
}

TEST(TcpNetwork, OneMebibyteArrivesByteExactWithTwentyPercentLoss) {
  LanWanLanOptions options;
  options.wan.loss = 0.2;
  World w(7, options);
  run_transfer(w, 1 << 20);
  EXPECT_GT(count_drops(w.sim.trace(), DropReason::Loss), 100u);
  EXPECT_GT(retransmissions(w.sim.trace()), 0u);
}

TEST(TcpNetwork, SegmentsRespectTheMtuAndCarryTheMssOption) {
  World w(1);
  run_transfer(w, 100'000);
  const Trace& trace = w.sim.trace();
  std::size_t syns = 0;
  Trace::Scratch scratch;
  for (const TraceEvent& e : trace.events()) {
    if (e.layer != Layer::Network || e.kind != EventKind::Send) continue;
    const auto bytes = trace.data(e, scratch);
    EXPECT_LE(bytes.size(), 1500u);
    wire::ByteView payload;
    const auto ip = wire::Ipv4Header::parse(bytes, &payload);
    ASSERT_TRUE(ip.ok());
    if (ip->protocol != wire::IpProtocol::Tcp) continue;
    const auto tcp = wire::TcpHeader::parse(payload);
    ASSERT_TRUE(tcp.ok());
    if (tcp->has(wire::tcp_flags::kSyn)) {
      ++syns;
      EXPECT_EQ(tcp->mss, std::optional<std::uint16_t>(1460));
    }
  }
  EXPECT_EQ(syns, 2u);  // SYN and SYN-ACK
}

TEST(TcpNetwork, SynToAClosedPortIsRefused) {
  World w(1);
  std::optional<TcpError> error;
  auto stream = w.client().tcp().connect(w.server().address(), 25,
                                         {.failed = [&](TcpError e) { error = e; }});
  w.sim.run();
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(*error, TcpError::Refused);
  EXPECT_EQ(count_drops(w.sim.trace(), DropReason::NoConnection), 1u);
  EXPECT_EQ(w.client().tcp().connection_count(), 0u);
}

TEST(TcpNetwork, PartitionLongerThanTheRetryBudgetAbortsTheConnection) {
  World w(1);
  auto listener = w.server().tcp().listen(9, [](std::shared_ptr<TcpStream>) {});
  std::optional<TcpError> error;
  bool connected = false;
  std::shared_ptr<TcpStream> stream;
  stream = w.client().tcp().connect(w.server().address(), 9,
                                    {.connected =
                                         [&] {
                                           connected = true;
                                           w.topology.wan->set_up(false);
                                           stream->send(wire::as_bytes("are you there?"));
                                         },
                                     .failed = [&](TcpError e) { error = e; }});
  w.sim.run();
  EXPECT_TRUE(connected);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(*error, TcpError::TimedOut);
  EXPECT_GT(count_drops(w.sim.trace(), DropReason::LinkDown), 0u);
}

TEST(TcpNetwork, SameSeedSameTraceAndPcapDifferentSeedDifferentIsn) {
  auto run = [](std::uint64_t seed) {
    LanWanLanOptions options;
    options.wan.loss = 0.1;
    auto w = std::make_unique<World>(seed, options);
    run_transfer(*w, 50'000);
    return w;
  };
  auto a = run(5), b = run(5), c = run(6);
  EXPECT_EQ(a->sim.trace().digest(), b->sim.trace().digest());
  EXPECT_EQ(exporter::pcap_bytes(a->sim.trace()), exporter::pcap_bytes(b->sim.trace()));
  auto first_syn_seq = [](const Trace& trace) {
    for (const TraceEvent& e : trace.events()) {
      if (e.layer != Layer::Transport || e.kind != EventKind::Send) continue;
      const auto tcp = wire::TcpHeader::parse(trace.message(e));
      if (tcp && tcp->has(wire::tcp_flags::kSyn)) return tcp->seq;
    }
    return 0u;
  };
  EXPECT_EQ(first_syn_seq(a->sim.trace()), first_syn_seq(b->sim.trace()));
  EXPECT_NE(first_syn_seq(a->sim.trace()), first_syn_seq(c->sim.trace()));
}

TEST(TcpNetwork, DataSegmentsLinkToTheApplicationWriteThatCarriedThem) {
  World w(1);
  auto listener = w.server().tcp().listen(25, [](std::shared_ptr<TcpStream>) {});
  std::shared_ptr<TcpStream> stream;
  EventId write = kNoEvent;
  stream = w.client().tcp().connect(w.server().address(), 25, {.connected = [&] {
                                      write = w.client().note(Layer::Application, "EHLO");
                                      stream->send(wire::as_bytes("EHLO x\r\n"), write);
                                    }});
  w.sim.run();
  ASSERT_NE(write, kNoEvent);
  const Trace& trace = w.sim.trace();
  // Follow the write down: L4 -> L3 -> L2 -> L1 on the client.
  std::vector<Layer> chain;
  EventId parent = write;
  for (EventId id = 0; id < trace.size(); ++id) {
    if (trace.event(id).parent == parent && trace.event(id).node == w.client().id() &&
        trace.event(id).kind == EventKind::Send) {
      chain.push_back(trace.event(id).layer);
      parent = id;
    }
  }
  EXPECT_EQ(chain,
            (std::vector<Layer>{Layer::Transport, Layer::Network, Layer::Link, Layer::Physical}));
}

}  // namespace
}  // namespace mailscope::net
