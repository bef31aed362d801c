// Cross-checks sim/wire against Wireshark: frames built by our emitters are written to a pcap
// (libpcap) and read back by tshark with checksum validation on. tshark must find every
// checksum good, report no error or warning and no malformed packet, and print the same Info
// column as our summaries for ARP, TCP and UDP. Skipped, with a message, when tshark is not
// installed.

#include <pcap/pcap.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "support.h"
#include "vectors.h"
#include "wire/arp.h"
#include "wire/dissect.h"
#include "wire/ethernet.h"
#include "wire/icmp.h"
#include "wire/ipv4.h"
#include "wire/tcp.h"
#include "wire/udp.h"

namespace mailscope::wire::test {
namespace {

constexpr int kFramesPerKind = 50;

struct Frame {
  Bytes bytes;
  bool compare_info;  // tshark's Info column should equal our summary minus its protocol word
};

Ipv4Addr private_ip(Rng& rng) {
  return Ipv4Addr{0x0a000000u | (rng.next_u32() >> 8)};
}

// Ports in a range no Wireshark dissector claims, so tshark shows plain TCP/UDP.
std::uint16_t quiet_port(Rng& rng) {
  return static_cast<std::uint16_t>(40000 + rng.below(900));
}

// Lowercase words and spaces ending in CRLF: data no heuristic dissector mistakes for its own.
Bytes text_payload(Rng& rng, std::size_t length) {
  Bytes out(length);
  for (auto& byte : out) {
    byte = rng.chance(0.2) ? ' ' : static_cast<std::uint8_t>('a' + rng.below(26));
  }
  if (length >= 2) {
    out[length - 2] = '\r';
    out[length - 1] = '\n';
  }
  return out;
}

// Ethernet + IPv4 around a transport payload of `l4_length` bytes, padded to 60 bytes.
// Returns the frame; the L4 bytes start at offset 34.
Bytes ip_frame(Rng& rng, IpProtocol protocol, std::size_t l4_length, Ipv4Addr src, Ipv4Addr dst) {
  const std::size_t used = EthernetHeader::kLength + Ipv4Header::kMinLength + l4_length;
  Bytes frame(std::max(used, EthernetHeader::kMinFrame), 0);
  EthernetHeader{MacAddr::from_index(rng.next_u32()), MacAddr::from_index(rng.next_u32()),
                 EtherType::Ipv4}
      .emit(frame);
  Ipv4Header ip;
  ip.total_length = static_cast<std::uint16_t>(Ipv4Header::kMinLength + l4_length);
  ip.identification = rng.next_u16();
  ip.ttl = static_cast<std::uint8_t>(1 + rng.below(255));
  ip.protocol = protocol;
  ip.src = src;
  ip.dst = dst;
  ip.emit(MutableByteView(frame).subspan(EthernetHeader::kLength));
  return frame;
}

Frame tcp_frame(Rng& rng) {
  const Ipv4Addr src = private_ip(rng), dst = private_ip(rng);
  TcpHeader tcp;
  tcp.src_port = quiet_port(rng);
  tcp.dst_port = quiet_port(rng);
  tcp.seq = rng.next_u32();
  // The flag sets a real connection uses; tshark comments on odd ones (SYN+FIN, ...).
  constexpr std::uint8_t kFlagSets[] = {0x02, 0x12, 0x10, 0x18, 0x11, 0x14, 0x04};
  tcp.flags = kFlagSets[rng.below(std::size(kFlagSets))];
  // Without ACK the acknowledgment field must be zero (tshark notes it otherwise).
  tcp.ack = tcp.has(tcp_flags::kAck) ? rng.next_u32() : 0;
  tcp.window = rng.next_u16();
  if (tcp.has(tcp_flags::kSyn)) tcp.mss = static_cast<std::uint16_t>(536 + rng.below(1000));
  const bool data = tcp.flags == 0x18;
  const Bytes payload = data ? text_payload(rng, 1 + rng.below(300)) : Bytes();
  Bytes frame = ip_frame(rng, IpProtocol::Tcp, tcp.header_length() + payload.size(), src, dst);
  std::copy(payload.begin(), payload.end(), frame.begin() + 34 + tcp.header_length());
  tcp.emit(MutableByteView(frame).subspan(34, tcp.header_length() + payload.size()), src, dst);
  return {frame, true};
}

Frame udp_frame(Rng& rng) {
  const Ipv4Addr src = private_ip(rng), dst = private_ip(rng);
  const Bytes payload = text_payload(rng, rng.below(300));
  Bytes frame = ip_frame(rng, IpProtocol::Udp, UdpHeader::kLength + payload.size(), src, dst);
  std::copy(payload.begin(), payload.end(), frame.begin() + 42);
  UdpHeader{quiet_port(rng), quiet_port(rng), 0, 0}.emit(
      MutableByteView(frame).subspan(34, UdpHeader::kLength + payload.size()), src, dst);
  return {frame, true};
}

Frame icmp_frame(Rng& rng) {
  const Bytes data = random_bytes(rng, rng.below(64));
  IcmpMessage icmp;
  icmp.type = rng.chance(0.5) ? IcmpType::EchoRequest : IcmpType::EchoReply;
  icmp.identifier = rng.next_u16();
  icmp.sequence = rng.next_u16();
  icmp.payload = data;
  Bytes frame = ip_frame(rng, IpProtocol::Icmp, icmp.length(), private_ip(rng), private_ip(rng));
  icmp.emit(MutableByteView(frame).subspan(34));
  return {frame, false};  // tshark adds request/response matching to its Info
}

Frame arp_frame(Rng& rng) {
  Bytes frame(EthernetHeader::kMinFrame, 0);
  ArpPacket arp;
  arp.operation = rng.chance(0.5) ? ArpOperation::Request : ArpOperation::Reply;
  arp.sender_mac = MacAddr::from_index(rng.next_u32());
  arp.sender_ip = private_ip(rng);
  arp.target_mac =
      arp.operation == ArpOperation::Reply ? MacAddr::from_index(rng.next_u32()) : MacAddr{};
  arp.target_ip = private_ip(rng);
  const MacAddr dst = arp.operation == ArpOperation::Reply ? arp.target_mac : MacAddr::broadcast();
  EthernetHeader{dst, arp.sender_mac, EtherType::Arp}.emit(frame);
  arp.emit(MutableByteView(frame).subspan(EthernetHeader::kLength));
  return {frame, true};
}

std::vector<Frame> build_frames() {
  std::vector<Frame> frames;
  // The hand-built vectors first: tshark agrees with the bytes the unit tests pin.
  for (ByteView pinned : {ByteView(kSynFrame), ByteView(kBannerFrame), ByteView(kArpRequestFrame),
                          ByteView(kArpReplyFrame), ByteView(kPingFrame), ByteView(kUdpFrame),
                          ByteView(kTtlExceededFrame)}) {
    frames.push_back({Bytes(pinned.begin(), pinned.end()),
                      pinned.data() != kPingFrame && pinned.data() != kTtlExceededFrame});
  }
  Rng rng(8);
  for (int i = 0; i < kFramesPerKind; ++i) {
    frames.push_back(tcp_frame(rng));
    frames.push_back(udp_frame(rng));
    frames.push_back(icmp_frame(rng));
    frames.push_back(arp_frame(rng));
  }
  return frames;
}

void write_pcap(const std::string& path, const std::vector<Frame>& frames) {
  pcap_t* handle = pcap_open_dead(DLT_EN10MB, 65535);
  ASSERT_NE(handle, nullptr);
  pcap_dumper_t* dumper = pcap_dump_open(handle, path.c_str());
  ASSERT_NE(dumper, nullptr) << pcap_geterr(handle);
  for (std::size_t i = 0; i < frames.size(); ++i) {
    pcap_pkthdr header{};
    header.ts.tv_sec = static_cast<time_t>(i);  // one frame a second: no wall clock involved
    header.caplen = header.len = static_cast<bpf_u_int32>(frames[i].bytes.size());
    pcap_dump(reinterpret_cast<u_char*>(dumper), &header, frames[i].bytes.data());
  }
  pcap_dump_close(dumper);
  pcap_close(handle);
}

std::vector<std::string> run_lines(const std::string& command) {
  std::vector<std::string> lines;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return lines;
  std::string line;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, pipe) != nullptr) {
    line += buf;
    if (!line.empty() && line.back() == '\n') {
      line.pop_back();
      lines.push_back(line);
      line.clear();
    }
  }
  pclose(pipe);
  return lines;
}

