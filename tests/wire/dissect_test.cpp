#include "wire/dissect.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "support.h"
#include "vectors.h"

namespace mailscope::wire::test {
namespace {

struct NamedFrame {
  const char* name;
  ByteView frame;
  const char* summary;
};

const NamedFrame kFrames[] = {
    {"SYN", kSynFrame, "TCP 49152 → 25 [SYN] Seq=3735928559 Win=65535 Len=0 MSS=1460"},
    {"banner", kBannerFrame, "TCP 25 → 49152 [PSH, ACK] Seq=1000 Ack=3735928560 Win=65535 Len=28"},
    {"ARP request", kArpRequestFrame, "ARP Who has 10.0.0.1? Tell 10.0.0.2"},
    {"ARP reply", kArpReplyFrame, "ARP 10.0.0.1 is at 02:00:00:00:00:01"},
    {"ping", kPingFrame, "ICMP Echo (ping) request id=0x0001 seq=1"},
    {"UDP", kUdpFrame, "UDP 53000 → 53 Len=28"},
    {"TTL exceeded", kTtlExceededFrame, "ICMP Time-to-live exceeded"},
};

// The fields of `d` under the depth-0 field named `protocol`, and that field itself.
std::vector<Field> layer(const Dissection& d, std::string_view protocol) {
  std::vector<Field> out;
  bool inside = false;
  for (const Field& f : d.fields) {
    if (f.depth == 0) inside = f.name == protocol;
    if (inside) out.push_back(f);
  }
  return out;
}

const Field* find(const std::vector<Field>& fields, std::string_view name) {
  const auto it = std::ranges::find_if(fields, [&](const Field& f) { return f.name == name; });
  return it == fields.end() ? nullptr : &*it;
}

// Checks what every dissection must satisfy, whatever the input.
void expect_well_formed(const Dissection& d, ByteView frame) {
  ASSERT_FALSE(d.fields.empty());
  EXPECT_FALSE(d.summary.empty());
  EXPECT_EQ(d.fields.front().depth, 0);
  std::uint8_t previous_depth = 0;
  for (const Field& f : d.fields) {
    EXPECT_LE(f.depth, previous_depth + 1) << f.name;  // a child follows its parent
    EXPECT_LE(std::size_t{f.offset} + f.length, frame.size()) << f.name;
    EXPECT_FALSE(f.name.empty());
    previous_depth = f.depth;
  }
}

TEST(Dissect, SummariesOfPinnedFrames) {
  for (const auto& f : kFrames) {
    EXPECT_EQ(summarize_frame(f.frame), f.summary) << f.name;
    const Dissection d = dissect_frame(f.frame);
    EXPECT_EQ(d.summary, f.summary) << f.name;
    expect_well_formed(d, f.frame);
  }
}

TEST(Dissect, OneTopLevelFieldPerProtocol) {
  const auto top_level = [](ByteView frame) {
    std::vector<std::string> names;
    for (const Field& f : dissect_frame(frame).fields) {
      if (f.depth == 0) names.push_back(f.name);
    }
    return names;
  };
  using Names = std::vector<std::string>;
  EXPECT_EQ(top_level(kSynFrame),
            (Names{"Ethernet II", "Internet Protocol Version 4", "Transmission Control Protocol"}));
  EXPECT_EQ(top_level(kBannerFrame), (Names{"Ethernet II", "Internet Protocol Version 4",
                                            "Transmission Control Protocol", "Data (28 bytes)"}));
  EXPECT_EQ(top_level(kArpRequestFrame), (Names{"Ethernet II", "Address Resolution Protocol"}));
  EXPECT_EQ(top_level(kPingFrame), (Names{"Ethernet II", "Internet Protocol Version 4",
                                          "Internet Control Message Protocol"}));
  EXPECT_EQ(top_level(kUdpFrame), (Names{"Ethernet II", "Internet Protocol Version 4",
                                         "User Datagram Protocol", "Data (28 bytes)"}));
}

// Each field: value as shown, and the bytes it points at.
struct FieldCase {
  std::string_view protocol;
  std::string_view name;
  std::string_view value;
  std::uint32_t offset;
  std::uint32_t length;
};

void expect_fields(ByteView frame, const std::vector<FieldCase>& cases) {
  const Dissection d = dissect_frame(frame);
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.protocol) + " / " + std::string(c.name));
    const auto fields = layer(d, c.protocol);
    const Field* f = find(fields, c.name);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->value, c.value);
    EXPECT_EQ(f->offset, c.offset);
    EXPECT_EQ(f->length, c.length);
  }
}

