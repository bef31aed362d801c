#include "gui/core/first_run.h"

#include <chrono>
#include <filesystem>
#include <utility>

#include "gui/core/demo_source.h"
#include "gui/core/scenario_source.h"

namespace mailscope::gui {

FirstRun::FirstRun(Open open, std::string status) : m_session(std::make_unique<Session>()) {
  m_session->set_preparing(std::move(status));
  m_pending = std::async(std::launch::async, [open = std::move(open)] {
    std::unique_ptr<Session> session = open();
    // An opener that gave nothing still yields a session: an empty one shows the menus, from
    // which something else can be opened.
    if (!session) session = std::make_unique<Session>();
    return session;
  });
}

FirstRun::~FirstRun() {
  if (m_pending.valid()) m_pending.wait();
}

bool FirstRun::poll() {
  if (!m_pending.valid()) return false;
  if (m_pending.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return false;
  adopt();
  return true;
}

bool FirstRun::wait() {
  if (!m_pending.valid()) return false;
  adopt();
  return true;
}

void FirstRun::adopt() {
  m_session = m_pending.get();
}

std::string preparing_status(std::string_view spec, std::string_view compare) {
  auto name = [](std::string_view s) {
    if (s == kDemoCrossDomain) return std::string("the built-in demo");
    if (s == kDemoSameDomain) return std::string("the built-in same-domain demo");
    if (is_file_spec(s)) return std::filesystem::path(s).filename().string();
    return std::string(s);
  };
  const bool file = is_file_spec(spec) || (!compare.empty() && is_file_spec(compare));
  std::string status = file ? "Loading and simulating " : "Simulating ";
  status += name(spec);
  if (!compare.empty()) status += " and " + name(compare);
  return status + "…";
}

}  // namespace mailscope::gui
