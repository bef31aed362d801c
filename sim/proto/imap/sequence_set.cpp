#include "proto/imap/sequence_set.h"

#include <algorithm>

namespace mailscope::imap {
namespace {

std::uint32_t resolve(std::uint32_t n, std::uint32_t largest) {
  return n == kStar ? largest : n;
}

void append_number(std::string& out, std::uint32_t n) {
  if (n == kStar) {
    out += '*';
  } else {
    out += std::to_string(n);
  }
}

}  // namespace

bool SequenceSet::contains(std::uint32_t n, std::uint32_t largest) const {
  for (const SequenceRange& r : ranges) {
    const std::uint32_t a = resolve(r.first, largest);
    const std::uint32_t b = resolve(r.last, largest);
    if (n >= std::min(a, b) && n <= std::max(a, b)) return true;
  }
  return false;
}

bool SequenceSet::exceeds(std::uint32_t largest) const {
  for (const SequenceRange& r : ranges) {
    const std::uint32_t a = resolve(r.first, largest);
    const std::uint32_t b = resolve(r.last, largest);
    if (a == 0 || b == 0 || a > largest || b > largest) return true;
  }
  return false;
}

std::string SequenceSet::to_string() const {
  std::string out;
  for (const SequenceRange& r : ranges) {
    if (!out.empty()) out += ',';
    append_number(out, r.first);
    if (r.first != r.last) {
      out += ':';
      append_number(out, r.last);
    }
  }
  return out;
}

std::string compress_numbers(const std::vector<std::uint32_t>& ascending) {
  std::string out;
  std::size_t i = 0;
  while (i < ascending.size()) {
    std::size_t j = i;
    while (j + 1 < ascending.size() && ascending[j + 1] == ascending[j] + 1)
      ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(ascending[i]);
    if (j > i) out += ':' + std::to_string(ascending[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace mailscope::imap
