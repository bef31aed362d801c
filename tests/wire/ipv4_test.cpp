#include "wire/ipv4.h"

#include <gtest/gtest.h>

#include "support.h"
#include "vectors.h"
#include "wire/checksum.h"

namespace mailscope::wire::test {
namespace {

Ipv4Header syn_ipv4() {
  Ipv4Header h;
  h.header_length = 20;
  h.tos = 0;
  h.total_length = 44;
  h.identification = 0x1c46;
  h.dont_fragment = true;
  h.more_fragments = false;
  h.fragment_offset = 0;
  h.ttl = 64;
  h.protocol = IpProtocol::Tcp;
  h.checksum = 0x0984;
  h.src = Ipv4Addr::from_octets(10, 0, 0, 1);
  h.dst = Ipv4Addr::from_octets(10, 0, 1, 2);
  return h;
}

// The SYN's IPv4 packet followed by the frame's two bytes of Ethernet padding.
ByteView syn_packet_and_padding() {
  return view(kSynFrame, 14, 46);
}

// Rewrites the header checksum of `bytes` so that only the defect under test remains.
Bytes fix_checksum(Bytes bytes) {
  const std::size_t header_length = std::min<std::size_t>((bytes[0] & 0x0f) * 4u, bytes.size());
  write_u16(bytes, 10, 0);
  write_u16(bytes, 10, internet_checksum(ByteView(bytes).first(header_length)));
  return bytes;
}

TEST(Ipv4, ParsesPinnedHeaderAndIgnoresPadding) {
  ByteView payload;
  const auto header = Ipv4Header::parse(syn_packet_and_padding(), &payload);
  ASSERT_TRUE(header.ok()) << header.error().to_string();
  const Ipv4Header expected = syn_ipv4();
  EXPECT_EQ(header->header_length, expected.header_length);
  EXPECT_EQ(header->tos, expected.tos);
  EXPECT_EQ(header->total_length, expected.total_length);
  EXPECT_EQ(header->identification, expected.identification);
  EXPECT_EQ(header->dont_fragment, expected.dont_fragment);
  EXPECT_EQ(header->more_fragments, expected.more_fragments);
  EXPECT_EQ(header->fragment_offset, expected.fragment_offset);
  EXPECT_EQ(header->ttl, expected.ttl);
  EXPECT_EQ(header->protocol, expected.protocol);
  EXPECT_EQ(header->checksum, expected.checksum);
  EXPECT_EQ(header->src, expected.src);
  EXPECT_EQ(header->dst, expected.dst);
  EXPECT_EQ(*header, expected);
  // The payload is the 24-byte TCP header; the 2 padding bytes belong to no layer.
  EXPECT_EQ(payload.data(), kSynFrame + 34);
  EXPECT_EQ(payload.size(), 24u);
}

TEST(Ipv4, EmitsPinnedHeader) {
  Ipv4Header header = syn_ipv4();
  header.checksum = 0xdead;   // ignored: emit computes it
  header.header_length = 36;  // ignored: emit always writes 20 bytes
  Bytes out(24, 0xaa);
  header.emit(out);
  EXPECT_EQ(Bytes(out.begin(), out.begin() + 20), Bytes(kSynFrame + 14, kSynFrame + 34));
  EXPECT_EQ(Bytes(out.begin() + 20, out.end()), Bytes(4, 0xaa));  // nothing past the header
}

TEST(Ipv4, EmitsFragmentFlagsAndOffset) {
  Ipv4Header header = syn_ipv4();
  header.dont_fragment = false;
  header.more_fragments = true;
  header.fragment_offset = 185;  // 1480 bytes
  Bytes out(20);
  header.emit(out);
  EXPECT_EQ(out[6], 0x20);
  EXPECT_EQ(out[7], 0xb9);
  EXPECT_EQ(internet_checksum(out), 0);
}

TEST(Ipv4, ParsesFragmentFieldsAndIgnoresReservedBit) {
  // Reserved bit + MF + offset 185.
  const auto header =
      Ipv4Header::parse(fix_checksum(with_u16(syn_packet_and_padding(), 6, 0xa0b9)));
  ASSERT_TRUE(header.ok()) << header.error().to_string();
  EXPECT_FALSE(header->dont_fragment);
  EXPECT_TRUE(header->more_fragments);
  EXPECT_EQ(header->fragment_offset, 185);
}

TEST(Ipv4, SkipsOptions) {
  // IHL 6: four option bytes (three NOPs and EOL) between the fixed header and the payload.
  Bytes packet(kSynFrame + 14, kSynFrame + 34);
  packet[0] = 0x46;
  packet.insert(packet.end(), {0x01, 0x01, 0x01, 0x00});
  packet.insert(packet.end(), kSynFrame + 34, kSynFrame + 58);
  write_u16(packet, 2, 48);
  packet = fix_checksum(packet);
  ByteView payload;
  const auto header = Ipv4Header::parse(packet, &payload);
  ASSERT_TRUE(header.ok()) << header.error().to_string();
  EXPECT_EQ(header->header_length, 24);
  EXPECT_EQ(payload.data(), packet.data() + 24);
  EXPECT_EQ(payload.size(), 24u);
}

TEST(Ipv4, TruncatedAtEveryLength) {
  expect_truncations(syn_packet_and_padding(),
                     {
                         {1, "ipv4.version", 0},         // nothing at all
                         {2, "ipv4.tos", 1},             // version/IHL only
                         {4, "ipv4.total_length", 2},    //
                         {6, "ipv4.identification", 4},  //
                         {8, "ipv4.flags", 6},           // flags and fragment offset
                         {9, "ipv4.ttl", 8},             //
                         {10, "ipv4.protocol", 9},       //
                         {12, "ipv4.checksum", 10},      //
                         {16, "ipv4.src", 12},           //
                         {20, "ipv4.dst", 16},           // fixed header one byte short
                     },
                     [](ByteView b) { return Ipv4Header::parse(b); });
}

TEST(Ipv4, TruncatedPayloadIsABadTotalLength) {
  // 20..43 bytes: the header is complete but total_length (44) promises more.
  for (std::size_t length = 20; length < 44; ++length) {
    const auto header = Ipv4Header::parse(syn_packet_and_padding().first(length));
    ASSERT_FALSE(header.ok());
    EXPECT_EQ(header.error().where, "ipv4.total_length");
    EXPECT_EQ(header.error().offset, 2u);
  }
}

TEST(Ipv4, RejectsMalformedHeaders) {
  const ByteView ok = syn_packet_and_padding();
  Bytes bad_checksum(ok.begin(), ok.end());
  bad_checksum[11] ^= 0x01;
  Bytes bad_option = fix_checksum(with_byte(with_u16(ok, 2, 44), 0, 0x46));
  bad_option[20] ^= 0x40;  // corrupted after the checksum was computed, inside the option area
  expect_malformed(
      {
          {"version 6", fix_checksum(with_byte(ok, 0, 0x65)), "ipv4.version", 0},
          {"version 0", fix_checksum(with_byte(ok, 0, 0x05)), "ipv4.version", 0},
          {"IHL 4 (header shorter than 20 bytes)", fix_checksum(with_byte(ok, 0, 0x44)), "ipv4.ihl",
           0},
          {"IHL 0", fix_checksum(with_byte(ok, 0, 0x40)), "ipv4.ihl", 0},
          {"IHL 15: 60-byte header in 46 bytes", with_byte(ok, 0, 0x4f), "ipv4.ihl", 0},
          {"total length shorter than the header", fix_checksum(with_u16(ok, 2, 19)),
           "ipv4.total_length", 2},
          {"total length zero", fix_checksum(with_u16(ok, 2, 0)), "ipv4.total_length", 2},
          {"total length 22 below a 24-byte header (IHL 6)",
           fix_checksum(with_u16(with_byte(ok, 0, 0x46), 2, 22)), "ipv4.total_length", 2},
          {"total length one past the buffer", fix_checksum(with_u16(ok, 2, 47)),
           "ipv4.total_length", 2},
          {"total length 65535", fix_checksum(with_u16(ok, 2, 0xffff)), "ipv4.total_length", 2},
          {"one bit of the checksum flipped", bad_checksum, "ipv4.checksum", 10},
          {"TTL changed without updating the checksum", with_byte(ok, 8, 63), "ipv4.checksum", 10},
          {"option byte corrupted: the checksum covers options", bad_option, "ipv4.checksum", 10},
      },
      [](ByteView b) { return Ipv4Header::parse(b); });
}

TEST(Ipv4, RandomRoundTrips) {
  Rng rng(3);
  for (int i = 0; i < kRoundTrips; ++i) {
    Ipv4Header header;
    header.tos = static_cast<std::uint8_t>(rng.next_u32());
    header.total_length = static_cast<std::uint16_t>(20 + rng.below(200));
    header.identification = rng.next_u16();
    header.dont_fragment = rng.chance(0.5);
    header.more_fragments = rng.chance(0.5);
    header.fragment_offset = static_cast<std::uint16_t>(rng.below(0x2000));
    header.ttl = static_cast<std::uint8_t>(rng.next_u32());
    header.protocol = static_cast<IpProtocol>(rng.next_u32());
    header.src = random_ip(rng);
    header.dst = random_ip(rng);
    // The packet plus up to 10 bytes of padding after it.
    Bytes bytes = random_bytes(rng, header.total_length + rng.below(11));
    header.emit(bytes);
    ASSERT_EQ(internet_checksum(ByteView(bytes).first(20)), 0);
    ByteView payload;
    const auto parsed = Ipv4Header::parse(bytes, &payload);
    ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
    header.checksum = read_u16(bytes, 10);
    ASSERT_EQ(*parsed, header);
    ASSERT_EQ(payload.data(), bytes.data() + 20);
    ASSERT_EQ(payload.size(), header.total_length - 20u);
    Bytes again(bytes);
    parsed->emit(again);
    ASSERT_EQ(again, bytes);
  }
}

}  // namespace
}  // namespace mailscope::wire::test
