#include "wire/ethernet.h"

#include <gtest/gtest.h>

#include "support.h"
#include "vectors.h"

namespace mailscope::wire::test {
namespace {

const EthernetHeader kSynEthernet{
    MacAddr{{0x02, 0x00, 0x00, 0x00, 0x00, 0x02}},
    MacAddr{{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}},
    EtherType::Ipv4,
};

TEST(Ethernet, ParsesPinnedHeader) {
  ByteView payload;
  const auto header = EthernetHeader::parse(kSynFrame, &payload);
  ASSERT_TRUE(header.ok()) << header.error().to_string();
  EXPECT_EQ(header->dst, kSynEthernet.dst);
  EXPECT_EQ(header->src, kSynEthernet.src);
  EXPECT_EQ(header->ethertype, EtherType::Ipv4);
  EXPECT_EQ(payload.data(), kSynFrame + 14);
  EXPECT_EQ(payload.size(), sizeof kSynFrame - 14);
}

TEST(Ethernet, EmitsPinnedHeader) {
  Bytes out(EthernetHeader::kLength, 0xaa);
  kSynEthernet.emit(out);
  EXPECT_EQ(out, Bytes(kSynFrame, kSynFrame + 14));
}

TEST(Ethernet, KeepsUnknownEtherTypeRaw) {
  const auto header = EthernetHeader::parse(with_u16(kSynFrame, 12, 0x88cc));  // LLDP
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(static_cast<std::uint16_t>(header->ethertype), 0x88cc);
}

TEST(Ethernet, HeaderOnlyFrameHasEmptyPayload) {
  ByteView payload = kSynFrame;
  ASSERT_TRUE(EthernetHeader::parse(view(kSynFrame, 0, 14), &payload).ok());
  EXPECT_TRUE(payload.empty());
}

TEST(Ethernet, TruncatedAtEveryLength) {
  expect_truncations(kSynFrame,
                     {
                         {6, "ethernet.dst", 0},     // destination cut
                         {12, "ethernet.src", 6},    // source cut
                         {14, "ethernet.type", 12},  // EtherType cut
                     },
                     [](ByteView b) { return EthernetHeader::parse(b); });
}

TEST(Ethernet, RandomRoundTrips) {
  Rng rng(1);
  for (int i = 0; i < kRoundTrips; ++i) {
    EthernetHeader header{random_mac(rng), random_mac(rng), static_cast<EtherType>(rng.next_u16())};
    Bytes bytes(EthernetHeader::kLength);
    header.emit(bytes);
    const auto parsed = EthernetHeader::parse(bytes);
    ASSERT_TRUE(parsed.ok());
    ASSERT_EQ(*parsed, header);
    Bytes again(EthernetHeader::kLength);
    parsed->emit(again);
    ASSERT_EQ(again, bytes);
  }
}

}  // namespace
}  // namespace mailscope::wire::test
