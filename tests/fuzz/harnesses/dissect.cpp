// Fuzz target "dissect": the packet inspector's dissector (sim/wire/dissect.h) and the one-line
// summaries, on arbitrary frames and on arbitrary PDUs at every layer. Besides not crashing, the
// tree must keep the promise dissect.h makes: every field lies inside the bytes dissected, and a
// child never comes before a parent (depth grows one level at a time).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/trace.h"
#include "fuzz_support.h"
#include "wire/dissect.h"
#include "wire/dns_dissect.h"

namespace {

using mailscope::wire::ByteView;
using mailscope::wire::Field;

void check_tree(const std::vector<Field>& fields, std::size_t size) {
  std::uint8_t previous_depth = 0;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const Field& field = fields[i];
    FUZZ_CHECK(std::size_t{field.offset} + field.length <= size);
    if (i == 0) {
      FUZZ_CHECK(field.depth == 0);
    } else {
      FUZZ_CHECK(field.depth <= previous_depth + 1);
    }
    previous_depth = field.depth;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mailscope;
  const ByteView frame(data, size);
  const wire::Dissection dissection = wire::dissect_frame(frame);
  check_tree(dissection.fields, size);
  FUZZ_CHECK(dissection.summary == wire::summarize_frame(frame));

  // The same bytes as the PDU of each layer; the first two bytes double as the event's detail
  // (EtherType, IP protocol or port) so that every branch of summarize_pdu is reachable.
  const std::uint16_t detail = size >= 2 ? static_cast<std::uint16_t>(data[0] << 8 | data[1]) : 0;
  const ByteView rest = size >= 2 ? frame.subspan(2) : frame;
  for (int layer = 0; layer < static_cast<int>(Layer::Count); ++layer) {
    (void)wire::summarize_pdu(static_cast<Layer>(layer), detail, frame);
    (void)wire::summarize_pdu(static_cast<Layer>(layer), detail, rest);
    // One-byte details (IP protocol numbers) are the common case at L3.
    if (size >= 2) (void)wire::summarize_pdu(static_cast<Layer>(layer), data[1], rest);
  }

  // The DNS dissector on its own, placed at an offset as inside a UDP payload.
  std::vector<wire::DnsField> dns_fields;
  wire::dissect_dns(frame, 42, 3, dns_fields);
  for (const wire::DnsField& field : dns_fields) {
    FUZZ_CHECK(field.offset >= 42);
    FUZZ_CHECK(std::size_t{field.offset} - 42 + field.length <= size);
  }
  return 0;
}
