#include "core/buffer_pool.h"

#include <algorithm>
#include <bit>
#include <new>
#include <utility>

namespace mailscope {

BufferPool::BufferPool(std::shared_ptr<BlockSupply> supply) : m_supply(std::move(supply)) {}

// Buffers still out belong to blocks the pool owns; their owners must be gone first.
BufferPool::~BufferPool() = default;

BufferPool::SizeClass BufferPool::size_class(std::size_t size) {
  constexpr std::size_t kSmallest = std::size_t{1} << kSmallestBits;
  if (size <= kSmallest) return {0, kSmallest};
  // size lies in (2^(bits-1), 2^bits]; that range is cut into kStepsPerPower equal steps.
  const int bits = std::bit_width(size - 1);
  const std::size_t step = std::size_t{1} << (bits - 1) >> 2;
  const std::size_t steps = (size + step - 1) / step;  // 5 to 8 steps of that size
  const auto index = static_cast<std::size_t>((bits - 1 - kSmallestBits) * kStepsPerPower) +
                     (steps - kStepsPerPower);
  return {index, steps * step};
}

BufferPool::Buffer BufferPool::allocate(std::size_t size) {
  if (size > BlockSupply::kBlockBytes) {
    // Larger than a block: rare (a send buffer configured beyond 4 MiB), so the heap serves it.
    const std::size_t capacity = std::bit_ceil(size);
    return Buffer{static_cast<std::uint8_t*>(::operator new(capacity)), capacity};
  }
  const auto [index, capacity] = size_class(size);
  if (FreeBuffer* free = m_free[index]) {
    m_free[index] = free->next;
    return Buffer{reinterpret_cast<std::uint8_t*>(free), capacity};
  }
  if (static_cast<std::size_t>(m_end - m_next) < capacity) {
    // What is left of the current block is abandoned: at most one buffer's worth per block.
    HugeBuffer block =
        m_supply != nullptr ? m_supply->take() : HugeBuffer(BlockSupply::kBlockBytes);
    m_next = reinterpret_cast<std::uint8_t*>(block.data());
    m_end = m_next + block.size();
    m_blocks.push_back(std::move(block));
  }
  // Buffers start at multiples of 64 bytes into a block (the smallest step beyond 256 bytes):
  // aligned enough for the free-list link.
  std::uint8_t* data = m_next;
  m_next += capacity;
  return Buffer{data, capacity};
}

void BufferPool::release(Buffer buffer) {
  if (buffer.data == nullptr) return;
  if (buffer.capacity > BlockSupply::kBlockBytes) {
    ::operator delete(buffer.data);
    return;
  }
  const std::size_t index = size_class(buffer.capacity).index;
  m_free[index] = new (buffer.data) FreeBuffer{m_free[index]};
}

}  // namespace mailscope
