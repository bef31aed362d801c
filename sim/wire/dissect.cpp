#include "wire/dissect.h"

#include <algorithm>
#include <optional>

#include "wire/arp.h"
#include "wire/checksum.h"
#include "wire/dissect_format.h"
#include "wire/dns_dissect.h"
#include "wire/dns_format.h"
#include "wire/dns_message.h"
#include "wire/ethernet.h"
#include "wire/icmp.h"
#include "wire/ipv4.h"
#include "wire/layout.h"
#include "wire/tcp.h"
#include "wire/udp.h"

// Sections: summaries of parsed headers (pure functions of a repr), the frame dissector (fields
// and summary of a whole frame), summarize_pdu.

namespace mailscope::wire {
namespace {

constexpr std::string_view kArrow = " → ";
constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
constexpr std::uint16_t kEtherTypeArp = 0x0806;
constexpr std::uint8_t kProtocolIcmp = 1;
constexpr std::uint8_t kProtocolTcp = 6;
constexpr std::uint8_t kProtocolUdp = 17;

std::uint32_t u32(std::size_t value) {
  return static_cast<std::uint32_t>(value);
}

// ---- Summaries ------------------------------------------------------------------------------

std::string malformed_text(const Error& error) {
  return "[Malformed: " + error.to_string() + "]";
}

std::string ethernet_summary(const EthernetHeader& header) {
  const auto type = static_cast<std::uint16_t>(header.ethertype);
  const auto name = format::ethertype_name(type);
  return "Ethernet " + header.src.to_string() + std::string(kArrow) + header.dst.to_string() +
         " type=" + (name.empty() ? format::hex(type, 4) : std::string(name));
}

std::string arp_summary(const ArpPacket& packet) {
  switch (packet.operation) {
    case ArpOperation::Request:
      if (packet.sender_ip == packet.target_ip) {
        return "ARP Gratuitous ARP for " + packet.sender_ip.to_string() + " (Request)";
      }
      return "ARP Who has " + packet.target_ip.to_string() + "? Tell " +
             packet.sender_ip.to_string();
    case ArpOperation::Reply:
      return "ARP " + packet.sender_ip.to_string() + " is at " + packet.sender_mac.to_string();
  }
  return "ARP opcode " + std::to_string(static_cast<unsigned>(packet.operation));
}

bool is_fragment(const Ipv4Header& header) {
  return header.more_fragments || header.fragment_offset != 0;
}

std::string ipv4_summary(const Ipv4Header& header) {
  std::string out = "IPv4 " + header.src.to_string() + std::string(kArrow) +
                    header.dst.to_string() + " TTL=" + std::to_string(header.ttl) + " proto=" +
                    format::ip_protocol_label(static_cast<std::uint8_t>(header.protocol)) +
                    " len=" + std::to_string(header.total_length);
  if (is_fragment(header)) {
    out += " [fragment offset=" + std::to_string(header.fragment_offset * 8u) +
           (header.more_fragments ? " MF]" : "]");
  }
  return out;
}

std::string icmp_summary(const IcmpMessage& message) {
  const auto type = static_cast<std::uint8_t>(message.type);
  std::string out = "ICMP " + format::icmp_description(type, message.code);
  if (message.type == IcmpType::EchoRequest || message.type == IcmpType::EchoReply) {
    out += " id=" + format::hex(message.identifier, 4) + " seq=" + std::to_string(message.sequence);
  }
  return out;
}

std::string ports(std::uint16_t src, std::uint16_t dst) {
  return std::to_string(src) + std::string(kArrow) + std::to_string(dst);
}

std::string udp_summary(const UdpHeader& header) {
  return "UDP " + ports(header.src_port, header.dst_port) +
         " Len=" + std::to_string(header.length - UdpHeader::kLength);
}

std::string tcp_summary(const TcpHeader& header, std::size_t payload_length) {
  std::string out = "TCP " + ports(header.src_port, header.dst_port) + " [" +
                    tcp_flags_to_string(header.flags) + "] Seq=" + std::to_string(header.seq);
  if (header.has(tcp_flags::kAck)) out += " Ack=" + std::to_string(header.ack);
  out += " Win=" + std::to_string(header.window);
  if (header.has(tcp_flags::kUrg)) out += " Urg=" + std::to_string(header.urgent);
  out += " Len=" + std::to_string(payload_length);
  if (header.mss) out += " MSS=" + std::to_string(*header.mss);
  return out;
}

// Port 53 carries DNS; bytes there that do not parse as a DNS message are shown as data.
bool is_dns_port(std::uint16_t src_port, std::uint16_t dst_port) {
  constexpr std::uint16_t kDnsPort = 53;
  return src_port == kDnsPort || dst_port == kDnsPort;
}

std::optional<std::string> dns_summary(ByteView message) {
  auto parsed = DnsMessage::parse(message);
  if (!parsed) return std::nullopt;
  return "DNS " + summarize(*parsed);
}

std::string data_summary(ByteView bytes) {
  std::string out = "Data (" + std::to_string(bytes.size()) + " bytes)";
  if (!bytes.empty()) out += ": " + format::payload_preview(bytes);
  return out;
}

// The checksum a pseudo-header protocol should carry, computed over a copy with the field zeroed.
std::uint16_t expected_checksum(ByteView bytes, std::size_t checksum_offset, std::uint32_t sum) {
  Bytes copy(bytes.begin(), bytes.end());
  write_u16(copy, checksum_offset, 0);
  return checksum_finish(checksum_add(copy, sum));
}

// ---- Frame dissector ------------------------------------------------------------------------

// Walks one frame layer by layer, appending fields; each layer method returns the summary of
// the highest layer it reached. `base` is where the layer's bytes start in the frame.
class FrameDissector {
 public:
  FrameDissector(ByteView frame, std::vector<Field>& fields) : m_frame(frame), m_fields(fields) {}

