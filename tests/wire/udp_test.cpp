#include "wire/udp.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "support.h"
#include "vectors.h"

namespace mailscope::wire::test {
namespace {

constexpr Ipv4Addr kSrc = Ipv4Addr::from_octets(10, 0, 0, 1);
constexpr Ipv4Addr kDst = Ipv4Addr::from_octets(10, 0, 1, 2);

ByteView datagram_bytes() {
  return view(kUdpFrame, 34, 36);
}

// 10.0.0.1:1000 -> 10.0.0.2:2000 with two data bytes chosen so that the computed checksum is 0;
// RFC 768 sends it as 0xffff.
constexpr std::uint8_t kZeroSumDatagram[] = {0x03, 0xe8, 0x07, 0xd0, 0x00,
                                             0x0a, 0xff, 0xff, 0xe0, 0x1f};

TEST(Udp, ParsesPinnedHeader) {
  ByteView payload;
  const auto header = UdpHeader::parse(datagram_bytes(), &payload);
  ASSERT_TRUE(header.ok()) << header.error().to_string();
  EXPECT_EQ(header->src_port, 53000);
  EXPECT_EQ(header->dst_port, 53);
  EXPECT_EQ(header->length, 36);
  EXPECT_EQ(header->checksum, 0xdc0e);
  EXPECT_EQ(payload.data(), kUdpFrame + 42);
  EXPECT_EQ(payload.size(), 28u);
  EXPECT_TRUE(UdpHeader::checksum_ok(datagram_bytes(), kSrc, kDst));
}

TEST(Udp, EmitsPinnedHeader) {
  const ByteView expected = datagram_bytes();
  Bytes out(expected.begin(), expected.end());
  std::fill_n(out.begin(), 8, 0xaa);
  // length and checksum are ignored: emit writes the buffer size and computes the checksum.
  const UdpHeader header{53000, 53, 999, 0x1234};
  header.emit(out, kSrc, kDst);
  EXPECT_TRUE(std::ranges::equal(out, expected));
}

TEST(Udp, ComputedZeroChecksumIsSentAsAllOnes) {
  Bytes out(kZeroSumDatagram, kZeroSumDatagram + sizeof kZeroSumDatagram);
  std::fill_n(out.begin(), 8, 0);
  const UdpHeader header{1000, 2000, 0, 0};
  header.emit(out, kSrc, Ipv4Addr::from_octets(10, 0, 0, 2));
  EXPECT_EQ(read_u16(out, 6), 0xffff);
  EXPECT_TRUE(UdpHeader::checksum_ok(out, kSrc, Ipv4Addr::from_octets(10, 0, 0, 2)));
}

TEST(Udp, ChecksumVerification) {
  const ByteView ok = datagram_bytes();
  struct Case {
    const char* comment;
    Bytes datagram;
    Ipv4Addr src;
    bool expected;
  };
  const Case cases[] = {
      {"as sent", Bytes(ok.begin(), ok.end()), kSrc, true},
      {"zero checksum: none was computed", with_u16(ok, 6, 0), kSrc, true},
      {"zero checksum even with wrong addresses", with_u16(ok, 6, 0),
       Ipv4Addr::from_octets(1, 2, 3, 4), true},
      {"source address differs: the pseudo-header catches it", Bytes(ok.begin(), ok.end()),
       Ipv4Addr::from_octets(10, 0, 0, 3), false},
      {"data byte changed", with_byte(ok, 20, 'X'), kSrc, false},
      {"checksum off by one", with_u16(ok, 6, 0xdc0f), kSrc, false},
      {"length field past the buffer", with_u16(ok, 4, 37), kSrc, false},
      {"only 7 bytes", Bytes(ok.begin(), ok.begin() + 7), kSrc, false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(UdpHeader::checksum_ok(c.datagram, c.src, kDst), c.expected) << c.comment;
  }
}

TEST(Udp, IgnoresBytesAfterTheLengthField) {
  Bytes bytes(kUdpFrame + 34, kUdpFrame + 70);
  bytes.insert(bytes.end(), 4, 0);  // padding after the datagram
  ByteView payload;
  const auto header = UdpHeader::parse(bytes, &payload);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(payload.size(), 28u);
  EXPECT_TRUE(UdpHeader::checksum_ok(bytes, kSrc, kDst));
}

TEST(Udp, TruncatedAtEveryLength) {
  expect_truncations(datagram_bytes(),
                     {
                         {2, "udp.src_port", 0},
                         {4, "udp.dst_port", 2},
                         {6, "udp.length", 4},
                         {8, "udp.checksum", 6},
                     },
                     [](ByteView b) { return UdpHeader::parse(b); });
}

TEST(Udp, RejectsBadLengths) {
  const ByteView ok = datagram_bytes();
  expect_malformed(
      {
          {"length 7: shorter than the header", with_u16(ok, 4, 7), "udp.length", 4},
          {"length 0", with_u16(ok, 4, 0), "udp.length", 4},
          {"length one past the buffer", with_u16(ok, 4, 37), "udp.length", 4},
          {"datagram cut in its data", Bytes(ok.begin(), ok.begin() + 20), "udp.length", 4},
      },
      [](ByteView b) { return UdpHeader::parse(b); });
}

TEST(Udp, HeaderOnlyDatagram) {
  Bytes bytes(8);
  const UdpHeader header{7, 9, 0, 0};
  header.emit(bytes, kSrc, kDst);
  ByteView payload = bytes;
  const auto parsed = UdpHeader::parse(bytes, &payload);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->length, 8);
  EXPECT_TRUE(payload.empty());
}

TEST(Udp, RandomRoundTrips) {
  Rng rng(5);
  for (int i = 0; i < kRoundTrips; ++i) {
    const Ipv4Addr src = random_ip(rng);
    const Ipv4Addr dst = random_ip(rng);
    UdpHeader header{rng.next_u16(), rng.next_u16(), 0, 0};
    Bytes bytes = random_bytes(rng, UdpHeader::kLength + rng.below(200));
    header.emit(bytes, src, dst);
    ASSERT_NE(read_u16(bytes, 6), 0);  // emit always sends a checksum
    ASSERT_TRUE(UdpHeader::checksum_ok(bytes, src, dst));
    const auto parsed = UdpHeader::parse(bytes);
    ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
    header.length = static_cast<std::uint16_t>(bytes.size());
    header.checksum = read_u16(bytes, 6);
    ASSERT_EQ(*parsed, header);
    Bytes again(bytes);
    parsed->emit(again, src, dst);
    ASSERT_EQ(again, bytes);
  }
}

}  // namespace
}  // namespace mailscope::wire::test
