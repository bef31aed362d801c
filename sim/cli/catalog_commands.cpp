#include "cli/catalog_commands.h"

#include <algorithm>
#include <iomanip>
#include <iostream>

#include "scenario/loader.h"

namespace mailscope::cli {

int list_command() {
  const scenario::ScenarioList list = scenario::list_bundled();
  std::size_t id_width = 2;
  for (const auto& s : list.scenarios)
    id_width = std::max(id_width, s.id.size());
  std::cout << std::left << std::setw(static_cast<int>(id_width)) << "ID"
            << "  LEVEL         TITLE\n";
  for (const auto& s : list.scenarios) {
    std::cout << std::left << std::setw(static_cast<int>(id_width)) << s.id << "  " << std::setw(12)
              << scenario::to_string(s.level) << "  " << s.title << "\n";
  }
  for (const auto& broken : list.broken)
    std::cerr << broken.error_text();
  return list.broken.empty() ? 0 : 2;
}

int validate_command(const std::vector<std::string>& files) {
  bool all_valid = true;
  for (const std::string& file : files) {
    const auto loaded = scenario::load_scenario_file(file);
    if (loaded.ok()) {
      std::cout << file << ": valid (" << loaded.scenario().meta.id << ")\n";
    } else {
      std::cerr << loaded.error_text();
      all_valid = false;
    }
  }
  return all_valid ? 0 : 2;
}

}  // namespace mailscope::cli