  std::string ethernet() {
    ByteView payload;
    auto header = EthernetHeader::parse(m_frame, &payload);
    if (!header) return malformed("Ethernet", header.error(), 0);
    const auto type = static_cast<std::uint16_t>(header->ethertype);
    const auto type_name = format::ethertype_name(type);
    add(0, "Ethernet II", "Src: " + header->src.to_string() + ", Dst: " + header->dst.to_string(),
        0, EthernetHeader::kLength);
    add(1, "Destination", format::mac(header->dst), ethernet_field::kDst, 0);
    add(1, "Source", format::mac(header->src), ethernet_field::kSrc, 0);
    add(1, "Type",
        (type_name.empty() ? std::string("Unknown") : std::string(type_name)) + " (" +
            format::hex(type, 4) + ")",
        ethernet_field::kType, 0);
    // Padding belongs under "Ethernet II" but is only known once the payload's own length is.
    const std::size_t padding_at = m_fields.size();
    std::size_t used = payload.size();
    std::string summary;
    if (type == kEtherTypeArp) {
      summary = arp(payload, EthernetHeader::kLength, used);
    } else if (type == kEtherTypeIpv4) {
      summary = ipv4(payload, EthernetHeader::kLength, used);
    } else {
      summary = ethernet_summary(*header);
      if (!payload.empty()) data(payload, EthernetHeader::kLength);
    }
    if (used < payload.size()) {
      const ByteView padding = payload.subspan(used);
      m_fields.insert(m_fields.begin() + static_cast<std::ptrdiff_t>(padding_at),
                      Field{1, "Padding", format::hex_bytes(padding, format::kDataHexBytes),
                            u32(EthernetHeader::kLength + used), u32(padding.size())});
    }
    return summary;
  }

