#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace mailscope::cli {

ProgressBar::ProgressBar()
    : m_terminal(isatty(STDERR_FILENO) == 1), m_started(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() {
  if (m_drawn) std::fprintf(stderr, "\r\033[K");
}

void ProgressBar::update(TimeNs now, TimeNs end) {
  if (!m_terminal || end <= 0) return;
  if (std::chrono::steady_clock::now() - m_started < std::chrono::seconds(1)) return;
  constexpr int kWidth = 40;
  const double done = std::min(1.0, static_cast<double>(now) / static_cast<double>(end));
  const int filled = static_cast<int>(done * kWidth);
  const std::string bar = std::string(filled, '#') + std::string(kWidth - filled, '-');
  std::fprintf(stderr, "\r[%s] %3d%%  virtual %s", bar.c_str(), static_cast<int>(done * 100),
               format_time(now).c_str());
  m_drawn = true;
}

}  // namespace mailscope::cli
