#include "cli/exports.h"

#include <fstream>
#include <functional>
#include <iostream>

#include "export/html_report.h"
#include "export/pcap_export.h"
#include "export/session_json.h"

namespace mailscope::cli {

namespace {

// Opens `path` ("-" is standard output) and lets `write` fill it.
std::optional<Error> write_file(const std::string& path, const std::string& what,
                                const std::function<void(std::ostream&)>& write) {
  if (path == "-") {
    write(std::cout);
    std::cout.flush();
    return std::nullopt;
  }
  std::ofstream out(path, std::ios::binary);
  if (!out) return Error{"cannot open " + what + " file for writing", path};
  write(out);
  out.close();
  if (!out) return Error{"cannot write " + what + " file", path};
  return std::nullopt;
}

}  // namespace

std::optional<Error> write_exports(world::World& world, const ExportPaths& paths,
                                   const exporter::TranscriptOptions& transcript) {
  std::optional<Error> first;
  const auto keep = [&first](std::optional<Error> error) {
    if (error && !first) first = std::move(error);
  };
  const Trace& trace = world.trace();
  const exporter::ScenarioMetadata metadata = world.metadata();
  if (!paths.transcript.empty()) {
    keep(write_file(paths.transcript, "transcript", [&](std::ostream& out) {
      exporter::write_transcript(trace, out, transcript);
    }));
  }
  if (!paths.json.empty()) {
    keep(write_file(paths.json, "session JSON", [&](std::ostream& out) {
      exporter::write_session_json(trace, metadata, out);
    }));
  }
  if (!paths.html.empty()) {
    keep(write_file(paths.html, "HTML report",
                    [&](std::ostream& out) { exporter::write_html_report(trace, metadata, out); }));
  }
  if (!paths.pcap.empty()) keep(exporter::write_pcap(trace, paths.pcap));
  if (!paths.keylog.empty()) {
    keep(write_file(paths.keylog, "key log",
                    [&](std::ostream& out) { out << world.key_log().text(); }));
  }
  return first;
}

}  // namespace mailscope::cli
