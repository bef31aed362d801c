// Fuzz target "scenario_loader": a scenario file's text through load_scenario_text()
// (sim/scenario/loader.h): the JSON reader with positions, the schema decoder and the semantic
// checks. Whatever the text, the loader must answer with a Scenario or with diagnostics, never
// both and never neither, and every diagnostic must point inside the text.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.h"
#include "scenario/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mailscope;
  const std::string_view text = fuzz::as_text(data, size);
  const scenario::LoadResult result = scenario::load_scenario_text(text, "fuzz.json");
  FUZZ_CHECK(result.ok() == result.diagnostics().empty());
  for (const scenario::Diagnostic& diagnostic : result.diagnostics()) {
    // The end of the text is a position too (an unexpected end of input is reported there).
    FUZZ_CHECK(diagnostic.pos.offset <= size);
    FUZZ_CHECK(diagnostic.pos.line >= 1 && diagnostic.pos.column >= 1);
  }
  if (!result.ok()) (void)result.error_text();
  return 0;
}
