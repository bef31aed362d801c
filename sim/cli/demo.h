#pragma once
// The built-in demo: a ping and a short SMTP-style exchange across two routers. It needs no
// scenario file, so it is what `mailscope` runs until scenarios exist.

#include <cstdint>

#include "core/simulator.h"

namespace mailscope::cli {

// Builds the demo world inside `sim`, runs it to completion.
void run_demo(Simulator& sim);

}  // namespace mailscope::cli
