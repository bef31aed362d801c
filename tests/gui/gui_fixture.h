#pragma once
// The built-in demo run, loaded once for all GUI tests (it is deterministic), and helpers to
// find events in it.

#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "gui/core/demo_source.h"
#include "gui/core/view_model.h"

namespace mailscope::gui::testing {

inline const LoadedRun& demo_run() {
  static const std::unique_ptr<LoadedRun> run = [] {
    DemoRunSource source(1);
    auto loaded = source.load();
    EXPECT_TRUE(loaded.ok());
    return std::make_unique<LoadedRun>(std::move(loaded).value());
  }();
  return *run;
}

// The same-domain demo (alice@outlook.com to carol@outlook.com), for compare mode.
inline const LoadedRun& same_domain_run() {
  static const std::unique_ptr<LoadedRun> run = [] {
    DemoRunSource source(1, DemoStory::SameDomain);
    auto loaded = source.load();
    EXPECT_TRUE(loaded.ok());
    return std::make_unique<LoadedRun>(std::move(loaded).value());
  }();
  return *run;
}

inline EventId find_event(const Trace& trace, const std::function<bool(const TraceEvent&)>& match,
                          EventId from = 0) {
  for (EventId id = from; id < trace.size(); ++id) {
    if (match(trace.event(id))) return id;
  }
  return kNoEvent;
}

// The same, for matches that need the event's id too.
inline EventId find_event_id(const Trace& trace,
                             const std::function<bool(EventId, const TraceEvent&)>& match) {
  for (EventId id = 0; id < trace.size(); ++id) {
    if (match(id, trace.event(id))) return id;
  }
  return kNoEvent;
}

// The first application message whose text starts with `prefix`.
inline EventId find_message(const Trace& trace, std::string_view prefix) {
  return find_event(trace, [&](const TraceEvent& e) {
    if (e.layer != Layer::Application ||
        (e.kind != EventKind::Request && e.kind != EventKind::Response))
      return false;
    const auto bytes = trace.message(e);
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return text.starts_with(prefix);
  });
}

inline NodeId node_named(const Trace& trace, std::string_view name) {
  for (NodeId id = 0; id < trace.node_count(); ++id) {
    if (trace.node(id).name == name) return id;
  }
  return kNoNode;
}

}  // namespace mailscope::gui::testing
