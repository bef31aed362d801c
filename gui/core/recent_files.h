#pragma once
// The files a user opened lately, newest first, for File → Open Recent. Kept in a small text
// file (one absolute path a line) under $XDG_CONFIG_HOME/mailscope/ or ~/.config/mailscope/ —
// user settings of the GUI, never part of a simulation. The environment is passed in, so tests
// use their own directory.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace mailscope::gui {

class RecentFiles {
 public:
  static constexpr std::size_t kEntriesMax = 10;
  static constexpr std::size_t kPathBytesMax = 4096;  // longer lines in the file are ignored

  const std::vector<std::string>& entries() const { return m_entries; }
  // Puts `path` first, removing an earlier copy; the oldest entry goes beyond kEntriesMax. An
  // empty or over-long path is ignored.
  void add(std::string_view path);
  void remove(std::string_view path);

  // One path a line; blank lines, duplicates, over-long lines and lines past kEntriesMax are
  // skipped, so a damaged file yields a usable list.
  static RecentFiles parse(std::string_view text);
  std::string serialize() const;

  // Reads `file`; a missing file is an empty list, not an error.
  static Result<RecentFiles> load(const std::filesystem::path& file);
  // Writes `file`, creating its directory.
  std::optional<Error> save(const std::filesystem::path& file) const;

 private:
  std::vector<std::string> m_entries;  // newest first; unique; at most kEntriesMax
};

// Where the list lives: $XDG_CONFIG_HOME/mailscope/recent-files when XDG_CONFIG_HOME is an
// absolute path, else $HOME/.config/mailscope/recent-files; nullopt when neither is usable.
// Arguments are the variables' values (null when unset).
std::optional<std::filesystem::path> recent_files_path(const char* xdg_config_home,
                                                       const char* home);

}  // namespace mailscope::gui
