#include "wire/icmp.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "support.h"
#include "vectors.h"
#include "wire/checksum.h"

namespace mailscope::wire::test {
namespace {

constexpr std::uint8_t kEchoData[] = {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'};

ByteView echo_bytes() {
  return view(kPingFrame, 34, 16);
}
ByteView ttl_exceeded_bytes() {
  return view(kTtlExceededFrame, 34, 36);
}

bool same_bytes(ByteView a, ByteView b) {
  return std::ranges::equal(a, b);
}

TEST(Icmp, ParsesPinnedEchoRequest) {
  const auto message = IcmpMessage::parse(echo_bytes());
  ASSERT_TRUE(message.ok()) << message.error().to_string();
  EXPECT_EQ(message->type, IcmpType::EchoRequest);
  EXPECT_EQ(message->code, 0);
  EXPECT_EQ(message->checksum, 0x6668);
  EXPECT_EQ(message->identifier, 1);
  EXPECT_EQ(message->sequence, 1);
  EXPECT_EQ(message->payload.data(), kPingFrame + 42);
  EXPECT_TRUE(same_bytes(message->payload, kEchoData));
  EXPECT_EQ(message->length(), 16u);
}

TEST(Icmp, ParsesPinnedTimeExceeded) {
  const auto message = IcmpMessage::parse(ttl_exceeded_bytes());
  ASSERT_TRUE(message.ok()) << message.error().to_string();
  EXPECT_EQ(message->type, IcmpType::TimeExceeded);
  EXPECT_EQ(message->code, 0);
  EXPECT_EQ(message->checksum, 0x9748);
  EXPECT_EQ(message->identifier, 0);
  EXPECT_EQ(message->sequence, 0);
  // The quoted IPv4 header (20 bytes) and the first 8 bytes of the TCP header: its addresses,
  // ports and sequence number are the SYN's (its TTL and checksum are not: it arrived with TTL 1).
  EXPECT_EQ(message->payload.data(), kTtlExceededFrame + 42);
  EXPECT_EQ(message->payload.size(), 28u);
  EXPECT_TRUE(same_bytes(message->payload.subspan(12, 16), view(kSynFrame, 26, 16)));
}

TEST(Icmp, EmitsPinnedEchoRequest) {
  IcmpMessage message;
  message.type = IcmpType::EchoRequest;
  message.code = 0;
  message.checksum = 0xbeef;  // ignored: emit computes it
  message.identifier = 1;
  message.sequence = 1;
  message.payload = kEchoData;
  Bytes out(16, 0xaa);
  message.emit(out);
  EXPECT_TRUE(same_bytes(out, echo_bytes()));
}

TEST(Icmp, EmitsInPlaceWhenThePayloadIsAlreadyThere) {
  Bytes out(16, 0);
  std::copy(std::begin(kEchoData), std::end(kEchoData), out.begin() + 8);
  IcmpMessage message;
  message.identifier = 1;
  message.sequence = 1;
  message.payload = ByteView(out).subspan(8);
  message.emit(out);
  EXPECT_TRUE(same_bytes(out, echo_bytes()));
}

TEST(Icmp, OddLengthChecksumPadsWithZero) {
  IcmpMessage message;
  message.type = IcmpType::EchoReply;
  const std::uint8_t data[] = {'x', 'y', 'z'};
  message.payload = data;
  Bytes out(11);
  message.emit(out);
  // Independently: words 0000 0000 0000 0000 7879 7a00 sum to 0xf279; complement 0x0d86.
  EXPECT_EQ(read_u16(out, 2), 0x0d86);
  const auto parsed = IcmpMessage::parse(out);
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  EXPECT_TRUE(same_bytes(parsed->payload, data));
}

TEST(Icmp, TruncatedAtEveryLength) {
  expect_truncations(echo_bytes(),
                     {
                         {1, "icmp.type", 0},
                         {2, "icmp.code", 1},
                         {4, "icmp.checksum", 2},
                         {6, "icmp.identifier", 4},
                         {8, "icmp.sequence", 6},
                     },
                     [](ByteView b) { return IcmpMessage::parse(b); });
}

TEST(Icmp, RejectsBadChecksums) {
  const ByteView ok = echo_bytes();
  expect_malformed(
      {
          {"checksum field changed", with_u16(ok, 2, 0x6669), "icmp.checksum", 2},
          {"type changed without a new checksum", with_byte(ok, 0, 0), "icmp.checksum", 2},
          {"payload byte changed: the checksum covers the data", with_byte(ok, 15, 'H'),
           "icmp.checksum", 2},
          {"last data byte dropped", Bytes(ok.begin(), ok.end() - 1), "icmp.checksum", 2},
      },
      [](ByteView b) { return IcmpMessage::parse(b); });
}

TEST(Icmp, RandomRoundTrips) {
  Rng rng(4);
  for (int i = 0; i < kRoundTrips; ++i) {
    const Bytes data = random_bytes(rng, rng.below(100));
    IcmpMessage message;
    message.type = static_cast<IcmpType>(rng.next_u32());
    message.code = static_cast<std::uint8_t>(rng.next_u32());
    message.identifier = rng.next_u16();
    message.sequence = rng.next_u16();
    message.payload = data;
    Bytes bytes(message.length());
    message.emit(bytes);
    ASSERT_EQ(internet_checksum(bytes), 0);
    const auto parsed = IcmpMessage::parse(bytes);
    ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
    ASSERT_EQ(parsed->type, message.type);
    ASSERT_EQ(parsed->code, message.code);
    ASSERT_EQ(parsed->checksum, read_u16(bytes, 2));
    ASSERT_EQ(parsed->identifier, message.identifier);
    ASSERT_EQ(parsed->sequence, message.sequence);
    ASSERT_TRUE(same_bytes(parsed->payload, data));
    Bytes again(bytes.size());
    parsed->emit(again);
    ASSERT_EQ(again, bytes);
  }
}

}  // namespace
}  // namespace mailscope::wire::test