 private:
  void add(std::uint8_t depth, std::string name, std::string value, std::size_t offset,
           std::size_t length) {
    m_fields.push_back(Field{depth, std::move(name), std::move(value), u32(offset), u32(length)});
  }
  // A fixed header field, at `base` + its offset in the header.
  void add(std::uint8_t depth, std::string name, std::string value, const FieldSpan& field,
           std::size_t base) {
    add(depth, std::move(name), std::move(value), base + field.offset, field.length);
  }

  std::string malformed(std::string_view protocol, Error error, std::size_t base) {
    error.offset += base;
    const std::size_t offset = std::min(error.offset, m_frame.size());
    const std::string text = malformed_text(error);
    add(0, text, "", offset, m_frame.size() - offset);
    return std::string(protocol) + " " + text;
  }

  std::string arp(ByteView bytes, std::size_t base, std::size_t& used) {
    auto packet = ArpPacket::parse(bytes);
    if (!packet) return malformed("ARP", packet.error(), base);
    used = ArpPacket::kLength;
    const bool request = packet->operation == ArpOperation::Request;
    const bool reply = packet->operation == ArpOperation::Reply;
    const auto opcode = static_cast<std::uint16_t>(packet->operation);
    const std::string op_name = request ? "request" : reply ? "reply" : "unknown";
    add(0, "Address Resolution Protocol", op_name, base, ArpPacket::kLength);
    add(1, "Hardware type", "Ethernet (1)", arp_field::kHardwareType, base);
    add(1, "Protocol type", "IPv4 (0x0800)", arp_field::kProtocolType, base);
    add(1, "Hardware size", "6", arp_field::kHardwareLength, base);
    add(1, "Protocol size", "4", arp_field::kProtocolLength, base);
    add(1, "Opcode", op_name + " (" + std::to_string(opcode) + ")", arp_field::kOperation, base);
    add(1, "Sender MAC address", format::mac(packet->sender_mac), arp_field::kSenderMac, base);
    add(1, "Sender IP address", packet->sender_ip.to_string(), arp_field::kSenderIp, base);
    add(1, "Target MAC address", format::mac(packet->target_mac), arp_field::kTargetMac, base);
    add(1, "Target IP address", packet->target_ip.to_string(), arp_field::kTargetIp, base);
    return arp_summary(*packet);
  }

  std::string ipv4(ByteView bytes, std::size_t base, std::size_t& used) {
    ByteView payload;
    auto header = Ipv4Header::parse(bytes, &payload);
    if (!header) return malformed("IPv4", header.error(), base);
    used = header->total_length;
    const auto protocol = static_cast<std::uint8_t>(header->protocol);
    const auto protocol_name = format::ip_protocol_name(protocol);
    add(0, "Internet Protocol Version 4",
        "Src: " + header->src.to_string() + ", Dst: " + header->dst.to_string(), base,
        header->header_length);
    add(1, "Version", "4", ipv4_field::kVersion, base);
    add(1, "Header Length",
        std::to_string(header->header_length) + " bytes (" +
            std::to_string(header->header_length / 4) + ")",
        ipv4_field::kIhl, base);
    add(1, "Differentiated Services Field", format::hex(header->tos, 2), ipv4_field::kTos, base);
    add(1, "Total Length", std::to_string(header->total_length), ipv4_field::kTotalLength, base);
    add(1, "Identification", format::hex_and_decimal(header->identification, 4),
        ipv4_field::kIdentification, base);
    const unsigned flag_bits =
        (header->dont_fragment ? 2u : 0u) | (header->more_fragments ? 1u : 0u);
    std::string flags = format::hex(flag_bits, 1);
    if (header->dont_fragment) flags += ", Don't fragment";
    if (header->more_fragments) flags += ", More fragments";
    add(1, "Flags", flags, ipv4_field::kFlags, base);
    add(1, "Fragment Offset", std::to_string(header->fragment_offset * 8u), ipv4_field::kFlags,
        base);
    add(1, "Time to Live", std::to_string(header->ttl), ipv4_field::kTtl, base);
    add(1, "Protocol",
        (protocol_name.empty() ? std::string("Unknown") : std::string(protocol_name)) + " (" +
            std::to_string(protocol) + ")",
        ipv4_field::kProtocol, base);
    // Parsing verified the header checksum, so a dissected header's checksum is correct.
    add(1, "Header Checksum", format::hex(header->checksum, 4) + " [correct]",
        ipv4_field::kChecksum, base);
    add(1, "Source Address", header->src.to_string(), ipv4_field::kSrc, base);
    add(1, "Destination Address", header->dst.to_string(), ipv4_field::kDst, base);
    if (header->header_length > Ipv4Header::kMinLength) {
      const std::size_t options = header->header_length - Ipv4Header::kMinLength;
      add(1, "Options", "(" + std::to_string(options) + " bytes)", base + Ipv4Header::kMinLength,
          options);
    }

    const std::size_t payload_base = base + header->header_length;
    // A fragment carries only part of the transport PDU, which cannot be decoded on its own.
    if (is_fragment(*header)) {
      if (!payload.empty()) data(payload, payload_base);
      return ipv4_summary(*header);
    }
    switch (protocol) {
      case kProtocolIcmp:
        return icmp(payload, payload_base);
      case kProtocolUdp:
        return udp(payload, payload_base, *header);
      case kProtocolTcp:
        return tcp(payload, payload_base, *header);
      default:
        if (!payload.empty()) data(payload, payload_base);
        return ipv4_summary(*header);
    }
  }