TEST(Dissect, SynFieldsPointAtTheirBytes) {
  constexpr std::string_view kEth = "Ethernet II";
  constexpr std::string_view kIp = "Internet Protocol Version 4";
  constexpr std::string_view kTcp = "Transmission Control Protocol";
  expect_fields(kSynFrame,
                {
                    {kEth, "Ethernet II", "Src: 02:00:00:00:00:01, Dst: 02:00:00:00:00:02", 0, 14},
                    {kEth, "Destination", "02:00:00:00:00:02", 0, 6},
                    {kEth, "Source", "02:00:00:00:00:01", 6, 6},
                    {kEth, "Type", "IPv4 (0x0800)", 12, 2},
                    {kEth, "Padding", "00 00", 58, 2},  // 14 + 44 bytes used of 60
                    {kIp, kIp, "Src: 10.0.0.1, Dst: 10.0.1.2", 14, 20},
                    {kIp, "Version", "4", 14, 1},
                    {kIp, "Header Length", "20 bytes (5)", 14, 1},
                    {kIp, "Differentiated Services Field", "0x00", 15, 1},
                    {kIp, "Total Length", "44", 16, 2},
                    {kIp, "Identification", "0x1c46 (7238)", 18, 2},
                    {kIp, "Flags", "0x2, Don't fragment", 20, 2},
                    {kIp, "Fragment Offset", "0", 20, 2},
                    {kIp, "Time to Live", "64", 22, 1},
                    {kIp, "Protocol", "TCP (6)", 23, 1},
                    {kIp, "Header Checksum", "0x0984 [correct]", 24, 2},
                    {kIp, "Source Address", "10.0.0.1", 26, 4},
                    {kIp, "Destination Address", "10.0.1.2", 30, 4},
                    {kTcp, kTcp, "Src Port: 49152, Dst Port: 25, Seq: 3735928559, Len: 0", 34, 24},
                    {kTcp, "Source Port", "49152", 34, 2},
                    {kTcp, "Destination Port", "25", 36, 2},
                    {kTcp, "Sequence Number", "3735928559", 38, 4},
                    {kTcp, "Acknowledgment Number", "0", 42, 4},
                    {kTcp, "Header Length", "24 bytes (6)", 46, 1},
                    {kTcp, "Flags", "0x002 (SYN)", 47, 1},
                    {kTcp, "Window", "65535", 48, 2},
                    {kTcp, "Checksum", "0x256d [correct]", 50, 2},
                    {kTcp, "Urgent Pointer", "0", 52, 2},
                    {kTcp, "Options", "(4 bytes) Maximum segment size", 54, 4},
                    {kTcp, "Maximum segment size", "1460 bytes", 54, 4},
                });
  // The option is one level below "Options".
  const auto tcp = layer(dissect_frame(kSynFrame), kTcp);
  EXPECT_EQ(find(tcp, "Maximum segment size")->depth, 2);
  EXPECT_EQ(find(tcp, "Options")->depth, 1);
}

TEST(Dissect, ArpFields) {
  constexpr std::string_view kArp = "Address Resolution Protocol";
  expect_fields(kArpRequestFrame,
                {
                    {"Ethernet II", "Destination", "ff:ff:ff:ff:ff:ff (broadcast)", 0, 6},
                    {"Ethernet II", "Type", "ARP (0x0806)", 12, 2},
                    {"Ethernet II", "Padding",
                     "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00", 42, 18},
                    {kArp, kArp, "request", 14, 28},
                    {kArp, "Opcode", "request (1)", 20, 2},
                    {kArp, "Sender MAC address", "02:00:00:00:00:02", 22, 6},
                    {kArp, "Sender IP address", "10.0.0.2", 28, 4},
                    {kArp, "Target MAC address", "00:00:00:00:00:00", 32, 6},
                    {kArp, "Target IP address", "10.0.0.1", 38, 4},
                });
}

