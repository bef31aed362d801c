#include "proto/pop3/response_reader.h"

namespace mailscope::pop3 {

void ResponseReader::expect(bool multi_line_if_ok) {
  const std::uint64_t size_max = m_body_size_max;
  m_multi_line_if_ok = multi_line_if_ok;
  m_in_body = false;
  m_complete = false;
  m_line.clear();
  m_response = Pop3Response{};
  m_body = MultiLineReader(size_max);
}

ResponseReader::Step ResponseReader::feed(std::string_view bytes) {
  Step step;
  if (m_bad) {
    step.state = State::Bad;
    return step;
  }
  if (m_complete) {
    step.state = State::Complete;
    return step;
  }
  if (!m_in_body) {
    const std::size_t lf = bytes.find('\n');
    const std::size_t take = lf == std::string_view::npos ? bytes.size() : lf + 1;
    if (m_line.size() + take > kStatusLineReadMax) {
      m_bad = true;
      m_error =
          make_error("status line longer than " + std::to_string(kStatusLineReadMax) + " octets",
                     "status", m_line.size());
      step.state = State::Bad;
      return step;
    }
    m_line.append(bytes.substr(0, take));
    step.consumed = take;
    if (lf == std::string_view::npos) return step;
    std::string_view line = m_line;
    line.remove_suffix(1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto parsed = parse_status_line(line);
    if (!parsed) {
      m_bad = true;
      m_error = parsed.error();
      step.state = State::Bad;
      return step;
    }
    m_response = std::move(*parsed);
    if (!m_multi_line_if_ok || m_response.status != Status::Ok) {
      m_complete = true;
      step.state = State::Complete;
      return step;
    }
    m_in_body = true;
    bytes.remove_prefix(take);
  }
  step.consumed += m_body.feed(bytes);
  if (m_body.finished()) {
    m_complete = true;
    step.state = State::Complete;
  }
  return step;
}

}  // namespace mailscope::pop3
