#include "core/blob_store.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mailscope {
namespace {

TEST(BlobStore, StoredBytesStayValidAcrossChunks) {
  BlobStore store;
  std::vector<BlobRef> refs;
  for (int i = 0; i < 3000; ++i)
    refs.push_back(store.store(std::string(1000, static_cast<char>('a' + i % 26))));
  for (int i = 0; i < 3000; ++i) {
    const auto text = store.text(refs[i]);
    ASSERT_EQ(text.size(), 1000u);
    EXPECT_EQ(text.front(), static_cast<char>('a' + i % 26));
  }
  EXPECT_EQ(store.bytes_stored(), 3'000'000u);
}

TEST(BlobStore, BlobLargerThanAChunkSpansWindowsOfItsOwn) {
  BlobStore store;
  const BlobRef before = store.store(std::string_view("before"));
  std::string big(9 << 20, 'z');
  big.back() = '!';
  const BlobRef ref = store.store(big);
  const BlobRef after = store.store(std::string_view("after"));
  EXPECT_EQ(store.text(ref), big);
  EXPECT_EQ(store.text(before), "before");
  EXPECT_EQ(store.text(after), "after");
}

// At 16 MiB the size no longer fits the reference and is kept in the store.
TEST(BlobStore, BlobsOf16MiBAndMoreKeepTheirSize) {
  BlobStore store;
  for (const std::size_t size : {(std::size_t{16} << 20) - 2, (std::size_t{16} << 20) - 1,
                                 std::size_t{16} << 20, std::size_t{40} << 20}) {
    std::string big(size, 'b');
    big.front() = '<';
    big.back() = '>';
    const BlobRef ref = store.store(big);
    ASSERT_EQ(store.size(ref), size);
    EXPECT_EQ(store.text(ref), big);
    EXPECT_EQ(store.text(store.slice(ref, size - 3)), "bb>");
    EXPECT_EQ(store.slice(ref, 0), ref);       // the whole blob is itself
    const BlobRef tail = store.slice(ref, 1);  // large and not at the start: stored again
    EXPECT_EQ(store.size(tail), size - 1);
    EXPECT_EQ(store.text(tail).back(), '>');
  }
}

TEST(BlobStore, EmptyAndSlices) {
  BlobStore store;
  EXPECT_TRUE(store.store(std::string_view()).empty());
  const BlobRef ref = store.store(std::string_view("hello world"));
  EXPECT_EQ(store.text(store.slice(ref, 6)), "world");
  EXPECT_EQ(store.text(store.slice(ref, 0, 5)), "hello");
  EXPECT_EQ(store.text(store.slice(ref, 6, 99)), "world");
  EXPECT_TRUE(store.slice(ref, 20).empty());
  EXPECT_TRUE(store.slice(ref, 11).empty());
}

}  // namespace
}  // namespace mailscope
