#pragma once
// File → Export: the run on screen written in the formats of sim/export (each reads only the
// trace): the text transcript, the session JSON, a pcap capture (with the TLS key log beside it
// when the run had TLS) and the HTML report. Screenshots are taken by the window, not here.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "gui/core/run_source.h"

namespace mailscope::gui {

enum class ExportKind : std::uint8_t {
  Transcript,
  SessionJson,
  Pcap,
  HtmlReport,
  Screenshot,
  Count
};
std::string_view to_string(ExportKind kind);  // "Transcript", "Session JSON", ...
std::string_view extension(ExportKind kind);  // ".txt", ".json", ".pcap", ".html", ".png"

// Layers: Dialogue writes the application lines only; All adds every lower layer under them.
enum class TranscriptLayers : std::uint8_t { Dialogue, All };
// Whether passwords and AUTH lines are written as sent or masked.
enum class ExportCredentials : std::uint8_t { Mask, Show };

struct ExportOptions {
  TranscriptLayers layers = TranscriptLayers::Dialogue;
  ExportCredentials credentials = ExportCredentials::Mask;
};

// "cross-domain-transcript.txt": the run's id (or "run") and the kind.
std::string default_export_name(ExportKind kind, const RunMetadata& metadata);

// The key log's path for a pcap at `pcap`: the same name with ".keys" ("run.pcap" -> "run.keys").
std::filesystem::path key_log_path(const std::filesystem::path& pcap);

// Writes `run` to `path`; returns every file written, with its size, for the status line
// ("run.pcap (12 345 bytes)"). ExportKind::Screenshot is an error here.
Result<std::vector<std::string>> export_run(ExportKind kind, const LoadedRun& run,
                                            const std::filesystem::path& path,
                                            const ExportOptions& options = {});

}  // namespace mailscope::gui
