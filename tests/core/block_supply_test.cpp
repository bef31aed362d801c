#include "core/block_supply.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include "core/blob_store.h"
#include "core/chunked_vector.h"

namespace mailscope {
namespace {

bool all_zero(const HugeBuffer& block) {
  return std::all_of(block.data(), block.data() + block.size(),
                     [](std::byte b) { return b == std::byte{0}; });
}

// Every block is whole and zero-filled, whether it was mapped on demand or faulted in ahead.
TEST(BlockSupply, HandsOutZeroFilledBlocksOfFourMiB) {
  BlockSupply supply;
  std::vector<HugeBuffer> taken;
  for (std::size_t i = 0; i < BlockSupply::kWorkerAfterBlocks + 6; ++i) {
    taken.push_back(supply.take());
    ASSERT_EQ(taken.back().size(), BlockSupply::kBlockBytes);
    EXPECT_TRUE(all_zero(taken.back())) << "block " << i;
    std::memset(taken.back().data(), 0xab, 64);  // the caller owns it: writes stay its own
  }
  EXPECT_EQ(supply.blocks_taken(), BlockSupply::kWorkerAfterBlocks + 6);
}

// Small users (a lesson, a unit test) never start the worker; a large one gets ready blocks.
TEST(BlockSupply, TheWorkerStartsOnlyForLargeUsersAndThenHasBlocksReady) {
  BlockSupply supply;
  for (std::size_t i = 0; i + 1 < BlockSupply::kWorkerAfterBlocks; ++i)
    (void)supply.take();
  EXPECT_EQ(supply.blocks_taken_ready(), 0u);
  std::vector<HugeBuffer> taken;
  // The worker runs on its own; give it up to a minute (it needs milliseconds) to get ahead.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (supply.blocks_taken_ready() == 0 && std::chrono::steady_clock::now() < give_up) {
    taken.push_back(supply.take());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GT(supply.blocks_taken_ready(), 0u);
  for (const HugeBuffer& block : taken)
    EXPECT_TRUE(all_zero(block));
}

// The trace's two arenas share one supply; what they hold is unaffected by where blocks came from.
TEST(BlockSupply, FeedsBothArenas) {
  BlockSupply supply;
  ChunkedVector<std::uint64_t> numbers(&supply);
  BlobStore blobs(&supply);
  std::vector<BlobRef> refs;
  const std::string line(1000, 'x');
  for (std::uint64_t i = 0; i < 3 * ChunkedVector<std::uint64_t>::kBlockSize; ++i) {
    numbers.push_back(i);
    if (i % 64 == 0) refs.push_back(blobs.store(line + std::to_string(i)));
  }
  EXPECT_GE(supply.blocks_taken(), BlockSupply::kWorkerAfterBlocks);
  for (std::uint64_t i = 0; i < numbers.size(); i += 12345)
    EXPECT_EQ(numbers[i], i);
  for (std::size_t k = 0; k < refs.size(); k += 97)
    EXPECT_EQ(blobs.text(refs[k]), line + std::to_string(k * 64));
}

}  // namespace
}  // namespace mailscope
