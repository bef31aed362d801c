#include "tls/key_log.h"

#include <fstream>

namespace mailscope::tls {
namespace {

bool is_hex(std::string_view text) {
  return !text.empty() &&
         text.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
}

}  // namespace

Result<KeyLogLine> parse_key_log_line(std::string_view line) {
  const std::size_t first = line.find(' ');
  const std::size_t second = first == std::string_view::npos ? first : line.find(' ', first + 1);
  if (second == std::string_view::npos) {
    return make_error("expected three fields separated by spaces", "key log line");
  }
  KeyLogLine out;
  out.label = std::string(line.substr(0, first));
  out.client_random = std::string(line.substr(first + 1, second - first - 1));
  out.secret = std::string(line.substr(second + 1));
  if (out.label.empty() ||
      out.label.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789") != std::string::npos) {
    return make_error("label must be upper-case letters, digits and '_'", "label", 0);
  }
  if (out.client_random.size() != 64 || !is_hex(out.client_random)) {
    return make_error("client random must be 64 hex digits", "client_random", first + 1);
  }
  if (!is_hex(out.secret) || out.secret.size() % 2 != 0) {
    return make_error("secret must be an even number of hex digits", "secret", second + 1);
  }
  return out;
}

void KeyLog::add(std::string_view line) {
  if (m_lines.size() >= kLinesMax) {
    ++m_dropped;
    return;
  }
  m_lines.emplace_back(line);
}

std::function<void(std::string_view)> KeyLog::collector() {
  return [this](std::string_view line) { add(line); };
}

std::string KeyLog::text() const {
  std::string out;
  for (const std::string& line : m_lines) {
    out += line;
    out += '\n';
  }
  return out;
}

Result<std::size_t> KeyLog::write_file(const std::string& path) const {
  const std::string contents = text();
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) return make_error("cannot open for writing", path);
  file.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  file.close();
  if (!file) return make_error("cannot write", path);
  return contents.size();
}

}  // namespace mailscope::tls
