#include "mail/base64.h"

namespace mailscope::mail {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int decode_char(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::string base64_encode(std::string_view data, std::size_t line_length) {
  std::string flat;
  flat.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(data[i]) << 16) |
                       (static_cast<unsigned char>(data[i + 1]) << 8) |
                       static_cast<unsigned char>(data[i + 2]);
    flat += kAlphabet[(v >> 18) & 63];
    flat += kAlphabet[(v >> 12) & 63];
    flat += kAlphabet[(v >> 6) & 63];
    flat += kAlphabet[v & 63];
  }
  const std::size_t left = data.size() - i;
  if (left > 0) {
    unsigned v = static_cast<unsigned char>(data[i]) << 16;
    if (left == 2) v |= static_cast<unsigned char>(data[i + 1]) << 8;
    flat += kAlphabet[(v >> 18) & 63];
    flat += kAlphabet[(v >> 12) & 63];
    flat += left == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    flat += '=';
  }
  if (line_length == 0) return flat;
  std::string out;
  out.reserve(flat.size() + flat.size() / line_length * 2 + 2);
  for (std::size_t at = 0; at < flat.size(); at += line_length) {
    out.append(flat, at, line_length);
    out += "\r\n";
  }
  return out;
}

Result<std::string> base64_decode(std::string_view text) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  std::size_t padding = 0;
  std::size_t symbols = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r' || c == '\n' || c == ' ' || c == '\t') continue;
    if (c == '=') {
      ++padding;
      ++symbols;
      continue;
    }
    const int value = decode_char(c);
    if (value < 0 || padding > 0) return make_error("not a base64 character", "base64", i);
    ++symbols;
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  if (symbols % 4 != 0 || padding > 2) return make_error("bad base64 length or padding", "base64");
  return out;
}

}  // namespace mailscope::mail
