#include "proto/pop3/command.h"

#include <array>

namespace mailscope::pop3 {
namespace {

constexpr std::array<std::string_view, static_cast<std::size_t>(Verb::Count)> kVerbNames = {
    "USER", "PASS", "APOP", "AUTH", "QUIT", "STAT", "LIST", "RETR",
    "DELE", "NOOP", "RSET", "TOP",  "UIDL", "CAPA", "STLS", "UNKNOWN"};

char upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

Verb lookup(std::string_view keyword) {
  if (keyword.size() < 3 || keyword.size() > 4) return Verb::Unknown;
  std::array<char, 4> buffer{};
  for (std::size_t i = 0; i < keyword.size(); ++i)
    buffer[i] = upper(keyword[i]);
  const std::string_view upper_keyword(buffer.data(), keyword.size());
  for (std::size_t i = 0; i + 1 < kVerbNames.size(); ++i) {
    if (kVerbNames[i] == upper_keyword) return static_cast<Verb>(i);
  }
  return Verb::Unknown;
}

}  // namespace

std::string_view to_string(Verb verb) {
  const auto index = static_cast<std::size_t>(verb);
  return index < kVerbNames.size() ? kVerbNames[index] : "UNKNOWN";
}

CommandLine parse_command_line(std::string_view line) {
  CommandLine cmd;
  const std::size_t space = line.find(' ');
  cmd.keyword = line.substr(0, space);
  cmd.verb = lookup(cmd.keyword);
  if (space == std::string_view::npos) return cmd;
  cmd.rest = line.substr(space + 1);
  std::string_view rest = cmd.rest;
  while (!rest.empty()) {
    const std::size_t start = rest.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    rest.remove_prefix(start);
    const std::size_t end = rest.find(' ');
    if (cmd.arguments.size() == kArgumentsMax) {
      cmd.too_many_arguments = true;
      break;
    }
    cmd.arguments.push_back(rest.substr(0, end));
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end);
  }
  return cmd;
}

std::optional<std::uint64_t> parse_number(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

}  // namespace mailscope::pop3
