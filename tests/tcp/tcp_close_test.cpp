// Closing connections: from either side, simultaneously, with lost FINs and ACKs, with data
// still queued, half-closed, and a peer that never closes.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tcp/tcp_harness.h"

namespace mailscope::net::testing {
namespace {

using Strings = std::vector<std::string>;
constexpr TimeNs ms = kMillisecond;

Strings lines_from(const TcpPair& pair, std::size_t first) {
  Strings out;
  for (std::size_t i = first; i < pair.segments.size(); ++i) {
    out.push_back(describe(pair.segments[i]));
  }
  return out;
}

TEST(TcpClose, ClientFirstServerLater) {
  TcpPair pair({});
  pair.connect();  // now = 30 ms
  pair.on_peer_closed[1] = [&] { pair.sim.schedule_after(500 * ms, [&] { pair.b().close(); }); };
  const std::size_t first = pair.segments.size();
  pair.a().close();
  pair.sim.run();
  EXPECT_EQ(lines_from(pair, first),
            (Strings{
                "A>B 0.030000s FIN,ACK seq=1001 ack=500001 win=65535 len=0",
                "B>A 0.040000s ACK seq=500001 ack=1002 win=65535 len=0",
                "B>A 0.540000s FIN,ACK seq=500001 ack=1002 win=65535 len=0",
                "A>B 0.550000s ACK seq=1002 ack=500002 win=65535 len=0",
            }));
  EXPECT_EQ(pair.log_of(0).states, (Strings{"CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1",
                                            "FIN_WAIT_2", "TIME_WAIT", "CLOSED"}));
  EXPECT_EQ(pair.log_of(1).states,
            (Strings{"LISTEN", "SYN_RECEIVED", "ESTABLISHED", "CLOSE_WAIT", "LAST_ACK", "CLOSED"}));
  // TIME_WAIT lasts time_wait (2 s) from the moment A acknowledged B's FIN.
  EXPECT_EQ(pair.log_of(0).state_times.back(), 550 * ms + 2 * kSecond);
  EXPECT_EQ(pair.log_of(1).state_times.back(), 560 * ms);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(pair.log_of(i).closed, 1);
    EXPECT_EQ(pair.log_of(i).peer_closed, 1);
    EXPECT_FALSE(pair.log_of(i).error.has_value());
  }
  EXPECT_TRUE(pair.sim.idle());  // no timer left behind
}

TEST(TcpClose, ServerFirstAndClientAnswersAtOnce) {
  // B closes; A closes from peer_closed, so its FIN rides on the ACK of B's FIN.
  TcpPair pair({});
  pair.connect();
  pair.on_peer_closed[0] = [&] { pair.a().close(); };
  const std::size_t first = pair.segments.size();
  pair.b().close();
  pair.sim.run();
  EXPECT_EQ(lines_from(pair, first),
            (Strings{
                "B>A 0.030000s FIN,ACK seq=500001 ack=1001 win=65535 len=0",
                "A>B 0.040000s FIN,ACK seq=1001 ack=500002 win=65535 len=0",
                "B>A 0.050000s ACK seq=500002 ack=1002 win=65535 len=0",
            }));
  EXPECT_EQ(pair.log_of(1).states, (Strings{"LISTEN", "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1",
                                            "FIN_WAIT_2", "TIME_WAIT", "CLOSED"}));
  EXPECT_EQ(pair.log_of(0).states,
            (Strings{"CLOSED", "SYN_SENT", "ESTABLISHED", "CLOSE_WAIT", "LAST_ACK", "CLOSED"}));
}

TEST(TcpClose, SimultaneousClose) {
  TcpPair pair({});
  pair.connect();
  const std::size_t first = pair.segments.size();
  pair.a().close();
  pair.b().close();
  pair.sim.run();
  EXPECT_EQ(lines_from(pair, first),
            (Strings{
                "A>B 0.030000s FIN,ACK seq=1001 ack=500001 win=65535 len=0",
                "B>A 0.030000s FIN,ACK seq=500001 ack=1001 win=65535 len=0",
                "B>A 0.040000s ACK seq=500002 ack=1002 win=65535 len=0",
                "A>B 0.040000s ACK seq=1002 ack=500002 win=65535 len=0",
            }));
  const Strings a_expected{"CLOSED",  "SYN_SENT",  "ESTABLISHED", "FIN_WAIT_1",
                           "CLOSING", "TIME_WAIT", "CLOSED"};
  EXPECT_EQ(pair.log_of(0).states, a_expected);
  const Strings b_expected{"LISTEN",  "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1",
                           "CLOSING", "TIME_WAIT",    "CLOSED"};
  EXPECT_EQ(pair.log_of(1).states, b_expected);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(pair.log_of(i).closed, 1);
    EXPECT_EQ(pair.log_of(i).state_times.back(), 50 * ms + 2 * kSecond);
  }
}

TEST(TcpClose, LostFinIsRetransmittedLikeData) {
  TcpPair pair({});
  pair.connect();
  int fins = 0;
  pair.drop_rule = [&](const Segment& s) { return s.header.has(kFin) && fins++ == 0; };
  pair.on_peer_closed[1] = [&] { pair.b().close(); };
  pair.a().close();
  pair.sim.run();
  EXPECT_EQ(pair.a().retransmissions(), 1u);
  const Segment& again = pair.segments[4];
  EXPECT_EQ(describe(again), "A>B 0.230000s FIN,ACK seq=1001 ack=500001 win=65535 len=0");
  EXPECT_EQ(pair.log_of(0).closed, 1);
  EXPECT_EQ(pair.log_of(1).closed, 1);
  EXPECT_EQ(pair.a().state(), TcpState::Closed);
  EXPECT_EQ(pair.b().state(), TcpState::Closed);
}