TEST(Dissect, IcmpFields) {
  constexpr std::string_view kIcmp = "Internet Control Message Protocol";
  expect_fields(kPingFrame, {
                                {kIcmp, kIcmp, "Echo (ping) request", 34, 16},
                                {kIcmp, "Type", "8 (Echo (ping) request)", 34, 1},
                                {kIcmp, "Code", "0", 35, 1},
                                {kIcmp, "Checksum", "0x6668 [correct]", 36, 2},
                                {kIcmp, "Identifier", "1 (0x0001)", 38, 2},
                                {kIcmp, "Sequence Number", "1 (0x0001)", 40, 2},
                                {kIcmp, "Data", "(8 bytes) 61 62 63 64 65 66 67 68", 42, 8},
                            });
  expect_fields(
      kTtlExceededFrame,
      {
          {kIcmp, "Type", "11 (Time-to-live exceeded)", 34, 1},
          {kIcmp, "Code", "0 (Time to live exceeded in transit)", 35, 1},
          {kIcmp, "Original datagram", "10.0.0.1 → 10.0.1.2 proto=TCP 49152 → 25", 42, 28},
          {kIcmp, "Destination Address", "10.0.1.2", 58, 4},
          {kIcmp, "Destination Port", "25", 64, 2},
      });
}

TEST(Dissect, UdpAndDataFields) {
  constexpr std::string_view kUdp = "User Datagram Protocol";
  expect_fields(kUdpFrame,
                {
                    {kUdp, kUdp, "Src Port: 53000, Dst Port: 53", 34, 8},
                    {kUdp, "Length", "36", 38, 2},
                    {kUdp, "Checksum", "0xdc0e [correct]", 40, 2},
                    {"Data (28 bytes)", "Data (28 bytes)", "mailscope query, 28 bytes..!", 42, 28},
                });
  // Text is listed line by line with its CRLF visible.
  expect_fields(kBannerFrame,
                {
                    {"Data (28 bytes)", "Data (28 bytes)", "220 mail.example.com ESMTP", 54, 28},
                    {"Data (28 bytes)", "Line", "220 mail.example.com ESMTP\\r\\n", 54, 28},
                });
}

TEST(Dissect, BinaryDataShownAsHex) {
  Bytes frame(kUdpFrame, kUdpFrame + sizeof kUdpFrame);
  frame[42] = 0x16;  // a TLS handshake record starts like this
  frame[43] = 0x03;
  const auto data = layer(dissect_frame(frame), "Data (28 bytes)");
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data[0].value, "16 03 69 6c 73 63 6f 70 65 20 71 75 65 72 79 2c …");
  EXPECT_EQ(data[1].name, "Data");
}

TEST(Dissect, BadTransportChecksumsAreShownNotFatal) {
  Bytes syn(kSynFrame, kSynFrame + sizeof kSynFrame);
  syn[51] ^= 0x03;  // 0x256d -> 0x256e
  const Dissection d = dissect_frame(syn);
  EXPECT_EQ(
      d.summary,
      "TCP 49152 → 25 [SYN] Seq=3735928559 Win=65535 Len=0 MSS=1460 [TCP CHECKSUM INCORRECT]");
  const auto tcp = layer(d, "Transmission Control Protocol");
  EXPECT_EQ(find(tcp, "Checksum")->value, "0x256e [incorrect, should be 0x256d]");

  Bytes udp(kUdpFrame, kUdpFrame + sizeof kUdpFrame);
  udp[69] = '?';
  EXPECT_EQ(summarize_frame(udp), "UDP 53000 → 53 Len=28 [UDP CHECKSUM INCORRECT]");
  udp[40] = udp[41] = 0;  // no checksum at all
  EXPECT_EQ(summarize_frame(udp), "UDP 53000 → 53 Len=28");
  EXPECT_EQ(find(layer(dissect_frame(udp), "User Datagram Protocol"), "Checksum")->value,
            "0x0000 [zero-value ignored]");
}

