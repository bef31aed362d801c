// Fuzz target "dns_round_trip": every DNS message that parses is emitted again (with name
// compression) and parsed a second time; the two values must be equal (dns_message.h: emit
// keeps names octet for octet, case included). The truncating emitter must produce a message
// that parses, fits the limit whenever the header and questions do, and says TC when it dropped
// records. Each record's zone-file line must read back as the same record (dns_text.h).

#include <cstddef>
#include <cstdint>

#include "fuzz_support.h"
#include "wire/dns_format.h"
#include "wire/dns_message.h"
#include "wire/dns_text.h"

namespace {

using namespace mailscope::wire;

std::size_t record_count(const DnsMessage& m) {
  return m.answers.size() + m.authority.size() + m.additional.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto first = DnsMessage::parse(ByteView(data, size), TrailingBytes::Ignore);
  if (!first) return 0;

  const Bytes emitted = first->emit();
  const auto second = DnsMessage::parse(emitted);
  FUZZ_CHECK(second.ok());
  FUZZ_CHECK(*second == *first);
  // Emitting is a function of the value: the second emit gives the same bytes.
  FUZZ_CHECK(second->emit() == emitted);

  const Bytes truncated = first->emit_truncated(DnsMessage::kUdpSizeMax);
  const auto cut = DnsMessage::parse(truncated);
  FUZZ_CHECK(cut.ok());
  FUZZ_CHECK(cut->questions == first->questions);
  if (record_count(*cut) < record_count(*first)) FUZZ_CHECK(cut->flags.tc);
  if (emitted.size() <= DnsMessage::kUdpSizeMax) FUZZ_CHECK(truncated == emitted);

  for (DnsSection section : {DnsSection::Answer, DnsSection::Authority, DnsSection::Additional}) {
    for (const DnsRecord& record : first->section(section)) {
      if (record.type() == DnsType::OPT) continue;  // a pseudo-record has no zone-file form
      const auto line = parse_record(to_string(record));
      FUZZ_CHECK(line.ok());
      FUZZ_CHECK(*line == record);
    }
  }
  return 0;
}
