#include "wire/checksum.h"

#include <gtest/gtest.h>

#include "support.h"

namespace mailscope::wire::test {
namespace {

TEST(Checksum, Rfc1071Example) {
  // RFC 1071 section 3: these bytes sum to ddf2 (one's complement, carries folded).
  const std::uint8_t bytes[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(checksum_add(bytes), 0xddf2u);
  EXPECT_EQ(internet_checksum(bytes), 0x220d);
}

TEST(Checksum, OddLengthsPadWithZero) {
  struct Case {
    const char* comment;
    Bytes bytes;
    std::uint32_t sum;
  };
  const Case cases[] = {
      {"empty", {}, 0x0000},
      {"one byte is the high half of a word", {0x01}, 0x0100},
      {"three bytes", {0x01, 0x02, 0x03}, 0x0402},
      {"odd byte with a carry", {0xff, 0xff, 0x01}, 0x0100},
      {"RFC 1071 example minus its last byte", {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6}, 0xdcfb},
  };
  for (const auto& c : cases)
    EXPECT_EQ(checksum_add(c.bytes), c.sum) << c.comment;
}

TEST(Checksum, FinishComplementsAndFolds) {
  EXPECT_EQ(checksum_finish(0), 0xffff);
  EXPECT_EQ(checksum_finish(0xffff), 0x0000);
  EXPECT_EQ(checksum_finish(0x1ddf1), 0x220d);  // 0xddf1 + 1 carry
  EXPECT_EQ(internet_checksum({}), 0xffff);
}

TEST(Checksum, SumsChainAcrossEvenSplits) {
  const Bytes all = {0x45, 0x00, 0x00, 0x2c, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x06};
  const auto first = ByteView(all).first(4);
  const auto rest = ByteView(all).subspan(4);
  EXPECT_EQ(checksum_add(rest, checksum_add(first)), checksum_add(all));
}

TEST(Checksum, AllOnesWordsFoldWithoutLoss) {
  // 32768 words of ffff: each carry folds back in, and the sum stays ffff.
  const Bytes ones(65536, 0xff);
  EXPECT_EQ(checksum_add(ones), 0xffffu);
  EXPECT_EQ(internet_checksum(ones), 0x0000);
}

TEST(Checksum, PseudoHeader) {
  // 0a00 + 0001 + 0a00 + 0102 + 0006 + 0018 = 1521.
  EXPECT_EQ(pseudo_header_sum(Ipv4Addr::from_octets(10, 0, 0, 1),
                              Ipv4Addr::from_octets(10, 0, 1, 2), 6, 24),
            0x1521u);
  // Four ffff address words, protocol 00ff and length ffff: 0x500fa folds to 0x00ff.
  EXPECT_EQ(pseudo_header_sum(Ipv4Addr::broadcast(), Ipv4Addr::broadcast(), 0xff, 0xffff), 0x00ffu);
}

}  // namespace
}  // namespace mailscope::wire::test
