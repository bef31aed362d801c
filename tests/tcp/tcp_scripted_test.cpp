// The test plays the peer segment by segment: reassembly and the advertised window, RST and
// SYN checks (RFC 5961), zero-window probing, robustness against arbitrary segments, and
// destroying a connection from inside its hooks.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tcp/tcp_harness.h"

namespace mailscope::net::testing {
namespace {

using Strings = std::vector<std::string>;

TEST(TcpReceive, OutOfOrderSegmentsAreReassembled) {
  TcpConfig config;
  config.receive_buffer = 1000;
  ScriptedPeer peer(config);
  peer.establish_passive(7000);
  EXPECT_EQ(peer.take_sent()[0].header.window, 1000);  // the SYN-ACK offers the buffer
  auto chunk = [](char c) { return std::string(100, c); };
  struct Step {
    const char* what;
    std::uint32_t offset;  // from the peer's first data byte
    std::string payload;
    std::uint32_t ack;     // relative, in our reply
    std::uint16_t window;  // in our reply
    std::size_t held;      // out-of-order bytes afterwards
  };
  const Step steps[] = {
      {"in order", 0, chunk('a'), 100, 1000, 0},
      {"after a gap: duplicate ACK", 200, chunk('c'), 100, 1000, 100},
      {"after a second gap", 400, chunk('e'), 100, 1000, 200},
      {"fills the first gap: b and c delivered; e still held shrinks the window", 100, chunk('b'),
       300, 900, 100},
      {"the held segment again: nothing new", 400, chunk('e'), 300, 900, 100},
      {"fills the second gap: d and e delivered", 300, chunk('d'), 500, 1000, 0},
      {"an old duplicate is re-acknowledged and not delivered", 0, chunk('a'), 500, 1000, 0},
      {"half old, half new: only the new half is delivered", 450, chunk('e') + chunk('f'), 650,
       1000, 0},
      {"beyond the right edge: not kept", 650 + 1000, chunk('z'), 650, 1000, 0},
  };
  const std::uint32_t base = peer.peer_next;
  const std::uint32_t iss = peer.connection->initial_sequence();
  for (const Step& step : steps) {
    peer.deliver(peer.segment(base + step.offset, iss + 1, kAck), step.payload);
    const auto sent = peer.take_sent();
    ASSERT_EQ(sent.size(), 1u) << step.what;
    EXPECT_TRUE(sent[0].pure_ack()) << step.what;
    EXPECT_EQ(sent[0].header.ack, base + step.ack) << step.what;
    EXPECT_EQ(sent[0].header.window, step.window) << step.what;
    EXPECT_EQ(peer.connection->out_of_order_bytes(), step.held) << step.what;
  }
  EXPECT_EQ(peer.received_text(), chunk('a') + chunk('b') + chunk('c') + chunk('d') + chunk('e') +
                                      std::string(50, 'e') + chunk('f'));
}

TEST(TcpReceive, FinBeyondAGapWaitsForTheGap) {
  ScriptedPeer peer;
  peer.establish_active();
  const std::uint32_t base = peer.peer_next;
  const std::uint32_t iss = peer.connection->initial_sequence();
  peer.take_sent();
  peer.deliver(peer.segment(base + 5, iss + 1, kAck | kFin), "world");
  EXPECT_EQ(peer.connection->state(), TcpState::Established);
  EXPECT_EQ(peer.log.peer_closed, 0);
  EXPECT_EQ(peer.take_sent()[0].header.ack, base);  // duplicate ACK: the gap is first
  peer.deliver(peer.segment(base, iss + 1, kAck), "hello");
  EXPECT_EQ(peer.received_text(), "helloworld");
  EXPECT_EQ(peer.connection->state(), TcpState::CloseWait);
  EXPECT_EQ(peer.log.peer_closed, 1);
  const auto sent = peer.take_sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].header.ack, base + 11);  // ten bytes and the FIN
}

TEST(TcpReceive, AckForDataNeverSentIsAnsweredAndDropped) {
  ScriptedPeer peer;
  peer.establish_active();
  const std::uint32_t iss = peer.connection->initial_sequence();
  peer.take_sent();
  peer.deliver(peer.segment(peer.peer_next, iss + 500, kAck), "data");
  const auto sent = peer.take_sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].header.ack, peer.peer_next);  // the data was not taken
  EXPECT_EQ(peer.received_text(), "");
  EXPECT_EQ(peer.connection->snd_una(), iss + 1);
}

