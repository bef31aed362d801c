#include "wire/dns_tcp.h"

#include <gtest/gtest.h>

#include "dns/dns_vectors.h"

namespace mailscope::wire {
namespace {

TEST(DnsTcp, FramePrefixesTheLength) {
  const Bytes framed = dns_tcp_frame(test::kQueryBytes);
  ASSERT_EQ(framed.size(), test::kQueryBytes.size() + 2);
  EXPECT_EQ(framed[0], 0x00);
  EXPECT_EQ(framed[1], 27);
  EXPECT_TRUE(std::equal(test::kQueryBytes.begin(), test::kQueryBytes.end(), framed.begin() + 2));
}

TEST(DnsTcp, ReassemblesMessagesSplitAnywhere) {
  Bytes stream = dns_tcp_frame(test::kQueryBytes);
  const Bytes second = dns_tcp_frame(test::kResponseBytes);
  stream.insert(stream.end(), second.begin(), second.end());
  // Every split point, including inside a length prefix.
  for (std::size_t split = 0; split <= stream.size(); ++split) {
    DnsTcpReader reader;
    std::vector<Bytes> got;
    for (const ByteView piece : {ByteView(stream).first(split), ByteView(stream).subspan(split)}) {
      ASSERT_FALSE(reader.feed(piece).has_value());
      while (auto message = reader.next_message())
        got.push_back(*message);
    }
    ASSERT_EQ(got.size(), 2u) << split;
    EXPECT_EQ(got[0], test::kQueryBytes);
    EXPECT_EQ(got[1], test::kResponseBytes);
    EXPECT_EQ(reader.buffered_size(), 0u);
  }
}

TEST(DnsTcp, BufferLimitRefusesAFloodingPeer) {
  DnsTcpReader reader(100);
  const Bytes chunk(60, 0xff);  // a length prefix of 65535: the message never completes
  EXPECT_FALSE(reader.feed(chunk).has_value());
  EXPECT_FALSE(reader.next_message().has_value());
  EXPECT_TRUE(reader.feed(chunk).has_value());  // 120 > 100: refused, nothing taken
  EXPECT_EQ(reader.buffered_size(), 60u);
}

}  // namespace
}  // namespace mailscope::wire
