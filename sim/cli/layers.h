#pragma once
// The --layers option: which layers a transcript shows under each application line.

#include <string>

#include "export/transcript.h"

namespace mailscope::cli {

// "7,4,3" (any of 1, 2, 3, 4, tls, 7) or "all"; false when the text is not such a list.
bool parse_layers(const std::string& text, exporter::TranscriptOptions& options);
// parse_layers, saying on standard error what was expected when the text is not such a list.
bool parse_layers_option(const std::string& text, exporter::TranscriptOptions& options);

}  // namespace mailscope::cli
