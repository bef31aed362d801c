#pragma once
// `mailscope list` and `mailscope validate`.

#include <string>
#include <vector>

namespace mailscope::cli {

// Prints the bundled lessons (id, level, title); broken files are reported on stderr.
int list_command();
// Loads every file; exit 0 when all are valid, else 2 after printing every error.
int validate_command(const std::vector<std::string>& files);

}  // namespace mailscope::cli