TEST(TcpReset, SequenceChecksPerRfc5961) {
  struct Case {
    const char* what;
    std::int64_t seq_offset;  // from rcv_nxt
    std::uint8_t flags;
    TcpState state_after;
    std::uint8_t reply;  // 0: none
    std::optional<TcpError> error;
  };
  const Case cases[] = {
      {"RST exactly at rcv_nxt resets", 0, kRst, TcpState::Closed, 0, TcpError::Reset},
      {"RST,ACK exactly at rcv_nxt resets", 0, kRst | kAck, TcpState::Closed, 0, TcpError::Reset},
      {"RST inside the window gets a challenge ACK", 100, kRst, TcpState::Established, kAck, {}},
      {"RST beyond the window is ignored", 100'000, kRst, TcpState::Established, 0, {}},
      {"RST before rcv_nxt is ignored", -1, kRst, TcpState::Established, 0, {}},
      {"SYN on an open connection gets a challenge ACK", 0, kSyn, TcpState::Established, kAck, {}},
      {"SYN,ACK on an open connection gets a challenge ACK",
       0,
       kSyn | kAck,
       TcpState::Established,
       kAck,
       {}},
      {"segment without ACK is dropped", 0, kPsh, TcpState::Established, 0, {}},
  };
  for (const Case& c : cases) {
    ScriptedPeer peer;
    peer.establish_active();
    peer.take_sent();
    const std::uint32_t seq = peer.peer_next + static_cast<std::uint32_t>(c.seq_offset);
    peer.deliver(peer.segment(seq, peer.connection->initial_sequence() + 1, c.flags));
    EXPECT_EQ(peer.connection->state(), c.state_after) << c.what;
    EXPECT_EQ(peer.log.error, c.error) << c.what;
    const auto sent = peer.take_sent();
    if (c.reply == 0) {
      EXPECT_TRUE(sent.empty()) << c.what;
    } else {
      ASSERT_EQ(sent.size(), 1u) << c.what;
      EXPECT_EQ(sent[0].header.flags, c.reply) << c.what;
      EXPECT_EQ(sent[0].header.ack, peer.peer_next) << c.what;
    }
  }
}

TEST(TcpReset, RstInTimeWaitEndsItEarly) {
  ScriptedPeer peer;
  peer.establish_active();
  const std::uint32_t iss = peer.connection->initial_sequence();
  peer.connection->close();
  peer.deliver(peer.segment(peer.peer_next, iss + 2, kAck | kFin));
  EXPECT_EQ(peer.connection->state(), TcpState::TimeWait);
  EXPECT_EQ(peer.log.closed, 1);
  peer.deliver(peer.segment(peer.peer_next + 1, 0, kRst));
  EXPECT_EQ(peer.connection->state(), TcpState::Closed);
  EXPECT_FALSE(peer.log.error.has_value());
  EXPECT_TRUE(peer.sim.idle());
}

TEST(TcpPersist, ZeroWindowIsProbedWithBackoffUntilItOpens) {
  ScriptedPeer peer;
  peer.establish_active(7000, 1460, /*window=*/0);
  const std::uint32_t iss = peer.connection->initial_sequence();
  peer.take_sent();
  EXPECT_EQ(peer.connection->send(wire::Bytes(100, 0x61)), 100u);
  EXPECT_TRUE(peer.take_sent().empty());  // the window is closed
  // RTO is 200 ms (a 0 s sample raised to rto_min): probe, then twice as long each time.
  std::vector<TimeNs> probes;
  for (int i = 0; i < 3; ++i) {
    peer.sim.step();
    const auto sent = peer.take_sent();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].header.seq, iss + 1);
    EXPECT_EQ(sent[0].payload.size(), 1u);
    probes.push_back(sent[0].time);
    // The peer still has no room: it answers with the same ACK and a zero window.
    peer.deliver(peer.segment(peer.peer_next, iss + 1, kAck, 0));
    EXPECT_TRUE(peer.take_sent().empty());
  }
  EXPECT_EQ(probes,
            (std::vector<TimeNs>{200 * kMillisecond, 600 * kMillisecond, 1400 * kMillisecond}));
  EXPECT_EQ(peer.connection->retransmissions(), 0u);  // probes are not retransmissions
  // The window opens: everything goes at once.
  peer.deliver(peer.segment(peer.peer_next, iss + 1, kAck, 1000));
  const auto sent = peer.take_sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].header.seq, iss + 1);
  EXPECT_EQ(sent[0].payload.size(), 100u);
  peer.deliver(peer.segment(peer.peer_next, iss + 101, kAck, 1000));
  EXPECT_TRUE(peer.sim.idle());  // no probe and no retransmission timer left
}

TEST(TcpPersist, SilentPeerIsGivenUpOn) {
  ScriptedPeer peer;
  peer.establish_active(7000, 1460, /*window=*/0);
  peer.connection->send(wire::Bytes(10, 1));
  peer.sim.run();
  EXPECT_EQ(peer.log.error, TcpError::TimedOut);
  std::size_t probes = 0;
  for (const Segment& s : peer.sent)
    probes += s.payload.size() == 1 ? 1 : 0;
  EXPECT_EQ(probes, 8u);  // data_retries
  EXPECT_EQ(peer.sent.back().header.flags, kRst | kAck);
}

