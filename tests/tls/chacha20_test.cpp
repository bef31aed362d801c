#include "tls/chacha20.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <memory>
#include <vector>

namespace mailscope::tls {
namespace {

TEST(ChaCha20, BlockMatchesRfc8439Section232) {
  ChaChaKey key{};
  for (std::size_t i = 0; i < key.size(); ++i)
    key[i] = static_cast<std::uint8_t>(i);
  const std::array<std::uint8_t, 12> nonce{0, 0, 0, 9, 0, 0, 0, 0x4a, 0, 0, 0, 0};
  const ChaChaBlock expected{0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15, 0x50, 0x0f, 0xdd,
                             0x1f, 0xa3, 0x20, 0x71, 0xc4, 0xc7, 0xd1, 0xf4, 0xc7, 0x33, 0xc0,
                             0x68, 0x03, 0x04, 0x22, 0xaa, 0x9a, 0xc3, 0xd4, 0x6c, 0x4e, 0xd2,
                             0x82, 0x64, 0x46, 0x07, 0x9f, 0xaa, 0x09, 0x14, 0xc2, 0xd7, 0x05,
                             0xd9, 0x8b, 0x02, 0xa2, 0xb5, 0x12, 0x9c, 0xd1, 0xde, 0x16, 0x4e,
                             0xb9, 0xcb, 0xd0, 0x83, 0xe8, 0xa2, 0x50, 0x3c, 0x4e};
  EXPECT_EQ(chacha20_block(key, 1, nonce), expected);
}

TEST(ChaCha20, StreamEqualsOpenSslKeystreamWithZeroNonce) {
  ChaChaKey key{};
  for (std::size_t i = 0; i < key.size(); ++i)
    key[i] = static_cast<std::uint8_t>(0xa0 + i);
  // Three blocks and a bit, so that the block counter and partial blocks are exercised.
  constexpr std::size_t kSize = 64 * 3 + 17;
  std::vector<std::uint8_t> ours(kSize);
  ChaChaStream(key).fill(ours.data(), ours.size());

  // OpenSSL's "ChaCha20" takes a 16-byte IV: the 32-bit counter, then the 96-bit nonce.
  const std::array<std::uint8_t, 16> iv{};
  std::vector<std::uint8_t> zeros(kSize), theirs(kSize);
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                      &EVP_CIPHER_CTX_free);
  ASSERT_EQ(EVP_EncryptInit_ex(ctx.get(), EVP_chacha20(), nullptr, key.data(), iv.data()), 1);
  int out_len = 0;
  ASSERT_EQ(EVP_EncryptUpdate(ctx.get(), theirs.data(), &out_len, zeros.data(), kSize), 1);
  EXPECT_EQ(ours, theirs);
}

TEST(ChaCha20, EachFillStartsOnAFreshBlock) {
  const ChaChaKey key{1};
  ChaChaStream stream(key);
  std::array<std::uint8_t, 10> first{}, second{};
  stream.fill(first.data(), first.size());
  stream.fill(second.data(), second.size());
  EXPECT_EQ(stream.blocks(), 2u);
  EXPECT_NE(first, second);  // the second call used block 1, not the rest of block 0
}

}  // namespace
}  // namespace mailscope::tls
