#include "proto/pop3/response.h"

namespace mailscope::pop3 {
namespace {

// RFC 2449 §8: resp-code = "[" resp-level *("/" resp-level) "]", resp-level = 1*rchar,
// rchar = %x21-2E / %x30-5C / %x5E-7F (printable, no "/" or "]").
bool valid_code(std::string_view code) {
  if (code.empty()) return false;
  bool level_empty = true;
  for (char c : code) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '/') {
      if (level_empty) return false;
      level_empty = true;
      continue;
    }
    if (u < 0x21 || u > 0x7F || c == ']') return false;
    level_empty = false;
  }
  return !level_empty;
}

}  // namespace

std::string_view to_string(Status status) {
  switch (status) {
    case Status::Ok:
      return "+OK";
    case Status::Err:
      return "-ERR";
    case Status::Continue:
      return "+";
  }
  return "?";
}

Pop3Response ok_response(std::string text) {
  return Pop3Response{Status::Ok, {}, std::move(text)};
}

Pop3Response err_response(std::string_view code, std::string text) {
  return Pop3Response{Status::Err, std::string(code), std::move(text)};
}

std::string status_line(const Pop3Response& response) {
  std::string line(to_string(response.status));
  if (response.status == Status::Continue) {
    // RFC 5034 §4: "+" SP [base64]; the space is there even for an empty challenge.
    line += ' ';
    line += response.text;
    return line;
  }
  if (!response.code.empty()) {
    line += " [";
    line += response.code;
    line += ']';
  }
  if (!response.text.empty()) {
    line += ' ';
    line += response.text;
  }
  return line;
}

Result<Pop3Response> parse_status_line(std::string_view line) {
  Pop3Response response;
  std::string_view rest;
  if (line.substr(0, 3) == "+OK" && (line.size() == 3 || line[3] == ' ')) {
    response.status = Status::Ok;
    rest = line.substr(3);
  } else if (line.substr(0, 4) == "-ERR" && (line.size() == 4 || line[4] == ' ')) {
    response.status = Status::Err;
    rest = line.substr(4);
  } else if (line.substr(0, 1) == "+" && (line.size() == 1 || line[1] == ' ')) {
    response.status = Status::Continue;
    response.text = std::string(line.size() > 1 ? line.substr(2) : std::string_view{});
    return response;
  } else {
    return make_error("status line starts with neither +OK nor -ERR", "status", 0);
  }
  if (!rest.empty()) rest.remove_prefix(1);  // the space after the status indicator
  if (rest.size() > 2 && rest[0] == '[') {
    const std::size_t close = rest.find(']');
    if (close != std::string_view::npos && valid_code(rest.substr(1, close - 1))) {
      response.code = std::string(rest.substr(1, close - 1));
      rest.remove_prefix(close + 1);
      if (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
    }
  }
  response.text = std::string(rest);
  return response;
}

}  // namespace mailscope::pop3
