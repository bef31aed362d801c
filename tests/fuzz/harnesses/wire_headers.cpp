// Fuzz target "wire_headers": the typed header parsers of sim/wire (Ethernet II, ARP, IPv4,
// ICMP, UDP, TCP with its options) on arbitrary bytes, two ways: the input as a whole frame
// walked down the stack as a host does, and the input as each header on its own (so that the
// fuzzer reaches TCP without first having to forge an IPv4 checksum). Whatever parses is emitted
// again and re-parsed: the second value must equal the first, apart from what emit() documents
// it normalises (the checksum it computes, IPv4 options it does not write, TCP options other
// than MSS).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz_support.h"
#include "wire/address.h"
#include "wire/arp.h"
#include "wire/bytes.h"
#include "wire/ethernet.h"
#include "wire/icmp.h"
#include "wire/ipv4.h"
#include "wire/tcp.h"
#include "wire/udp.h"

namespace mailscope::wire {
namespace {

// The pseudo-header addresses for checksums of segments parsed without their IPv4 header.
constexpr Ipv4Addr kSrc = Ipv4Addr::from_octets(10, 0, 0, 1);
constexpr Ipv4Addr kDst = Ipv4Addr::from_octets(10, 0, 1, 2);

void ethernet_round_trip(ByteView bytes) {
  const auto header = EthernetHeader::parse(bytes);
  if (!header) return;
  Bytes out(EthernetHeader::kLength);
  header->emit(out);
  FUZZ_CHECK(ByteView(out).size() <= bytes.size());
  FUZZ_CHECK(std::equal(out.begin(), out.end(), bytes.begin()));
}

void arp_round_trip(ByteView bytes) {
  const auto packet = ArpPacket::parse(bytes);
  if (!packet) return;
  // Parse accepts only the one hardware/protocol pair emit writes, so the bytes come back.
  Bytes out(ArpPacket::kLength);
  packet->emit(out);
  FUZZ_CHECK(std::equal(out.begin(), out.end(), bytes.begin()));
}

void ipv4_round_trip(ByteView bytes) {
  ByteView payload;
  const auto header = Ipv4Header::parse(bytes, &payload);
  if (!header) return;
  FUZZ_CHECK(payload.size() + header->header_length == header->total_length);
  // emit() writes a 20-byte header without options; keep total_length meaningful by giving the
  // re-parse as many bytes as the original packet had.
  Bytes out(header->total_length);
  header->emit(out);
  const auto again = Ipv4Header::parse(out);
  FUZZ_CHECK(again.ok());
  Ipv4Header expected = *header;
  expected.header_length = 20;
  expected.checksum = again->checksum;
  FUZZ_CHECK(*again == expected);
}

void icmp_round_trip(ByteView bytes) {
  const auto message = IcmpMessage::parse(bytes);
  if (!message) return;
  FUZZ_CHECK(message->length() == bytes.size());
  Bytes out(message->length());
  message->emit(out);
  const auto again = IcmpMessage::parse(out);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again->type == message->type && again->code == message->code);
  FUZZ_CHECK(again->identifier == message->identifier && again->sequence == message->sequence);
  FUZZ_CHECK(std::equal(again->payload.begin(), again->payload.end(), message->payload.begin(),
                        message->payload.end()));
}

void udp_round_trip(ByteView bytes, Ipv4Addr src, Ipv4Addr dst) {
  ByteView payload;
  const auto header = UdpHeader::parse(bytes, &payload);
  (void)UdpHeader::checksum_ok(bytes, src, dst);
  if (!header) return;
  FUZZ_CHECK(payload.size() + UdpHeader::kLength == header->length);
  // A copy of the datagram whose header emit() rewrites. (Copying the payload behind an
  // 8-byte offset instead trips a GCC 12 -O2 -Warray-bounds false positive.)
  Bytes out(bytes.begin(), bytes.begin() + header->length);
  header->emit(out, src, dst);
  FUZZ_CHECK(UdpHeader::checksum_ok(out, src, dst));
  const auto again = UdpHeader::parse(out);
  FUZZ_CHECK(again.ok());
  UdpHeader expected = *header;
  expected.checksum = again->checksum;
  FUZZ_CHECK(*again == expected);
}

void tcp_round_trip(ByteView bytes, Ipv4Addr src, Ipv4Addr dst) {
  ByteView payload;
  const auto header = TcpHeader::parse(bytes, &payload);
  (void)TcpHeader::checksum_ok(bytes, src, dst);
  if (!header) return;
  const std::size_t data_offset = bytes.size() - payload.size();
  FUZZ_CHECK(data_offset >= TcpHeader::kMinLength && data_offset <= 60);
  const auto options = parse_tcp_options(bytes.first(data_offset));
  FUZZ_CHECK(options.ok());
  for (const TcpOption& option : *options) {
    FUZZ_CHECK(option.offset >= TcpHeader::kMinLength);
    FUZZ_CHECK(option.offset + option.length <= data_offset);
  }
  if (header->header_length() + payload.size() > UINT16_MAX) return;
  Bytes out(header->header_length() + payload.size());
  std::copy(payload.begin(), payload.end(), out.begin() + header->header_length());
  header->emit(out, src, dst);
  FUZZ_CHECK(TcpHeader::checksum_ok(out, src, dst));
  ByteView payload_again;
  const auto again = TcpHeader::parse(out, &payload_again);
  FUZZ_CHECK(again.ok());
  TcpHeader expected = *header;
  expected.checksum = again->checksum;
  FUZZ_CHECK(*again == expected);
  FUZZ_CHECK(payload_again.size() == payload.size());
}

// The input as a frame, down the stack as a host receives it.
void walk_frame(ByteView frame) {
  ByteView l3;
  const auto ethernet = EthernetHeader::parse(frame, &l3);
  if (!ethernet) return;
  FUZZ_CHECK(l3.size() + EthernetHeader::kLength == frame.size());
  if (ethernet->ethertype == EtherType::Arp) {
    arp_round_trip(l3);
    return;
  }
  if (ethernet->ethertype != EtherType::Ipv4) return;
  ByteView l4;
  const auto ip = Ipv4Header::parse(l3, &l4);
  if (!ip) return;
  ipv4_round_trip(l3);
  switch (ip->protocol) {
    case IpProtocol::Icmp:
      icmp_round_trip(l4);
      break;
    case IpProtocol::Udp:
      udp_round_trip(l4, ip->src, ip->dst);
      break;
    case IpProtocol::Tcp:
      tcp_round_trip(l4, ip->src, ip->dst);
      break;
  }
}

}  // namespace
}  // namespace mailscope::wire

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mailscope::wire;
  const ByteView bytes(data, size);
  walk_frame(bytes);
  ethernet_round_trip(bytes);
  arp_round_trip(bytes);
  ipv4_round_trip(bytes);
  icmp_round_trip(bytes);
  udp_round_trip(bytes, kSrc, kDst);
  tcp_round_trip(bytes, kSrc, kDst);
  // The text forms of addresses, as scenarios write them.
  const std::string_view text = mailscope::fuzz::as_text(data, size < 64 ? size : 64);
  if (const auto addr = Ipv4Addr::parse(text))
    FUZZ_CHECK(Ipv4Addr::parse(addr->to_string()) == addr);
  (void)Ipv4Cidr::parse(text);
  return 0;
}
