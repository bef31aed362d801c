// Opening connections: the three-way handshake, MSS negotiation, refused and timed-out SYNs,
// and answers to segments that do not fit the handshake.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tcp/tcp_harness.h"

namespace mailscope::net::testing {
namespace {

using Strings = std::vector<std::string>;

TEST(TcpHandshake, ThreeSegmentsAndStates) {
  TcpPair pair({});
  pair.connect();
  ASSERT_EQ(pair.segments.size(), 3u);
  const Segment& syn = pair.segments[0];
  const Segment& syn_ack = pair.segments[1];
  const Segment& ack = pair.segments[2];
  EXPECT_EQ(describe(syn), "A>B 0.000000s SYN seq=1000 ack=0 win=65535 mss=1460 len=0");
  EXPECT_EQ(describe(syn_ack),
            "B>A 0.010000s SYN,ACK seq=500000 ack=1001 win=65535 mss=1460 len=0");
  EXPECT_EQ(describe(ack), "A>B 0.020000s ACK seq=1001 ack=500001 win=65535 len=0");
  EXPECT_EQ(syn.header.src_port, kClient.port);
  EXPECT_EQ(syn.header.dst_port, kServer.port);
  EXPECT_EQ(pair.log_of(0).states, (Strings{"CLOSED", "SYN_SENT", "ESTABLISHED"}));
  EXPECT_EQ(pair.log_of(1).states, (Strings{"LISTEN", "SYN_RECEIVED", "ESTABLISHED"}));
  EXPECT_EQ(pair.log_of(0).connected, 1);
  EXPECT_EQ(pair.log_of(1).connected, 1);
  EXPECT_EQ(pair.log_of(0).state_times, (std::vector<TimeNs>{0, 20 * kMillisecond}));
  EXPECT_EQ(pair.log_of(1).state_times,
            (std::vector<TimeNs>{10 * kMillisecond, 30 * kMillisecond}));
  // Both sides measured one 20 ms round trip; RTO = 20 + 4 * 10 = 60 ms, raised to rto_min.
  EXPECT_EQ(pair.a().srtt(), 20 * kMillisecond);
  EXPECT_EQ(pair.b().srtt(), 20 * kMillisecond);
  EXPECT_EQ(pair.a().rto(), 200 * kMillisecond);
  EXPECT_EQ(pair.a().cwnd(), 10u * 1460);  // RFC 6928 initial window
}

TEST(TcpHandshake, EffectiveMssIsTheSmallerOne) {
  struct Case {
    std::uint16_t a_mss, b_mss, expected;
  };
  const Case cases[] = {
      {1460, 1460, 1460},  // equal
      {1460, 536, 536},    // server smaller
      {1200, 1460, 1200},  // client smaller
  };
  for (const Case& c : cases) {
    TcpPair::Options options;
    options.a_config.mss = c.a_mss;
    options.b_config.mss = c.b_mss;
    TcpPair pair(options);
    pair.connect();
    EXPECT_EQ(pair.a().effective_mss(), c.expected);
    EXPECT_EQ(pair.b().effective_mss(), c.expected);
    // Segments never exceed it, in either direction.
    const wire::Bytes block(10'000, 0x5a);
    pair.a().send(block);
    pair.b().send(block);
    pair.sim.run();
    EXPECT_EQ(pair.log_of(0).received.size(), block.size());
    EXPECT_EQ(pair.log_of(1).received.size(), block.size());
    std::size_t full = 0;
    for (const Segment& s : pair.segments) {
      EXPECT_LE(s.payload.size(), c.expected) << describe(s);
      full += s.payload.size() == c.expected ? 1 : 0;
    }
    EXPECT_EQ(full, 2 * (block.size() / c.expected));
  }
}

TEST(TcpHandshake, PeerWithoutMssOptionGets536) {
  ScriptedPeer peer;
  peer.establish_active(7000, std::nullopt);
  EXPECT_EQ(peer.connection->effective_mss(), 536);
  peer.connection->send(wire::Bytes(2000, 1));
  const auto sent = peer.take_sent();
  ASSERT_EQ(sent.size(), 2u + 4u);  // SYN, ACK, then 536 + 536 + 536 + 392
  EXPECT_EQ(sent[2].payload.size(), 536u);
  EXPECT_EQ(sent[5].payload.size(), 392u);
  EXPECT_EQ(sent[5].header.flags, kAck | kPsh);  // the last one empties the queue
}

TEST(TcpHandshake, TinyPeerMssIsRaisedToTheFloor) {
  ScriptedPeer peer;
  peer.establish_active(7000, std::uint16_t{0});  // a broken peer advertising 0
  EXPECT_EQ(peer.connection->effective_mss(), TcpConnection::kMinPeerMss);
}

TEST(TcpHandshake, RstToSynIsRefused) {
  ScriptedPeer peer;
  peer.connection->open_active();
  const std::uint32_t iss = peer.connection->initial_sequence();
  peer.deliver(peer.segment(0, iss + 1, kRst | kAck, 0));
  EXPECT_EQ(peer.connection->state(), TcpState::Closed);
  ASSERT_TRUE(peer.log.error.has_value());
  EXPECT_EQ(*peer.log.error, TcpError::Refused);
  EXPECT_EQ(to_string(*peer.log.error), "connection refused");
  EXPECT_EQ(peer.log.states, (Strings{"CLOSED", "SYN_SENT", "CLOSED"}));
  EXPECT_EQ(peer.take_sent().size(), 1u);  // only the SYN; nothing answers a RST
  EXPECT_TRUE(peer.sim.idle());            // the SYN timer is gone
}

TEST(TcpHandshake, AbortInSynReceivedResetsTheClient) {
  // B gives up right after its SYN-ACK: A is ESTABLISHED when B's RST,ACK arrives.
  TcpPair pair({});
  pair.a().open_active();
  pair.sim.step();  // deliver the SYN: B is SYN_RECEIVED and sent SYN-ACK
  pair.b().abort();
  pair.sim.run();
  ASSERT_EQ(pair.segments.size(), 4u);
  EXPECT_EQ(describe(pair.segments[2]), "B>A 0.010000s RST,ACK seq=500001 ack=1001 win=0 len=0");
  EXPECT_EQ(pair.log_of(0).error, TcpError::Reset);
  EXPECT_EQ(pair.log_of(1).states, (Strings{"LISTEN", "SYN_RECEIVED", "CLOSED"}));
  EXPECT_FALSE(pair.log_of(1).error.has_value());  // abort() reports nothing to its caller
}

TEST(TcpHandshake, SynSentIgnoresWhatCannotBeOurs) {
  struct Case {
    const char* what;
    std::uint32_t ack_offset;  // relative to ISS
    std::uint8_t flags;
    std::uint8_t reply_flags;  // 0: no reply
  };
  const Case cases[] = {
      {"RST without ACK cannot be matched to our SYN", 0, kRst, 0},
      {"RST acking the wrong number is dropped", 5, kRst | kAck, 0},
      {"SYN-ACK acking the wrong number gets a RST", 5, kSyn | kAck, kRst},
      {"SYN-ACK acking our ISS itself gets a RST", 0, kSyn | kAck, kRst},
      {"plain ACK of our SYN without SYN is dropped", 1, kAck, 0},
  };
  for (const Case& c : cases) {
    ScriptedPeer peer;
    peer.connection->open_active();
    peer.take_sent();
    const std::uint32_t iss = peer.connection->initial_sequence();
    peer.deliver(peer.segment(7000, iss + c.ack_offset, c.flags));
    EXPECT_EQ(peer.connection->state(), TcpState::SynSent) << c.what;
    EXPECT_FALSE(peer.log.error.has_value()) << c.what;
    const auto sent = peer.take_sent();
    if (c.reply_flags == 0) {
      EXPECT_TRUE(sent.empty()) << c.what;
    } else {
      ASSERT_EQ(sent.size(), 1u) << c.what;
      EXPECT_EQ(sent[0].header.flags, c.reply_flags) << c.what;
      EXPECT_EQ(sent[0].header.seq, iss + c.ack_offset) << c.what;  // <SEQ=SEG.ACK><CTL=RST>
    }
  }
}

TEST(TcpHandshake, SynRetriesDoubleThenTimeOut) {
  TcpPair pair({});
  pair.partitioned = true;
  pair.a().open_active();
  pair.sim.run();
  std::vector<TimeNs> syn_times;
  for (const Segment& s : pair.segments) {
    EXPECT_EQ(s.header.flags, kSyn);
    EXPECT_EQ(s.header.seq, 1000u);
    syn_times.push_back(s.time);
  }
  // The first SYN and syn_retries = 5 retransmissions, 1 s apart and doubling.
  EXPECT_EQ(syn_times, (std::vector<TimeNs>{0, 1 * kSecond, 3 * kSecond, 7 * kSecond, 15 * kSecond,
                                            31 * kSecond}));
  EXPECT_EQ(pair.log_of(0).error, TcpError::TimedOut);
  EXPECT_EQ(pair.log_of(0).error_time, 63 * kSecond);  // the sixth timeout gives up
  EXPECT_EQ(pair.log_of(0).retransmitted, 5);
  EXPECT_EQ(pair.a().state(), TcpState::Closed);
}

TEST(TcpHandshake, LostSynAckIsAnsweredWhenTheSynRepeats) {
  TcpPair::Options options;
  options.b_config.rto_initial = 3 * kSecond;  // B's own timer must not be the one that helps
  TcpPair pair(options);
  int synacks = 0;
  pair.drop_rule = [&](const Segment& s) { return s.is(kSyn | kAck) && synacks++ == 0; };
  pair.connect();
  pair.sim.run();
  EXPECT_EQ(pair.a().state(), TcpState::Established);
  // SYN (0 s), SYN-ACK lost (10 ms), SYN again (1 s), SYN-ACK again at once, ACK.
  ASSERT_EQ(pair.segments.size(), 5u);
  EXPECT_EQ(pair.segments[2].time, 1 * kSecond);
  EXPECT_EQ(pair.segments[3].time, 1 * kSecond + 10 * kMillisecond);
  EXPECT_EQ(pair.segments[3].header.flags, kSyn | kAck);
  // RFC 5681 3.1: a repeated SYN means the connection starts with one segment, and RFC 6298
  // 5.7: with no clean sample the RTO restarts at 3 s.
  EXPECT_EQ(pair.a().cwnd(), 1460u);
  EXPECT_EQ(pair.a().rto(), 3 * kSecond);
}

TEST(TcpHandshake, SimultaneousOpen) {
  ScriptedPeer peer;
  peer.connection->open_active();
  const std::uint32_t iss = peer.connection->initial_sequence();
  wire::TcpHeader syn = peer.segment(7000, 0, kSyn);
  syn.mss = 1000;
  peer.deliver(syn);
  EXPECT_EQ(peer.connection->state(), TcpState::SynReceived);
  auto sent = peer.take_sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(describe(sent[1]), "A>B 0.000000s SYN,ACK seq=1000 ack=7001 win=65535 mss=1460 len=0");
  peer.deliver(peer.segment(7001, iss + 1, kAck));
  EXPECT_EQ(peer.connection->state(), TcpState::Established);
  EXPECT_EQ(peer.connection->effective_mss(), 1000);
  EXPECT_EQ(peer.log.states, (Strings{"CLOSED", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED"}));
}

TEST(TcpHandshake, BadAckInSynReceivedGetsRst) {
  ScriptedPeer peer;
  wire::TcpHeader syn = peer.segment(7000, 0, kSyn);
  peer.connection->open_passive(syn);
  EXPECT_EQ(peer.connection->state(), TcpState::SynReceived);
  peer.take_sent();
  peer.deliver(peer.segment(7001, 4242, kAck));
  const auto sent = peer.take_sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].header.flags, kRst);
  EXPECT_EQ(sent[0].header.seq, 4242u);
  EXPECT_EQ(peer.connection->state(), TcpState::SynReceived);
}

TEST(TcpHandshake, CloseDuringSynSentGivesUpQuietly) {
  ScriptedPeer peer;
  peer.connection->open_active();
  peer.connection->close();
  EXPECT_EQ(peer.connection->state(), TcpState::Closed);
  EXPECT_EQ(peer.log.closed, 1);
  EXPECT_TRUE(peer.sim.idle());
}

}  // namespace
}  // namespace mailscope::net::testing
