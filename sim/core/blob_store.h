#pragma once
// BlobStore: an append-only arena for the bytes the trace keeps (frames, application lines).
// Bytes are never moved once stored, so a BlobRef stays valid for the life of the store, and
// memory grows linearly with what is stored: no vector doubling, no per-frame allocation.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "core/block_supply.h"
#include "core/huge_buffer.h"

namespace mailscope {

// Where a blob lies in its store: a 38-bit position, a "pair" and a "spliced" flag and a 24-bit
// size in one word, so that a trace event stays small (the trace holds tens of millions). A
// blob of 16 MiB or more is marked by the largest size value and keeps its real size in the store,
// just before its bytes; only the store can measure or slice such a blob, which is why slicing is
// the store's job.
class BlobRef {
 public:
  constexpr BlobRef() = default;
  bool empty() const { return m_bits == 0; }
  friend bool operator==(BlobRef, BlobRef) = default;

 private:
  friend class BlobStore;
  enum class Form : std::uint64_t { Contiguous = 0, Spliced = 1, Pair = 2 };
  static constexpr int kSizeBits = 24;
  static constexpr int kPositionShift = kSizeBits + 2;  // the two bits between mark the form
  static constexpr std::uint64_t kLargeSize = (std::uint64_t{1} << kSizeBits) - 1;
  constexpr BlobRef(std::uint64_t position, std::uint64_t size_field, Form form)
      : m_bits(position << kPositionShift | static_cast<std::uint64_t>(form) << kSizeBits |
               size_field) {}
  std::uint64_t position() const { return m_bits >> kPositionShift; }
  std::uint64_t size_field() const { return m_bits & kLargeSize; }
  Form form() const { return static_cast<Form>(m_bits >> kSizeBits & 3); }
  bool spliced() const { return form() == Form::Spliced; }
  // position << 26 | form << 24 | size (0 = empty, kLargeSize = see the store)
  std::uint64_t m_bits = 0;
};

// A blob is either contiguous (stored in one piece) or spliced: a few new bytes (the head) stored
// before the bytes of an earlier blob (the tail), which are shared rather than copied. A router
// forwards a frame as a spliced blob: a new Ethernet header before a new IPv4 header (TTL and
// checksum changed) before the transport segment it received, which is most of the frame.
class BlobStore {
 public:
  BlobStore() = default;
  // One-window chunks come from `supply` (which must outlive the store).
  explicit BlobStore(BlockSupply* supply) : m_supply(supply) {}

  BlobRef store(std::span<const std::uint8_t> bytes);
  BlobRef store(std::string_view text);
  // head followed by the bytes of tail, which is not copied.
  BlobRef splice(std::span<const std::uint8_t> head, BlobRef tail);
  // Two references kept as one, 16 bytes in the store (a trace event's bytes and its text).
  // A pair is only ever unpaired, never read as bytes.
  BlobRef pair(BlobRef first, BlobRef second);
  // The two references of a pair; any other reference is (itself, empty).
  std::pair<BlobRef, BlobRef> unpair(BlobRef ref) const;

  // All bytes of a blob: in place when it is contiguous, gathered into `scratch` when it is
  // spliced (the span then lives as long as scratch is left alone).
  std::span<const std::uint8_t> bytes(BlobRef ref, std::vector<std::uint8_t>& scratch) const;
  // The leading bytes stored together: all of a contiguous blob, the head of a spliced one.
  // Enough to parse the headers of a forwarded frame without gathering it.
  std::span<const std::uint8_t> prefix(BlobRef ref) const;
  // A blob stored from text (text is never spliced).
  std::string_view text(BlobRef ref) const;
  std::size_t size(BlobRef ref) const;
  bool spliced(BlobRef ref) const { return ref.spliced(); }
  // The sub-range [from, from + length) of a blob, clamped to its end; shares the bytes (but for
  // a slice of 16 MiB or more that does not start the blob, which is stored again, and the part
  // of a spliced blob's head a slice keeps, a few bytes stored again).
  BlobRef slice(BlobRef ref, std::size_t from, std::size_t length = SIZE_MAX);
  std::size_t bytes_stored() const { return m_bytes_stored; }
  std::size_t bytes_reserved() const;

 private:
  // Positions are laid out in windows of 4 MiB. A chunk covers one window, or several
  // consecutive ones when a single blob is larger than a window; m_windows maps each window to
  // its first byte.
  static constexpr int kWindowBits = 22;
  static constexpr std::size_t kWindowSize = std::size_t{1} << kWindowBits;
  static_assert(kWindowSize == BlockSupply::kBlockBytes);
  static constexpr std::uint64_t kPositionMax = std::uint64_t{1} << (64 - BlobRef::kPositionShift);
  // A spliced blob is stored as [tail reference, 8 bytes][head length, 2 bytes][head]; its
  // reference points at the head and its size field holds the whole size (always below 16 MiB).
  static constexpr std::size_t kSpliceRecord = sizeof(std::uint64_t) + sizeof(std::uint16_t);
  struct Splice {
    std::span<const std::uint8_t> head;
    BlobRef tail;
  };
  Splice splice_of(BlobRef ref) const;
  void append(BlobRef ref, std::vector<std::uint8_t>& out) const;
  // Room for `needed` bytes at m_next, in a new chunk when the current one has too little left.
  std::uint8_t* allocate(std::uint64_t needed);
  const std::uint8_t* at(std::uint64_t position) const {
    return m_windows[position >> kWindowBits] + (position & (kWindowSize - 1));
  }
  std::vector<HugeBuffer> m_chunks;
  std::vector<std::uint8_t*> m_windows;
  std::uint64_t m_next = 0;  // the position the next blob starts at
  std::uint64_t m_end = 0;   // one past the last position of the newest chunk
  std::size_t m_bytes_stored = 0;
  BlockSupply* m_supply = nullptr;  // may be null
};

}  // namespace mailscope
