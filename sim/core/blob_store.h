#pragma once
// BlobStore: an append-only arena for the bytes the trace keeps (frames, application lines).
// Bytes are never moved once stored, so a BlobRef stays valid for the life of the store, and
// memory grows linearly with what is stored: no vector doubling, no per-frame allocation.

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "core/huge_buffer.h"

namespace mailscope {

struct BlobRef {
  std::uint32_t chunk = 0;
  std::uint32_t offset = 0;
  std::uint32_t size = 0;
  bool empty() const { return size == 0; }
  // A sub-range [from, from + length) of this blob, clamped to its end.
  BlobRef slice(std::uint32_t from, std::uint32_t length = UINT32_MAX) const {
    if (from > size) from = size;
    const std::uint32_t room = size - from;
    return BlobRef{chunk, offset + from, length < room ? length : room};
  }
};

class BlobStore {
 public:
  BlobRef store(std::span<const std::uint8_t> bytes);
  BlobRef store(std::string_view text);
  std::span<const std::uint8_t> bytes(BlobRef ref) const;
  std::string_view text(BlobRef ref) const;
  std::size_t bytes_stored() const { return m_bytes_stored; }
  std::size_t bytes_reserved() const;

 private:
  static constexpr std::size_t kChunkSize = 4 << 20;
  struct Chunk {
    HugeBuffer memory;
    std::size_t used = 0;
    std::uint8_t* data() const { return reinterpret_cast<std::uint8_t*>(memory.data()); }
    std::size_t capacity() const { return memory.size(); }
  };
  std::vector<Chunk> m_chunks;
  std::size_t m_bytes_stored = 0;
};

}  // namespace mailscope