TEST(TcpClose, LostLastAckMakesTimeWaitAnswerAgain) {
  TcpPair pair({});
  pair.connect();
  pair.on_peer_closed[1] = [&] { pair.b().close(); };
  int acks_of_b_fin = 0;
  pair.drop_rule = [&](const Segment& s) {
    return s.from == 0 && s.pure_ack() && s.header.ack == 500002 && acks_of_b_fin++ == 0;
  };
  const std::size_t first = pair.segments.size();
  pair.a().close();
  pair.sim.run();
  EXPECT_EQ(lines_from(pair, first),
            (Strings{
                "A>B 0.030000s FIN,ACK seq=1001 ack=500001 win=65535 len=0",
                "B>A 0.040000s FIN,ACK seq=500001 ack=1002 win=65535 len=0",
                "A>B 0.050000s ACK seq=1002 ack=500002 win=65535 len=0 (lost)",
                // B's FIN again after its RTO (B measured 20 ms, so 200 ms); TIME_WAIT re-ACKs.
                "B>A 0.240000s FIN,ACK seq=500001 ack=1002 win=65535 len=0",
                "A>B 0.250000s ACK seq=1002 ack=500002 win=65535 len=0",
            }));
  // The repeated FIN restarted A's TIME_WAIT.
  EXPECT_EQ(pair.log_of(0).state_times.back(), 250 * ms + 2 * kSecond);
  EXPECT_EQ(pair.log_of(0).closed, 1);
  EXPECT_EQ(pair.log_of(1).closed, 1);
}

TEST(TcpClose, FinFollowsQueuedDataOnTheLastSegment) {
  TcpPair pair({});
  pair.connect();
  std::vector<std::string> events;
  pair.on_data[1] = [&](wire::ByteView b) { events.push_back("data " + std::to_string(b.size())); };
  pair.on_peer_closed[1] = [&] {
    events.push_back("peer_closed");
    pair.b().close();
  };
  // 20 full segments and 800 bytes: more than the initial window, so the tail is still queued
  // when close() is called and the FIN rides on the last data segment.
  pair.a().send(wire::Bytes(30'000, 9));
  pair.a().close();
  EXPECT_EQ(pair.a().state(), TcpState::FinWait1);
  EXPECT_EQ(pair.a().send(wire::Bytes(10, 1)), 0u);  // nothing is accepted after close()
  pair.sim.run();
  std::vector<const Segment*> fins;
  for (const Segment& s : pair.segments) {
    if (s.from == 0 && s.header.has(kFin)) fins.push_back(&s);
  }
  ASSERT_EQ(fins.size(), 1u);
  EXPECT_EQ(describe(*fins[0]), "A>B 0.050000s FIN,PSH,ACK seq=30201 ack=500001 win=65535 len=800");
  ASSERT_EQ(events.size(), 22u);
  EXPECT_EQ(events[20], "data 800");
  EXPECT_EQ(events[21], "peer_closed");  // after the last byte
  EXPECT_EQ(pair.log_of(1).received.size(), 30'000u);
  EXPECT_EQ(pair.a().state(), TcpState::Closed);
  EXPECT_EQ(pair.b().state(), TcpState::Closed);
}

TEST(TcpClose, HalfCloseStillDeliversThePeersData) {
  // A is done sending; B still answers with data in CLOSE_WAIT, then closes.
  TcpPair pair({});
  pair.connect();
  pair.on_peer_closed[1] = [&] {
    pair.b().send(wire::as_bytes("221 bye\r\n"));
    pair.sim.schedule_after(100 * ms, [&] {
      pair.b().send(wire::Bytes(5000, 3));
      pair.b().close();
    });
  };
  pair.a().close();
  pair.sim.run();
  EXPECT_EQ(pair.log_of(0).received.size(), 9u + 5000u);
  EXPECT_EQ(pair.log_of(0).states, (Strings{"CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1",
                                            "FIN_WAIT_2", "TIME_WAIT", "CLOSED"}));
  EXPECT_EQ(pair.log_of(0).peer_closed, 1);
}

TEST(TcpClose, FinWait2GivesUpOnAPeerThatNeverCloses) {
  TcpPair pair({});
  pair.connect();
  pair.a().close();
  pair.sim.run();
  EXPECT_EQ(pair.b().state(), TcpState::CloseWait);
  EXPECT_EQ(pair.a().state(), TcpState::Closed);
  EXPECT_EQ(pair.log_of(0).states.back(), "CLOSED");
  EXPECT_EQ(pair.log_of(0).states[pair.log_of(0).states.size() - 2], "FIN_WAIT_2");
  // FIN_WAIT_2 began when B's ACK arrived at 50 ms; fin_wait2_timeout is 60 s.
  EXPECT_EQ(pair.log_of(0).state_times.back(), 50 * ms + 60 * kSecond);
  EXPECT_EQ(pair.log_of(0).closed, 1);
}

TEST(TcpClose, AbortSendsRstAndThePeerIsReset) {
  TcpPair pair({});
  pair.connect();
  pair.a().abort();
  EXPECT_EQ(pair.a().state(), TcpState::Closed);
  EXPECT_FALSE(pair.log_of(0).error.has_value());
  EXPECT_EQ(pair.log_of(0).closed, 0);
  pair.sim.run();
  EXPECT_EQ(describe(pair.segments.back()),
            "A>B 0.030000s RST,ACK seq=1001 ack=500001 win=0 len=0");
  EXPECT_EQ(pair.log_of(1).error, TcpError::Reset);
  EXPECT_EQ(pair.b().state(), TcpState::Closed);
  EXPECT_TRUE(pair.sim.idle());
}

}  // namespace
}  // namespace mailscope::net::testing
