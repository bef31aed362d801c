#include "wire/tcp.h"

#include <array>
#include <cassert>

#include "wire/checksum.h"
#include "wire/ipv4.h"
#include "wire/layout.h"

namespace mailscope::wire {
namespace {

constexpr auto kProtocolTcp = static_cast<std::uint8_t>(IpProtocol::Tcp);
constexpr std::uint8_t kMssOptionLength = 4;

Error option_error(std::uint32_t length_offset, std::string what) {
  return make_error(std::move(what), std::string(tcp_field::kOptionLength), length_offset);
}

std::uint32_t sum_with_pseudo_header(ByteView segment, Ipv4Addr src, Ipv4Addr dst) {
  const std::uint32_t pseudo =
      pseudo_header_sum(src, dst, kProtocolTcp, static_cast<std::uint16_t>(segment.size()));
  return checksum_add(segment, pseudo);
}

}  // namespace

std::string tcp_flags_to_string(std::uint8_t flags) {
  static constexpr std::array<const char*, 8> kNames = {"FIN", "SYN", "RST", "PSH",
                                                        "ACK", "URG", "ECE", "CWR"};
  std::string out;
  for (std::size_t bit = 0; bit < kNames.size(); ++bit) {
    if ((flags & (1u << bit)) == 0) continue;
    if (!out.empty()) out += ", ";
    out += kNames[bit];
  }
  return out.empty() ? "<None>" : out;
}

Result<std::vector<TcpOption>> parse_tcp_options(ByteView header) {
  std::vector<TcpOption> options;
  std::size_t at = TcpHeader::kMinLength;
  while (at < header.size()) {
    const std::uint8_t kind = header[at];
    if (kind == tcp_option::kEnd || kind == tcp_option::kNop) {
      options.push_back(TcpOption{kind, static_cast<std::uint32_t>(at), 1});
      if (kind == tcp_option::kEnd) break;
      ++at;
      continue;
    }
    const auto length_at = static_cast<std::uint32_t>(at + 1);
    if (length_at >= header.size()) {
      return option_error(length_at, "option " + std::to_string(kind) +
                                         " has no length byte before the end of the header");
    }
    const std::uint8_t length = header[length_at];
    // The length counts the kind and length bytes, so anything below 2 would never advance.
    if (length < 2 || at + length > header.size()) {
      return option_error(length_at, "option " + std::to_string(kind) + " has bad length " +
                                         std::to_string(length));
    }
    if (kind == tcp_option::kMss && length != kMssOptionLength) {
      return option_error(length_at,
                          "MSS option must have length 4, got " + std::to_string(length));
    }
    options.push_back(TcpOption{kind, static_cast<std::uint32_t>(at), length});
    at += length;
  }
  return options;
}

Result<TcpHeader> TcpHeader::parse(ByteView segment, ByteView* payload) {
  using namespace tcp_field;
  if (auto error = first_truncated(kAll, segment.size(), "TCP header")) return *error;
  const std::size_t header_length = (segment[kDataOffset.offset] >> 4) * 4u;
  if (header_length < kMinLength) {
    return make_error(
        "data offset must be at least 5 words, got " + std::to_string(header_length / 4),
        std::string(kDataOffset.name), kDataOffset.offset);
  }
  if (header_length > segment.size()) {
    return make_error("header of " + std::to_string(header_length) + " bytes exceeds the " +
                          std::to_string(segment.size()) + " available",
                      std::string(kDataOffset.name), kDataOffset.offset);
  }
  const ByteView header_bytes = segment.first(header_length);
  auto options = parse_tcp_options(header_bytes);
  if (!options) return options.error();

  TcpHeader header;
  header.src_port = read_u16(segment, kSrcPort.offset);
  header.dst_port = read_u16(segment, kDstPort.offset);
  header.seq = read_u32(segment, kSeq.offset);
  header.ack = read_u32(segment, kAck.offset);
  header.flags = segment[kFlags.offset];
  header.window = read_u16(segment, kWindow.offset);
  header.checksum = read_u16(segment, kChecksum.offset);
  header.urgent = read_u16(segment, kUrgent.offset);
  for (const TcpOption& option : *options) {
    if (option.kind == tcp_option::kMss) header.mss = read_u16(header_bytes, option.offset + 2);
  }
  if (payload != nullptr) *payload = segment.subspan(header_length);
  return header;
}

bool TcpHeader::checksum_ok(ByteView segment, Ipv4Addr src, Ipv4Addr dst) {
  if (segment.size() < kMinLength || segment.size() > UINT16_MAX) return false;
  return checksum_finish(sum_with_pseudo_header(segment, src, dst)) == 0;
}

void TcpHeader::emit(MutableByteView segment, Ipv4Addr src, Ipv4Addr dst) const {
  using namespace tcp_field;
  const std::size_t length = header_length();
  assert(segment.size() >= length && segment.size() <= UINT16_MAX);
  write_u16(segment, kSrcPort.offset, src_port);
  write_u16(segment, kDstPort.offset, dst_port);
  write_u32(segment, kSeq.offset, seq);
  write_u32(segment, kAck.offset, ack);
  segment[kDataOffset.offset] = static_cast<std::uint8_t>((length / 4) << 4);
  segment[kFlags.offset] = flags;
  write_u16(segment, kWindow.offset, window);
  write_u16(segment, kChecksum.offset, 0);
  write_u16(segment, kUrgent.offset, urgent);
  if (mss) {
    // Kind and length fill the option to exactly one 32-bit word: no padding needed.
    segment[kMinLength] = tcp_option::kMss;
    segment[kMinLength + 1] = kMssOptionLength;
    write_u16(segment, kMinLength + 2, *mss);
  }
  write_u16(segment, kChecksum.offset,
            checksum_finish(sum_with_pseudo_header(ByteView(segment), src, dst)));
}

}  // namespace mailscope::wire