TEST(TcpRobustness, ArbitrarySegmentsInEveryStateNeverBreakIt) {
  enum class Start { SynSent, SynReceived, Established, FinWait1, CloseWait, TimeWait };
  const Start starts[] = {Start::SynSent,  Start::SynReceived, Start::Established,
                          Start::FinWait1, Start::CloseWait,   Start::TimeWait};
  Rng rng(2024);
  std::uint64_t total_sent = 0;
  for (const Start start : starts) {
    for (int run = 0; run < 20; ++run) {
      ScriptedPeer peer;
      const std::uint32_t iss = peer.connection->initial_sequence();
      switch (start) {
        case Start::SynSent:
          peer.connection->open_active();
          break;
        case Start::SynReceived:
          peer.connection->open_passive(peer.segment(7000, 0, kSyn));
          break;
        default:
          peer.establish_active();
          break;
      }
      peer.connection->send(wire::Bytes(3000, 2));
      if (start == Start::FinWait1) peer.connection->close();
      if (start == Start::CloseWait || start == Start::TimeWait) {
        if (start == Start::TimeWait) peer.connection->close();
        peer.deliver(peer.segment(peer.peer_next, iss + 3002, kAck | kFin));
      }
      wire::Bytes payload(300);
      for (int i = 0; i < 300; ++i) {
        // Sequence and ack numbers near the interesting values, or anywhere.
        const std::uint32_t seq =
            rng.chance(0.7) ? peer.peer_next + static_cast<std::uint32_t>(rng.below(4000)) - 2000
                            : rng.next_u32();
        const std::uint32_t ack = rng.chance(0.7)
                                      ? iss + static_cast<std::uint32_t>(rng.below(4000)) - 1000
                                      : rng.next_u32();
        wire::TcpHeader h = peer.segment(seq, ack, static_cast<std::uint8_t>(rng.below(256)),
                                         static_cast<std::uint16_t>(rng.next_u16()));
        if (rng.chance(0.2)) h.mss = rng.next_u16();
        const std::size_t length = rng.chance(0.5) ? 0 : rng.below(payload.size());
        peer.deliver(h, wire::ByteView(payload).first(length));
        if (rng.chance(0.1)) peer.sim.run_until(peer.sim.now() + rng.below(3 * kSecond));
        const TcpConnection& c = *peer.connection;
        ASSERT_LE(c.bytes_in_flight(), 3002u);
        ASSERT_LE(c.out_of_order_bytes(), c.config().receive_buffer);
        ASSERT_GE(c.effective_mss(), 1);
      }
      peer.sim.run();  // every timer ends: the connection reaches a final state
      EXPECT_TRUE(peer.sim.idle());
      for (const Segment& s : peer.sent)
        ASSERT_LE(s.payload.size(), peer.connection->effective_mss());
      total_sent += peer.sent.size();
    }
  }
  EXPECT_GT(total_sent, 1000u);  // the connection did answer
}

TEST(TcpHooks, OwnerMayDestroyTheConnectionFromFailedOrClosed) {
  struct Case {
    const char* what;
    std::uint8_t final_flags;  // what the peer sends last
  };
  const Case cases[] = {
      {"destroyed inside failed (RST)", kRst},
      {"destroyed inside closed (LAST_ACK acknowledged)", kAck},
  };
  for (const Case& c : cases) {
    Simulator sim(1);
    std::unique_ptr<TcpConnection> connection;
    std::vector<wire::TcpHeader> sent;
    int ended = 0;
    TcpConnection::Hooks hooks;
    hooks.transmit = [&](const wire::TcpHeader& h, wire::ByteView) { sent.push_back(h); };
    hooks.failed = [&](TcpError) {
      ++ended;
      connection.reset();
    };
    hooks.closed = [&] {
      ++ended;
      connection.reset();
    };
    hooks.state_changed = [&](TcpState, TcpState) {};
    connection = std::make_unique<TcpConnection>(sim, TcpConfig{}, kClient, kServer, 1000, hooks);
    wire::TcpHeader h;
    h.src_port = kServer.port;
    h.dst_port = kClient.port;
    connection->open_active();
    h.seq = 7000;
    h.ack = 1001;
    h.flags = kSyn | kAck;
    h.window = 65535;
    connection->on_segment(h, {});
    h.seq = 7001;
    h.flags = kAck | kFin;
    connection->on_segment(h, {});  // CLOSE_WAIT
    connection->close();            // LAST_ACK, FIN sent
    h.seq = 7002;
    h.ack = 1002;
    h.flags = c.final_flags;
    connection->on_segment(h, {});
    EXPECT_EQ(connection, nullptr) << c.what;
    EXPECT_EQ(ended, 1) << c.what;
    sim.run();  // no timer of the destroyed connection may fire
  }
}

TEST(TcpHooks, AbortFromTheDataCallbackStopsEverything) {
  ScriptedPeer peer;
  peer.establish_active();
  peer.take_sent();
  peer.on_data = [&](wire::ByteView) { peer.connection->abort(); };
  peer.deliver(peer.segment(peer.peer_next, peer.connection->initial_sequence() + 1, kAck | kFin),
               "QUIT\r\n");
  EXPECT_EQ(peer.connection->state(), TcpState::Closed);
  EXPECT_EQ(peer.log.peer_closed, 0);  // no callback after abort()
  const auto sent = peer.take_sent();
  ASSERT_EQ(sent.size(), 1u);  // the RST only, no ACK after it
  EXPECT_EQ(sent[0].header.flags, kRst | kAck);
  EXPECT_TRUE(peer.sim.idle());
}

}  // namespace
}  // namespace mailscope::net::testing
