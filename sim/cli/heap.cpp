#include "cli/heap.h"

#include <malloc.h>

namespace mailscope::cli {

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))

std::uint64_t heap_in_use() {
  const struct mallinfo2 info = mallinfo2();
  return static_cast<std::uint64_t>(info.uordblks) + static_cast<std::uint64_t>(info.hblkhd);
}

#else

std::uint64_t heap_in_use() {
  return 0;
}

#endif

}  // namespace mailscope::cli