  std::string icmp(ByteView bytes, std::size_t base) {
    auto message = IcmpMessage::parse(bytes);
    if (!message) return malformed("ICMP", message.error(), base);
    const auto type = static_cast<std::uint8_t>(message->type);
    const std::string description = format::icmp_description(type, message->code);
    add(0, "Internet Control Message Protocol", description, base, bytes.size());
    add(1, "Type", std::to_string(type) + " (" + description + ")", icmp_field::kType, base);
    const auto code_name = format::icmp_code_name(type, message->code);
    add(1, "Code",
        std::to_string(message->code) +
            (code_name.empty() ? std::string() : " (" + std::string(code_name) + ")"),
        icmp_field::kCode, base);
    // Parsing verified the checksum over the whole message.
    add(1, "Checksum", format::hex(message->checksum, 4) + " [correct]", icmp_field::kChecksum,
        base);
    const bool echo =
        message->type == IcmpType::EchoRequest || message->type == IcmpType::EchoReply;
    if (echo) {
      add(1, "Identifier", format::decimal_and_hex(message->identifier, 4), icmp_field::kIdentifier,
          base);
      add(1, "Sequence Number", format::decimal_and_hex(message->sequence, 4),
          icmp_field::kSequence, base);
      if (!message->payload.empty()) {
        add(1, "Data",
            "(" + std::to_string(message->payload.size()) + " bytes) " +
                format::hex_bytes(message->payload, format::kDataHexBytes),
            base + IcmpMessage::kHeaderLength, message->payload.size());
      }
    } else {
      const bool mtu =
          message->type == IcmpType::DestinationUnreachable &&
          message->code == static_cast<std::uint8_t>(IcmpUnreachable::FragmentationNeeded);
      if (mtu) {
        add(1, "MTU of next hop", std::to_string(message->sequence), icmp_field::kSequence, base);
      }
      original_datagram(message->payload, base + IcmpMessage::kHeaderLength);
    }
    return icmp_summary(*message);
  }