TEST(Dissect, MalformedLayerStopsTheDissection) {
  struct Case {
    const char* comment;
    Bytes frame;
    const char* summary;
    std::uint32_t offset;
  };
  const Case cases[] = {
      {"IPv4 checksum broken", with_byte(kSynFrame, 25, 0x85),
       "IPv4 [Malformed: ipv4.checksum: header checksum does not verify (at byte 24)]", 24},
      {"TCP data offset 3", with_byte(kSynFrame, 46, 0x32),
       "TCP [Malformed: tcp.data_offset: data offset must be at least 5 words, got 3 (at byte "
       "46)]",
       46},
      {"ARP for IPv6", with_u16(kArpRequestFrame, 16, 0x86dd),
       "ARP [Malformed: arp.protocol_type: protocol type must be 0x0800 (IPv4), got 34525 (at "
       "byte 16)]",
       16},
      {"Ethernet header cut", Bytes(kSynFrame, kSynFrame + 13),
       "Ethernet [Malformed: ethernet.type: Ethernet header truncated: 13 bytes, field needs 14 "
       "(at byte 12)]",
       12},
      {"ICMP checksum broken", with_byte(kPingFrame, 49, 'H'),
       "ICMP [Malformed: icmp.checksum: checksum does not verify (at byte 36)]", 36},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.comment);
    const Dissection d = dissect_frame(c.frame);
    EXPECT_EQ(d.summary, c.summary);
    expect_well_formed(d, c.frame);
    const Field& last = d.fields.back();
    EXPECT_EQ(last.depth, 0);
    EXPECT_EQ(last.name, std::string(c.summary).substr(std::string(c.summary).find('[')));
    EXPECT_EQ(last.offset, c.offset);
    EXPECT_EQ(last.offset + last.length, c.frame.size());
  }
}

