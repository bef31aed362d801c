#include "core/blob_store.h"

#include <cstring>
#include <new>
#include <utility>

namespace mailscope {

std::uint8_t* BlobStore::allocate(std::uint64_t needed) {
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
  m_bytes_stored += needed;
  return const_cast<std::uint8_t*>(at(m_next));
}

BlobRef BlobStore::store(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return BlobRef{};
  const bool large = bytes.size() >= BlobRef::kLargeSize;
  const std::uint64_t prefix = large ? sizeof(std::uint64_t) : 0;
  const std::uint64_t needed = prefix + bytes.size();
  std::uint8_t* out = allocate(needed);
  if (large) {
    const std::uint64_t size = bytes.size();
    std::memcpy(out, &size, sizeof size);
  }
  std::memcpy(out + prefix, bytes.data(), bytes.size());
  const BlobRef ref(m_next + prefix, large ? BlobRef::kLargeSize : bytes.size(),
                    BlobRef::Form::Contiguous);
  m_next += needed;
  return ref;
}

BlobRef BlobStore::store(std::string_view text) {
  return store(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

BlobRef BlobStore::splice(std::span<const std::uint8_t> head, BlobRef tail) {
  if (tail.empty()) return store(head);
  if (head.empty()) return tail;
  const std::size_t total = head.size() + size(tail);
  if (total >= BlobRef::kLargeSize || head.size() > UINT16_MAX) {
    // Too large for a spliced reference's size field (no frame is): stored in one piece.
    std::vector<std::uint8_t> whole(head.begin(), head.end());
    append(tail, whole);
    return store(whole);
  }
  std::uint8_t* out = allocate(kSpliceRecord + head.size());
  const auto head_size = static_cast<std::uint16_t>(head.size());
  std::memcpy(out, &tail.m_bits, sizeof tail.m_bits);
  std::memcpy(out + sizeof tail.m_bits, &head_size, sizeof head_size);
  std::memcpy(out + kSpliceRecord, head.data(), head.size());
  const BlobRef ref(m_next + kSpliceRecord, total, BlobRef::Form::Spliced);
  m_next += kSpliceRecord + head.size();
  return ref;
}

BlobRef BlobStore::pair(BlobRef first, BlobRef second) {
  if (second.empty()) return first;
  std::uint8_t* out = allocate(2 * sizeof(std::uint64_t));
  std::memcpy(out, &first.m_bits, sizeof first.m_bits);
  std::memcpy(out + sizeof first.m_bits, &second.m_bits, sizeof second.m_bits);
  const BlobRef ref(m_next, 2 * sizeof(std::uint64_t), BlobRef::Form::Pair);
  m_next += 2 * sizeof(std::uint64_t);
  return ref;
}

std::pair<BlobRef, BlobRef> BlobStore::unpair(BlobRef ref) const {
  if (ref.form() != BlobRef::Form::Pair) return {ref, BlobRef{}};
  const std::uint8_t* record = at(ref.position());
  std::pair<BlobRef, BlobRef> refs;
  std::memcpy(&refs.first.m_bits, record, sizeof refs.first.m_bits);
  std::memcpy(&refs.second.m_bits, record + sizeof refs.first.m_bits, sizeof refs.second.m_bits);
  return refs;
}

BlobStore::Splice BlobStore::splice_of(BlobRef ref) const {
  // The record is stored in one piece, so the bytes before the head are in the head's chunk.
  const std::uint8_t* head = at(ref.position());
  std::uint16_t head_size = 0;
  std::memcpy(&head_size, head - sizeof head_size, sizeof head_size);
  Splice splice;
  std::memcpy(&splice.tail.m_bits, head - kSpliceRecord, sizeof splice.tail.m_bits);
  splice.head = std::span(head, head_size);
  return splice;
}

std::span<const std::uint8_t> BlobStore::prefix(BlobRef ref) const {
  if (ref.empty()) return {};
  if (ref.spliced()) return splice_of(ref).head;
  const std::uint8_t* data = at(ref.position());
  std::uint64_t size = ref.size_field();
  // A large blob's bytes follow its size in the same chunk, so data - 8 is inside that chunk.
  if (size == BlobRef::kLargeSize) std::memcpy(&size, data - sizeof size, sizeof size);
  return std::span(data, size);
}

void BlobStore::append(BlobRef ref, std::vector<std::uint8_t>& out) const {
  // Tails may be spliced too (a frame forwarded twice); each level is one head.
  while (ref.spliced()) {
    const Splice splice = splice_of(ref);
    out.insert(out.end(), splice.head.begin(), splice.head.end());
    ref = splice.tail;
  }
  const auto rest = prefix(ref);
  out.insert(out.end(), rest.begin(), rest.end());
}

std::span<const std::uint8_t> BlobStore::bytes(BlobRef ref,
                                               std::vector<std::uint8_t>& scratch) const {
  if (!ref.spliced()) return prefix(ref);
  scratch.clear();
  append(ref, scratch);
  return scratch;
}

std::string_view BlobStore::text(BlobRef ref) const {
  const auto b = prefix(ref);
  return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}

std::size_t BlobStore::size(BlobRef ref) const {
  if (ref.spliced() || ref.size_field() < BlobRef::kLargeSize) return ref.size_field();
  return prefix(ref).size();
}

BlobRef BlobStore::slice(BlobRef ref, std::size_t from, std::size_t length) {
  const std::size_t size = this->size(ref);
  if (from > size) from = size;
  const std::size_t room = size - from;
  if (length > room) length = room;
  if (length == 0) return BlobRef{};
  if (from == 0 && length == size) return ref;
  if (ref.spliced()) {
    const Splice splice = splice_of(ref);
    const std::size_t head = splice.head.size();
    if (from >= head) return slice(splice.tail, from - head, length);
    // Part of the head is kept: that part is stored again, before the tail it still covers.
    const auto kept = splice.head.subspan(from, std::min(length, head - from));
    if (length <= kept.size()) return store(kept);
    // Stored bytes never move, so kept may be stored from where it lies.
    return this->splice(kept, slice(splice.tail, 0, length - kept.size()));
  }
  // A large slice cannot carry its size in the reference, and its first byte has no size stored
  // before it unless it starts the blob: such a slice (never needed by the network, whose frames
  // are small) gets a copy of its own.
  if (length >= BlobRef::kLargeSize) return store(prefix(ref).subspan(from, length));
  return BlobRef(ref.position() + from, length, BlobRef::Form::Contiguous);
}

std::size_t BlobStore::bytes_reserved() const {
  std::size_t total = 0;
  for (const HugeBuffer& chunk : m_chunks)
    total += chunk.size();
  return total;
}

}  // namespace mailscope