  // The IPv4 header and first 8 payload bytes quoted by an ICMP error. They are read leniently:
  // the quoted total length covers bytes that were not quoted, so Ipv4Header::parse would refuse.
  void original_datagram(ByteView bytes, std::size_t base) {
    if (bytes.empty()) return;
    if (bytes.size() < Ipv4Header::kMinLength || (bytes[0] >> 4) != 4) {
      add(1, "Original datagram", format::hex_bytes(bytes, format::kDataHexBytes), base,
          bytes.size());
      return;
    }
    const std::size_t header_length = std::max<std::size_t>(20, (bytes[0] & 0x0f) * 4u);
    const auto protocol = bytes[ipv4_field::kProtocol.offset];
    const auto src = Ipv4Addr{read_u32(bytes, ipv4_field::kSrc.offset)};
    const auto dst = Ipv4Addr{read_u32(bytes, ipv4_field::kDst.offset)};
    std::string value = src.to_string() + std::string(kArrow) + dst.to_string() +
                        " proto=" + format::ip_protocol_label(protocol);
    const bool has_ports =
        (protocol == kProtocolTcp || protocol == kProtocolUdp) && bytes.size() >= header_length + 4;
    if (has_ports) {
      value += " " + ports(read_u16(bytes, header_length), read_u16(bytes, header_length + 2));
    }
    add(1, "Original datagram", value, base, bytes.size());
    add(2, "Source Address", src.to_string(), ipv4_field::kSrc, base);
    add(2, "Destination Address", dst.to_string(), ipv4_field::kDst, base);
    add(2, "Protocol", format::ip_protocol_label(protocol), ipv4_field::kProtocol, base);
    if (has_ports) {
      add(2, "Source Port", std::to_string(read_u16(bytes, header_length)), base + header_length,
          2);
      add(2, "Destination Port", std::to_string(read_u16(bytes, header_length + 2)),
          base + header_length + 2, 2);
    }
  }

  std::string udp(ByteView bytes, std::size_t base, const Ipv4Header& ip) {
    ByteView payload;
    auto header = UdpHeader::parse(bytes, &payload);
    if (!header) return malformed("UDP", header.error(), base);
    const ByteView datagram = bytes.first(header->length);
    add(0, "User Datagram Protocol",
        "Src Port: " + std::to_string(header->src_port) +
            ", Dst Port: " + std::to_string(header->dst_port),
        base, UdpHeader::kLength);
    add(1, "Source Port", std::to_string(header->src_port), udp_field::kSrcPort, base);
    add(1, "Destination Port", std::to_string(header->dst_port), udp_field::kDstPort, base);
    add(1, "Length", std::to_string(header->length), udp_field::kLength, base);
    std::string summary = udp_summary(*header);
    std::string checksum = format::hex(header->checksum, 4);
    if (header->checksum == 0) {
      checksum += " [zero-value ignored]";
    } else if (UdpHeader::checksum_ok(datagram, ip.src, ip.dst)) {
      checksum += " [correct]";
    } else {
      const auto sum = pseudo_header_sum(ip.src, ip.dst, kProtocolUdp, header->length);
      std::uint16_t expected = expected_checksum(datagram, udp_field::kChecksum.offset, sum);
      if (expected == 0) expected = 0xffff;
      checksum += " [incorrect, should be " + format::hex(expected, 4) + "]";
      summary += " [UDP CHECKSUM INCORRECT]";
    }
    add(1, "Checksum", checksum, udp_field::kChecksum, base);
    if (is_dns_port(header->src_port, header->dst_port)) {
      if (auto dns = dns_summary(payload)) {
        dissect_dns(payload, u32(base + UdpHeader::kLength), 0, m_fields);
        return *dns;
      }
    }
    if (!payload.empty()) data(payload, base + UdpHeader::kLength);
    return summary;
  }

