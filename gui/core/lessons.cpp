#include "gui/core/lessons.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace mailscope::gui {

namespace {

constexpr std::size_t kLessonFileBytesMax = 1 << 20;
constexpr std::size_t kLessonsPerFileMax = 1000;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  if (prefix.size() > text.size()) return false;
  return lower(text.substr(0, prefix.size())) == prefix;
}

bool contains_nocase(std::string_view text, std::string_view needle) {
  return lower(text).find(needle) != std::string::npos;
}

}  // namespace

int Lesson::specificity() const {
  return int{protocol.has_value()} + int{layer.has_value()} + int{kind.has_value()} +
         int{phase.has_value()} + int{starts_with.has_value()} + int{contains.has_value()};
}

Result<std::size_t> LessonBook::add_json(std::string_view json, const std::string& origin) {
  const nlohmann::json doc = nlohmann::json::parse(json, nullptr, false);
  if (doc.is_discarded()) return make_error("is not valid JSON", origin);
  if (!doc.is_object() || !doc.contains("lessons") || !doc["lessons"].is_array())
    return make_error("needs an object with a \"lessons\" array", origin);
  const auto& list = doc["lessons"];
  if (list.size() > kLessonsPerFileMax) return make_error("has too many lessons", origin);
  std::size_t added = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& item = list[i];
    const std::string where = origin + "#" + std::to_string(i + 1);
    if (!item.is_object()) return make_error("is not an object", where);
    Lesson lesson;
    lesson.origin = where;
    for (const auto& [key, value] : item.items()) {
      if (!value.is_string()) return make_error("\"" + key + "\" must be a string", where);
      const auto& text = value.get_ref<const std::string&>();
      if (key == "title")
        lesson.title = text;
      else if (key == "text")
        lesson.text = text;
      else if (key == "protocol")
        lesson.protocol = lower(text);
      else if (key == "layer")
        lesson.layer = lower(text);
      else if (key == "kind")
        lesson.kind = lower(text);
      else if (key == "phase")
        lesson.phase = lower(text);
      else if (key == "starts_with")
        lesson.starts_with = lower(text);
      else if (key == "contains")
        lesson.contains = lower(text);
      else
        return make_error("unknown key \"" + key + "\"", where);
    }
    if (lesson.text.empty()) return make_error("has no \"text\"", where);
    m_lessons.push_back(std::move(lesson));
    ++added;
  }
  return added;
}

Result<std::size_t> LessonBook::load_directory(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return make_error("is not a directory", dir);
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::size_t total = 0;
  for (const auto& path : files) {
    if (std::filesystem::file_size(path, ec) > kLessonFileBytesMax)
      return make_error("is larger than 1 MiB", path.string());
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    auto added = add_json(buffer.str(), path.filename().string());
    if (!added) return added.error();
    total += *added;
  }
  return total;
}

const Lesson* LessonBook::match(const LessonQuery& q) const {
  const std::string protocol = lower(to_string(q.protocol));
  const std::string layer = lower(to_string(q.layer));
  const std::string kind(to_string(q.kind));
  const std::string phase = lower(to_string(q.phase));
  const Lesson* best = nullptr;
  for (const Lesson& l : m_lessons) {
    if (l.protocol && *l.protocol != "any" && *l.protocol != protocol) continue;
    if (l.layer && *l.layer != layer) continue;
    if (l.kind && *l.kind != kind) continue;
    if (l.phase && *l.phase != phase) continue;
    if (l.starts_with && !starts_with_nocase(q.text, *l.starts_with)) continue;
    if (l.contains && !contains_nocase(q.description, *l.contains)) continue;
    if (best == nullptr || l.specificity() > best->specificity()) best = &l;
  }
  return best;
}

std::string default_lesson_dir() {
  if (const char* env = std::getenv("MAILSCOPE_ASSETS"); env != nullptr && *env != '\0')
    return std::string(env) + "/lessons";
  return std::string(MAILSCOPE_ASSET_DIR) + "/lessons";
}

}  // namespace mailscope::gui
