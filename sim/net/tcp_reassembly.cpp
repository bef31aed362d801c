#include "net/tcp_reassembly.h"

#include <algorithm>
#include <iterator>

namespace mailscope::net {

void TcpReassembly::skip(std::size_t count) {
  m_next += count;
  drop_below_next();
}

void TcpReassembly::drop_below_next() {
  while (!m_ranges.empty() && m_ranges.begin()->first < m_next) {
    auto node = m_ranges.extract(m_ranges.begin());
    const std::uint64_t start = node.key();
    wire::Bytes& bytes = node.mapped();
    m_buffered -= bytes.size();
    const std::uint64_t end = start + bytes.size();
    if (end <= m_next) continue;
    // Keep the tail that is still ahead of next().
    bytes.erase(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(m_next - start));
    m_buffered += bytes.size();
    m_ranges.emplace(m_next, std::move(bytes));
  }
}

void TcpReassembly::store(std::uint64_t offset, wire::ByteView bytes) {
  std::uint64_t begin = std::max(offset, m_next);
  const std::uint64_t end = std::min(offset + bytes.size(), m_next + m_capacity);
  if (begin >= end) return;
  // Start after any stored range that covers `begin`.
  auto it = m_ranges.upper_bound(begin);
  if (it != m_ranges.begin()) {
    const auto& [prev_start, prev_bytes] = *std::prev(it);
    begin = std::max(begin, prev_start + prev_bytes.size());
  }
  // Fill each hole between stored ranges; stored ranges are disjoint and sorted.
  while (begin < end) {
    it = m_ranges.lower_bound(begin);
    const std::uint64_t hole_end = it == m_ranges.end() ? end : std::min(end, it->first);
    if (hole_end > begin && m_buffered + (hole_end - begin) <= m_capacity) {
      const auto from = static_cast<std::size_t>(begin - offset);
      const auto length = static_cast<std::size_t>(hole_end - begin);
      m_ranges.emplace(begin,
                       wire::Bytes(bytes.begin() + static_cast<std::ptrdiff_t>(from),
                                   bytes.begin() + static_cast<std::ptrdiff_t>(from + length)));
      m_buffered += length;
    }
    if (it == m_ranges.end()) break;
    begin = std::max(begin, it->first + it->second.size());
  }
}

wire::Bytes TcpReassembly::take_ready() {
  if (m_ranges.empty() || m_ranges.begin()->first != m_next) return {};
  auto node = m_ranges.extract(m_ranges.begin());
  m_buffered -= node.mapped().size();
  m_next += node.mapped().size();
  return std::move(node.mapped());
}

}  // namespace mailscope::net
