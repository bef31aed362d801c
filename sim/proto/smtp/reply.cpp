#include "proto/smtp/reply.h"

namespace mailscope::smtp {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

std::string SmtpReply::text() const {
  std::string out;
  for (const std::string& line : lines) {
    if (!out.empty()) out += ' ';
    out += line;
  }
  return out;
}

std::string format_reply(const SmtpReply& reply) {
  std::string out;
  const std::string code = std::to_string(reply.code);
  const std::size_t count = reply.lines.empty() ? 1 : reply.lines.size();
  for (std::size_t i = 0; i < count; ++i) {
    out += code;
    out += i + 1 < count ? '-' : ' ';
    if (!reply.enhanced.empty()) {
      out += reply.enhanced;
      out += ' ';
    }
    if (i < reply.lines.size()) out += reply.lines[i];
    out += "\r\n";
  }
  return out;
}

SmtpReply make_reply(int code, std::string_view enhanced, std::string_view text) {
  return SmtpReply{code, std::string(enhanced), {std::string(text)}};
}

std::optional<std::string> leading_enhanced_code(std::string_view text) {
  if (text.size() < 5 || (text[0] != '2' && text[0] != '4' && text[0] != '5') || text[1] != '.') {
    return std::nullopt;
  }
  std::size_t i = 2;
  for (int part = 0; part < 2; ++part) {
    const std::size_t start = i;
    while (i < text.size() && is_digit(text[i]) && i - start < 3)
      ++i;
    if (i == start) return std::nullopt;
    if (part == 0) {
      if (i >= text.size() || text[i] != '.') return std::nullopt;
      ++i;
    }
  }
  if (i < text.size() && text[i] != ' ') return std::nullopt;
  return std::string(text.substr(0, i));
}

void ReplyParser::reset() {
  m_line.clear();
  m_reply = SmtpReply{};
  m_in_reply = false;
  m_bad = false;
  m_complete = false;
  m_error = Error{};
}

ReplyParser::Step ReplyParser::feed(std::string_view bytes) {
  Step step;
  if (m_bad) {
    step.status = Status::Bad;
    return step;
  }
  if (m_complete) {
    m_complete = false;
    m_reply = SmtpReply{};
  }
  while (step.consumed < bytes.size()) {
    const char c = bytes[step.consumed++];
    if (c != '\n') {
      if (m_line.size() >= kReplyLineMax) {
        m_bad = true;
        m_error = make_error("reply line longer than 512 octets", "reply", step.consumed);
        step.status = Status::Bad;
        return step;
      }
      m_line += c;
      continue;
    }
    if (!m_line.empty() && m_line.back() == '\r') m_line.pop_back();
    const Status status = take_line(m_line);
    m_line.clear();
    if (status != Status::NeedMore) {
      step.status = status;
      return step;
    }
  }
  return step;
}

ReplyParser::Status ReplyParser::take_line(std::string_view line) {
  const bool shape_ok = line.size() >= 3 && line[0] >= '2' && line[0] <= '5' && is_digit(line[1]) &&
                        is_digit(line[2]) && (line.size() == 3 || line[3] == ' ' || line[3] == '-');
  if (!shape_ok) {
    m_bad = true;
    m_error = make_error("reply line does not start with a reply code", "reply");
    return Status::Bad;
  }
  const int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  if (m_in_reply && code != m_reply.code) {
    m_bad = true;
    m_error = make_error("reply code changed inside a multi-line reply", "reply");
    return Status::Bad;
  }
  if (m_reply.lines.size() >= kReplyLinesMax) {
    m_bad = true;
    m_error = make_error("multi-line reply has too many lines", "reply");
    return Status::Bad;
  }
  std::string_view text = line.size() > 4 ? line.substr(4) : std::string_view{};
  if (!m_in_reply) {
    m_reply.code = code;
    m_in_reply = true;
    if (auto enhanced = leading_enhanced_code(text)) m_reply.enhanced = *enhanced;
  }
  // Every line of a reply repeats the enhanced code; the text without it is what we keep.
  if (!m_reply.enhanced.empty() && text.substr(0, m_reply.enhanced.size()) == m_reply.enhanced) {
    text.remove_prefix(m_reply.enhanced.size());
    if (!text.empty() && text[0] == ' ') text.remove_prefix(1);
  }
  m_reply.lines.emplace_back(text);
  const bool last = line.size() == 3 || line[3] == ' ';
  if (!last) return Status::NeedMore;
  m_in_reply = false;
  m_complete = true;
  return Status::Complete;
}

}  // namespace mailscope::smtp
