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

std::vector<std::uint8_t> bytes_of(std::string_view text) {
  return std::vector<std::uint8_t>(text.begin(), text.end());
}

std::string read(const BlobStore& store, BlobRef ref) {
  std::vector<std::uint8_t> scratch;
  const auto bytes = store.bytes(ref, scratch);
  return std::string(bytes.begin(), bytes.end());
}

TEST(BlobStore, SplicedBlobIsItsHeadBeforeTheSharedTail) {
  BlobStore store;
  const BlobRef tail = store.store(std::string_view("-payload-that-is-shared"));
  const std::size_t before = store.bytes_stored();
  const BlobRef spliced = store.splice(bytes_of("HEAD"), tail);
  EXPECT_TRUE(store.spliced(spliced));
  EXPECT_FALSE(store.spliced(tail));
  EXPECT_EQ(read(store, spliced), "HEAD-payload-that-is-shared");
  EXPECT_EQ(store.size(spliced), 27u);
  const auto head = store.prefix(spliced);
  EXPECT_EQ(std::string(head.begin(), head.end()), "HEAD");
  // Only the head and a 10-byte record were stored: the tail's bytes are shared.
  EXPECT_EQ(store.bytes_stored() - before, 4u + 10u);
  // A contiguous blob is read in place; the scratch is left alone.
  std::vector<std::uint8_t> scratch{1, 2, 3};
  EXPECT_EQ(store.bytes(tail, scratch).data(), store.prefix(tail).data());
  EXPECT_EQ(scratch.size(), 3u);
}

TEST(BlobStore, SplicesNestAsAForwardedFrameDoes) {
  BlobStore store;
  const BlobRef segment = store.store(std::string_view("segment"));
  const BlobRef packet = store.splice(bytes_of("ip:"), segment);
  const BlobRef frame = store.splice(bytes_of("eth:"), packet);
  EXPECT_EQ(read(store, frame), "eth:ip:segment");
  EXPECT_EQ(store.prefix(frame).size(), 4u);  // the Ethernet header alone is contiguous
  // Slicing at a head's end gives back what follows it, shared.
  EXPECT_EQ(store.slice(frame, 4), packet);
  EXPECT_EQ(store.slice(frame, 7), segment);
  EXPECT_EQ(store.slice(frame, 0), frame);
}

TEST(BlobStore, SlicesOfASplicedBlob) {
  BlobStore store;
  const BlobRef spliced = store.splice(bytes_of("0123"), store.store(std::string_view("456789")));
  struct Case {
    std::size_t from;
    std::size_t length;
    std::string_view expected;
  };
  for (const Case c : {
           Case{0, 10, "0123456789"},  // the whole blob
           Case{1, 2, "12"},           // inside the head: a copy of those bytes
           Case{2, 5, "23456"},        // across the seam: part of the head before the tail
           Case{4, 3, "456"},          // inside the tail
           Case{6, 99, "6789"},        // clamped to the end
           Case{10, 1, ""},            // at the end
           Case{0, 4, "0123"},         // exactly the head
       }) {
    EXPECT_EQ(read(store, store.slice(spliced, c.from, c.length)), c.expected)
        << c.from << "+" << c.length;
  }
}

TEST(BlobStore, SplicingNothingOrOntoNothing) {
  BlobStore store;
  const BlobRef tail = store.store(std::string_view("tail"));
  EXPECT_EQ(store.splice({}, tail), tail);
  const BlobRef head_only = store.splice(bytes_of("head"), BlobRef{});
  EXPECT_FALSE(store.spliced(head_only));
  EXPECT_EQ(store.text(head_only), "head");
  EXPECT_TRUE(store.splice({}, BlobRef{}).empty());
}

// A spliced reference cannot hold 16 MiB or more: such a blob is stored in one piece.
TEST(BlobStore, SpliceOfALargeTailIsStoredWhole) {
  BlobStore store;
  std::string big(std::size_t{16} << 20, 'x');
  big.back() = '!';
  const BlobRef spliced = store.splice(bytes_of("<"), store.store(big));
  EXPECT_FALSE(store.spliced(spliced));
  EXPECT_EQ(store.size(spliced), big.size() + 1);
  EXPECT_EQ(store.text(spliced), "<" + big);
}

}  // namespace
}  // namespace mailscope
