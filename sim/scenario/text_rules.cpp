#include "scenario/text_rules.h"

namespace mailscope::scenario {
namespace {

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool is_alnum(char c) {
  return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

bool is_atext(char c) {
  if (is_alnum(c)) return true;
  for (char allowed : std::string_view("!#$%&'*+/=?^_`{|}~-")) {
    if (c == allowed) return true;
  }
  return false;
}

}  // namespace

bool is_scenario_id(std::string_view text) {
  if (text.empty() || text.size() > 64 || text.front() == '-' || text.back() == '-') return false;
  for (char c : text) {
    if (!is_lower_alnum(c) && c != '-') return false;
  }
  return true;
}

bool is_name(std::string_view text) {
  if (text.empty() || text.size() > kNameLengthMax || !is_alnum(text.front())) return false;
  for (char c : text) {
    if (!is_alnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

bool is_hostname(std::string_view text) {
  if (text.empty() || text.size() > kHostnameLengthMax) return false;
  std::size_t label = 0;
  char previous = '.';
  for (char c : text) {
    if (c == '.') {
      if (label == 0 || previous == '-') return false;
      label = 0;
    } else {
      if (!is_lower_alnum(c) && c != '-') return false;
      if (c == '-' && label == 0) return false;
      if (++label > 63) return false;
    }
    previous = c;
  }
  return label != 0 && previous != '-';
}

bool is_email_address(std::string_view text) {
  if (text.size() > kAddressLengthMax) return false;
  const std::size_t at = text.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64) return false;
  const std::string_view local = text.substr(0, at);
  if (local.front() == '.' || local.back() == '.') return false;
  char previous = 0;
  for (char c : local) {
    if (c == '.' && previous == '.') return false;
    if (c != '.' && !is_atext(c)) return false;
    previous = c;
  }
  return is_hostname(text.substr(at + 1));
}

std::string_view domain_of(std::string_view address) {
  const std::size_t at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view() : address.substr(at + 1);
}

bool is_within(std::string_view host, std::string_view domain) {
  if (host == domain) return true;
  return host.size() > domain.size() + 1 && host.ends_with(domain) &&
         host[host.size() - domain.size() - 1] == '.';
}

}  // namespace mailscope::scenario
