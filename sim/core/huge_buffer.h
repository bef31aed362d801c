#pragma once
// HugeBuffer: a large zero-filled memory block for append-only arenas, backed by transparent huge
// pages where the kernel offers them. A long simulation touches gigabytes of fresh memory; with
// 4 KiB pages the page-fault traps cost more than the simulation itself, with 2 MiB pages they
// nearly vanish. Falls back to ordinary pages silently.

#include <cstddef>

namespace mailscope {

class HugeBuffer {
 public:
  HugeBuffer() = default;
  explicit HugeBuffer(std::size_t size);
  ~HugeBuffer();
  HugeBuffer(HugeBuffer&& other) noexcept;
  HugeBuffer& operator=(HugeBuffer&& other) noexcept;
  HugeBuffer(const HugeBuffer&) = delete;
  HugeBuffer& operator=(const HugeBuffer&) = delete;

  std::byte* data() const { return m_data; }
  std::size_t size() const { return m_size; }

 private:
  void release();
  std::byte* m_data = nullptr;
  std::size_t m_size = 0;
};

}  // namespace mailscope
