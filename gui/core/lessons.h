#pragma once
// Lessons: the built-in explanations the narration panel shows for a step, kept as data in
// assets/lessons/*.json so that a teacher can add or reword one without recompiling.
//
// A file holds {"lessons": [ {criteria..., "title": "...", "text": "..."}, ... ]}. Criteria, all
// optional, all of which must hold:
//   "protocol"     "smtp", "dns", "tcp", "arp", ... (the step's conversation)
//   "layer"        "L1" "L2" "L3" "L4" "TLS" "L7"
//   "kind"         "send" "receive" "forward" "drop" "request" "response" "state" ...
//   "phase"        "dns" "submission" "relay" "retrieval" "other"
//   "starts_with"  the message text begins with this, ignoring case ("EHLO", "250", "+OK")
//   "contains"     the step's one-line description contains this, ignoring case ("[SYN]")
// The lesson meeting the most criteria wins; among equals, the first one loaded (files are read
// in name order).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/trace.h"
#include "gui/core/filter.h"
#include "gui/core/phases.h"

namespace mailscope::gui {

struct Lesson {
  std::optional<std::string> protocol, layer, kind, phase, starts_with, contains;  // lower case
  std::string title;
  std::string text;
  std::string origin;  // "smtp.json#3", for error messages and the panel's tooltip
  int specificity() const;
};

struct LessonQuery {
  Protocol protocol = Protocol::None;
  Layer layer = Layer::Application;
  EventKind kind = EventKind::Note;
  PhaseKind phase = PhaseKind::Other;
  std::string_view text;         // the message or event text
  std::string_view description;  // the one-line description of the step
};

class LessonBook {
 public:
  // Parses one file's contents; `origin` names it in errors ("smtp.json").
  Result<std::size_t> add_json(std::string_view json, const std::string& origin);
  // Reads every *.json in `dir`, in name order. A missing directory is an error; so is a file
  // that does not parse (the message names it).
  Result<std::size_t> load_directory(const std::string& dir);

  const Lesson* match(const LessonQuery& query) const;
  std::size_t size() const { return m_lessons.size(); }

 private:
  std::vector<Lesson> m_lessons;
};

// The directory lessons are read from: $MAILSCOPE_ASSETS/lessons if set, else the source
// tree's assets/lessons.
std::string default_lesson_dir();

}  // namespace mailscope::gui
