#include "mail/flags.h"

#include <algorithm>
#include <array>

#include "mail/text.h"

namespace mailscope::mail {
namespace {

struct FlagName {
  SystemFlag flag;
  const char* name;
};
constexpr std::array<FlagName, 5> kFlagNames = {{{SystemFlag::Seen, "\\Seen"},
                                                 {SystemFlag::Answered, "\\Answered"},
                                                 {SystemFlag::Flagged, "\\Flagged"},
                                                 {SystemFlag::Deleted, "\\Deleted"},
                                                 {SystemFlag::Draft, "\\Draft"}}};

bool keyword_less(const std::string& a, const std::string& b) {
  return to_lower(a) < to_lower(b);
}

}  // namespace

bool is_valid_keyword(std::string_view keyword, std::size_t size_max) {
  if (keyword.empty() || keyword.size() > size_max) return false;
  for (char c : keyword) {
    const auto u = static_cast<unsigned char>(c);
    // IMAP atom-specials: ( ) { SP CTL % * " \ ]
    if (u <= 0x20 || u >= 0x7f) return false;
    if (c == '(' || c == ')' || c == '{' || c == '%' || c == '*' || c == '"' || c == '\\' ||
        c == ']') {
      return false;
    }
  }
  return true;
}

void FlagSet::set(SystemFlag flag, bool on) {
  const auto bit = static_cast<std::uint8_t>(flag);
  system = on ? static_cast<std::uint8_t>(system | bit) : static_cast<std::uint8_t>(system & ~bit);
}

bool FlagSet::has_keyword(std::string_view keyword) const {
  return std::any_of(keywords.begin(), keywords.end(),
                     [&](const std::string& k) { return iequals(k, keyword); });
}

void FlagSet::add_keyword(std::string_view keyword) {
  if (has_keyword(keyword)) return;
  keywords.emplace_back(keyword);
  std::sort(keywords.begin(), keywords.end(), keyword_less);
}

void FlagSet::remove_keyword(std::string_view keyword) {
  std::erase_if(keywords, [&](const std::string& k) { return iequals(k, keyword); });
}

bool FlagSet::apply(FlagOp op, const FlagSet& other) {
  const FlagSet before = *this;
  switch (op) {
    case FlagOp::Add:
      system |= other.system;
      for (const std::string& k : other.keywords)
        add_keyword(k);
      break;
    case FlagOp::Remove:
      system = static_cast<std::uint8_t>(system & ~other.system);
      for (const std::string& k : other.keywords)
        remove_keyword(k);
      break;
    case FlagOp::Replace:
      system = other.system;
      keywords.clear();
      for (const std::string& k : other.keywords)
        add_keyword(k);
      break;
  }
  return !(before == *this);
}

std::vector<std::string> FlagSet::names() const {
  std::vector<std::string> out;
  for (const FlagName& f : kFlagNames) {
    if (has(f.flag)) out.emplace_back(f.name);
  }
  out.insert(out.end(), keywords.begin(), keywords.end());
  return out;
}

Result<FlagSet> FlagSet::from_names(std::span<const std::string> names,
                                    std::size_t keyword_size_max) {
  FlagSet out;
  for (const std::string& name : names) {
    if (!name.empty() && name[0] == '\\') {
      bool known = false;
      for (const FlagName& f : kFlagNames) {
        if (iequals(name, f.name)) {
          out.set(f.flag, true);
          known = true;
        }
      }
      if (!known) return make_error("not a flag a client may set: " + name, "flags");
    } else if (is_valid_keyword(name, keyword_size_max)) {
      out.add_keyword(name);
    } else {
      return make_error("malformed keyword", "flags");
    }
  }
  return out;
}

}  // namespace mailscope::mail
