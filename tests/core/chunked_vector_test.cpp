#include "core/chunked_vector.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>

namespace mailscope {
namespace {

struct Forty {  // the size of a trace event: 4 MiB is not a whole number of them
  std::uint64_t words[5];
};

TEST(ChunkedVector, ElementsKeepTheirValuesAcrossBlockBoundaries) {
  ChunkedVector<Forty> v;
  const std::size_t per_block = ChunkedVector<Forty>::kBlockSize;
  ASSERT_EQ(per_block, (std::size_t{4} << 20) / 40);
  const std::size_t n = 2 * per_block + 3;
  for (std::size_t i = 0; i < n; ++i)
    v.push_back(Forty{{i, i + 1, i + 2, i + 3, i + 4}});
  ASSERT_EQ(v.size(), n);
  for (const std::size_t i : {std::size_t{0}, per_block - 1, per_block, 2 * per_block, n - 1}) {
    EXPECT_EQ(v[i].words[0], i);
    EXPECT_EQ(v[i].words[4], i + 4);
  }
  EXPECT_EQ(v.back().words[0], n - 1);
  // Iteration visits every element once, in order.
  std::size_t expected = 0;
  EXPECT_TRUE(
      std::all_of(v.begin(), v.end(), [&](const Forty& f) { return f.words[0] == expected++; }));
  EXPECT_EQ(expected, n);
}

// Each block is exactly 4 MiB (two huge pages), and a new one starts only when one is full.
TEST(ChunkedVector, BlocksAreFourMiBAndFilledBeforeTheNext) {
  ChunkedVector<Forty> v;
  EXPECT_EQ(v.memory_bytes(), 0u);
  v.push_back(Forty{});
  EXPECT_EQ(v.memory_bytes(), std::size_t{4} << 20);
  while (v.size() < ChunkedVector<Forty>::kBlockSize)
    v.push_back(Forty{});
  EXPECT_EQ(v.memory_bytes(), std::size_t{4} << 20);
  v.push_back(Forty{});
  EXPECT_EQ(v.memory_bytes(), std::size_t{8} << 20);
}

}  // namespace
}  // namespace mailscope
