#pragma once
// A whole DNS message (RFC 1035 §4): header, question and three record sections, with a
// validating parser (name decompression hardened as RFC 9267 asks) and a compressing emitter.
// Sans-I/O: bytes in, values out, and back; servers and resolvers build on these values.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/result.h"
#include "wire/bytes.h"
#include "wire/dns_name.h"
#include "wire/dns_record.h"
#include "wire/dns_types.h"

namespace mailscope::wire {

// What parse() does with bytes after the last record that the header counts announce.
// Over TCP the length prefix delimits a message exactly, and over UDP the datagram does, so
// extra bytes mean a broken or hostile sender: the default rejects them.
enum class TrailingBytes { Reject, Ignore };

enum class DnsRecursion { NotDesired, Desired };

enum class DnsSection { Question, Answer, Authority, Additional };

struct DnsMessage {
  static constexpr std::size_t kHeaderLength = 12;
  static constexpr std::size_t kUdpSizeMax =
      512;  // classic UDP limit without EDNS (RFC 1035 §4.2.1)
  // Compression pointers have 14 bits, so only names starting below this offset can be targets.
  static constexpr std::size_t kPointerTargetLimit = 0x4000;

  std::uint16_t id = 0;
  DnsFlags flags;
  // Each section holds at most 65535 entries (the width of its count field).
  std::vector<DnsQuestion> questions;
  std::vector<DnsRecord> answers;
  std::vector<DnsRecord> authority;
  std::vector<DnsRecord> additional;

  // Parses and validates a message. The Error names the field ("answer[1].rdata.exchange") and
  // the byte offset where the problem was seen. Never reads outside `bytes`.
  static Result<DnsMessage> parse(ByteView bytes, TrailingBytes trailing = TrailingBytes::Reject);

  // The wire form, with names compressed (owner names, question names and the names inside
  // NS, CNAME, PTR, MX and SOA RDATA). Compression matches suffixes octet for octet, case
  // included, so every name comes back with the case it was given.
  Bytes emit() const;
  // As emit(), but if the result would exceed `size_max` bytes, drops whole records from the
  // end (additional, then authority, then answer) until it fits and sets TC. An OPT record is
  // kept if it was present. The header and questions are always kept, even when they alone
  // exceed `size_max`.
  Bytes emit_truncated(std::size_t size_max = kUdpSizeMax) const;

  // A query for (name, type, IN) with one question.
  static DnsMessage make_query(std::uint16_t id, DnsName name, DnsType type,
                               DnsRecursion recursion = DnsRecursion::Desired);
  // The start of a response to `query`: same id, opcode, RD, CD and question; QR set.
  static DnsMessage make_response(const DnsMessage& query, DnsRcode rcode = DnsRcode::NOERROR);

  bool is_response() const { return flags.qr; }
  // One of the three record sections; `which` must not be DnsSection::Question.
  std::vector<DnsRecord>& section(DnsSection which);
  const std::vector<DnsRecord>& section(DnsSection which) const;
  // The first OPT record's fields, if any.
  std::optional<DnsEdns> edns() const;

  bool operator==(const DnsMessage&) const = default;
};

// Where each part of a parsed message lies, for the packet inspector. Offsets are from the
// start of the message.
struct DnsSpan {
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
  bool operator==(const DnsSpan&) const = default;
};

struct DnsQuestionLayout {
  DnsSpan whole;
  DnsSpan name;  // the octets of the name in place (a compression pointer counts 2)
};

struct DnsRecordLayout {
  DnsSpan whole;
  DnsSpan name;
  DnsSpan rdata;
  std::vector<DnsSpan> rdata_names;  // names inside the RDATA, in order (MX exchange, SOA mname...)
};

struct DnsLayout {
  std::vector<DnsQuestionLayout> questions;
  std::vector<DnsRecordLayout> records;  // answer, authority and additional records in order
};

// Parses like DnsMessage::parse but keeps what it got: on error, `message` holds the header and
// every question and record completed before the problem, and `layout` (optional) their
// positions. Returns the error, or nullopt on success.
std::optional<Error> parse_dns_partial(ByteView bytes, TrailingBytes trailing, DnsMessage& message,
                                       DnsLayout* layout);

}  // namespace mailscope::wire
