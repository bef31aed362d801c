#include "net/byte_queue.h"

#include <cstring>

namespace mailscope::net {

void ByteQueue::append(wire::ByteView bytes) {
  if (bytes.empty()) return;
  const std::size_t live = size();
  if (m_tail + bytes.size() > m_buffer.capacity) {
    if (live + bytes.size() <= m_buffer.capacity / 2) {
      // Room at the front: moving the live bytes there costs at most what was consumed since
      // they last moved, so each byte moves O(1) times.
      std::memmove(m_buffer.data, m_buffer.data + m_head, live);
    } else {
      // An empty queue takes what this write needs. One that still holds bytes takes twice
      // that, so that at least half the new buffer is free and the next move is as far away.
      const std::size_t needed = live + bytes.size();
      const BufferPool::Buffer grown = m_pool->allocate(live == 0 ? needed : 2 * needed);
      if (live > 0) std::memcpy(grown.data, m_buffer.data + m_head, live);
      m_pool->release(m_buffer);
      m_buffer = grown;
    }
    m_head = 0;
    m_tail = live;
  }
  std::memcpy(m_buffer.data + m_tail, bytes.data(), bytes.size());
  m_tail += bytes.size();
}

void ByteQueue::consume(std::size_t count) {
  m_head += count < size() ? count : size();
  if (m_head != m_tail) return;
  m_head = m_tail = 0;
  if (m_buffer.capacity > kKeepCapacityMax) {
    m_pool->release(m_buffer);
    m_buffer = {};
  }
}

}  // namespace mailscope::net
