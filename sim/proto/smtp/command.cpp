#include "proto/smtp/command.h"

#include <array>

namespace mailscope::smtp {
namespace {

char upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (upper(a[i]) != upper(b[i])) return false;
  }
  return true;
}

constexpr std::array<std::string_view, static_cast<std::size_t>(Verb::Count)> kVerbNames = {
    "HELO", "EHLO", "MAIL",     "RCPT", "DATA", "RSET", "NOOP", "QUIT",   "HELP",
    "VRFY", "EXPN", "STARTTLS", "AUTH", "BDAT", "ETRN", "TURN", "UNKNOWN"};

bool is_alnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

}  // namespace

std::string_view to_string(Verb verb) {
  const auto index = static_cast<std::size_t>(verb);
  return index < kVerbNames.size() ? kVerbNames[index] : "UNKNOWN";
}

CommandLine parse_command_line(std::string_view line) {
  CommandLine out;
  const std::size_t space = line.find(' ');
  out.verb_text = line.substr(0, space);
  if (space != std::string_view::npos) {
    std::string_view argument = line.substr(space);
    while (!argument.empty() && argument.front() == ' ')
      argument.remove_prefix(1);
    while (!argument.empty() && argument.back() == ' ')
      argument.remove_suffix(1);
    out.argument = argument;
  }
  for (std::size_t i = 0; i + 1 < kVerbNames.size(); ++i) {
    if (iequals(out.verb_text, kVerbNames[i])) {
      out.verb = static_cast<Verb>(i);
      break;
    }
  }
  return out;
}

std::optional<std::uint64_t> parse_decimal(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

Result<PathArgument> parse_path_argument(std::string_view argument, std::string_view keyword,
                                         PathKind kind) {
  if (argument.size() < keyword.size() + 1 ||
      !iequals(argument.substr(0, keyword.size()), keyword) || argument[keyword.size()] != ':') {
    return make_error("expected " + std::string(keyword) + ":<address>", "syntax", 0);
  }
  std::string_view rest = argument.substr(keyword.size() + 1);
  std::size_t offset = keyword.size() + 1;
  while (!rest.empty() && rest.front() == ' ') {
    rest.remove_prefix(1);
    ++offset;
  }
  auto parsed = parse_path(rest, kind);
  if (!parsed) {
    Error error = parsed.error();
    error.offset += offset;
    return error;
  }
  PathArgument out;
  out.path = std::move(parsed->path);
  // esmtp-param = esmtp-keyword ["=" esmtp-value], separated by single spaces (we allow more).
  std::string_view params = parsed->rest;
  while (!params.empty()) {
    while (!params.empty() && params.front() == ' ')
      params.remove_prefix(1);
    if (params.empty()) break;
    const std::size_t end = params.find(' ');
    const std::string_view token = params.substr(0, end);
    params = end == std::string_view::npos ? std::string_view{} : params.substr(end);
    const std::size_t equals = token.find('=');
    const std::string_view key = token.substr(0, equals);
    if (key.empty() || !is_alnum(key.front()))
      return make_error("bad parameter keyword", "parameter");
    for (char c : key) {
      if (!is_alnum(c) && c != '-') return make_error("bad parameter keyword", "parameter");
    }
    EsmtpParameter parameter;
    for (char c : key)
      parameter.keyword += upper(c);
    if (equals != std::string_view::npos) {
      const std::string_view value = token.substr(equals + 1);
      if (value.empty()) return make_error("empty parameter value", "parameter");
      for (char c : value) {
        // esmtp-value = 1*(%d33-60 / %d62-126): no '=', no controls, no spaces
        if (c < 33 || c > 126 || c == '=') return make_error("bad parameter value", "parameter");
      }
      parameter.value = std::string(value);
    }
    out.parameters.push_back(std::move(parameter));
  }
  return out;
}

}  // namespace mailscope::smtp