  std::string tcp(ByteView bytes, std::size_t base, const Ipv4Header& ip) {
    ByteView payload;
    auto header = TcpHeader::parse(bytes, &payload);
    if (!header) return malformed("TCP", header.error(), base);
    const std::size_t header_length = bytes.size() - payload.size();
    add(0, "Transmission Control Protocol",
        "Src Port: " + std::to_string(header->src_port) +
            ", Dst Port: " + std::to_string(header->dst_port) +
            ", Seq: " + std::to_string(header->seq) + ", Len: " + std::to_string(payload.size()),
        base, header_length);
    add(1, "Source Port", std::to_string(header->src_port), tcp_field::kSrcPort, base);
    add(1, "Destination Port", std::to_string(header->dst_port), tcp_field::kDstPort, base);
    add(1, "Sequence Number", std::to_string(header->seq), tcp_field::kSeq, base);
    add(1, "Acknowledgment Number", std::to_string(header->ack), tcp_field::kAck, base);
    add(1, "Header Length",
        std::to_string(header_length) + " bytes (" + std::to_string(header_length / 4) + ")",
        tcp_field::kDataOffset, base);
    add(1, "Flags", format::hex(header->flags, 3) + " (" + tcp_flags_to_string(header->flags) + ")",
        tcp_field::kFlags, base);
    add(1, "Window", std::to_string(header->window), tcp_field::kWindow, base);
    std::string summary = tcp_summary(*header, payload.size());
    std::string checksum = format::hex(header->checksum, 4);
    if (TcpHeader::checksum_ok(bytes, ip.src, ip.dst)) {
      checksum += " [correct]";
    } else {
      const auto sum =
          pseudo_header_sum(ip.src, ip.dst, kProtocolTcp, static_cast<std::uint16_t>(bytes.size()));
      checksum += " [incorrect, should be " +
                  format::hex(expected_checksum(bytes, tcp_field::kChecksum.offset, sum), 4) + "]";
      summary += " [TCP CHECKSUM INCORRECT]";
    }
    add(1, "Checksum", checksum, tcp_field::kChecksum, base);
    add(1, "Urgent Pointer", std::to_string(header->urgent), tcp_field::kUrgent, base);
    if (header_length > TcpHeader::kMinLength) tcp_options(bytes.first(header_length), base);
    // DNS over TCP: decoded when the segment holds exactly one length-prefixed message.
    const bool one_dns_message = is_dns_port(header->src_port, header->dst_port) &&
                                 payload.size() > 2 && read_u16(payload, 0) == payload.size() - 2;
    if (one_dns_message) {
      if (auto dns = dns_summary(payload.subspan(2))) {
        add(0, "DNS over TCP length", std::to_string(payload.size() - 2), base + header_length, 2);
        dissect_dns(payload.subspan(2), u32(base + header_length + 2), 0, m_fields);
        return *dns;
      }
    }
    if (!payload.empty()) data(payload, base + header_length);
    return summary;
  }

  void tcp_options(ByteView header, std::size_t base) {
    const std::size_t length = header.size() - TcpHeader::kMinLength;
    // TcpHeader::parse has already walked these options without error.
    auto options = parse_tcp_options(header);
    if (!options) return;
    std::string names;
    for (const TcpOption& option : *options) {
      if (!names.empty()) names += ", ";
      names += option_name(option.kind);
    }
    add(1, "Options", "(" + std::to_string(length) + " bytes) " + names,
        base + TcpHeader::kMinLength, length);
    for (const TcpOption& option : *options) {
      std::string value;
      if (option.kind == tcp_option::kMss) {
        value = std::to_string(read_u16(header, option.offset + 2)) + " bytes";
      } else if (option.length > 1) {
        value = "(" + std::to_string(option.length) + " bytes)";
      }
      add(2, option_name(option.kind), value, base + option.offset, option.length);
    }
  }

  static std::string option_name(std::uint8_t kind) {
    switch (kind) {
      case tcp_option::kEnd:
        return "End of Option List (EOL)";
      case tcp_option::kNop:
        return "No-Operation (NOP)";
      case tcp_option::kMss:
        return "Maximum segment size";
      default:
        return "Unknown option (kind " + std::to_string(kind) + ")";
    }
  }

