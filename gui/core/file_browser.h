#pragma once
// The model behind the GUI's own file dialog (File → Open, Export): one directory's listing,
// folders first, then the files with the wanted extension, each group sorted by name. Hidden
// entries (".name") are left out. Reading a directory that cannot be read is an error value.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"

namespace mailscope::gui {

struct DirectoryEntry {
  std::string name;  // file name only
  enum class Kind : std::uint8_t { Directory, File } kind = Kind::File;
  std::uintmax_t size_bytes = 0;  // files only
};

struct DirectoryListing {
  static constexpr std::size_t kEntriesMax = 5000;  // a huge directory is cut, and says so
  std::filesystem::path directory;                  // absolute, normalised
  std::vector<DirectoryEntry> entries;
  bool truncated = false;
};

// Lists `directory`; `extension` (".json", or empty for every file) selects the files.
Result<DirectoryListing> list_directory(const std::filesystem::path& directory,
                                        const std::string& extension);

// The state of one open file dialog: where it is, what is selected, what the user typed.
class FileBrowser {
 public:
  FileBrowser(std::filesystem::path start, std::string extension)
      : m_extension(std::move(extension)) {
    navigate(std::move(start));
  }
  // Lists `directory`; on error keeps the previous listing and sets error().
  void navigate(std::filesystem::path directory);
  void up() { navigate(m_listing.directory.parent_path()); }
  // Opens a directory entry, or selects a file entry (its name goes to file_name()).
  // Returns true when a file was chosen by this (double-click semantics are the panel's).
  bool choose(std::size_t entry);
  const DirectoryListing& listing() const { return m_listing; }
  const std::string& error() const { return m_error; }
  std::string& file_name() { return m_file_name; }
  // The directory joined with file_name(); empty when no name is given.
  std::filesystem::path selected_path() const;

 private:
  std::string m_extension;
  DirectoryListing m_listing;
  std::string m_error;      // the last navigation's failure, empty when it worked
  std::string m_file_name;  // typed or picked
};

}  // namespace mailscope::gui
