#pragma once
// Where a run comes from. The GUI shows one LoadedRun: the topology it ran on, its trace and a
// few words about it. A RunSource produces one; today the built-in demo world
// (demo_source.h), later a scenario file — plugging the scenario World in means writing one
// more RunSource that builds the world, runs it and calls snapshot_topology().

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/trace.h"
#include "gui/core/topology.h"

namespace mailscope::gui {

struct RunMetadata {
  std::string id;           // "cross-domain", "demo": what the command line and browser call it
  std::string title;        // "Built-in demo: alice@outlook.com writes to bob@gmail.com"
  std::string description;  // a paragraph for the narration panel before the first step
  std::string source;       // where it came from: "built-in", a file path, ...
  std::uint64_t seed = 0;
  std::vector<std::string> objectives;  // what the student should see, one sentence each
};

struct LoadedRun {
  TopologySnapshot topology;
  // Heap-held so that a LoadedRun moves without moving the trace the view-model points into.
  std::unique_ptr<Trace> trace;
  RunMetadata metadata;
  // TLS secrets in NSS key log format, one line each, for Wireshark to decrypt the pcap export;
  // empty when the run had no TLS.
  std::vector<std::string> key_log;
};

class RunSource {
 public:
  virtual ~RunSource() = default;
  // A short name for menus ("Built-in demo").
  virtual std::string name() const = 0;
  // Builds and runs the world; an error says what went wrong (a bad scenario file, say).
  virtual Result<LoadedRun> load() = 0;
  // After a failed load(): every problem found, one line each ("file:line:column: /path:
  // message" for a scenario file); empty when the Error says it all.
  virtual std::vector<std::string> diagnostics() const { return {}; }
};

// Checks what the view-model relies on: a trace is present, the snapshot is consistent and
// every event's node and flow exist.
std::optional<Error> validate_run(const LoadedRun& run);

}  // namespace mailscope::gui
