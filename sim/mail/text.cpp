#include "mail/text.h"

#include <cstring>

namespace mailscope::mail {

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = to_lower(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
}

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

std::string_view trim_wsp(std::string_view text) {
  while (!text.empty() && is_wsp(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_wsp(text.back()))
    text.remove_suffix(1);
  return text;
}

std::string_view trim_space(std::string_view text) {
  auto space = [](char c) { return is_wsp(c) || c == '\r' || c == '\n'; };
  while (!text.empty() && space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && space(text.back()))
    text.remove_suffix(1);
  return text;
}

LineSpan line_at(std::string_view bytes, std::size_t begin, std::size_t end) {
  if (end > bytes.size()) end = bytes.size();
  LineSpan line;
  line.begin = begin;
  if (begin >= end) {
    line.content_end = line.next = end;
    return line;
  }
  const void* hit = std::memchr(bytes.data() + begin, '\n', end - begin);
  if (hit == nullptr) {
    line.content_end = line.next = end;
    return line;
  }
  const auto lf = static_cast<std::size_t>(static_cast<const char*>(hit) - bytes.data());
  line.next = lf + 1;
  if (lf > begin && bytes[lf - 1] == '\r') {
    line.content_end = lf - 1;
  } else {
    line.content_end = lf;
    line.bare_lf = true;
  }
  return line;
}

std::string normalize_crlf(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 32);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (c == '\r') {
      out += "\r\n";
      if (i + 1 < bytes.size() && bytes[i + 1] == '\n') ++i;
    } else if (c == '\n') {
      out += "\r\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace mailscope::mail
