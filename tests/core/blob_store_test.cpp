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

TEST(BlobStore, OversizedBlobGetsItsOwnChunk) {
  BlobStore store;
  const std::string big(3 << 20, 'z');
  const BlobRef ref = store.store(big);
  EXPECT_EQ(store.text(ref), big);
}

TEST(BlobStore, EmptyAndSlices) {
  BlobStore store;
  EXPECT_TRUE(store.store(std::string_view()).empty());
  const BlobRef ref = store.store(std::string_view("hello world"));
  EXPECT_EQ(store.text(ref.slice(6)), "world");
  EXPECT_EQ(store.text(ref.slice(0, 5)), "hello");
  EXPECT_EQ(store.text(ref.slice(20)), "");
}

}  // namespace
}  // namespace mailscope
