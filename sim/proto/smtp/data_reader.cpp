#include "proto/smtp/data_reader.h"

namespace mailscope::smtp {

std::size_t DataReader::feed(std::string_view bytes) {
  std::size_t used = 0;
  while (used < bytes.size() && !m_finished) {
    const char c = bytes[used++];
    if (m_saw_cr) {
      m_saw_cr = false;
      if (c == '\n') {
        end_line();
        continue;
      }
      // The CR was not part of a CRLF: it is content, and a smuggling attempt.
      m_bare_newline = true;
      ++m_line_length;
      if (m_line.size() < kTextLineMax) m_line += '\r';
    }
    if (c == '\r') {
      m_saw_cr = true;
      continue;
    }
    if (c == '\n') m_bare_newline = true;  // a bare LF is content too, never a line end
    ++m_line_length;
    if (m_line.size() < kTextLineMax) m_line += c;
  }
  return used;
}

void DataReader::end_line() {
  if (m_line_length == 1 && m_line[0] == '.') {
    m_finished = true;
    return;
  }
  if (m_line_length + 2 > kTextLineMax) m_line_too_long = true;
  // Dot-unstuffing: a leading '.' was doubled by the client; drop one.
  const std::size_t skip = !m_line.empty() && m_line[0] == '.' ? 1 : 0;
  const std::uint64_t line_bytes = m_line_length - skip + 2;
  m_size_bytes += line_bytes;
  if (m_size_bytes > m_size_limit_bytes) m_too_big = true;
  if (acceptable()) {
    m_content.append(m_line, skip, std::string::npos);
    m_content += "\r\n";
  } else if (!m_content.empty()) {
    // Nothing of a message that will be refused is kept.
    std::string().swap(m_content);
  }
  m_line.clear();
  m_line_length = 0;
}

std::string encode_data(std::string_view message) {
  std::string out;
  out.reserve(message.size() + message.size() / 32 + 8);
  bool line_start = true;
  for (std::size_t i = 0; i < message.size(); ++i) {
    const char c = message[i];
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < message.size() && message[i + 1] == '\n') ++i;
      out += "\r\n";
      line_start = true;
      continue;
    }
    if (line_start && c == '.') out += '.';
    out += c;
    line_start = false;
  }
  if (!line_start) out += "\r\n";
  out += ".\r\n";
  return out;
}

}  // namespace mailscope::smtp
