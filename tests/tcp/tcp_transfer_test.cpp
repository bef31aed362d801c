// Moving data: bulk transfers with and without loss, flow control, piggybacked ACKs, fast
// retransmit, retransmission timing under a partition, and determinism.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "net/tcp_seq.h"
#include "tcp/tcp_harness.h"

namespace mailscope::net::testing {
namespace {

using Strings = std::vector<std::string>;

wire::Bytes random_bytes(std::size_t size, std::uint64_t seed) {
  Rng rng(seed);
  wire::Bytes out(size);
  for (auto& b : out)
    b = static_cast<std::uint8_t>(rng.next_u32());
  return out;
}

// Feeds a block of bytes into a connection as fast as its send buffer takes them.
struct Source {
  wire::Bytes data;
  std::size_t queued = 0;
  bool close_when_done = false;

  void pump(TcpConnection& c) {
    while (queued < data.size()) {
      const std::size_t n = c.send(wire::ByteView(data).subspan(queued));
      if (n == 0) break;
      queued += n;
    }
    if (queued == data.size() && close_when_done) c.close();
  }
};

// Checks, as segments leave, that no sender ever passes the right edge of the window its
// peer last told it about (ack + window), and records the largest amount in flight.
struct WindowWatch {
  std::array<std::uint32_t, 2> right_edge{};
  std::array<std::uint32_t, 2> acked{};
  std::array<bool, 2> known{};
  std::array<std::uint32_t, 2> max_flight{};
  int violations = 0;

