#include "core/buffer_pool.h"

#include <gtest/gtest.h>

#include <cstring>
#include <set>

namespace mailscope {
namespace {

// Sizes go up in quarter steps between powers of two: 256, 320, 384, 448, 512, 640, ...
TEST(BufferPool, CapacitiesAreTheNextSizeStep) {
  BufferPool pool;
  struct Case {
    std::size_t size;
    std::size_t capacity;
  };
  for (const Case c : {
           Case{0, 256},                                            // the smallest buffer
           Case{256, 256},                                          //
           Case{257, 320},                                          // a quarter of 256 more
           Case{512, 512},                                          //
           Case{513, 640},                                          // steps of 128 above 512
           Case{10 * 1024, 10 * 1024},                              // a 10 KiB write fits exactly
           Case{10 * 1024 + 1, 12 * 1024},                          //
           Case{(std::size_t{3} << 20) + 1, std::size_t{7} << 19},  // 3.5 MiB
           Case{std::size_t{4} << 20, std::size_t{4} << 20},        // a whole block
       }) {
    const BufferPool::Buffer b = pool.allocate(c.size);
    EXPECT_EQ(b.capacity, c.capacity) << c.size;
    ASSERT_NE(b.data, nullptr);
    std::memset(b.data, 0xab, b.capacity);  // all of it is usable (ASan checks the bounds)
    pool.release(b);
  }
}

TEST(BufferPool, AReleasedBufferIsReusedForTheSameSize) {
  BufferPool pool;
  const BufferPool::Buffer first = pool.allocate(1000);
  pool.release(first);
  EXPECT_EQ(pool.allocate(900).data, first.data);   // the same size step (1 KiB): reused
  EXPECT_NE(pool.allocate(1000).data, first.data);  // it is taken now: a new one
}

// Live buffers never overlap, across size classes and across blocks.
TEST(BufferPool, LiveBuffersAreDisjoint) {
  BufferPool pool;
  std::set<std::pair<std::uint8_t*, std::uint8_t*>> ranges;
  for (int i = 0; i < 3000; ++i) {
    const BufferPool::Buffer b = pool.allocate(std::size_t{256} << (i % 9));
    ranges.insert({b.data, b.data + b.capacity});
  }
  for (auto it = ranges.begin(); std::next(it) != ranges.end(); ++it)
    EXPECT_LE(it->second, std::next(it)->first);
  EXPECT_GE(pool.bytes_reserved(), std::size_t{3000} / 9 * (256 * 511));
}

TEST(BufferPool, BuffersLargerThanABlockComeFromTheHeap) {
  BufferPool pool;
  const BufferPool::Buffer big = pool.allocate((std::size_t{4} << 20) + 1);
  EXPECT_EQ(big.capacity, std::size_t{8} << 20);
  big.data[big.capacity - 1] = 1;
  EXPECT_EQ(pool.bytes_reserved(), 0u);
  pool.release(big);
  pool.release({});  // an empty buffer is ignored
}

}  // namespace
}  // namespace mailscope
