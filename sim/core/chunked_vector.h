#pragma once
// ChunkedVector<T>: an append-only sequence stored in fixed-size blocks. Appending never moves
// existing elements (no doubling and copying of a huge array, and references stay valid), while
// indexing stays O(1). The trace keeps millions of events in one.

#include <cstddef>
#include <iterator>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

#include "core/block_supply.h"
#include "core/huge_buffer.h"

namespace mailscope {

// Blocks are 4 MiB, two transparent huge pages, and hold as many elements as fit: a block of a
// power-of-two count would leave up to half of its last huge page unused yet resident.
template <typename T, std::size_t kBlockBytes = std::size_t{4} << 20>
class ChunkedVector {
  static_assert(std::is_trivially_destructible_v<T>, "blocks are released without destructors");

 public:
  static constexpr std::size_t kBlockSize = kBlockBytes / sizeof(T);
  static_assert(kBlockSize > 0);

  ChunkedVector() = default;
  // Blocks come from `supply` (which must outlive the vector) instead of fresh mappings.
  explicit ChunkedVector(BlockSupply* supply) : m_supply(supply) {
    static_assert(kBlockBytes == BlockSupply::kBlockBytes);
  }

  class Iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = const T*;
    using reference = const T&;

    Iterator() = default;
    Iterator(const ChunkedVector* owner, std::size_t index) : m_owner(owner), m_index(index) {}
    reference operator*() const { return (*m_owner)[m_index]; }
    pointer operator->() const { return &(*m_owner)[m_index]; }
    reference operator[](difference_type n) const { return (*m_owner)[m_index + n]; }
    Iterator& operator++() {
      ++m_index;
      return *this;
    }
    Iterator operator++(int) {
      Iterator old = *this;
      ++m_index;
      return old;
    }
    Iterator& operator--() {
      --m_index;
      return *this;
    }
    Iterator operator--(int) {
      Iterator old = *this;
      --m_index;
      return old;
    }
    Iterator& operator+=(difference_type n) {
      m_index += n;
      return *this;
    }
    Iterator& operator-=(difference_type n) {
      m_index -= n;
      return *this;
    }
    friend Iterator operator+(Iterator it, difference_type n) { return it += n; }
    friend Iterator operator+(difference_type n, Iterator it) { return it += n; }
    friend Iterator operator-(Iterator it, difference_type n) { return it -= n; }
    friend difference_type operator-(const Iterator& a, const Iterator& b) {
      return static_cast<difference_type>(a.m_index) - static_cast<difference_type>(b.m_index);
    }
    friend bool operator==(const Iterator& a, const Iterator& b) { return a.m_index == b.m_index; }
    friend auto operator<=>(const Iterator& a, const Iterator& b) {
      return a.m_index <=> b.m_index;
    }

   private:
    const ChunkedVector* m_owner = nullptr;
    std::size_t m_index = 0;
  };

  void push_back(const T& value) {
    if (m_size % kBlockSize == 0)
      m_blocks.push_back(m_supply != nullptr ? m_supply->take() : HugeBuffer(kBlockBytes));
    new (slot(m_size)) T(value);
    ++m_size;
  }
  const T& operator[](std::size_t i) const { return *std::launder(slot(i)); }
  T& operator[](std::size_t i) { return *std::launder(slot(i)); }
  const T& back() const { return (*this)[m_size - 1]; }
  std::size_t size() const { return m_size; }
  bool empty() const { return m_size == 0; }
  Iterator begin() const { return Iterator(this, 0); }
  Iterator end() const { return Iterator(this, m_size); }
  std::size_t memory_bytes() const { return m_blocks.size() * kBlockBytes; }

 private:
  T* slot(std::size_t i) const {
    return reinterpret_cast<T*>(m_blocks[i / kBlockSize].data()) + i % kBlockSize;
  }
  std::vector<HugeBuffer> m_blocks;
  std::size_t m_size = 0;
  BlockSupply* m_supply = nullptr;  // may be null
};

}  // namespace mailscope
