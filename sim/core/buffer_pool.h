#pragma once
// BufferPool: memory for the buffers a run keeps growing and releasing (TCP send buffers), carved
// from the same faulted-in 4 MiB blocks as the trace.
//
// Ten thousand connections that each queue 10 KiB take 100 MiB at once. From the C library's heap
// that memory comes in 4 KiB pages whose first touch each trap into the kernel (and, on a virtual
// machine, the hypervisor): measured, a third of such a run. From the block supply it comes in
// huge pages, faulted in ahead on another core. Buffer sizes are quarter steps between powers of
// two from 256 bytes (8, 10, 12, 14, 16 KiB, ...), so a buffer wastes at most a fifth of itself; a
// released buffer goes on its size's free list and is reused, and the blocks are given back only
// when the pool goes, so the pool holds the most the run ever needed at once.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/block_supply.h"

namespace mailscope {

class BufferPool {
 public:
  struct Buffer {
    std::uint8_t* data = nullptr;
    std::size_t capacity = 0;
  };

  // Blocks come from `supply`; without one the pool maps its own.
  explicit BufferPool(std::shared_ptr<BlockSupply> supply = nullptr);
  ~BufferPool();
  BufferPool(const BufferPool&) = delete;
  BufferPool& operator=(const BufferPool&) = delete;

  // A buffer of at least `size` bytes (capacity: the next size step, 256 at least). Its bytes are
  // whatever they were when last released.
  Buffer allocate(std::size_t size);
  // Gives back a buffer from allocate(); an empty one is ignored.
  void release(Buffer buffer);

  std::size_t bytes_reserved() const { return m_blocks.size() * BlockSupply::kBlockBytes; }

 private:
  static constexpr int kSmallestBits = 8;  // 256 bytes
  static constexpr int kLargestBits = 22;  // 4 MiB, a whole block
  static_assert((std::size_t{1} << kLargestBits) == BlockSupply::kBlockBytes);
  static constexpr int kStepsPerPower = 4;
  static constexpr int kClasses = (kLargestBits - kSmallestBits) * kStepsPerPower + 1;
  struct FreeBuffer {
    FreeBuffer* next;
  };
  struct SizeClass {
    std::size_t index;
    std::size_t capacity;
  };
  static SizeClass size_class(std::size_t size);

  std::shared_ptr<BlockSupply> m_supply;  // may be null
  std::vector<HugeBuffer> m_blocks;
  std::uint8_t* m_next = nullptr;  // the unused rest of the newest block
  std::uint8_t* m_end = nullptr;
  std::array<FreeBuffer*, kClasses> m_free{};  // per size class, linked through the buffers
};

}  // namespace mailscope
