#pragma once
// One line of a packet inspector's field tree: a named value and the bytes it came from.
// Shared by every dissector in sim/wire so that their trees can be merged into one frame view.

#include <cstdint>
#include <string>

namespace mailscope::wire {

struct Field {
  std::uint8_t depth = 0;    // nesting level in the tree; children follow their parent
  std::string name;          // e.g. "Transaction ID"
  std::string value;         // display text, e.g. "0x1234"
  std::uint32_t offset = 0;  // first byte within the frame
  std::uint32_t length = 0;  // number of bytes; 0 for a purely explanatory line
};

}  // namespace mailscope::wire
