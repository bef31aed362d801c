#pragma once
// TcpReassembly: the receive side's out-of-order store. Positions are absolute stream offsets
// (bytes since the start of the peer's data), so wrapping sequence numbers never reach it.
// Bytes that arrive beyond a gap wait here until the gap fills; the store never holds more than
// `capacity` bytes and never two copies of one byte.

#include <cstdint>
#include <map>
#include <string_view>  // wire/bytes.h uses it without including it

#include "wire/bytes.h"

namespace mailscope::net {

class TcpReassembly {
 public:
  explicit TcpReassembly(std::size_t capacity_bytes) : m_capacity(capacity_bytes) {}

  // Stream offset of the first byte not yet handed to the application.
  std::uint64_t next() const { return m_next; }
  // Bytes held beyond a gap; at most capacity().
  std::size_t buffered_bytes() const { return m_buffered; }
  std::size_t capacity() const { return m_capacity; }
  // Number of separate byte ranges held (a gap precedes each).
  std::size_t ranges() const { return m_ranges.size(); }

  // Records that `count` bytes starting at next() were delivered straight from a segment, and
  // drops any stored copy of them.
  void skip(std::size_t count);
  // Keeps the bytes of [offset, offset + size) that lie after next(), are not stored yet and
  // fit below next() + capacity; the rest is discarded (the sender will retransmit it).
  void store(std::uint64_t offset, wire::ByteView bytes);
  // Removes and returns the stored bytes that start at next() (advancing next()); empty when
  // the first stored range still lies beyond a gap.
  wire::Bytes take_ready();

 private:
  void drop_below_next();

  std::size_t m_capacity;
  std::uint64_t m_next = 0;
  // Disjoint ranges keyed by their first offset, all at or above m_next.
  std::map<std::uint64_t, wire::Bytes> m_ranges;
  std::size_t m_buffered = 0;  // sum of the sizes in m_ranges
};

}  // namespace mailscope::net
