#include "gui/core/file_browser.h"

#include <algorithm>

namespace mailscope::gui {

Result<DirectoryListing> list_directory(const std::filesystem::path& directory,
                                        const std::string& extension) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path absolute = fs::weakly_canonical(fs::absolute(directory, ec), ec);
  if (ec) return make_error(ec.message(), directory.string());
  if (!fs::is_directory(absolute, ec)) return make_error("not a directory", absolute.string());
  DirectoryListing listing;
  listing.directory = absolute;
  fs::directory_iterator it(absolute, fs::directory_options::skip_permission_denied, ec);
  if (ec) return make_error(ec.message(), absolute.string());
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return make_error(ec.message(), absolute.string());
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    if (listing.entries.size() >= DirectoryListing::kEntriesMax) {
      listing.truncated = true;
      break;
    }
    std::error_code entry_ec;
    if (it->is_directory(entry_ec)) {
      listing.entries.push_back({name, DirectoryEntry::Kind::Directory, 0});
    } else if (it->is_regular_file(entry_ec) &&
               (extension.empty() || it->path().extension() == extension)) {
      listing.entries.push_back({name, DirectoryEntry::Kind::File, it->file_size(entry_ec)});
    }
  }
  std::sort(listing.entries.begin(), listing.entries.end(),
            [](const DirectoryEntry& a, const DirectoryEntry& b) {
              if (a.kind != b.kind) return a.kind == DirectoryEntry::Kind::Directory;
              return a.name < b.name;
            });
  return listing;
}

void FileBrowser::navigate(std::filesystem::path directory) {
  auto listed = list_directory(directory, m_extension);
  if (!listed) {
    m_error = listed.error().where + ": " + listed.error().what;
    return;
  }
  m_error.clear();
  m_listing = std::move(listed).value();
}

bool FileBrowser::choose(std::size_t entry) {
  if (entry >= m_listing.entries.size()) return false;
  const DirectoryEntry& e = m_listing.entries[entry];
  if (e.kind == DirectoryEntry::Kind::Directory) {
    navigate(m_listing.directory / e.name);
    return false;
  }
  m_file_name = e.name;
  return true;
}

std::filesystem::path FileBrowser::selected_path() const {
  if (m_file_name.empty()) return {};
  const std::filesystem::path typed(m_file_name);
  return typed.is_absolute() ? typed : m_listing.directory / typed;
}

}  // namespace mailscope::gui
