#include "wire/arp.h"

#include <gtest/gtest.h>

#include "support.h"
#include "vectors.h"

namespace mailscope::wire::test {
namespace {

constexpr MacAddr kMac1{{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}};
constexpr MacAddr kMac2{{0x02, 0x00, 0x00, 0x00, 0x00, 0x02}};
constexpr Ipv4Addr kIp1 = Ipv4Addr::from_octets(10, 0, 0, 1);
constexpr Ipv4Addr kIp2 = Ipv4Addr::from_octets(10, 0, 0, 2);

const ArpPacket kRequest{ArpOperation::Request, kMac2, kIp2, MacAddr{}, kIp1};
const ArpPacket kReply{ArpOperation::Reply, kMac1, kIp1, kMac2, kIp2};

ByteView request_bytes() {
  return view(kArpRequestFrame, 14, ArpPacket::kLength);
}

TEST(Arp, ParsesPinnedRequestAndReply) {
  const auto request = ArpPacket::parse(request_bytes());
  ASSERT_TRUE(request.ok()) << request.error().to_string();
  EXPECT_EQ(request->operation, ArpOperation::Request);
  EXPECT_EQ(request->sender_mac, kMac2);
  EXPECT_EQ(request->sender_ip, kIp2);
  EXPECT_EQ(request->target_mac, MacAddr{});
  EXPECT_EQ(request->target_ip, kIp1);
  EXPECT_EQ(*request, kRequest);

  const auto reply = ArpPacket::parse(view(kArpReplyFrame, 14, ArpPacket::kLength));
  ASSERT_TRUE(reply.ok()) << reply.error().to_string();
  EXPECT_EQ(*reply, kReply);
}

TEST(Arp, EmitsPinnedRequestAndReply) {
  Bytes out(ArpPacket::kLength, 0xaa);
  kRequest.emit(out);
  const ByteView expected_request = request_bytes();
  EXPECT_EQ(out, Bytes(expected_request.begin(), expected_request.end()));
  kReply.emit(out);
  const ByteView expected_reply = view(kArpReplyFrame, 14, ArpPacket::kLength);
  EXPECT_EQ(out, Bytes(expected_reply.begin(), expected_reply.end()));
}

TEST(Arp, IgnoresBytesAfterThePacket) {
  // The frame's padding follows the 28 ARP bytes.
  const auto request = ArpPacket::parse(view(kArpRequestFrame, 14, 46));
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(*request, kRequest);
}

TEST(Arp, KeepsUnknownOperationRaw) {
  const auto packet = ArpPacket::parse(with_u16(request_bytes(), 6, 3));  // RARP request
  ASSERT_TRUE(packet.ok());
  EXPECT_EQ(static_cast<std::uint16_t>(packet->operation), 3);
}

TEST(Arp, TruncatedAtEveryLength) {
  expect_truncations(request_bytes(),
                     {
                         {2, "arp.hardware_type", 0},
                         {4, "arp.protocol_type", 2},
                         {5, "arp.hardware_length", 4},
                         {6, "arp.protocol_length", 5},
                         {8, "arp.operation", 6},
                         {14, "arp.sender_mac", 8},
                         {18, "arp.sender_ip", 14},
                         {24, "arp.target_mac", 18},
                         {28, "arp.target_ip", 24},
                     },
                     [](ByteView b) { return ArpPacket::parse(b); });
}

TEST(Arp, RejectsOtherHardwareAndProtocols) {
  const ByteView ok = request_bytes();
  expect_malformed(
      {
          {"hardware type 6 (IEEE 802)", with_u16(ok, 0, 6), "arp.hardware_type", 0},
          {"protocol type IPv6", with_u16(ok, 2, 0x86dd), "arp.protocol_type", 2},
          {"hardware length 8", with_byte(ok, 4, 8), "arp.hardware_length", 4},
          {"protocol length 16", with_byte(ok, 5, 16), "arp.protocol_length", 5},
      },
      [](ByteView b) { return ArpPacket::parse(b); });
}

TEST(Arp, RandomRoundTrips) {
  Rng rng(2);
  for (int i = 0; i < kRoundTrips; ++i) {
    const ArpPacket packet{static_cast<ArpOperation>(rng.next_u16()), random_mac(rng),
                           random_ip(rng), random_mac(rng), random_ip(rng)};
    Bytes bytes(ArpPacket::kLength);
    packet.emit(bytes);
    const auto parsed = ArpPacket::parse(bytes);
    ASSERT_TRUE(parsed.ok());
    ASSERT_EQ(*parsed, packet);
    Bytes again(ArpPacket::kLength);
    parsed->emit(again);
    ASSERT_EQ(again, bytes);
  }
}

}  // namespace
}  // namespace mailscope::wire::test
