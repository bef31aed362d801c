#include "proto/imap/command_reader.h"

#include <algorithm>

namespace mailscope::imap {
namespace {

constexpr std::size_t kDroppedKeep = 100;  // octets of a dropped command kept for its tag
constexpr std::size_t kSkipTailKeep = 32;  // enough to see "{4294967295+}" at a line's end

// "{123}" or "{123+}" at the very end of line; the size is at most 10 digits.
bool announces_literal(std::string_view line, std::uint64_t& size, bool& nonsync) {
  if (line.empty() || line.back() != '}') return false;
  const std::size_t open = line.rfind('{');
  if (open == std::string_view::npos) return false;
  std::string_view inner = line.substr(open + 1, line.size() - open - 2);
  nonsync = !inner.empty() && inner.back() == '+';
  if (nonsync) inner.remove_suffix(1);
  if (inner.empty() || inner.size() > 10) return false;
  std::uint64_t n = 0;
  for (char c : inner) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  size = n;
  return true;
}

}  // namespace

bool CommandReader::line_announces_literal(std::string_view line, std::uint64_t& size,
                                           bool& nonsync) const {
  return m_literals_on && announces_literal(line, size, nonsync);
}

void CommandReader::drop_command() {
  m_dropped = m_buf.substr(0, std::min(m_buf.size(), kDroppedKeep));
  m_buf.clear();
  m_line_start = 0;
  m_literals = 0;
}

std::optional<CommandReader::Event> CommandReader::finish_line() {
  // m_buf ends with the line just read, its LF already removed; a CR before it goes too.
  if (m_buf.size() > m_line_start && m_buf.back() == '\r') m_buf.pop_back();
  const std::string_view line = std::string_view(m_buf).substr(m_line_start);
  if (line.size() > m_limits.line_max) {
    drop_command();
    return Event::LineTooLong;
  }
  std::uint64_t size = 0;
  bool nonsync = false;
  if (!line_announces_literal(line, size, nonsync)) {
    m_mode = Mode::Line;
    return Event::Command;
  }
  m_announced = size;
  m_announced_nonsync = nonsync;
  ++m_literals;
  const std::uint64_t limit = nonsync ? m_limits.nonsync_literal_max : m_limits.literal_max;
  const bool too_many = m_literals > m_limits.literals_per_command_max;
  const bool too_long = m_buf.size() + size > m_limits.literal_max + 64 * m_limits.line_max;
  if (size > limit || too_many || too_long) {
    drop_command();
    if (nonsync) {
      // The client sends the octets without waiting; skip them, then the rest of the command.
      m_mode = Mode::SkipLiteral;
      m_literal_left = size;
    } else {
      m_mode = Mode::Line;  // the client waits for "+", which never comes
    }
    return Event::LiteralTooBig;
  }
  m_buf += "\r\n";
  if (!nonsync) {
    m_mode = Mode::AwaitAccept;
    return Event::SyncLiteral;
  }
  m_mode = Mode::Literal;
  m_literal_left = size;
  if (size == 0) {
    m_mode = Mode::Line;
    m_line_start = m_buf.size();
  }
  return std::nullopt;
}

CommandReader::Step CommandReader::next(std::string_view input) {
  std::size_t pos = 0;
  while (pos < input.size()) {
    const std::string_view rest = input.substr(pos);
    switch (m_mode) {
      case Mode::Line: {
        const std::size_t lf = rest.find('\n');
        const std::size_t take = lf == std::string_view::npos ? rest.size() : lf;
        const std::size_t line_so_far = m_buf.size() - m_line_start + take;
        if (lf == std::string_view::npos) {
          // One more octet than the limit is allowed for the CR of the CRLF.
          if (line_so_far > m_limits.line_max + 1) {
            m_buf.append(rest.substr(0, std::min(rest.size(), kDroppedKeep)));
            m_dropped = m_buf.substr(0, std::min(m_buf.size(), kDroppedKeep));
            m_buf.clear();
            m_line_start = 0;
            m_literals = 0;
            m_mode = Mode::DiscardLine;
          } else {
            m_buf.append(rest);
          }
          return {Event::NeedMore, input.size()};
        }
        m_buf.append(rest.substr(0, take));
        pos += take + 1;
        if (auto event = finish_line()) return {*event, pos};
        break;
      }
      case Mode::Literal: {
        const std::size_t n =
            static_cast<std::size_t>(std::min<std::uint64_t>(m_literal_left, rest.size()));
        m_buf.append(rest.substr(0, n));
        pos += n;
        m_literal_left -= n;
        if (m_literal_left == 0) {
          m_mode = Mode::Line;
          m_line_start = m_buf.size();
        }
        break;
      }
      case Mode::AwaitAccept:
        return {Event::NeedMore, pos};
      case Mode::DiscardLine: {
        const std::size_t lf = rest.find('\n');
        if (lf == std::string_view::npos) return {Event::NeedMore, input.size()};
        pos += lf + 1;
        m_mode = Mode::Line;
        return {Event::LineTooLong, pos};
      }
      case Mode::SkipLiteral: {
        const std::size_t n =
            static_cast<std::size_t>(std::min<std::uint64_t>(m_literal_left, rest.size()));
        pos += n;
        m_literal_left -= n;
        if (m_literal_left == 0) {
          m_mode = Mode::SkipCommand;
          m_skip_line.clear();
        }
        break;
      }
      case Mode::SkipCommand: {
        const std::size_t lf = rest.find('\n');
        const std::size_t take = lf == std::string_view::npos ? rest.size() : lf;
        m_skip_line.append(rest.substr(0, take));
        if (m_skip_line.size() > kSkipTailKeep) {
          m_skip_line.erase(0, m_skip_line.size() - kSkipTailKeep);
        }
        if (lf == std::string_view::npos) return {Event::NeedMore, input.size()};
        pos += lf + 1;
        if (!m_skip_line.empty() && m_skip_line.back() == '\r') m_skip_line.pop_back();
        std::uint64_t size = 0;
        bool nonsync = false;
        if (announces_literal(m_skip_line, size, nonsync) && nonsync) {
          m_mode = Mode::SkipLiteral;
          m_literal_left = size;
          if (size == 0) m_mode = Mode::SkipCommand;
        } else {
          m_mode = Mode::Line;  // the dropped command ended here
        }
        m_skip_line.clear();
        break;
      }
    }
  }
  return {Event::NeedMore, pos};
}

std::string CommandReader::take() {
  std::string out = std::move(m_buf);
  m_buf.clear();
  m_line_start = 0;
  m_literals = 0;
  m_mode = Mode::Line;
  return out;
}

void CommandReader::accept_literal() {
  if (m_mode != Mode::AwaitAccept) return;
  m_mode = Mode::Literal;
  m_literal_left = m_announced;
  if (m_literal_left == 0) {
    m_mode = Mode::Line;
    m_line_start = m_buf.size();
  }
}

void CommandReader::reject_literal() {
  if (m_mode != Mode::AwaitAccept) return;
  drop_command();
  m_mode = Mode::Line;
}

void CommandReader::reset() {
  m_buf.clear();
  m_line_start = 0;
  m_literals = 0;
  m_literal_left = 0;
  m_mode = Mode::Line;
  m_skip_line.clear();
}

}  // namespace mailscope::imap
