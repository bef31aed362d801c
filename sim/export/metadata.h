#pragma once
// What the exports say about the scenario a trace came from. The trace does not know it: the
// caller (the CLI, a test) passes it in.

#include <cstdint>
#include <string>
#include <vector>

namespace mailscope::exporter {

struct ScenarioMetadata {
  std::string id;                       // "cross-domain-starttls"
  std::string title;                    // "Outlook to Gmail with STARTTLS"
  std::uint64_t seed = 0;               // the seed the run used
  std::string summary;                  // a paragraph for the report's header
  std::vector<std::string> objectives;  // what the student should see, one sentence each
};

}  // namespace mailscope::exporter
