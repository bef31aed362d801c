#include "core/blob_store.h"

#include <cstring>

namespace mailscope {

BlobRef BlobStore::store(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return BlobRef{};
  if (m_chunks.empty() || m_chunks.back().capacity() - m_chunks.back().used < bytes.size()) {
    // An oversized blob gets a chunk of its own; the current chunk's tail is simply not used.
    const std::size_t capacity = bytes.size() > kChunkSize ? bytes.size() : kChunkSize;
    m_chunks.push_back(Chunk{HugeBuffer(capacity), 0});
  }
  Chunk& chunk = m_chunks.back();
  std::memcpy(chunk.data() + chunk.used, bytes.data(), bytes.size());
  BlobRef ref{static_cast<std::uint32_t>(m_chunks.size() - 1),
              static_cast<std::uint32_t>(chunk.used), static_cast<std::uint32_t>(bytes.size())};
  chunk.used += bytes.size();
  m_bytes_stored += bytes.size();
  return ref;
}

BlobRef BlobStore::store(std::string_view text) {
  return store(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

std::span<const std::uint8_t> BlobStore::bytes(BlobRef ref) const {
  if (ref.size == 0 || ref.chunk >= m_chunks.size()) return {};
  return std::span(m_chunks[ref.chunk].data() + ref.offset, ref.size);
}

std::string_view BlobStore::text(BlobRef ref) const {
  auto b = bytes(ref);
  return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}

std::size_t BlobStore::bytes_reserved() const {
  std::size_t total = 0;
  for (const Chunk& chunk : m_chunks)
    total += chunk.capacity();
  return total;
}

}  // namespace mailscope
