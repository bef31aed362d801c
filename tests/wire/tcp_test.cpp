#include "wire/tcp.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "support.h"
#include "vectors.h"

namespace mailscope::wire::test {
namespace {

constexpr Ipv4Addr kClient = Ipv4Addr::from_octets(10, 0, 0, 1);
constexpr Ipv4Addr kServer = Ipv4Addr::from_octets(10, 0, 1, 2);

ByteView syn_bytes() {
  return view(kSynFrame, 34, 24);
}
ByteView banner_bytes() {
  return view(kBannerFrame, 34, 48);
}

TcpHeader syn_header() {
  TcpHeader h;
  h.src_port = 49152;
  h.dst_port = 25;
  h.seq = 0xdeadbeef;
  h.ack = 0;
  h.flags = tcp_flags::kSyn;
  h.window = 65535;
  h.checksum = 0x256d;
  h.urgent = 0;
  h.mss = 1460;
  return h;
}

TcpHeader banner_header() {
  TcpHeader h;
  h.src_port = 25;
  h.dst_port = 49152;
  h.seq = 1000;
  h.ack = 0xdeadbef0;
  h.flags = tcp_flags::kPsh | tcp_flags::kAck;
  h.window = 65535;
  h.checksum = 0x0c94;
  return h;
}

// A 20-byte fixed header (the banner's) followed by `options`, with the data offset set to
// cover them; `options` must be a multiple of 4 bytes.
Bytes with_options(std::initializer_list<std::uint8_t> options) {
  // Sized up front: growing a 20-byte vector by insert() trips a GCC 12 -O2 -Warray-bounds
  // false positive.
  Bytes bytes(20 + options.size());
  std::copy(kBannerFrame + 34, kBannerFrame + 54, bytes.begin());
  std::copy(options.begin(), options.end(), bytes.begin() + 20);
  bytes[12] = static_cast<std::uint8_t>((bytes.size() / 4) << 4);
  return bytes;
}

TEST(Tcp, ParsesPinnedSynWithMss) {
  ByteView payload = syn_bytes();
  const auto header = TcpHeader::parse(syn_bytes(), &payload);
  ASSERT_TRUE(header.ok()) << header.error().to_string();
  const TcpHeader expected = syn_header();
  EXPECT_EQ(header->src_port, expected.src_port);
  EXPECT_EQ(header->dst_port, expected.dst_port);
  EXPECT_EQ(header->seq, expected.seq);
  EXPECT_EQ(header->ack, expected.ack);
  EXPECT_EQ(header->flags, expected.flags);
  EXPECT_EQ(header->window, expected.window);
  EXPECT_EQ(header->checksum, expected.checksum);
  EXPECT_EQ(header->urgent, expected.urgent);
  EXPECT_EQ(header->mss, expected.mss);
  EXPECT_EQ(*header, expected);
  EXPECT_EQ(header->header_length(), 24u);
  EXPECT_TRUE(payload.empty());
  EXPECT_TRUE(TcpHeader::checksum_ok(syn_bytes(), kClient, kServer));
}

TEST(Tcp, ParsesPinnedDataSegment) {
  ByteView payload;
  const auto header = TcpHeader::parse(banner_bytes(), &payload);
  ASSERT_TRUE(header.ok()) << header.error().to_string();
  EXPECT_EQ(*header, banner_header());
  EXPECT_FALSE(header->mss.has_value());
  EXPECT_EQ(payload.data(), kBannerFrame + 54);
  EXPECT_EQ(payload.size(), 28u);
  EXPECT_TRUE(TcpHeader::checksum_ok(banner_bytes(), kServer, kClient));
}

TEST(Tcp, EmitsPinnedSegments) {
  Bytes syn(24, 0xaa);
  TcpHeader header = syn_header();
  header.checksum = 0;  // ignored: emit computes it
  header.emit(syn, kClient, kServer);
  EXPECT_TRUE(std::ranges::equal(syn, syn_bytes()));

  const ByteView banner = banner_bytes();
  Bytes data(banner.begin(), banner.end());
  std::fill_n(data.begin(), 20, 0xaa);  // the payload is already in place after the header
  banner_header().emit(data, kServer, kClient);
  EXPECT_TRUE(std::ranges::equal(data, banner));
}

TEST(Tcp, ChecksumVerification) {
  struct Case {
    const char* comment;
    Bytes segment;
    Ipv4Addr src;
    bool expected;
  };
  const ByteView ok = banner_bytes();
  const Case cases[] = {
      {"as sent", Bytes(ok.begin(), ok.end()), kServer, true},
      {"wrong source address (pseudo-header)", Bytes(ok.begin(), ok.end()), kClient, false},
      {"payload byte changed", with_byte(ok, 47, '!'), kServer, false},
      {"last payload byte dropped", Bytes(ok.begin(), ok.end() - 1), kServer, false},
      {"zero is not 'no checksum' in TCP", with_u16(ok, 16, 0), kServer, false},
      {"shorter than a header", Bytes(ok.begin(), ok.begin() + 19), kServer, false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(TcpHeader::checksum_ok(c.segment, c.src, kClient), c.expected) << c.comment;
  }
}

TEST(Tcp, FlagsAsTsharkPrintsThem) {
  const std::pair<std::uint8_t, const char*> cases[] = {
      {0x00, "<None>"},
      {0x02, "SYN"},
      {0x12, "SYN, ACK"},
      {0x10, "ACK"},
      {0x11, "FIN, ACK"},
      {0x18, "PSH, ACK"},
      {0x14, "RST, ACK"},
      {0x04, "RST"},
      {0xc2, "SYN, ECE, CWR"},  // ECN-setup SYN (RFC 3168)
      {0xff, "FIN, SYN, RST, PSH, ACK, URG, ECE, CWR"},
  };
  for (const auto& [flags, text] : cases)
    EXPECT_EQ(tcp_flags_to_string(flags), text);
}

TEST(Tcp, OptionsAreSkippedOrRead) {
  struct Case {
    const char* comment;
    Bytes segment;
    std::optional<std::uint16_t> mss;
  };
  const Case cases[] = {
      {"NOP NOP MSS 536", with_options({1, 1, 2, 4, 0x02, 0x18, 0, 0}), 536},
      {"window scale (3 bytes) then NOP: skipped", with_options({3, 3, 7, 1}), std::nullopt},
      {"SACK permitted and timestamps skipped, MSS after them",
       with_options({4, 2, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8, 2, 4, 0x05, 0xb4}), 1460},
      {"EOL: the garbage after it is not read", with_options({0, 0xff, 0x00, 0x01}), std::nullopt},
      {"MSS then EOL padding", with_options({2, 4, 0x05, 0xb4, 0, 0, 0, 0}), 1460},
      {"unknown kind 253 (experimental) with length 4", with_options({253, 4, 0xab, 0xcd}),
       std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.comment);
    // Options whose total is not a multiple of 4 get EOL padding.
    Bytes segment = c.segment;
    while (segment.size() % 4 != 0)
      segment.push_back(0);
    segment[12] = static_cast<std::uint8_t>((segment.size() / 4) << 4);
    ByteView payload = segment;
    const auto header = TcpHeader::parse(segment, &payload);
    ASSERT_TRUE(header.ok()) << header.error().to_string();
    EXPECT_EQ(header->mss, c.mss);
    EXPECT_TRUE(payload.empty());
  }
}

TEST(Tcp, OptionWalkReportsEachOption) {
  const Bytes segment = with_options({1, 1, 2, 4, 0x05, 0xb4, 0, 0});
  const auto options = parse_tcp_options(segment);
  ASSERT_TRUE(options.ok()) << options.error().to_string();
  ASSERT_EQ(options->size(), 4u);  // NOP, NOP, MSS, EOL (the byte after EOL is not read)
  const std::uint32_t expected[][3] = {{1, 20, 1}, {1, 21, 1}, {2, 22, 4}, {0, 26, 1}};
  for (std::size_t i = 0; i < options->size(); ++i) {
    EXPECT_EQ((*options)[i].kind, expected[i][0]) << i;
    EXPECT_EQ((*options)[i].offset, expected[i][1]) << i;
    EXPECT_EQ((*options)[i].length, expected[i][2]) << i;
  }
}

TEST(Tcp, TruncatedAtEveryLength) {
  expect_truncations(syn_bytes(),
                     {
                         {2, "tcp.src_port", 0},
                         {4, "tcp.dst_port", 2},
                         {8, "tcp.seq", 4},
                         {12, "tcp.ack", 8},
                         {13, "tcp.data_offset", 12},
                         {14, "tcp.flags", 13},
                         {16, "tcp.window", 14},
                         {18, "tcp.checksum", 16},
                         {20, "tcp.urgent", 18},
                     },
                     [](ByteView b) { return TcpHeader::parse(b); });
}

TEST(Tcp, RejectsBadDataOffsetsAndOptionLengths) {
  const ByteView syn = syn_bytes();
  expect_malformed(
      {
          {"data offset 4 (16 bytes)", with_byte(syn, 12, 0x40), "tcp.data_offset", 12},
          {"data offset 0", with_byte(syn, 12, 0x00), "tcp.data_offset", 12},
          {"data offset 7: 28 bytes in a 24-byte segment", with_byte(syn, 12, 0x70),
           "tcp.data_offset", 12},
          {"data offset 15", with_byte(syn, 12, 0xf0), "tcp.data_offset", 12},
          {"SYN cut inside its MSS option", Bytes(syn.begin(), syn.begin() + 22), "tcp.data_offset",
           12},
          {"option length 0 would never advance", with_options({8, 0, 0, 0}), "tcp.option_length",
           21},
          {"option length 1 is shorter than kind + length", with_options({8, 1, 0, 0}),
           "tcp.option_length", 21},
          {"option runs past the header", with_options({8, 10, 0, 0}), "tcp.option_length", 21},
          {"kind in the last byte, no room for its length", with_options({1, 1, 1, 8}),
           "tcp.option_length", 24},
          {"MSS with length 3", with_options({2, 3, 5, 1}), "tcp.option_length", 21},
          {"MSS with length 6", with_options({2, 6, 5, 0xb4, 0, 0, 0, 0}), "tcp.option_length", 21},
          {"MSS and NOP fine, then kind 30 with length 0",
           with_options({2, 4, 5, 0xb4, 1, 30, 0, 0}), "tcp.option_length", 26},
      },
      [](ByteView b) { return TcpHeader::parse(b); });
}

TEST(Tcp, RandomRoundTrips) {
  Rng rng(6);
  for (int i = 0; i < kRoundTrips; ++i) {
    const Ipv4Addr src = random_ip(rng);
    const Ipv4Addr dst = random_ip(rng);
    TcpHeader header;
    header.src_port = rng.next_u16();
    header.dst_port = rng.next_u16();
    header.seq = rng.next_u32();
    header.ack = rng.next_u32();
    header.flags = static_cast<std::uint8_t>(rng.next_u32());
    header.window = rng.next_u16();
    header.urgent = rng.next_u16();
    if (rng.chance(0.5)) header.mss = rng.next_u16();
    const std::size_t payload_length = rng.below(200);
    Bytes bytes = random_bytes(rng, header.header_length() + payload_length);
    header.emit(bytes, src, dst);
    ASSERT_TRUE(TcpHeader::checksum_ok(bytes, src, dst));
    ByteView payload;
    const auto parsed = TcpHeader::parse(bytes, &payload);
    ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
    header.checksum = read_u16(bytes, 16);
    ASSERT_EQ(*parsed, header);
    ASSERT_EQ(payload.size(), payload_length);
    Bytes again(bytes);
    parsed->emit(again, src, dst);
    ASSERT_EQ(again, bytes);
  }
}

}  // namespace
}  // namespace mailscope::wire::test
