#include "core/huge_buffer.h"

#include <sys/mman.h>

#include <cstdint>
#include <new>
#include <utility>

namespace mailscope {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;

std::size_t round_up(std::size_t n, std::size_t to) {
  return (n + to - 1) / to * to;
}

}  // namespace

HugeBuffer::HugeBuffer(std::size_t size) {
  m_size = round_up(size, kHugePage);
  // Map one huge page more than needed so that the block can start on a 2 MiB boundary, then
  // give the slack back.
  const std::size_t mapped = m_size + kHugePage;
  void* raw = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = round_up(start, kHugePage);
  if (aligned > start) munmap(raw, aligned - start);
  const std::uintptr_t end = start + mapped;
  if (end > aligned + m_size)
    munmap(reinterpret_cast<void*>(aligned + m_size), end - (aligned + m_size));
  m_data = reinterpret_cast<std::byte*>(aligned);
  madvise(m_data, m_size, MADV_HUGEPAGE);
}

HugeBuffer::~HugeBuffer() {
  release();
}

HugeBuffer::HugeBuffer(HugeBuffer&& other) noexcept
    : m_data(std::exchange(other.m_data, nullptr)), m_size(std::exchange(other.m_size, 0)) {}

HugeBuffer& HugeBuffer::operator=(HugeBuffer&& other) noexcept {
  if (this != &other) {
    release();
    m_data = std::exchange(other.m_data, nullptr);
    m_size = std::exchange(other.m_size, 0);
  }
  return *this;
}

void HugeBuffer::release() {
  if (m_data != nullptr) munmap(m_data, m_size);
  m_data = nullptr;
  m_size = 0;
}

}  // namespace mailscope