  // Application bytes: a top-level "Data (N bytes)" field; text is listed line by line so the
  // CRLF ends of SMTP, IMAP and POP3 lines show.
  void data(ByteView bytes, std::size_t base) {
    add(0, "Data (" + std::to_string(bytes.size()) + " bytes)", format::payload_preview(bytes),
        base, bytes.size());
    if (!format::looks_like_text(bytes)) {
      add(1, "Data", format::hex_bytes(bytes, format::kDataHexBytes), base, bytes.size());
      return;
    }
    std::size_t start = 0;
    std::size_t lines = 0;
    while (start < bytes.size()) {
      if (lines == format::kLinesMax) {
        add(1, "[More lines]", "", base + start, bytes.size() - start);
        return;
      }
      std::size_t end = start;
      while (end < bytes.size() && bytes[end] != '\n')
        ++end;
      if (end < bytes.size()) ++end;  // the line keeps its LF
      add(1, "Line", format::escape_text(bytes.subspan(start, end - start), format::kLineChars),
          base + start, end - start);
      ++lines;
      start = end;
    }
  }

  ByteView m_frame;
  std::vector<Field>& m_fields;
};

}  // namespace

Dissection dissect_frame(ByteView frame) {
  Dissection result;
  FrameDissector dissector(frame, result.fields);
  result.summary = dissector.ethernet();
  return result;
}

std::string summarize_frame(ByteView frame) {
  return dissect_frame(frame).summary;
}

// ---- summarize_pdu --------------------------------------------------------------------------

std::string summarize_pdu(Layer layer, std::uint16_t detail, ByteView pdu) {
  const auto icmp_line = [](ByteView bytes) {
    auto message = IcmpMessage::parse(bytes);
    return message ? icmp_summary(*message) : "ICMP " + malformed_text(message.error());
  };
  switch (layer) {
    case Layer::Physical:
      return summarize_frame(pdu);
    case Layer::Link: {
      ByteView payload;
      auto header = EthernetHeader::parse(pdu, &payload);
      const bool arp_frame =
          header && static_cast<std::uint16_t>(header->ethertype) == kEtherTypeArp;
      if (arp_frame) {
        if (auto packet = ArpPacket::parse(payload)) return arp_summary(*packet);
      }
      // Not an Ethernet frame carrying a valid ARP packet: it may be the ARP packet alone.
      if (detail == kEtherTypeArp) {
        if (auto packet = ArpPacket::parse(pdu)) return arp_summary(*packet);
      }
      if (!header) return "Ethernet " + malformed_text(header.error());
      if (arp_frame) return summarize_frame(pdu);  // names the ARP field that is malformed
      return ethernet_summary(*header);
    }
    case Layer::Network: {
      const bool bare_icmp = detail == kProtocolIcmp && !pdu.empty() && (pdu[0] >> 4) != 4;
      if (bare_icmp) return icmp_line(pdu);
      auto header = Ipv4Header::parse(pdu);
      return header ? ipv4_summary(*header) : "IPv4 " + malformed_text(header.error());
    }
    case Layer::Transport:
      switch (detail) {
        case kProtocolTcp: {
          ByteView payload;
          auto header = TcpHeader::parse(pdu, &payload);
          return header ? tcp_summary(*header, payload.size())
                        : "TCP " + malformed_text(header.error());
        }
        case kProtocolUdp: {
          auto header = UdpHeader::parse(pdu);
          return header ? udp_summary(*header) : "UDP " + malformed_text(header.error());
        }
        case kProtocolIcmp:
          return icmp_line(pdu);
        default:
          return "IP protocol " + std::to_string(detail) + " (" + std::to_string(pdu.size()) +
                 " bytes)";
      }
    case Layer::Tls:
    case Layer::Application:
    case Layer::Count:
      break;
  }
  return data_summary(pdu);
}

}  // namespace mailscope::wire
