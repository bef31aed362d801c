#include "proto/pop3/multiline.h"

namespace mailscope::pop3 {

std::size_t append_stuffed(std::string& out, std::string_view body) {
  const std::size_t before = out.size();
  out.reserve(out.size() + body.size() + body.size() / 64 + 8);
  std::size_t pos = 0;
  while (pos < body.size()) {
    if (body[pos] == '.') out += '.';
    const std::size_t lf = body.find('\n', pos);
    const std::size_t end = lf == std::string_view::npos ? body.size() : lf + 1;
    out.append(body.data() + pos, end - pos);
    pos = end;
  }
  if (!body.empty() && body.back() != '\n') out += "\r\n";
  out += ".\r\n";
  return out.size() - before;
}

std::string_view top_of_message(std::string_view message, std::uint64_t body_lines) {
  std::size_t pos = 0;
  bool in_header = true;
  std::uint64_t lines = 0;
  while (pos < message.size()) {
    const std::size_t lf = message.find('\n', pos);
    const std::size_t end = lf == std::string_view::npos ? message.size() : lf + 1;
    if (in_header) {
      const std::string_view line = message.substr(pos, end - pos);
      if (line == "\r\n" || line == "\n") in_header = false;
    } else {
      if (lines == body_lines) return message.substr(0, pos);
      ++lines;
    }
    pos = end;
  }
  return message;
}

void MultiLineReader::keep(std::string_view bytes) {
  m_size_bytes += bytes.size();
  if (m_too_big) return;
  if (m_size_bytes > m_size_max) {
    m_too_big = true;
    std::string().swap(m_body);
    return;
  }
  m_body.append(bytes);
}

std::size_t MultiLineReader::feed(std::string_view bytes) {
  std::size_t used = 0;
  while (used < bytes.size() && m_state != State::Done) {
    const char c = bytes[used];
    switch (m_state) {
      case State::LineStart:
        ++used;
        if (c == '.') {
          m_state = State::Dot;
        } else {
          keep(std::string_view(&c, 1));
          m_state = c == '\n' ? State::LineStart : State::Middle;
        }
        break;
      case State::Middle: {
        // Take the rest of the line in one piece.
        const std::size_t lf = bytes.find('\n', used);
        const std::size_t end = lf == std::string_view::npos ? bytes.size() : lf + 1;
        keep(bytes.substr(used, end - used));
        used = end;
        if (lf != std::string_view::npos) m_state = State::LineStart;
        break;
      }
      case State::Dot:
        ++used;
        if (c == '\n') {
          m_state = State::Done;
        } else if (c == '\r') {
          m_state = State::DotCr;
        } else {
          // RFC 1939 §3: a leading "." that is not the whole line is removed.
          keep(std::string_view(&c, 1));
          m_state = State::Middle;
        }
        break;
      case State::DotCr:
        if (c == '\n') {
          ++used;
          m_state = State::Done;
        } else {
          // ".\r" then something else: the dot was stuffing, the CR is content.
          keep("\r");
          m_state = State::Middle;
        }
        break;
      case State::Done:
        break;
    }
  }
  return used;
}

}  // namespace mailscope::pop3
