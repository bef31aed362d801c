#pragma once
// Writing a finished run's exports to the files the user named. Every export reads the trace
// only (sim/export); the key log comes from the world's TLS library context.

#include <optional>
#include <string>

#include "core/result.h"
#include "export/transcript.h"
#include "world/world.h"

namespace mailscope::cli {

struct ExportPaths {
  std::string transcript;  // "" for none, "-" for standard output
  std::string json;
  std::string pcap;
  std::string keylog;
  std::string html;
};

// Writes each export that has a path; the first failure is returned (the others still run).
std::optional<Error> write_exports(world::World& world, const ExportPaths& paths,
                                   const exporter::TranscriptOptions& transcript);

}  // namespace mailscope::cli
