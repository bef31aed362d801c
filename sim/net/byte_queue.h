#pragma once
// ByteQueue: a first-in first-out run of bytes kept in one contiguous buffer: appended at the
// back, consumed from the front, any range readable as one span. TCP's send buffer is one: a
// std::deque of bytes allocated 512 bytes at a time and copied byte by byte into each segment,
// which with 10,000 connections made the allocator a tenth of a run.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "wire/bytes.h"

namespace mailscope::net {

class ByteQueue {
 public:
  std::size_t size() const { return m_bytes.size() - m_head; }
  bool empty() const { return size() == 0; }

  void append(wire::ByteView bytes) { m_bytes.insert(m_bytes.end(), bytes.begin(), bytes.end()); }

  // Drops the first `count` bytes (at most size()). The consumed prefix is reclaimed once it is
  // the larger half, so memory stays within twice the live bytes and each byte moves O(1) times.
  void consume(std::size_t count) {
    m_head += count < size() ? count : size();
    if (m_head == m_bytes.size()) {
      // Empty: a connection that sent a burst and went quiet does not keep the burst's buffer.
      if (m_bytes.capacity() > kKeepCapacityMax) {
        std::vector<std::uint8_t>().swap(m_bytes);
      } else {
        m_bytes.clear();
      }
      m_head = 0;
    } else if (m_head > m_bytes.size() / 2) {
      m_bytes.erase(m_bytes.begin(), m_bytes.begin() + static_cast<std::ptrdiff_t>(m_head));
      m_head = 0;
    }
  }

  // Bytes [offset, offset + length) of the queue, clamped to its end. Valid until the next
  // append or consume.
  wire::ByteView view(std::size_t offset, std::size_t length) const {
    if (offset > size()) offset = size();
    if (length > size() - offset) length = size() - offset;
    return wire::ByteView(m_bytes.data() + m_head + offset, length);
  }

 private:
  static constexpr std::size_t kKeepCapacityMax = 4096;
  std::vector<std::uint8_t> m_bytes;  // live bytes are [m_head, size of m_bytes)
  std::size_t m_head = 0;
};

}  // namespace mailscope::net
