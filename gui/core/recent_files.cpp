#include "gui/core/recent_files.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace mailscope::gui {

void RecentFiles::add(std::string_view path) {
  if (path.empty() || path.size() > kPathBytesMax) return;
  if (path.find('\n') != std::string_view::npos) return;
  remove(path);
  m_entries.insert(m_entries.begin(), std::string(path));
  if (m_entries.size() > kEntriesMax) m_entries.resize(kEntriesMax);
}

void RecentFiles::remove(std::string_view path) {
  std::erase_if(m_entries, [path](const std::string& e) { return e == path; });
}

RecentFiles RecentFiles::parse(std::string_view text) {
  RecentFiles list;
  while (!text.empty() && list.m_entries.size() < kEntriesMax) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.size() > kPathBytesMax) continue;
    if (std::find(list.m_entries.begin(), list.m_entries.end(), line) != list.m_entries.end())
      continue;
    list.m_entries.emplace_back(line);
  }
  return list;
}

std::string RecentFiles::serialize() const {
  std::string out;
  for (const std::string& e : m_entries)
    out += e + "\n";
  return out;
}

Result<RecentFiles> RecentFiles::load(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return RecentFiles{};
  // The list is tiny; a file much larger than kEntriesMax lines is not ours to read whole.
  constexpr std::size_t kFileBytesMax = kEntriesMax * (kPathBytesMax + 1) * 2;
  std::ifstream in(file, std::ios::binary);
  if (!in) return make_error("cannot read the recent files list", file.string());
  std::string text(kFileBytesMax, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return parse(text);
}

std::optional<Error> RecentFiles::save(const std::filesystem::path& file) const {
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  if (ec)
    return make_error("cannot create " + file.parent_path().string() + ": " + ec.message(),
                      "recent files");
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) return make_error("cannot write the recent files list", file.string());
  out << serialize();
  if (!out) return make_error("cannot write the recent files list", file.string());
  return std::nullopt;
}

std::optional<std::filesystem::path> recent_files_path(const char* xdg_config_home,
                                                       const char* home) {
  // The XDG base directory spec: a relative XDG_CONFIG_HOME is invalid and ignored.
  if (xdg_config_home != nullptr && xdg_config_home[0] == '/')
    return std::filesystem::path(xdg_config_home) / "mailscope" / "recent-files";
  if (home != nullptr && home[0] == '/')
    return std::filesystem::path(home) / ".config" / "mailscope" / "recent-files";
  return std::nullopt;
}

}  // namespace mailscope::gui
