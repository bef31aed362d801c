#include "core/blob_store.h"

#include <cstring>
#include <new>
#include <utility>

namespace mailscope {

BlobRef BlobStore::make_ref(std::uint64_t position, std::uint64_t size) const {
  return BlobRef(position, size < BlobRef::kLargeSize ? size : BlobRef::kLargeSize);
}

BlobRef BlobStore::store(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return BlobRef{};
  const bool large = bytes.size() >= BlobRef::kLargeSize;
  const std::uint64_t prefix = large ? sizeof(std::uint64_t) : 0;
  const std::uint64_t needed = prefix + bytes.size();
  if (m_end - m_next < needed) {
    // A new chunk from the next whole window on; the current chunk's tail is simply not used.
    const std::size_t windows = (needed + kWindowSize - 1) / kWindowSize;
    const std::uint64_t first = m_windows.size();
    if ((first + windows) << kWindowBits > kPositionMax) throw std::bad_alloc();
    HugeBuffer chunk =
        windows == 1 && m_supply != nullptr ? m_supply->take() : HugeBuffer(windows * kWindowSize);
    auto* base = reinterpret_cast<std::uint8_t*>(m_chunks.emplace_back(std::move(chunk)).data());
    for (std::size_t w = 0; w < windows; ++w)
      m_windows.push_back(base + w * kWindowSize);
    m_next = first << kWindowBits;
    m_end = (first + windows) << kWindowBits;
  }
  auto* out = const_cast<std::uint8_t*>(at(m_next));
  if (large) {
    const std::uint64_t size = bytes.size();
    std::memcpy(out, &size, sizeof size);
  }
  std::memcpy(out + prefix, bytes.data(), bytes.size());
  const BlobRef ref = make_ref(m_next + prefix, bytes.size());
  m_next += needed;
  m_bytes_stored += bytes.size();
  return ref;
}

BlobRef BlobStore::store(std::string_view text) {
  return store(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

std::span<const std::uint8_t> BlobStore::bytes(BlobRef ref) const {
  if (ref.empty()) return {};
  const std::uint8_t* data = at(ref.position());
  std::uint64_t size = ref.size_field();
  // A large blob's bytes follow its size in the same chunk, so data - 8 is inside that chunk.
  if (size == BlobRef::kLargeSize) std::memcpy(&size, data - sizeof size, sizeof size);
  return std::span(data, size);
}

std::string_view BlobStore::text(BlobRef ref) const {
  auto b = bytes(ref);
  return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}

BlobRef BlobStore::slice(BlobRef ref, std::size_t from, std::size_t length) {
  const std::size_t size = this->size(ref);
  if (from > size) from = size;
  const std::size_t room = size - from;
  if (length > room) length = room;
  if (length == 0) return BlobRef{};
  // A large slice cannot carry its size in the reference, and its first byte has no size stored
  // before it unless it starts the blob: such a slice (never needed by the network, whose frames
  // are small) gets a copy of its own.
  if (length >= BlobRef::kLargeSize) {
    if (from == 0 && length == size) return ref;
    const auto whole = bytes(ref);
    return store(whole.subspan(from, length));
  }
  return make_ref(ref.position() + from, length);
}

std::size_t BlobStore::bytes_reserved() const {
  std::size_t total = 0;
  for (const HugeBuffer& chunk : m_chunks)
    total += chunk.size();
  return total;
}

}  // namespace mailscope