  void attach(TcpPair& pair) {
    pair.on_deliver = [this](int to, const Segment& s) {
      if (!s.header.has(kAck) || s.header.has(kRst)) return;
      const std::uint32_t edge = s.header.ack + s.header.window;
      const auto i = static_cast<std::size_t>(to);
      if (!known[i] || seq_gt(edge, right_edge[i])) right_edge[i] = edge;
      if (!known[i] || seq_gt(s.header.ack, acked[i])) acked[i] = s.header.ack;
      known[i] = true;
    };
    pair.on_transmit = [this](const Segment& s) {
      const auto i = static_cast<std::size_t>(s.from);
      if (s.payload.empty() || !known[i]) return;
      const std::uint32_t end = s.header.seq + static_cast<std::uint32_t>(s.payload.size());
      if (seq_gt(end, right_edge[i])) ++violations;
      max_flight[i] = std::max(max_flight[i], end - acked[i]);
    };
  }
};

struct BulkCase {
  const char* name;
  double loss;
  std::uint32_t a_isn;
};

class TcpBulk : public ::testing::TestWithParam<BulkCase> {};

TEST_P(TcpBulk, OneMebibyteEachWayArrivesExactly) {
  const BulkCase& c = GetParam();
  TcpPair::Options options;
  options.loss = c.loss;
  options.a_isn = c.a_isn;
  options.seed = 42;
  TcpPair pair(options);
  WindowWatch watch;
  watch.attach(pair);
  std::array<Source, 2> sources{Source{random_bytes(1 << 20, 1), 0, true},
                                Source{random_bytes(1 << 20, 2), 0, true}};
  for (int i = 0; i < 2; ++i) {
    auto& source = sources[static_cast<std::size_t>(i)];
    pair.on_connected[static_cast<std::size_t>(i)] = [&pair, &source, i] {
      source.pump(pair.side(i));
    };
    pair.on_writable[static_cast<std::size_t>(i)] = [&pair, &source, i] {
      source.pump(pair.side(i));
    };
  }
  pair.a().open_active();
  pair.sim.run();

  for (int i = 0; i < 2; ++i) {
    SCOPED_TRACE(i == 0 ? "received by A" : "received by B");
    const SideLog& log = pair.log_of(i);
    EXPECT_FALSE(log.error.has_value());
    EXPECT_TRUE(log.received == sources[static_cast<std::size_t>(1 - i)].data);
    EXPECT_EQ(log.peer_closed, 1);
    EXPECT_EQ(log.closed, 1);
    EXPECT_EQ(pair.side(i).state(), TcpState::Closed);
  }
  for (const Segment& s : pair.segments)
    ASSERT_LE(s.payload.size(), 1460u) << describe(s);
  EXPECT_EQ(watch.violations, 0);
  const std::uint64_t retransmissions = pair.a().retransmissions() + pair.b().retransmissions();
  if (c.loss == 0) {
    EXPECT_EQ(retransmissions, 0u);
  } else {
    EXPECT_GT(pair.a().retransmissions(), 0u);
    EXPECT_GT(pair.b().retransmissions(), 0u);
    EXPECT_EQ(retransmissions,
              std::uint64_t(pair.log_of(0).retransmitted + pair.log_of(1).retransmitted));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Loss, TcpBulk,
    ::testing::Values(BulkCase{"clean", 0.0, 1000}, BulkCase{"lossy", 0.2, 1000},
                      // The client's sequence numbers wrap past 2^32 during the transfer.
                      BulkCase{"clean_wrapping", 0.0, 0xfff00000u},
                      BulkCase{"lossy_wrapping", 0.2, 0xfff00000u}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(TcpTransfer, SenderNeverExceedsThePeersWindow) {
  TcpPair::Options options;
  options.b_config.receive_buffer = 5000;
  TcpPair pair(options);
  WindowWatch watch;
  watch.attach(pair);
  pair.connect();
  EXPECT_EQ(pair.a().peer_window(), 5000u);
  Source source{random_bytes(100'000, 3)};
  pair.on_writable[0] = [&] { source.pump(pair.a()); };
  source.pump(pair.a());
  pair.sim.run();
  EXPECT_TRUE(pair.log_of(1).received == source.data);
  EXPECT_EQ(watch.violations, 0);
  // cwnd (10 segments) would allow more: the 5000-byte window is what limits A, which keeps
  // three full segments in flight and does not send a silly 620-byte fourth.
  EXPECT_EQ(watch.max_flight[0], 3u * 1460);
  for (const Segment& s : pair.segments) {
    if (s.from == 0 && !s.payload.empty() && s.payload.size() < 1460) {
      // Only the very last segment may be short.
      EXPECT_EQ(s.header.seq + s.payload.size(), 1001u + source.data.size()) << describe(s);
    }
  }
}

TEST(TcpTransfer, ReplyFromDataCallbackCarriesTheAck) {
  TcpPair pair({});
  pair.connect();
  pair.on_data[1] = [&](wire::ByteView) { pair.b().send(wire::as_bytes("250 ok\r\n")); };
  pair.segments.clear();
  pair.a().send(wire::as_bytes("NOOP\r\n"));
  pair.sim.run();
  Strings lines;
  for (const Segment& s : pair.segments)
    lines.push_back(describe(s));
  EXPECT_EQ(lines, (Strings{
                       "A>B 0.030000s PSH,ACK seq=1001 ack=500001 win=65535 len=6",
                       // No pure ACK from B: its reply acknowledges the command.
                       "B>A 0.040000s PSH,ACK seq=500001 ack=1007 win=65535 len=8",
                       "A>B 0.050000s ACK seq=1007 ack=500009 win=65535 len=0",
                   }));
  EXPECT_EQ(std::string(pair.log_of(0).received.begin(), pair.log_of(0).received.end()),
            "250 ok\r\n");
}

TEST(TcpTransfer, EveryDataSegmentIsAcknowledgedAtOnce) {
  TcpPair pair({});
  pair.connect();
  pair.segments.clear();
  pair.a().send(wire::Bytes(3 * 1460, 7));
  pair.sim.run();
  ASSERT_EQ(pair.segments.size(), 6u);
  for (int i = 0; i < 3; ++i) {
    const Segment& ack = pair.segments[3 + static_cast<std::size_t>(i)];
    EXPECT_TRUE(ack.pure_ack()) << describe(ack);
    EXPECT_EQ(ack.header.ack, 1001u + 1460u * static_cast<std::uint32_t>(i + 1));
    EXPECT_EQ(ack.time, 40 * kMillisecond);
  }
}

TEST(TcpTransfer, ThreeDuplicateAcksTriggerFastRetransmit) {
  TcpPair pair({});
  pair.connect();
  const std::uint32_t lost_seq = 1001 + 2 * 1460;
  bool dropped = false;
  pair.drop_rule = [&](const Segment& s) {
    if (dropped || s.from != 0 || s.header.seq != lost_seq) return false;
    dropped = true;
    return true;
  };
  const wire::Bytes data = random_bytes(20 * 1460, 4);
  pair.a().send(data);
  pair.sim.run_until(50 * kMillisecond);
  // At 50 ms A has the two good ACKs and three duplicates: the missing segment goes again
  // long before the 200 ms timeout, and A is in fast recovery with half the flight.
  EXPECT_EQ(pair.a().retransmissions(), 1u);
  EXPECT_TRUE(pair.a().in_fast_recovery());
  const Segment& again =
      pair.segments.back().header.seq == lost_seq
          ? pair.segments.back()
          : *std::find_if(pair.segments.rbegin(), pair.segments.rend(), [&](const Segment& s) {
              return s.from == 0 && s.header.seq == lost_seq;
            });
  EXPECT_EQ(again.time, 50 * kMillisecond);
  EXPECT_EQ(pair.a().ssthresh(), 12u * 1460 / 2);  // 12 segments were out when it began
  pair.sim.run();
  EXPECT_TRUE(pair.log_of(1).received == data);
  EXPECT_EQ(pair.a().retransmissions(), 1u);  // no timeout was needed
  EXPECT_FALSE(pair.a().in_fast_recovery());
}

TEST(TcpTransfer, PartitionExhaustsDataRetriesWithDoublingIntervals) {
  TcpPair pair({});
  pair.connect();
  const TimeNs start = pair.sim.now();
  ASSERT_EQ(start, 30 * kMillisecond);
  ASSERT_EQ(pair.a().rto(), 200 * kMillisecond);
  pair.partitioned = true;
  pair.segments.clear();
  pair.a().send(wire::Bytes(100, 1));
  pair.sim.run();

  std::vector<TimeNs> data_times;
  for (const Segment& s : pair.segments) {
    ASSERT_EQ(s.from, 0);
    if (s.payload.size() == 100) data_times.push_back(s.time - start);
  }
  // The original and data_retries = 8 retransmissions, 200 ms apart and doubling.
  const TimeNs ms = kMillisecond;
  EXPECT_EQ(data_times, (std::vector<TimeNs>{0, 200 * ms, 600 * ms, 1400 * ms, 3000 * ms, 6200 * ms,
                                             12600 * ms, 25400 * ms, 51000 * ms}));
  // The ninth timeout (after 51.2 s more) gives up and tells the peer with RST,ACK.
  const Segment& last = pair.segments.back();
  EXPECT_EQ(last.header.flags, kRst | kAck);
  EXPECT_EQ(last.time - start, 102200 * ms);
  EXPECT_EQ(pair.log_of(0).error, TcpError::TimedOut);
  EXPECT_EQ(pair.log_of(0).error_time - start, 102200 * ms);
  EXPECT_EQ(pair.log_of(0).retransmitted, 8);
  EXPECT_EQ(pair.a().state(), TcpState::Closed);
  EXPECT_EQ(pair.b().state(), TcpState::Established);  // B never heard a thing
}

TEST(TcpTransfer, HealedPartitionRecoversAndRttSamplesResume) {
  TcpPair pair({});
  pair.connect();
  pair.partitioned = true;
  pair.a().send(wire::Bytes(100, 1));
  pair.sim.run_until(pair.sim.now() + 700 * kMillisecond);  // two retransmissions lost
  EXPECT_EQ(pair.a().rto(), 800 * kMillisecond);            // backed off twice
  pair.partitioned = false;
  pair.sim.run();
  EXPECT_EQ(pair.log_of(1).received.size(), 100u);
  EXPECT_EQ(pair.a().retransmissions(), 3u);
  // Karn: the ACK of a retransmitted segment gives no sample, so the backoff stays.
  EXPECT_EQ(pair.a().rto(), 1600 * kMillisecond);
  pair.a().send(wire::Bytes(100, 2));
  pair.sim.run();
  EXPECT_EQ(pair.a().rto(), 200 * kMillisecond);  // a clean sample ends the backoff
}

Strings run_lossy(std::uint64_t seed, std::uint32_t a_isn) {
  TcpPair::Options options;
  options.loss = 0.2;
  options.seed = seed;
  options.a_isn = a_isn;
  TcpPair pair(options);
  Source source{random_bytes(200'000, 5), 0, true};
  pair.on_connected[0] = [&] { source.pump(pair.a()); };
  pair.on_writable[0] = [&] { source.pump(pair.a()); };
  pair.on_peer_closed[1] = [&] { pair.b().close(); };
  pair.a().open_active();
  pair.sim.run();
  Strings lines;
  for (const Segment& s : pair.segments)
    lines.push_back(describe(s));
  return lines;
}

TEST(TcpTransfer, SameSeedSameSegments) {
  const Strings first = run_lossy(9, 1000);
  const Strings second = run_lossy(9, 1000);
  EXPECT_GT(first.size(), 200u);
  EXPECT_EQ(first, second);
  EXPECT_NE(first, run_lossy(10, 1000));  // another seed loses other segments
}

TEST(TcpTransfer, DifferentIsnShiftsSequenceNumbers) {
  TcpPair::Options one;
  TcpPair::Options two;
  two.a_isn = 0x12345678;
  TcpPair p1(one);
  TcpPair p2(two);
  p1.connect();
  p2.connect();
  for (TcpPair* p : {&p1, &p2}) {
    p->a().send(wire::as_bytes("HELO a\r\n"));
    p->sim.run();
  }
  ASSERT_EQ(p1.segments.size(), p2.segments.size());
  for (std::size_t i = 0; i < p1.segments.size(); ++i) {
    const Segment& s1 = p1.segments[i];
    const Segment& s2 = p2.segments[i];
    if (s1.from == 0) {
      EXPECT_NE(s1.header.seq, s2.header.seq);
      EXPECT_EQ(s1.header.seq - 1000u, s2.header.seq - 0x12345678u);  // same relative numbers
    } else if (s1.header.has(kAck)) {
      EXPECT_EQ(s1.header.ack - 1000u, s2.header.ack - 0x12345678u);
    }
  }
}

}  // namespace
}  // namespace mailscope::net::testing
