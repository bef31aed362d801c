#pragma once
// ByteQueue: a first-in first-out run of bytes kept in one contiguous buffer: appended at the
// back, consumed from the front, any range readable as one span. TCP's send buffer is one. Its
// memory comes from the simulation's BufferPool rather than the heap (see buffer_pool.h for why).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>

#include "core/buffer_pool.h"
#include "wire/bytes.h"

namespace mailscope::net {

class ByteQueue {
 public:
  explicit ByteQueue(std::shared_ptr<BufferPool> pool) : m_pool(std::move(pool)) {}
  ~ByteQueue() { m_pool->release(m_buffer); }
  ByteQueue(const ByteQueue&) = delete;
  ByteQueue& operator=(const ByteQueue&) = delete;

  std::size_t size() const { return m_tail - m_head; }
  bool empty() const { return size() == 0; }

  void append(wire::ByteView bytes);
  // Drops the first `count` bytes (at most size()). An emptied queue gives a large buffer back,
  // so a connection that sent a burst and went quiet does not keep the burst's memory.
  void consume(std::size_t count);

  // Bytes [offset, offset + length) of the queue, clamped to its end. Valid until the next
  // append or consume.
  wire::ByteView view(std::size_t offset, std::size_t length) const {
    if (offset > size()) offset = size();
    if (length > size() - offset) length = size() - offset;
    return wire::ByteView(m_buffer.data + m_head + offset, length);
  }

 private:
  static constexpr std::size_t kKeepCapacityMax = 4096;
  std::shared_ptr<BufferPool> m_pool;  // shared: the queue may outlive its simulator
  BufferPool::Buffer m_buffer;         // live bytes are [m_head, m_tail) of it
  std::size_t m_head = 0;
  std::size_t m_tail = 0;
};

}  // namespace mailscope::net
