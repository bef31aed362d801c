#pragma once
// Rng: the simulation's only source of randomness (xoshiro256**, seeded through splitmix64).
// Every component derives its own stream from the run's seed and a stable name, so adding a
// component never shifts the numbers another component sees, and one seed reproduces a run.
// Bounded draws are implemented here rather than with <random> distributions, whose output
// differs between standard libraries.

#include <array>
#include <cstdint>
#include <string_view>

namespace mailscope {

class Rng {
 public:
  explicit Rng(std::uint64_t seed);

  // A stream independent of this one, identified by name (e.g. "tcp/isn/host-a").
  Rng fork(std::string_view stream_name) const;

  std::uint64_t next_u64();
  std::uint32_t next_u32() { return static_cast<std::uint32_t>(next_u64() >> 32); }
  std::uint16_t next_u16() { return static_cast<std::uint16_t>(next_u64() >> 48); }
  // Uniform in [0, bound); bound 0 yields 0.
  std::uint64_t below(std::uint64_t bound);
  // Uniform in [0, 1).
  double unit();
  // True with probability p (p <= 0 never, p >= 1 always).
  bool chance(double p);

 private:
  std::array<std::uint64_t, 4> m_state{};
  std::uint64_t m_seed = 0;  // kept so that fork() depends on the seed only, not on draws so far
};

// 64-bit FNV-1a, used to turn stream names into numbers.
std::uint64_t fnv1a64(std::string_view text);

}  // namespace mailscope
