#include "scenario/loader.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

#include "scenario/decode.h"
#include "scenario/resolve.h"

#ifndef MAILSCOPE_SCENARIO_DIR
#define MAILSCOPE_SCENARIO_DIR "scenarios"
#endif

namespace mailscope::scenario {
namespace {

// JSON pointer -> where that value starts, for every value in the document.
using SourceMap = std::map<std::string, SourcePos>;

void index_positions(const JsonValue& v, const std::string& path, SourceMap& out) {
  out.emplace(path, v.pos);
  if (v.kind == JsonKind::Object) {
    for (const JsonMember& m : v.members) {
      index_positions(m.value, path + "/" + pointer_token(m.key), out);
    }
  } else if (v.kind == JsonKind::Array) {
    for (std::size_t i = 0; i < v.items.size(); ++i) {
      index_positions(v.items[i], path + "/" + std::to_string(i), out);
    }
  }
}

// The position of `path`, or of its nearest ancestor that was written in the file (a value the
// loader filled in has no position of its own).
SourcePos position_of(const SourceMap& map, std::string path) {
  while (true) {
    const auto it = map.find(path);
    if (it != map.end()) return it->second;
    const std::size_t slash = path.rfind('/');
    if (slash == std::string::npos || path.empty()) return map.at("");
    path.resize(slash);
  }
}

}  // namespace

LoadResult LoadResult::success(std::string file, Scenario scenario) {
  LoadResult r;
  r.m_file = std::move(file);
  r.m_scenario = std::move(scenario);
  return r;
}

LoadResult LoadResult::failure(std::string file, std::vector<Diagnostic> diagnostics) {
  LoadResult r;
  r.m_file = std::move(file);
  sort_diagnostics(diagnostics);
  r.m_diagnostics = std::move(diagnostics);
  return r;
}

LoadResult load_scenario_text(std::string_view text, std::string_view file_name,
                              const LoadLimits& limits) {
  const std::string file(file_name);
  JsonParse parsed = parse_json(text, limits.json);
  if (!parsed.ok) {
    return LoadResult::failure(file, {Diagnostic{parsed.error.pos, "", parsed.error.message}});
  }
  std::vector<Diagnostic> diagnostics;
  Scenario scenario;
  if (!decode_scenario(parsed.value, scenario, diagnostics, limits.list_items_max)) {
    return LoadResult::failure(file, std::move(diagnostics));
  }
  if (!resolve_scenario(scenario, diagnostics)) {
    SourceMap map;
    index_positions(parsed.value, "", map);
    for (Diagnostic& d : diagnostics)
      d.pos = position_of(map, d.path);
    return LoadResult::failure(file, std::move(diagnostics));
  }
  return LoadResult::success(file, std::move(scenario));
}

LoadResult load_scenario_file(const std::filesystem::path& path, const LoadLimits& limits) {
  const std::string file = path.string();
  const auto fail = [&](std::string message) {
    return LoadResult::failure(file, {Diagnostic{SourcePos{}, "", std::move(message)}});
  };
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return fail("cannot read the file: " + ec.message());
  if (size > limits.json.input_bytes_max) {
    return fail("the file is larger than " + std::to_string(limits.json.input_bytes_max) +
                " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot open the file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return fail("cannot read the file");
  return load_scenario_text(text.str(), file, limits);
}

std::filesystem::path bundled_scenario_dir() {
  return MAILSCOPE_SCENARIO_DIR;
}

std::optional<std::filesystem::path> find_scenario(std::string_view id_or_path,
                                                   const std::filesystem::path& dir) {
  std::error_code ec;
  const std::filesystem::path direct(id_or_path);
  if (id_or_path.ends_with(".json") || id_or_path.find('/') != std::string_view::npos) {
    if (std::filesystem::is_regular_file(direct, ec)) return direct;
    return std::nullopt;
  }
  const std::filesystem::path bundled = dir / (std::string(id_or_path) + ".json");
  if (std::filesystem::is_regular_file(bundled, ec)) return bundled;
  return std::nullopt;
}

ScenarioList list_bundled(const std::filesystem::path& dir) {
  ScenarioList out;
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::filesystem::path& p = it->path();
    if (p.extension() == ".json" && p.filename() != "schema.json") files.push_back(p);
  }
  if (ec) {
    out.broken.push_back(LoadResult::failure(
        dir.string(), {Diagnostic{SourcePos{}, "", "cannot list the folder: " + ec.message()}}));
    return out;
  }
  std::sort(files.begin(), files.end());
  for (const std::filesystem::path& p : files) {
    LoadResult loaded = load_scenario_file(p);
    if (!loaded.ok()) {
      out.broken.push_back(std::move(loaded));
      continue;
    }
    const Metadata& m = loaded.scenario().meta;
    // `mailscope run <id>` finds a lesson by its file name, so the two must agree (a copied
    // lesson whose id was not changed would otherwise be listed twice under one id).
    if (m.id != p.stem().string()) {
      out.broken.push_back(LoadResult::failure(
          p.string(), {Diagnostic{SourcePos{}, "/id",
                                  "the id '" + m.id + "' differs from the file name '" +
                                      p.stem().string() + "'"}}));
      continue;
    }
    out.scenarios.push_back({m.id, m.title, m.level, m.description, p});
  }
  std::stable_sort(out.scenarios.begin(), out.scenarios.end(),
                   [](const ScenarioSummary& a, const ScenarioSummary& b) {
                     if (a.level != b.level) return a.level < b.level;
                     return a.id < b.id;
                   });
  return out;
}

}  // namespace mailscope::scenario