TEST(Dissect, PduSummariesPerLayer) {
  const Bytes arp_for_ipv6 = with_u16(kArpRequestFrame, 16, 0x86dd);
  const Bytes gratuitous = with_byte(kArpRequestFrame, 41, 2);  // target IP := sender IP
  struct Case {
    const char* comment;
    Layer layer;
    std::uint16_t detail;
    ByteView pdu;
    const char* summary;
  };
  const Case cases[] = {
      {"L1: the whole frame", Layer::Physical, 0, kSynFrame,
       "TCP 49152 → 25 [SYN] Seq=3735928559 Win=65535 Len=0 MSS=1460"},
      {"L2: Ethernet", Layer::Link, 0x0800, kSynFrame,
       "Ethernet 02:00:00:00:00:01 → 02:00:00:00:00:02 type=IPv4"},
      {"L2: an ARP frame reads as ARP", Layer::Link, 0x0806, kArpReplyFrame,
       "ARP 10.0.0.1 is at 02:00:00:00:00:01"},
      {"L2: an ARP packet without its Ethernet header", Layer::Link, 0x0806,
       view(kArpRequestFrame, 14, 28), "ARP Who has 10.0.0.1? Tell 10.0.0.2"},
      {"L2: a malformed ARP frame names the ARP field", Layer::Link, 0x0806, arp_for_ipv6,
       "ARP [Malformed: arp.protocol_type: protocol type must be 0x0800 (IPv4), got 34525 (at "
       "byte 16)]"},
      {"L2: a gratuitous ARP announces the sender's own address", Layer::Link, 0x0806, gratuitous,
       "ARP Gratuitous ARP for 10.0.0.2 (Request)"},
      {"L2: too short for Ethernet", Layer::Link, 0x0800, view(kSynFrame, 0, 5),
       "Ethernet [Malformed: ethernet.dst: Ethernet header truncated: 5 bytes, field needs 6]"},
      {"L3: IPv4 with padding after it", Layer::Network, 6, view(kSynFrame, 14, 46),
       "IPv4 10.0.0.1 → 10.0.1.2 TTL=64 proto=TCP len=44"},
      {"L3: IPv4 carrying ICMP", Layer::Network, 1, view(kPingFrame, 14, 36),
       "IPv4 10.0.0.1 → 10.0.0.2 TTL=64 proto=ICMP len=36"},
      {"L3: an ICMP message without its IPv4 header", Layer::Network, 1, view(kPingFrame, 34, 16),
       "ICMP Echo (ping) request id=0x0001 seq=1"},
      {"L4: TCP", Layer::Transport, 6, view(kBannerFrame, 34, 48),
       "TCP 25 → 49152 [PSH, ACK] Seq=1000 Ack=3735928560 Win=65535 Len=28"},
      {"L4: UDP", Layer::Transport, 17, view(kUdpFrame, 34, 36), "UDP 53000 → 53 Len=28"},
      {"L4: unknown protocol", Layer::Transport, 132, view(kUdpFrame, 34, 36),
       "IP protocol 132 (36 bytes)"},
      {"L4: TCP cut short", Layer::Transport, 6, view(kBannerFrame, 34, 10),
       "TCP [Malformed: tcp.ack: TCP header truncated: 10 bytes, field needs 12 (at byte 8)]"},
      {"L7: text", Layer::Application, 0, view(kBannerFrame, 54, 28),
       "Data (28 bytes): 220 mail.example.com ESMTP"},
      {"TLS: binary", Layer::Tls, 0, view(kSynFrame, 0, 4), "Data (4 bytes): 02 00 00 00"},
      {"L7: nothing", Layer::Application, 0, ByteView(), "Data (0 bytes)"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(summarize_pdu(c.layer, c.detail, c.pdu), c.summary) << c.comment;
  }
}

TEST(Dissect, FragmentsAreNotDecodedAsTransport) {
  // MF set, offset 0, header checksum recomputed: 0x2000 instead of 0x4000 adds 0x2000 to the
  // checksum field (0x0984 -> 0x2984).
  Bytes frame = with_u16(with_u16(kSynFrame, 20, 0x2000), 24, 0x2984);
  EXPECT_EQ(summarize_frame(frame),
            "IPv4 10.0.0.1 → 10.0.1.2 TTL=64 proto=TCP len=44 [fragment offset=0 MF]");
}

TEST(Dissect, TruncatedFramesNeverCrash) {
  for (const auto& f : kFrames) {
    for (std::size_t length = 0; length <= f.frame.size(); ++length) {
      SCOPED_TRACE(std::string(f.name) + " cut to " + std::to_string(length));
      // A copy of exactly `length` bytes, so that ASan sees any read past the end.
      const Bytes cut(f.frame.begin(), f.frame.begin() + static_cast<std::ptrdiff_t>(length));
      expect_well_formed(dissect_frame(cut), cut);
      for (int layer = 0; layer < static_cast<int>(Layer::Count); ++layer) {
        for (std::uint16_t detail : {0, 1, 6, 17, 0x0800, 0x0806}) {
          EXPECT_FALSE(summarize_pdu(static_cast<Layer>(layer), detail, cut).empty());
        }
      }
    }
  }
}

TEST(Dissect, RandomlyDamagedFramesNeverCrash) {
  Rng rng(7);
  for (int i = 0; i < kRoundTrips; ++i) {
    const auto& base = kFrames[rng.below(std::size(kFrames))].frame;
    Bytes frame(base.begin(), base.end());
    // Flip a few bytes, then maybe cut or extend.
    for (int flips = static_cast<int>(rng.below(4)); flips >= 0; --flips) {
      frame[rng.below(frame.size())] = static_cast<std::uint8_t>(rng.next_u32());
    }
    frame.resize(rng.below(frame.size() + 20));
    expect_well_formed(dissect_frame(frame), frame);
    const auto layer = static_cast<Layer>(rng.below(static_cast<int>(Layer::Count)));
    EXPECT_FALSE(summarize_pdu(layer, static_cast<std::uint16_t>(rng.next_u32()), frame).empty());
  }
}

}  // namespace
}  // namespace mailscope::wire::test
