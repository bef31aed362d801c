#include "mail/mailbox_name.h"

#include <algorithm>
#include <vector>

#include "mail/text.h"

namespace mailscope::mail {

Result<std::string> validate_mailbox_name(std::string_view name, const MailboxNameLimits& limits) {
  const char* where = "mailbox name";
  if (name.empty()) return make_error("empty mailbox name", where);
  if (name.size() > limits.size_max) return make_error("mailbox name too long", where);
  if (iequals(name, "INBOX")) return std::string("INBOX");
  if (name.front() == kMailboxDelimiter) return make_error("mailbox name starts with '/'", where);
  std::size_t depth = 0;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t stop = name.find(kMailboxDelimiter, start);
    if (stop == std::string_view::npos) stop = name.size();
    const std::string_view component = name.substr(start, stop - start);
    if (component.empty()) return make_error("empty component in mailbox name", where, start);
    if (component == "." || component == "..") {
      return make_error("'.' and '..' are not allowed in mailbox names", where, start);
    }
    if (component.size() > limits.component_max) {
      return make_error("mailbox name component too long", where, start);
    }
    if (++depth > limits.depth_max) return make_error("mailbox hierarchy too deep", where, start);
    start = stop + 1;
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto u = static_cast<unsigned char>(name[i]);
    if (u < 0x20 || u >= 0x7f) return make_error("mailbox names are printable ASCII", where, i);
    if (name[i] == '*' || name[i] == '%' || name[i] == '\\') {
      return make_error("'*', '%' and '\\' are not allowed in mailbox names", where, i);
    }
  }
  return std::string(name);
}

std::string_view parent_name(std::string_view name) {
  const std::size_t slash = name.rfind(kMailboxDelimiter);
  return slash == std::string_view::npos ? std::string_view{} : name.substr(0, slash);
}

bool is_inferior(std::string_view inferior, std::string_view superior) {
  return inferior.size() > superior.size() + 1 && inferior.substr(0, superior.size()) == superior &&
         inferior[superior.size()] == kMailboxDelimiter;
}

bool match_list_pattern(std::string_view pattern, std::string_view name) {
  // "INBOX" is case-insensitive: compare a name that is INBOX against an upper-cased prefix.
  std::string canonical_pattern(pattern);
  if (istarts_with(pattern, "INBOX") && (pattern.size() == 5 || pattern[5] == kMailboxDelimiter ||
                                         pattern[5] == '*' || pattern[5] == '%')) {
    for (std::size_t i = 0; i < 5; ++i)
      canonical_pattern[i] = "INBOX"[i];
  }
  // Dynamic programming over (pattern position, name position): O(|pattern| * |name|).
  const std::size_t p = canonical_pattern.size();
  const std::size_t n = name.size();
  std::vector<char> row(n + 1, 0), next(n + 1, 0);
  row[0] = 1;  // empty pattern matches empty name
  for (std::size_t i = 0; i < p; ++i) {
    const char c = canonical_pattern[i];
    std::fill(next.begin(), next.end(), 0);
    if (c == '*' || c == '%') {
      char reach = 0;
      for (std::size_t j = 0; j <= n; ++j) {
        if (c == '%' && j > 0 && name[j - 1] == kMailboxDelimiter) reach = 0;
        reach = static_cast<char>(reach | row[j]);
        next[j] = reach;
      }
    } else {
      for (std::size_t j = 0; j < n; ++j) {
        if (row[j] && name[j] == c) next[j + 1] = 1;
      }
    }
    row.swap(next);
  }
  return row[n] != 0;
}

}  // namespace mailscope::mail