std::vector<std::string> split(const std::string& line, char separator) {
  std::vector<std::string> parts(1);
  for (char c : line) {
    if (c == separator) {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

TEST(Tshark, AgreesWithOurBytesAndSummaries) {
  if (std::system("command -v tshark >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "tshark is not installed; skipping the Wireshark cross-check";
  }
  const std::vector<Frame> frames = build_frames();
  const std::string path = ::testing::TempDir() + "mailscope_wire_tshark_test.pcap";
  write_pcap(path, frames);
  if (HasFatalFailure()) return;

  const std::string command =
      "tshark -n -r '" + path +
      "' -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE"
      " -o tcp.analyze_sequence_numbers:FALSE -o tcp.relative_sequence_numbers:FALSE"
      // The pinned frames carry SMTP and DNS ports with payloads that are not those protocols.
      " --disable-protocol smtp --disable-protocol dns"
      " -T fields -E separator=/t -E occurrence=a -E aggregator=,"
      " -e frame.number -e _ws.col.Info -e ip.checksum.status -e tcp.checksum.status"
      " -e udp.checksum.status -e icmp.checksum.status -e _ws.expert -e _ws.malformed"
      " 2>'" +
      path + ".err'";
  const std::vector<std::string> lines = run_lines(command);
  const std::vector<std::string> errors = run_lines("cat '" + path + ".err'");
  std::remove(path.c_str());
  std::remove((path + ".err").c_str());
  ASSERT_EQ(lines.size(), frames.size()) << command << "\n" << ::testing::PrintToString(errors);

  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto columns = split(lines[i], '\t');
    ASSERT_EQ(columns.size(), 8u) << lines[i];
    SCOPED_TRACE("frame " + columns[0] + ": " + summarize_frame(frames[i].bytes));
    // Status 1 is "Good"; an empty column means the protocol is absent from this frame.
    for (std::size_t c = 2; c <= 5; ++c) {
      for (const auto& status : split(columns[c], ',')) {
        if (!status.empty()) {
          EXPECT_EQ(status, "1") << "checksum column " << c;
        }
      }
    }
    // Chat and note items describe normal traffic (a SYN, a FIN); so does the warning that
    // a RST reset the connection. Anything else of warning or error level is a defect.
    std::string expert = columns[6];
    constexpr std::string_view kReset = "Expert Info (Warning/Sequence): Connection reset (RST)";
    for (auto at = expert.find(kReset); at != std::string::npos; at = expert.find(kReset)) {
      expert.erase(at, kReset.size());
    }
    EXPECT_EQ(expert.find("(Warning/"), std::string::npos) << columns[6];
    EXPECT_EQ(expert.find("(Error/"), std::string::npos) << columns[6];
    EXPECT_TRUE(columns[7].empty()) << "malformed";
    if (frames[i].compare_info) {
      const std::string ours = summarize_frame(frames[i].bytes);
      EXPECT_EQ(columns[1], ours.substr(ours.find(' ') + 1));
    }
  }
}

}  // namespace
}  // namespace mailscope::wire::test
