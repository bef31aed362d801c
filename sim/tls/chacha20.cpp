#include "tls/chacha20.h"

#include <algorithm>

namespace mailscope::tls {
namespace {

std::uint32_t load_le32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
         (std::uint32_t{p[3]} << 24);
}

void store_le32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v);
  p[1] = static_cast<std::uint8_t>(v >> 8);
  p[2] = static_cast<std::uint8_t>(v >> 16);
  p[3] = static_cast<std::uint8_t>(v >> 24);
}

std::uint32_t rotl(std::uint32_t v, int bits) {
  return (v << bits) | (v >> (32 - bits));
}

void quarter_round(std::array<std::uint32_t, 16>& s, int a, int b, int c, int d) {
  s[a] += s[b];
  s[d] = rotl(s[d] ^ s[a], 16);
  s[c] += s[d];
  s[b] = rotl(s[b] ^ s[c], 12);
  s[a] += s[b];
  s[d] = rotl(s[d] ^ s[a], 8);
  s[c] += s[d];
  s[b] = rotl(s[b] ^ s[c], 7);
}

}  // namespace

ChaChaBlock chacha20_block(const ChaChaKey& key, std::uint32_t counter,
                           const std::array<std::uint8_t, 12>& nonce) {
  // "expand 32-byte k" as four little-endian words.
  std::array<std::uint32_t, 16> initial{0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
  for (int i = 0; i < 8; ++i)
    initial[4 + i] = load_le32(key.data() + 4 * i);
  initial[12] = counter;
  for (int i = 0; i < 3; ++i)
    initial[13 + i] = load_le32(nonce.data() + 4 * i);

  std::array<std::uint32_t, 16> s = initial;
  for (int round = 0; round < 10; ++round) {
    quarter_round(s, 0, 4, 8, 12);  // columns
    quarter_round(s, 1, 5, 9, 13);
    quarter_round(s, 2, 6, 10, 14);
    quarter_round(s, 3, 7, 11, 15);
    quarter_round(s, 0, 5, 10, 15);  // diagonals
    quarter_round(s, 1, 6, 11, 12);
    quarter_round(s, 2, 7, 8, 13);
    quarter_round(s, 3, 4, 9, 14);
  }
  ChaChaBlock out{};
  for (int i = 0; i < 16; ++i)
    store_le32(out.data() + 4 * i, s[i] + initial[i]);
  return out;
}

void ChaChaStream::fill(std::uint8_t* out, std::size_t size) {
  while (size > 0) {
    // The 64-bit block index is split over the counter word and the first nonce word.
    std::array<std::uint8_t, 12> nonce{};
    store_le32(nonce.data(), static_cast<std::uint32_t>(m_blocks >> 32));
    const ChaChaBlock block = chacha20_block(m_key, static_cast<std::uint32_t>(m_blocks), nonce);
    ++m_blocks;
    const std::size_t take = std::min(size, block.size());
    std::copy_n(block.begin(), take, out);
    out += take;
    size -= take;
  }
}

}  // namespace mailscope::tls
