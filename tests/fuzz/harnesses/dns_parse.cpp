// Fuzz target "dns_parse": DNS messages (sim/wire/dns_message.h) on arbitrary bytes, as a UDP
// datagram and as a TCP stream. Checks what the header promises: parse never reads outside the
// bytes, the partial parse agrees with the full one and its layout points inside the message,
// and the text views (dig-style output, zone-file lines) of whatever parsed can be produced.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "fuzz_support.h"
#include "wire/dns_dissect.h"
#include "wire/dns_format.h"
#include "wire/dns_message.h"
#include "wire/dns_tcp.h"

namespace {

using namespace mailscope::wire;

void check_span(const DnsSpan& span, std::size_t size) {
  FUZZ_CHECK(std::size_t{span.offset} + span.length <= size);
}

void parse_datagram(ByteView bytes) {
  const auto strict = DnsMessage::parse(bytes, TrailingBytes::Reject);
  const auto lenient = DnsMessage::parse(bytes, TrailingBytes::Ignore);
  // Whatever is accepted with trailing bytes rejected is accepted, identically, without.
  if (strict) {
    FUZZ_CHECK(lenient.ok());
    FUZZ_CHECK(*strict == *lenient);
  }

  DnsMessage partial;
  DnsLayout layout;
  const std::optional<mailscope::Error> error =
      parse_dns_partial(bytes, TrailingBytes::Reject, partial, &layout);
  FUZZ_CHECK(error.has_value() != strict.ok());
  if (strict) FUZZ_CHECK(partial == *strict);
  for (const DnsQuestionLayout& q : layout.questions) {
    check_span(q.whole, bytes.size());
    check_span(q.name, bytes.size());
  }
  for (const DnsRecordLayout& r : layout.records) {
    check_span(r.whole, bytes.size());
    check_span(r.name, bytes.size());
    check_span(r.rdata, bytes.size());
    for (const DnsSpan& name : r.rdata_names)
      check_span(name, bytes.size());
  }

  if (!lenient) return;
  (void)format_dig(*lenient);
  (void)lenient->edns();
  for (const DnsQuestion& question : lenient->questions)
    (void)to_string(question);
  for (DnsSection section : {DnsSection::Answer, DnsSection::Authority, DnsSection::Additional}) {
    for (const DnsRecord& record : lenient->section(section))
      (void)to_string(record);
  }
}

// The same bytes as a TCP stream cut into reads of 1 to 8 bytes (chosen by the bytes
// themselves), each message that comes out parsed like a datagram.
void parse_stream(ByteView bytes) {
  DnsTcpReader reader(4096);
  std::size_t at = 0;
  while (at < bytes.size()) {
    const std::size_t piece = std::min<std::size_t>(1 + bytes[at] % 8, bytes.size() - at);
    const std::size_t buffered = reader.buffered_size();
    if (reader.feed(bytes.subspan(at, piece))) {
      FUZZ_CHECK(reader.buffered_size() == buffered);  // a refused read takes nothing
      return;
    }
    at += piece;
    while (std::optional<Bytes> message = reader.next_message()) {
      FUZZ_CHECK(message->size() <= kDnsTcpMessageSizeMax);
      parse_datagram(*message);
    }
    FUZZ_CHECK(reader.buffered_size() <= 4096);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView bytes(data, size);
  parse_datagram(bytes);
  parse_stream(bytes);
  return 0;
}
