#include "gui/core/exports.h"

#include <array>
#include <fstream>

#include "export/html_report.h"
#include "export/metadata.h"
#include "export/pcap_export.h"
#include "export/session_json.h"
#include "export/transcript.h"

namespace mailscope::gui {

namespace {

constexpr std::size_t kKinds = static_cast<std::size_t>(ExportKind::Count);
constexpr std::array<std::string_view, kKinds> kNames{"Transcript", "Session JSON", "pcap",
                                                      "HTML report", "Screenshot"};
constexpr std::array<std::string_view, kKinds> kExtensions{".txt", ".json", ".pcap", ".html",
                                                           ".png"};
constexpr std::array<std::string_view, kKinds> kSuffixes{"transcript", "session", "capture",
                                                         "report", "screenshot"};
static_assert(kNames.size() == kKinds && kExtensions.size() == kKinds);

exporter::ScenarioMetadata to_exporter(const RunMetadata& m) {
  exporter::ScenarioMetadata out;
  out.id = m.id;
  out.title = m.title;
  out.seed = m.seed;
  out.summary = m.description;
  out.objectives = m.objectives;
  return out;
}

std::string with_size(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return path.string() + (ec ? std::string() : " (" + std::to_string(size) + " bytes)");
}

// Opens `path` for writing, calls `write`, and reports a failure to open or to write.
template <typename Write>
std::optional<Error> write_text_file(const std::filesystem::path& path, Write&& write) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return make_error("cannot create the file", path.string());
  write(out);
  out.flush();
  if (!out) return make_error("writing failed (disk full?)", path.string());
  return std::nullopt;
}

}  // namespace

std::string_view to_string(ExportKind kind) {
  const auto i = static_cast<std::size_t>(kind);
  return i < kKinds ? kNames[i] : "?";
}

std::string_view extension(ExportKind kind) {
  const auto i = static_cast<std::size_t>(kind);
  return i < kKinds ? kExtensions[i] : "";
}

std::string default_export_name(ExportKind kind, const RunMetadata& metadata) {
  const auto i = static_cast<std::size_t>(kind);
  const std::string id = metadata.id.empty() ? "run" : metadata.id;
  if (i >= kKinds) return id;
  return id + "-" + std::string(kSuffixes[i]) + std::string(kExtensions[i]);
}

std::filesystem::path key_log_path(const std::filesystem::path& pcap) {
  std::filesystem::path keys = pcap;
  keys.replace_extension(".keys");
  return keys;
}

Result<std::vector<std::string>> export_run(ExportKind kind, const LoadedRun& run,
                                            const std::filesystem::path& path,
                                            const ExportOptions& options) {
  if (!run.trace) return make_error("there is no run to export", "run");
  if (path.empty()) return make_error("no file name given", "path");
  const Trace& trace = *run.trace;
  const exporter::ScenarioMetadata metadata = to_exporter(run.metadata);
  const auto credentials = options.credentials == ExportCredentials::Show
                               ? exporter::Credentials::Show
                               : exporter::Credentials::Mask;
  std::vector<std::string> written;
  std::optional<Error> failed;
  switch (kind) {
    case ExportKind::Transcript: {
      exporter::TranscriptOptions t = options.layers == TranscriptLayers::All
                                          ? exporter::TranscriptOptions::all_layers()
                                          : exporter::TranscriptOptions{};
      t.show(Layer::Application);
      t.credentials = credentials;
      failed = write_text_file(
          path, [&](std::ostream& out) { exporter::write_transcript(trace, out, t); });
      break;
    }
    case ExportKind::SessionJson:
      failed = write_text_file(
          path, [&](std::ostream& out) { exporter::write_session_json(trace, metadata, out); });
      break;
    case ExportKind::Pcap:
      failed = exporter::write_pcap(trace, path.string());
      if (!failed && !run.key_log.empty()) {
        written.push_back(with_size(path));
        const auto keys = key_log_path(path);
        failed = write_text_file(keys, [&](std::ostream& out) {
          for (const std::string& line : run.key_log)
            out << line << '\n';
        });
        if (!failed) written.push_back(with_size(keys));
        if (failed) return *failed;
        return written;
      }
      break;
    case ExportKind::HtmlReport: {
      exporter::HtmlReportOptions h;
      h.credentials = credentials;
      failed = write_text_file(
          path, [&](std::ostream& out) { exporter::write_html_report(trace, metadata, out, h); });
      break;
    }
    case ExportKind::Screenshot:
    case ExportKind::Count:
      return make_error("screenshots are taken by the window", "kind");
  }
  if (failed) return *failed;
  written.push_back(with_size(path));
  return written;
}

}  // namespace mailscope::gui
