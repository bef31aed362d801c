// Sequence arithmetic, the RFC 6298 estimator and the reassembly store, each on its own.

#include <gtest/gtest.h>

#include <string>

#include "net/tcp_reassembly.h"
#include "net/tcp_rto.h"
#include "net/tcp_seq.h"

namespace mailscope::net {
namespace {

TEST(TcpSeq, ComparesAcrossTheWrap) {
  struct Case {
    std::uint32_t a, b;
    bool lt;
  };
  const Case cases[] = {
      {1, 2, true},                      // plain
      {2, 1, false},                     // plain, reversed
      {5, 5, false},                     // equal is not less
      {0xffffff00u, 0x10u, true},        // b has wrapped past zero
      {0x10u, 0xffffff00u, false},       // a has wrapped past zero
      {0, 0x7fffffffu, true},            // just under half the space ahead
      {0x7fffffffu, 0xfffffffeu, true},  // distance 2^31 - 1
  };
  for (const Case& c : cases) {
    EXPECT_EQ(seq_lt(c.a, c.b), c.lt) << c.a << " < " << c.b;
    EXPECT_EQ(seq_gt(c.b, c.a), c.lt) << c.b << " > " << c.a;
    EXPECT_EQ(seq_le(c.a, c.b), c.lt || c.a == c.b);
  }
  EXPECT_TRUE(seq_in(0xfffffffeu, 0xfffffff0u, 0x10u));  // window straddling the wrap
  EXPECT_FALSE(seq_in(0x10u, 0xfffffff0u, 0x10u));       // end is exclusive
}

TEST(TcpRto, FollowsRfc6298) {
  TcpRto rto(1 * kSecond, 200 * kMillisecond, 60 * kSecond);
  EXPECT_EQ(rto.rto(), 1 * kSecond);  // (2.1) before any sample
  EXPECT_FALSE(rto.has_sample());
  rto.on_sample(100 * kMillisecond);
  // (2.2) SRTT = R, RTTVAR = R/2, RTO = SRTT + 4*RTTVAR = 300 ms.
  EXPECT_EQ(rto.srtt(), 100 * kMillisecond);
  EXPECT_EQ(rto.rttvar(), 50 * kMillisecond);
  EXPECT_EQ(rto.rto(), 300 * kMillisecond);
  rto.on_sample(200 * kMillisecond);
  // (2.3) RTTVAR = 3/4*50 + 1/4*|100-200| = 62.5 ms; SRTT = 7/8*100 + 1/8*200 = 112.5 ms.
  EXPECT_EQ(rto.rttvar(), 62'500'000);
  EXPECT_EQ(rto.srtt(), 112'500'000);
  EXPECT_EQ(rto.rto(), 112'500'000 + 4 * 62'500'000);
}

TEST(TcpRto, ClampsAndBacksOff) {
  TcpRto rto(1 * kSecond, 200 * kMillisecond, 5 * kSecond);
  rto.on_sample(1 * kMillisecond);
  EXPECT_EQ(rto.rto(), 200 * kMillisecond);  // 3 ms raised to the floor
  rto.back_off();
  EXPECT_EQ(rto.rto(), 400 * kMillisecond);
  for (int i = 0; i < 10; ++i)
    rto.back_off();
  EXPECT_EQ(rto.rto(), 5 * kSecond);  // capped
  rto.on_sample(1 * kMillisecond);    // a new sample ends the backoff
  EXPECT_LT(rto.rto(), 5 * kSecond);
  rto.reset_to(3 * kSecond);
  EXPECT_EQ(rto.rto(), 3 * kSecond);
}

std::string text(const wire::Bytes& bytes) {
  return std::string(bytes.begin(), bytes.end());
}

TEST(TcpReassembly, FillsGapsAndNeverStoresTwice) {
  TcpReassembly r(100);
  r.store(5, wire::as_bytes("fghij"));  // after a gap of 5
  r.store(7, wire::as_bytes("hijkl"));  // overlaps the tail: only "kl" is new
  EXPECT_EQ(r.buffered_bytes(), 7u);
  EXPECT_TRUE(r.take_ready().empty());  // the gap is still open
  r.skip(3);                            // "abc" delivered straight from a segment
  r.store(3, wire::as_bytes("de"));
  EXPECT_EQ(text(r.take_ready()), "de");
  EXPECT_EQ(text(r.take_ready()), "fghij");
  EXPECT_EQ(text(r.take_ready()), "kl");
  EXPECT_TRUE(r.take_ready().empty());
  EXPECT_EQ(r.next(), 12u);
  EXPECT_EQ(r.buffered_bytes(), 0u);
}

TEST(TcpReassembly, SkipTrimsStoredRangesAndCapacityBounds) {
  TcpReassembly r(10);
  r.store(2, wire::as_bytes("cdefghijklmnop"));  // only offsets 2..9 fit below next + 10
  EXPECT_EQ(r.buffered_bytes(), 8u);
  r.skip(4);  // delivered 0..3 directly: the stored "cd" is dropped
  EXPECT_EQ(r.buffered_bytes(), 6u);
  EXPECT_EQ(text(r.take_ready()), "efghij");
  r.store(1, wire::as_bytes("xx"));  // entirely old: ignored
  EXPECT_EQ(r.buffered_bytes(), 0u);
  r.store(12, wire::as_bytes("m"));
  r.store(14, wire::as_bytes("o"));
  r.store(11, wire::as_bytes("lmnop"));  // fills around both stored bytes
  EXPECT_EQ(r.ranges(), 5u);             // l, m, n, o, p: nothing is merged
  EXPECT_EQ(r.buffered_bytes(), 5u);
  r.skip(1);
  EXPECT_EQ(text(r.take_ready()), "l");
  EXPECT_EQ(text(r.take_ready()), "m");
  EXPECT_EQ(text(r.take_ready()), "n");
  EXPECT_EQ(text(r.take_ready()), "o");
  EXPECT_EQ(text(r.take_ready()), "p");
}

}  // namespace
}  // namespace mailscope::net
