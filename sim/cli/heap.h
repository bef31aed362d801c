#pragma once
// The process heap, as `mailscope serve` reports it (glibc's malloc; elsewhere 0).

#include <cstdint>

namespace mailscope::cli {

// Bytes the allocator has handed out and not had back, its own mmapped blocks included.
std::uint64_t heap_in_use();

}  // namespace mailscope::cli
