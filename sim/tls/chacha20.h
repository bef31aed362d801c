#pragma once
// The ChaCha20 block function (RFC 8439, section 2.3) as a keystream generator. MailScope uses it
// as the random source inside OpenSSL, so that keys, nonces and client randoms come from the
// run's seed: the same seed gives the same handshakes byte for byte.

#include <array>
#include <cstddef>
#include <cstdint>

namespace mailscope::tls {

using ChaChaKey = std::array<std::uint8_t, 32>;
using ChaChaBlock = std::array<std::uint8_t, 64>;

// One 64-byte block for a key, a 32-bit block counter and a 96-bit nonce (RFC 8439 layout).
ChaChaBlock chacha20_block(const ChaChaKey& key, std::uint32_t counter,
                           const std::array<std::uint8_t, 12>& nonce);

// An endless keystream under one key. Every fill() starts on a fresh block, so the bytes a call
// returns depend only on the key and on how many blocks earlier calls consumed.
class ChaChaStream {
 public:
  explicit ChaChaStream(const ChaChaKey& key) : m_key(key) {}

  void fill(std::uint8_t* out, std::size_t size);
  // Blocks produced so far (the block counter); the nonce carries the high 32 bits.
  std::uint64_t blocks() const { return m_blocks; }

 private:
  ChaChaKey m_key;
  std::uint64_t m_blocks = 0;  // index of the next block to produce; never reused under m_key
};

}  // namespace mailscope::tls
