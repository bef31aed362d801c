#pragma once
// Sequence sets (RFC 3501 9, "sequence-set"): "1:3,7,10:*". The same syntax names message
// sequence numbers or UIDs; "*" stands for the largest number in use, which is known only when
// the set is applied to a mailbox, so it is kept symbolic until then.

#include <cstdint>
#include <string>
#include <vector>

namespace mailscope::imap {

// "*" inside a range. Real numbers are nz-number (>= 1, < 2^32), so this value is never one.
constexpr std::uint32_t kStar = 0;

struct SequenceRange {
  std::uint32_t first = 1;  // either bound may be kStar; first may exceed last ("5:2" = "2:5")
  std::uint32_t last = 1;
  bool operator==(const SequenceRange&) const = default;
};

struct SequenceSet {
  std::vector<SequenceRange> ranges;  // in the order written; never empty once parsed

  // True when n lies in the set, with "*" read as largest.
  bool contains(std::uint32_t n, std::uint32_t largest) const;
  // True when some number of the set (with "*" read as largest) exceeds largest or is 0, i.e.
  // names a message that does not exist: with sequence numbers that is an error.
  bool exceeds(std::uint32_t largest) const;
  // "1:3,7,10:*" as written (canonical form of the parsed set).
  std::string to_string() const;
  bool operator==(const SequenceSet&) const = default;
};

// "1:3,5" for ascending numbers, compressing runs (for COPYUID and APPENDUID).
std::string compress_numbers(const std::vector<std::uint32_t>& ascending);

}  // namespace mailscope::imap
