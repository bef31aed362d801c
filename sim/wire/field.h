#pragma once

#include <cstdint>
#include <string>

namespace mailscope::wire {
struct Field {
  std::uint8_t depth = 0;
  std::string name;
  std::string value;
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
};
}  // namespace mailscope::wire
