#include "wire/dns_name.h"

#include <algorithm>
#include <cstdint>
#include <optional>

namespace mailscope::wire {
namespace {

// Characters that have a meaning in zone files and so are escaped with a backslash.
bool is_special(unsigned char c) {
  return c == '.' || c == '\\' || c == '"' || c == ';' || c == '(' || c == ')' || c == '@' ||
         c == '$';
}

int compare_labels(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto ca = static_cast<unsigned char>(dns_to_lower(a[i]));
    const auto cb = static_cast<unsigned char>(dns_to_lower(b[i]));
    if (ca != cb) return ca < cb ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

}  // namespace

bool dns_label_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (dns_to_lower(a[i]) != dns_to_lower(b[i])) return false;
  }
  return true;
}

std::string dns_escape_label(std::string_view label) {
  std::string out;
  out.reserve(label.size());
  for (const char ch : label) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x21 || c > 0x7e) {
      out += '\\';
      out += static_cast<char>('0' + c / 100);
      out += static_cast<char>('0' + (c / 10) % 10);
      out += static_cast<char>('0' + c % 10);
    } else {
      if (is_special(c)) out += '\\';
      out += ch;
    }
  }
  return out;
}

Result<DnsName> DnsName::parse(std::string_view text) {
  if (text.empty()) return make_error("empty name", "name");
  if (text == ".") return DnsName();
  DnsName name;
  std::string label;
  std::size_t i = 0;
  auto finish_label = [&](std::size_t at) -> std::optional<Error> {
    if (label.empty()) return make_error("empty label", "name", at);
    if (label.size() > kLabelLengthMax)
      return make_error("label longer than 63 octets", "name", at);
    if (!name.append_label(label)) return make_error("name longer than 255 octets", "name", at);
    label.clear();
    return std::nullopt;
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '.') {
      if (auto error = finish_label(i)) return *error;
      ++i;
      continue;
    }
    if (c != '\\') {
      label += c;
      ++i;
      continue;
    }
    // An escape: "\DDD" (decimal octet) or "\X" (X literally).
    if (i + 1 >= text.size()) return make_error("backslash at end of name", "name", i);
    const auto is_digit = [](char d) { return d >= '0' && d <= '9'; };
    if (is_digit(text[i + 1])) {
      if (i + 3 >= text.size() || !is_digit(text[i + 2]) || !is_digit(text[i + 3])) {
        return make_error("\\DDD escape needs three digits", "name", i);
      }
      const int value = (text[i + 1] - '0') * 100 + (text[i + 2] - '0') * 10 + (text[i + 3] - '0');
      if (value > 255) return make_error("\\DDD escape above 255", "name", i);
      label += static_cast<char>(value);
      i += 4;
    } else {
      label += text[i + 1];
      i += 2;
    }
  }
  // A name without the trailing dot still ends with a label.
  if (!label.empty()) {
    if (auto error = finish_label(text.size())) return *error;
  }
  return name;
}

Result<DnsName> DnsName::from_labels(const std::vector<std::string>& labels) {
  DnsName name;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i].empty()) return make_error("empty label", "name", i);
    if (labels[i].size() > kLabelLengthMax)
      return make_error("label longer than 63 octets", "name", i);
    if (!name.append_label(labels[i])) return make_error("name longer than 255 octets", "name", i);
  }
  return name;
}

bool DnsName::append_label(std::string_view label) {
  if (label.empty() || label.size() > kLabelLengthMax) return false;
  if (m_wire_length + 1 + label.size() > kWireLengthMax) return false;
  // Most names have two to four labels: one allocation instead of three as the vector grows.
  if (m_labels.capacity() == 0) m_labels.reserve(4);
  m_labels.emplace_back(label);
  m_wire_length += 1 + label.size();
  return true;
}

Result<DnsName> DnsName::child(std::string_view label) const {
  DnsName name;
  if (!name.append_label(label)) return make_error("invalid label", "name");
  for (const auto& l : m_labels) {
    if (!name.append_label(l)) return make_error("name longer than 255 octets", "name");
  }
  return name;
}

DnsName DnsName::parent() const {
  DnsName name;
  for (std::size_t i = 1; i < m_labels.size(); ++i)
    name.append_label(m_labels[i]);
  return name;
}

bool DnsName::is_subdomain_of(const DnsName& ancestor) const {
  if (ancestor.m_labels.size() > m_labels.size()) return false;
  const std::size_t skip = m_labels.size() - ancestor.m_labels.size();
  for (std::size_t i = 0; i < ancestor.m_labels.size(); ++i) {
    if (!dns_label_equal(m_labels[skip + i], ancestor.m_labels[i])) return false;
  }
  return true;
}

DnsName DnsName::lowercased() const {
  DnsName name = *this;
  for (auto& label : name.m_labels) {
    for (auto& c : label)
      c = dns_to_lower(c);
  }
  return name;
}

std::string DnsName::to_wire() const {
  std::string out;
  out.reserve(m_wire_length);
  for (const auto& label : m_labels) {
    out += static_cast<char>(label.size());
    out += label;
  }
  out += '\0';
  return out;
}

std::string DnsName::to_string() const {
  if (m_labels.empty()) return ".";
  std::string out;
  for (const auto& label : m_labels) {
    out += dns_escape_label(label);
    out += '.';
  }
  return out;
}

std::string DnsName::to_display_string() const {
  if (m_labels.empty()) return "<Root>";
  std::string out = to_string();
  out.pop_back();
  return out;
}

bool operator==(const DnsName& a, const DnsName& b) {
  if (a.m_labels.size() != b.m_labels.size() || a.m_wire_length != b.m_wire_length) return false;
  for (std::size_t i = 0; i < a.m_labels.size(); ++i) {
    if (!dns_label_equal(a.m_labels[i], b.m_labels[i])) return false;
  }
  return true;
}

std::strong_ordering operator<=>(const DnsName& a, const DnsName& b) {
  auto ia = a.m_labels.rbegin();
  auto ib = b.m_labels.rbegin();
  for (; ia != a.m_labels.rend() && ib != b.m_labels.rend(); ++ia, ++ib) {
    const int c = compare_labels(*ia, *ib);
    if (c != 0) return c < 0 ? std::strong_ordering::less : std::strong_ordering::greater;
  }
  return a.m_labels.size() <=> b.m_labels.size();
}

std::size_t DnsName::hash() const {
  // FNV-1a over the lower-cased wire form: stable across runs and platforms.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  auto mix = [&h](unsigned char c) {
    h ^= c;
    h *= 0x100000001b3ULL;
  };
  for (const auto& label : m_labels) {
    mix(static_cast<unsigned char>(label.size()));
    for (const char c : label)
      mix(static_cast<unsigned char>(dns_to_lower(c)));
  }
  return static_cast<std::size_t>(h);
}

}  // namespace mailscope::wire
