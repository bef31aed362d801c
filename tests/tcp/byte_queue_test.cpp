#include "net/byte_queue.h"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

namespace mailscope::net {
namespace {

std::vector<std::uint8_t> to_vector(wire::ByteView view) {
  return std::vector<std::uint8_t>(view.begin(), view.end());
}

std::vector<std::uint8_t> counting(std::size_t n, std::uint8_t first) {
  std::vector<std::uint8_t> bytes(n);
  std::iota(bytes.begin(), bytes.end(), first);
  return bytes;
}

TEST(ByteQueue, ReadsAnyRangeAfterAppendsAndConsumes) {
  auto pool = std::make_shared<BufferPool>();
  ByteQueue q(pool);
  EXPECT_TRUE(q.empty());
  q.append(counting(10, 0));
  q.append(counting(5, 10));
  ASSERT_EQ(q.size(), 15u);
  EXPECT_EQ(to_vector(q.view(3, 4)), (std::vector<std::uint8_t>{3, 4, 5, 6}));
  q.consume(8);
  ASSERT_EQ(q.size(), 7u);
  EXPECT_EQ(to_vector(q.view(0, 7)), counting(7, 8));
  q.append(counting(3, 15));
  EXPECT_EQ(to_vector(q.view(5, 5)), counting(5, 13));
}

// Ranges past the end are clamped, never read out of bounds; consuming too much empties it.
TEST(ByteQueue, ClampsRangesAndOverlongConsumes) {
  auto pool = std::make_shared<BufferPool>();
  ByteQueue q(pool);
  q.append(counting(4, 1));
  EXPECT_EQ(to_vector(q.view(2, 100)), (std::vector<std::uint8_t>{3, 4}));
  EXPECT_TRUE(q.view(9, 1).empty());
  q.consume(100);
  EXPECT_TRUE(q.empty());
  q.append(counting(2, 7));  // usable again after being emptied
  EXPECT_EQ(to_vector(q.view(0, 2)), (std::vector<std::uint8_t>{7, 8}));
}

// A long stream through a small window: every byte comes out once, in order.
TEST(ByteQueue, KeepsOrderOverAStreamMuchLargerThanItsContents) {
  auto pool = std::make_shared<BufferPool>();
  ByteQueue q(pool);
  std::uint8_t next_in = 0;
  std::uint8_t next_out = 0;
  for (int round = 0; round < 1000; ++round) {
    std::vector<std::uint8_t> chunk(1 + round % 97);
    for (auto& b : chunk)
      b = next_in++;
    q.append(chunk);
    const std::size_t take = q.size() > 50 ? q.size() - 50 : q.size() / 2;
    for (const std::uint8_t b : q.view(0, take))
      ASSERT_EQ(b, next_out++);
    q.consume(take);
  }
  EXPECT_LE(q.size(), 146u);
  EXPECT_EQ(pool->bytes_reserved(), std::size_t{4} << 20);  // one block held all of it
}

// A connection that sent a burst and went quiet does not keep the burst's memory.
TEST(ByteQueue, AnEmptiedQueueGivesALargeBufferBackToThePool) {
  auto pool = std::make_shared<BufferPool>();
  ByteQueue q(pool);
  q.append(counting(10 * 1024, 0));
  const std::uint8_t* buffer = q.view(0, 1).data();
  q.consume(10 * 1024);
  EXPECT_EQ(pool->allocate(10 * 1024).data, buffer);
}

}  // namespace
}  // namespace mailscope::net
