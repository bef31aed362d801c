#include "proto/imap/command.h"

#include <array>

#include "mail/date_time.h"
#include "mail/text.h"

namespace mailscope::imap {
namespace {

constexpr std::array<std::string_view, static_cast<std::size_t>(Verb::Count)> kVerbNames = {
    "CAPABILITY", "NOOP",        "LOGOUT",  "STARTTLS", "AUTHENTICATE", "LOGIN",
    "ENABLE",     "SELECT",      "EXAMINE", "CREATE",   "DELETE",       "RENAME",
    "SUBSCRIBE",  "UNSUBSCRIBE", "LIST",    "LSUB",     "STATUS",       "APPEND",
    "IDLE",       "CHECK",       "CLOSE",   "UNSELECT", "EXPUNGE",      "SEARCH",
    "FETCH",      "STORE",       "COPY",    "MOVE",     "UNKNOWN"};

constexpr std::array<std::string_view, 12> kMonthNames = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

// Bounds that keep a hostile command from costing unbounded work.
constexpr std::size_t kSearchDepthMax = 32;   // nesting of NOT/OR/parentheses
constexpr std::size_t kSearchKeysMax = 1000;  // keys in one SEARCH
constexpr std::size_t kSequenceRangesMax = 10'000;
constexpr std::size_t kFetchItemsMax = 100;
constexpr std::size_t kHeaderNamesMax = 100;
constexpr std::size_t kFlagsMax = 100;

bool is_ctl(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

// ATOM-CHAR: any CHAR except atom-specials "(" ")" "{" SP CTL "%" "*" DQUOTE "\" "]".
bool is_atom_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x80 || is_ctl(c)) return false;
  switch (c) {
    case '(':
    case ')':
    case '{':
    case ' ':
    case '%':
    case '*':
    case '"':
    case '\\':
    case ']':
      return false;
    default:
      return true;
  }
}

bool is_astring_char(char c) {
  return is_atom_char(c) || c == ']';
}

bool is_list_char(char c) {
  return is_astring_char(c) || c == '%' || c == '*';
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// days since 1970-01-01, or an error when the day does not exist in that month.
Result<std::int64_t> civil_days(int day, int month, int year) {
  static constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day < 1 || day > kDays[month - 1] || (month == 2 && day == 29 && !leap)) {
    return make_error("no such day", "date");
  }
  return mail::days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

// Reads the grammar of RFC 3501 9 from one framed command. Each member reads one rule at the
// current position and either advances past it or returns an error saying what was expected.
class CommandParser {
 public:
  explicit CommandParser(std::string_view text) : m_text(text) {}

  Result<Command> command();

 private:
  bool at_end() const { return m_pos >= m_text.size(); }
  char peek() const { return at_end() ? '\0' : m_text[m_pos]; }
  Error fail(std::string what) const { return make_error(std::move(what), "command", m_pos); }

  std::optional<Error> sp();
  std::optional<Error> expect(char c);
  std::optional<Error> end();
  Result<std::string> tag();
  Result<std::string> atom();
  Result<std::string> astring();
  Result<std::string> string();
  Result<std::string> quoted();
  Result<std::string> literal();
  Result<std::string> list_mailbox();
  Result<std::uint64_t> number(std::uint64_t max);
  Result<std::uint32_t> nz_number();
  Result<std::uint32_t> seq_number();
  Result<SequenceSet> sequence_set();
  Result<std::string> flag();
  Result<std::vector<std::string>> flag_list();
  Result<std::int64_t> date();
  Result<std::int64_t> date_time();
  Result<std::vector<FetchItem>> fetch_atts();
  Result<FetchItem> fetch_att();
  Result<FetchItem> body_section(bool peek);
  Result<std::vector<std::string>> header_list();
  Result<SearchKey> search_key(std::size_t depth);
  Result<SearchKey> search_group(std::size_t depth);

  // The argument lists of each verb.
  std::optional<Error> arguments(Command& cmd);
  std::optional<Error> args_astrings(Command& cmd, std::size_t count);
  std::optional<Error> args_list(Command& cmd);
  std::optional<Error> args_status(Command& cmd);
  std::optional<Error> args_append(Command& cmd);
  std::optional<Error> args_authenticate(Command& cmd);
  std::optional<Error> args_enable(Command& cmd);
  std::optional<Error> args_fetch(Command& cmd);
  std::optional<Error> args_store(Command& cmd);
  std::optional<Error> args_copy(Command& cmd);
  std::optional<Error> args_search(Command& cmd);

  std::string_view m_text;
  std::size_t m_pos = 0;
  std::size_t m_search_keys = 0;
};

std::optional<Error> CommandParser::sp() {
  if (peek() != ' ') return fail("expected a space");
  ++m_pos;
  return std::nullopt;
}

std::optional<Error> CommandParser::expect(char c) {
  if (peek() != c) return fail(std::string("expected '") + c + "'");
  ++m_pos;
  return std::nullopt;
}

std::optional<Error> CommandParser::end() {
  if (!at_end()) return fail("unexpected characters after the arguments");
  return std::nullopt;
}

Result<std::string> CommandParser::tag() {
  const std::size_t start = m_pos;
  while (!at_end() && is_astring_char(peek()) && peek() != '+')
    ++m_pos;
  if (m_pos == start) return fail("missing tag");
  return std::string(m_text.substr(start, m_pos - start));
}

Result<std::string> CommandParser::atom() {
  const std::size_t start = m_pos;
  while (!at_end() && is_atom_char(peek()))
    ++m_pos;
  if (m_pos == start) return fail("expected an atom");
  return std::string(m_text.substr(start, m_pos - start));
}

Result<std::string> CommandParser::astring() {
  if (peek() == '"' || peek() == '{') return string();
  const std::size_t start = m_pos;
  while (!at_end() && is_astring_char(peek()))
    ++m_pos;
  if (m_pos == start) return fail("expected an atom or a string");
  return std::string(m_text.substr(start, m_pos - start));
}

Result<std::string> CommandParser::string() {
  if (peek() == '"') return quoted();
  if (peek() == '{') return literal();
  return fail("expected a string");
}

Result<std::string> CommandParser::quoted() {
  if (auto e = expect('"')) return *e;
  std::string out;
  while (true) {
    if (at_end()) return fail("unterminated quoted string");
    const char c = m_text[m_pos++];
    if (c == '"') return out;
    if (c == '\r' || c == '\n') return fail("line end inside a quoted string");
    if (c == '\\') {
      const char next = peek();
      if (next != '"' && next != '\\') return fail("bad escape in a quoted string");
      ++m_pos;
      out += next;
    } else {
      out += c;
    }
  }
}

Result<std::string> CommandParser::literal() {
  if (auto e = expect('{')) return *e;
  auto size = number(UINT32_MAX);
  if (!size) return size.error();
  if (peek() == '+') ++m_pos;  // LITERAL+ / LITERAL-: the client did not wait for "+"
  if (auto e = expect('}')) return *e;
  if (m_text.substr(m_pos, 2) != "\r\n") return fail("expected CRLF after a literal's size");
  m_pos += 2;
  if (m_text.size() - m_pos < *size) return fail("literal shorter than announced");
  std::string out(m_text.substr(m_pos, *size));
  m_pos += *size;
  return out;
}

Result<std::string> CommandParser::list_mailbox() {
  if (peek() == '"' || peek() == '{') return string();
  const std::size_t start = m_pos;
  while (!at_end() && is_list_char(peek()))
    ++m_pos;
  if (m_pos == start) return fail("expected a mailbox pattern");
  return std::string(m_text.substr(start, m_pos - start));
}

Result<std::uint64_t> CommandParser::number(std::uint64_t max) {
  const std::size_t start = m_pos;
  std::uint64_t value = 0;
  while (!at_end() && mail::is_digit(peek())) {
    value = value * 10 + static_cast<std::uint64_t>(peek() - '0');
    if (value > max) return fail("number too large");
    ++m_pos;
  }
  if (m_pos == start) return fail("expected a number");
  return value;
}

Result<std::uint32_t> CommandParser::nz_number() {
  auto n = number(UINT32_MAX);
  if (!n) return n.error();
  if (*n == 0) return fail("zero is not a valid message number");
  return static_cast<std::uint32_t>(*n);
}

Result<std::uint32_t> CommandParser::seq_number() {
  if (peek() == '*') {
    ++m_pos;
    return kStar;
  }
  return nz_number();
}

Result<SequenceSet> CommandParser::sequence_set() {
  SequenceSet set;
  while (true) {
    auto first = seq_number();
    if (!first) return first.error();
    SequenceRange range{*first, *first};
    if (peek() == ':') {
      ++m_pos;
      auto last = seq_number();
      if (!last) return last.error();
      range.last = *last;
    }
    if (set.ranges.size() >= kSequenceRangesMax) return fail("sequence set too long");
    set.ranges.push_back(range);
    if (peek() != ',') return set;
    ++m_pos;
  }
}

Result<std::string> CommandParser::flag() {
  if (peek() == '\\') {
    ++m_pos;
    if (peek() == '*') {
      ++m_pos;
      return std::string("\\*");
    }
    auto name = atom();
    if (!name) return name.error();
    return "\\" + *name;
  }
  return atom();
}

Result<std::vector<std::string>> CommandParser::flag_list() {
  if (auto e = expect('(')) return *e;
  std::vector<std::string> flags;
  while (peek() != ')') {
    if (!flags.empty()) {
      if (auto e = sp()) return *e;
    }
    auto f = flag();
    if (!f) return f.error();
    if (flags.size() >= kFlagsMax) return fail("too many flags");
    flags.push_back(std::move(*f));
  }
  ++m_pos;
  return flags;
}

Result<std::int64_t> CommandParser::date() {
  const bool quoted_form = peek() == '"';
  if (quoted_form) ++m_pos;
  const std::size_t start = m_pos;
  while (!at_end() && (mail::is_digit(peek()) || mail::is_alpha(peek()) || peek() == '-'))
    ++m_pos;
  auto days = parse_imap_date(m_text.substr(start, m_pos - start));
  if (!days) return fail("expected a date such as 1-Feb-1994");
  if (quoted_form) {
    if (auto e = expect('"')) return *e;
  }
  return *days;
}

Result<std::int64_t> CommandParser::date_time() {
  if (peek() != '"') return fail("expected a quoted date-time");
  const std::size_t close = m_text.find('"', m_pos + 1);
  if (close == std::string_view::npos) return fail("unterminated date-time");
  auto seconds = parse_imap_date_time(m_text.substr(m_pos + 1, close - m_pos - 1));
  if (!seconds) return fail("expected a date-time such as \"17-Jul-1996 02:44:25 -0700\"");
  m_pos = close + 1;
  return *seconds;
}

Result<std::vector<std::string>> CommandParser::header_list() {
  if (auto e = expect('(')) return *e;
  std::vector<std::string> names;
  while (true) {
    auto name = astring();
    if (!name) return name.error();
    if (names.size() >= kHeaderNamesMax) return fail("too many header field names");
    names.push_back(std::move(*name));
    if (peek() == ')') break;
    if (auto e = sp()) return *e;
  }
  ++m_pos;
  return names;
}

// "[" section-spec "]" ["<" number "." nz-number ">"], after BODY or BODY.PEEK.
Result<FetchItem> CommandParser::body_section(bool peek_only) {
  FetchItem item;
  item.kind = FetchItemKind::BodySection;
  item.peek = peek_only;
  if (auto e = expect('[')) return *e;
  // section-part: nz-number *("." nz-number)
  while (mail::is_digit(peek())) {
    auto n = nz_number();
    if (!n) return n.error();
    if (item.section.part.size() >= 32) return fail("section part number too deep");
    item.section.part.push_back(*n);
    if (!item.section_spec.empty()) item.section_spec += '.';
    item.section_spec += std::to_string(*n);
    if (peek() != '.') break;
    ++m_pos;
    if (!mail::is_digit(peek())) break;  // a section-text follows the dot
  }
  if (peek() != ']') {
    const std::size_t start = m_pos;
    while (!at_end() && (mail::is_alpha(peek()) || peek() == '.'))
      ++m_pos;
    const std::string word = upper(m_text.substr(start, m_pos - start));
    using mail::SectionText;
    if (word == "HEADER") {
      item.section.text = SectionText::Header;
    } else if (word == "TEXT") {
      item.section.text = SectionText::Text;
    } else if (word == "MIME" && !item.section.part.empty()) {
      item.section.text = SectionText::Mime;
    } else if (word == "HEADER.FIELDS" || word == "HEADER.FIELDS.NOT") {
      item.section.text =
          word == "HEADER.FIELDS" ? SectionText::HeaderFields : SectionText::HeaderFieldsNot;
      if (auto e = sp()) return *e;
      auto names = header_list();
      if (!names) return names.error();
      item.section.field_names = std::move(*names);
    } else {
      return fail("unknown section " + word);
    }
    if (!item.section_spec.empty()) item.section_spec += '.';
    item.section_spec += word;
    if (!item.section.field_names.empty()) {
      item.section_spec += " (";
      for (std::size_t i = 0; i < item.section.field_names.size(); ++i) {
        if (i > 0) item.section_spec += ' ';
        item.section_spec += upper(item.section.field_names[i]);
      }
      item.section_spec += ')';
    }
  }
  if (auto e = expect(']')) return *e;
  if (peek() == '<') {
    ++m_pos;
    auto origin = number(UINT32_MAX);
    if (!origin) return origin.error();
    if (auto e = expect('.')) return *e;
    auto count = nz_number();
    if (!count) return count.error();
    if (auto e = expect('>')) return *e;
    item.partial_origin = *origin;
    item.partial_count = *count;
  }
  return item;
}

Result<FetchItem> CommandParser::fetch_att() {
  const std::size_t start = m_pos;
  while (!at_end() && (mail::is_alpha(peek()) || mail::is_digit(peek()) || peek() == '.'))
    ++m_pos;
  const std::string name = upper(m_text.substr(start, m_pos - start));
  FetchItem item;
  if (name == "BODY" && peek() == '[') return body_section(false);
  if (name == "BODY.PEEK") return body_section(true);
  if (name == "FLAGS") {
    item.kind = FetchItemKind::Flags;
  } else if (name == "UID") {
    item.kind = FetchItemKind::Uid;
  } else if (name == "INTERNALDATE") {
    item.kind = FetchItemKind::InternalDate;
  } else if (name == "RFC822.SIZE") {
    item.kind = FetchItemKind::Rfc822Size;
  } else if (name == "ENVELOPE") {
    item.kind = FetchItemKind::Envelope;
  } else if (name == "BODY") {
    item.kind = FetchItemKind::Body;
  } else if (name == "BODYSTRUCTURE") {
    item.kind = FetchItemKind::BodyStructure;
  } else if (name == "RFC822") {
    item.kind = FetchItemKind::Rfc822;
  } else if (name == "RFC822.HEADER") {
    item.kind = FetchItemKind::Rfc822Header;
  } else if (name == "RFC822.TEXT") {
    item.kind = FetchItemKind::Rfc822Text;
  } else {
    m_pos = start;
    return fail(name.empty() ? "expected a fetch item" : "unknown fetch item " + name);
  }
  return item;
}

Result<std::vector<FetchItem>> CommandParser::fetch_atts() {
  std::vector<FetchItem> items;
  auto add = [&](FetchItemKind kind) {
    FetchItem item;
    item.kind = kind;
    items.push_back(item);
  };
  if (peek() == '(') {
    ++m_pos;
    while (true) {
      auto item = fetch_att();
      if (!item) return item.error();
      if (items.size() >= kFetchItemsMax) return fail("too many fetch items");
      items.push_back(std::move(*item));
      if (peek() == ')') break;
      if (auto e = sp()) return *e;
    }
    ++m_pos;
    return items;
  }
  // The macros (RFC 3501 6.4.5) stand alone, never inside parentheses.
  const std::size_t start = m_pos;
  auto word = atom();
  if (word) {
    const std::string macro = upper(*word);
    if (macro == "ALL" || macro == "FAST" || macro == "FULL") {
      add(FetchItemKind::Flags);
      add(FetchItemKind::InternalDate);
      add(FetchItemKind::Rfc822Size);
      if (macro != "FAST") add(FetchItemKind::Envelope);
      if (macro == "FULL") add(FetchItemKind::Body);
      return items;
    }
  }
  m_pos = start;
  auto item = fetch_att();
  if (!item) return item.error();
  items.push_back(std::move(*item));
  return items;
}

Result<SearchKey> CommandParser::search_group(std::size_t depth) {
  SearchKey group;
  group.kind = SearchKey::Kind::And;
  while (true) {
    auto key = search_key(depth + 1);
    if (!key) return key.error();
    group.children.push_back(std::move(*key));
    if (peek() != ' ') break;
    ++m_pos;
  }
  return group;
}

Result<SearchKey> CommandParser::search_key(std::size_t depth) {
  using Kind = SearchKey::Kind;
  if (depth > kSearchDepthMax) return fail("search criteria nested too deeply");
  if (++m_search_keys > kSearchKeysMax) return fail("too many search keys");
  SearchKey key;
  if (peek() == '(') {
    ++m_pos;
    auto group = search_group(depth);
    if (!group) return group.error();
    if (auto e = expect(')')) return *e;
    return group;
  }
  if (peek() == '*' || mail::is_digit(peek())) {
    auto set = sequence_set();
    if (!set) return set.error();
    key.kind = Kind::Sequence;
    key.set = std::move(*set);
    return key;
  }
  const std::size_t start = m_pos;
  auto word = atom();
  if (!word) return fail("expected a search key");
  const std::string name = upper(*word);
  struct Simple {
    std::string_view name;
    Kind kind;
  };
  static constexpr std::array<Simple, 16> kSimple = {{
      {"ALL", Kind::All},
      {"ANSWERED", Kind::Answered},
      {"DELETED", Kind::Deleted},
      {"DRAFT", Kind::Draft},
      {"FLAGGED", Kind::Flagged},
      {"NEW", Kind::New},
      {"OLD", Kind::Old},
      {"RECENT", Kind::Recent},
      {"SEEN", Kind::Seen},
      {"UNANSWERED", Kind::Unanswered},
      {"UNDELETED", Kind::Undeleted},
      {"UNDRAFT", Kind::Undraft},
      {"UNFLAGGED", Kind::Unflagged},
      {"UNSEEN", Kind::Unseen},
  }};
  for (const Simple& s : kSimple) {
    if (!s.name.empty() && s.name == name) {
      key.kind = s.kind;
      return key;
    }
  }
  static constexpr std::array<Simple, 8> kStrings = {{
      {"BCC", Kind::Bcc},
      {"BODY", Kind::Body},
      {"CC", Kind::Cc},
      {"FROM", Kind::From},
      {"SUBJECT", Kind::Subject},
      {"TEXT", Kind::Text},
      {"TO", Kind::To},
  }};
  for (const Simple& s : kStrings) {
    if (!s.name.empty() && s.name == name) {
      key.kind = s.kind;
      if (auto e = sp()) return *e;
      auto text = astring();
      if (!text) return text.error();
      key.text = std::move(*text);
      return key;
    }
  }
  static constexpr std::array<Simple, 6> kDates = {{
      {"BEFORE", Kind::Before},
      {"ON", Kind::On},
      {"SINCE", Kind::Since},
      {"SENTBEFORE", Kind::SentBefore},
      {"SENTON", Kind::SentOn},
      {"SENTSINCE", Kind::SentSince},
  }};
  for (const Simple& s : kDates) {
    if (s.name == name) {
      key.kind = s.kind;
      if (auto e = sp()) return *e;
      auto day = date();
      if (!day) return day.error();
      key.day = *day;
      return key;
    }
  }
  if (name == "KEYWORD" || name == "UNKEYWORD") {
    key.kind = name == "KEYWORD" ? Kind::Keyword : Kind::Unkeyword;
    if (auto e = sp()) return *e;
    auto keyword = atom();
    if (!keyword) return keyword.error();
    key.text = std::move(*keyword);
    return key;
  }
  if (name == "HEADER") {
    key.kind = Kind::Header;
    if (auto e = sp()) return *e;
    auto field = astring();
    if (!field) return field.error();
    if (auto e = sp()) return *e;
    auto text = astring();
    if (!text) return text.error();
    key.field = std::move(*field);
    key.text = std::move(*text);
    return key;
  }
  if (name == "LARGER" || name == "SMALLER") {
    key.kind = name == "LARGER" ? Kind::Larger : Kind::Smaller;
    if (auto e = sp()) return *e;
    auto n = number(UINT32_MAX);
    if (!n) return n.error();
    key.number = *n;
    return key;
  }
  if (name == "UID") {
    key.kind = Kind::Uid;
    if (auto e = sp()) return *e;
    auto set = sequence_set();
    if (!set) return set.error();
    key.set = std::move(*set);
    return key;
  }
  if (name == "NOT") {
    key.kind = Kind::Not;
    if (auto e = sp()) return *e;
    auto inner = search_key(depth + 1);
    if (!inner) return inner.error();
    key.children.push_back(std::move(*inner));
    return key;
  }
  if (name == "OR") {
    key.kind = Kind::Or;
    for (int i = 0; i < 2; ++i) {
      if (auto e = sp()) return *e;
      auto inner = search_key(depth + 1);
      if (!inner) return inner.error();
      key.children.push_back(std::move(*inner));
    }
    return key;
  }
  m_pos = start;
  return fail("unknown search key " + name);
}

std::optional<Error> CommandParser::args_astrings(Command& cmd, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    if (auto e = sp()) return e;
    auto arg = astring();
    if (!arg) return arg.error();
    cmd.args.push_back(std::move(*arg));
  }
  return end();
}

std::optional<Error> CommandParser::args_list(Command& cmd) {
  if (auto e = sp()) return e;
  auto reference = astring();  // the reference is a mailbox: astring
  if (!reference) return reference.error();
  if (auto e = sp()) return e;
  auto pattern = list_mailbox();
  if (!pattern) return pattern.error();
  cmd.args = {std::move(*reference), std::move(*pattern)};
  return end();
}

std::optional<Error> CommandParser::args_status(Command& cmd) {
  if (auto e = sp()) return e;
  auto mailbox = astring();
  if (!mailbox) return mailbox.error();
  cmd.args.push_back(std::move(*mailbox));
  if (auto e = sp()) return e;
  if (auto e = expect('(')) return e;
  while (true) {
    auto word = atom();
    if (!word) return word.error();
    const std::string name = upper(*word);
    if (name == "MESSAGES") {
      cmd.status_items.push_back(StatusItem::Messages);
    } else if (name == "RECENT") {
      cmd.status_items.push_back(StatusItem::Recent);
    } else if (name == "UIDNEXT") {
      cmd.status_items.push_back(StatusItem::UidNext);
    } else if (name == "UIDVALIDITY") {
      cmd.status_items.push_back(StatusItem::UidValidity);
    } else if (name == "UNSEEN") {
      cmd.status_items.push_back(StatusItem::Unseen);
    } else {
      return fail("unknown status item " + name);
    }
    if (cmd.status_items.size() > 16) return fail("too many status items");
    if (peek() == ')') break;
    if (auto e = sp()) return e;
  }
  ++m_pos;
  return end();
}

std::optional<Error> CommandParser::args_append(Command& cmd) {
  if (auto e = sp()) return e;
  auto mailbox = astring();
  if (!mailbox) return mailbox.error();
  cmd.args.push_back(std::move(*mailbox));
  if (auto e = sp()) return e;
  if (peek() == '(') {
    auto flags = flag_list();
    if (!flags) return flags.error();
    cmd.flag_names = std::move(*flags);
    if (auto e = sp()) return e;
  }
  if (peek() == '"') {
    auto when = date_time();
    if (!when) return when.error();
    cmd.append_date = *when;
    if (auto e = sp()) return e;
  }
  if (peek() != '{') return fail("expected the message as a literal");
  auto message = literal();
  if (!message) return message.error();
  cmd.append_message = std::move(*message);
  return end();
}

std::optional<Error> CommandParser::args_authenticate(Command& cmd) {
  if (auto e = sp()) return e;
  auto mechanism = atom();
  if (!mechanism) return mechanism.error();
  cmd.args.push_back(upper(*mechanism));
  if (peek() == ' ') {
    ++m_pos;
    // RFC 4959 SASL-IR: base64 or "=" for an empty response.
    const std::size_t start = m_pos;
    while (!at_end() && (mail::is_alpha(peek()) || mail::is_digit(peek()) || peek() == '+' ||
                         peek() == '/' || peek() == '='))
      ++m_pos;
    if (m_pos == start) return fail("expected a base64 initial response");
    cmd.args.emplace_back(m_text.substr(start, m_pos - start));
  }
  return end();
}

std::optional<Error> CommandParser::args_enable(Command& cmd) {
  while (peek() == ' ') {
    ++m_pos;
    auto capability = atom();
    if (!capability) return capability.error();
    if (cmd.args.size() >= 32) return fail("too many capabilities");
    cmd.args.push_back(upper(*capability));
  }
  if (cmd.args.empty()) return fail("ENABLE needs at least one capability");
  return end();
}

std::optional<Error> CommandParser::args_fetch(Command& cmd) {
  if (auto e = sp()) return e;
  auto set = sequence_set();
  if (!set) return set.error();
  cmd.set = std::move(*set);
  if (auto e = sp()) return e;
  auto items = fetch_atts();
  if (!items) return items.error();
  cmd.fetch = std::move(*items);
  return end();
}

std::optional<Error> CommandParser::args_store(Command& cmd) {
  if (auto e = sp()) return e;
  auto set = sequence_set();
  if (!set) return set.error();
  cmd.set = std::move(*set);
  if (auto e = sp()) return e;
  if (peek() == '+') {
    cmd.store_op = mail::FlagOp::Add;
    ++m_pos;
  } else if (peek() == '-') {
    cmd.store_op = mail::FlagOp::Remove;
    ++m_pos;
  } else {
    cmd.store_op = mail::FlagOp::Replace;
  }
  auto word = atom();
  if (!word) return word.error();
  const std::string name = upper(*word);
  if (name == "FLAGS.SILENT") {
    cmd.silent = true;
  } else if (name != "FLAGS") {
    return fail("expected FLAGS, +FLAGS or -FLAGS");
  }
  if (auto e = sp()) return e;
  if (peek() == '(') {
    auto flags = flag_list();
    if (!flags) return flags.error();
    cmd.flag_names = std::move(*flags);
  } else {
    // RFC 3501 also allows the flags without parentheses.
    while (true) {
      auto f = flag();
      if (!f) return f.error();
      if (cmd.flag_names.size() >= kFlagsMax) return fail("too many flags");
      cmd.flag_names.push_back(std::move(*f));
      if (peek() != ' ') break;
      ++m_pos;
    }
  }
  return end();
}

std::optional<Error> CommandParser::args_copy(Command& cmd) {
  if (auto e = sp()) return e;
  auto set = sequence_set();
  if (!set) return set.error();
  cmd.set = std::move(*set);
  if (auto e = sp()) return e;
  auto mailbox = astring();
  if (!mailbox) return mailbox.error();
  cmd.args.push_back(std::move(*mailbox));
  return end();
}

std::optional<Error> CommandParser::args_search(Command& cmd) {
  if (auto e = sp()) return e;
  const std::size_t start = m_pos;
  auto word = atom();
  if (word && upper(*word) == "CHARSET") {
    if (auto e = sp()) return e;
    auto charset = astring();
    if (!charset) return charset.error();
    cmd.charset = upper(*charset);
    if (auto e = sp()) return e;
  } else {
    m_pos = start;
  }
  auto keys = search_group(0);
  if (!keys) return keys.error();
  cmd.search = std::move(*keys);
  return end();
}

std::optional<Error> CommandParser::arguments(Command& cmd) {
  switch (cmd.verb) {
    case Verb::Capability:
    case Verb::Noop:
    case Verb::Logout:
    case Verb::StartTls:
    case Verb::Idle:
    case Verb::Check:
    case Verb::Close:
    case Verb::Unselect:
      return end();
    case Verb::Expunge:
      if (cmd.uid) {
        if (auto e = sp()) return e;
        auto set = sequence_set();
        if (!set) return set.error();
        cmd.set = std::move(*set);
      }
      return end();
    case Verb::Login:
    case Verb::Rename:
      return args_astrings(cmd, 2);
    case Verb::Select:
    case Verb::Examine:
    case Verb::Create:
    case Verb::Delete:
    case Verb::Subscribe:
    case Verb::Unsubscribe:
      return args_astrings(cmd, 1);
    case Verb::List:
    case Verb::Lsub:
      return args_list(cmd);
    case Verb::Status:
      return args_status(cmd);
    case Verb::Append:
      return args_append(cmd);
    case Verb::Authenticate:
      return args_authenticate(cmd);
    case Verb::Enable:
      return args_enable(cmd);
    case Verb::Fetch:
      return args_fetch(cmd);
    case Verb::Store:
      return args_store(cmd);
    case Verb::Copy:
    case Verb::Move:
      return args_copy(cmd);
    case Verb::Search:
      return args_search(cmd);
    case Verb::Unknown:
    case Verb::Count:
      break;
  }
  return fail("unknown command");
}

Result<Command> CommandParser::command() {
  Command cmd;
  auto t = tag();
  if (!t) return t.error();
  cmd.tag = std::move(*t);
  if (auto e = sp()) return *e;
  auto word = atom();
  if (!word) return make_error("missing command", "command", m_pos);
  std::string name = upper(*word);
  if (name == "UID") {
    cmd.uid = true;
    if (auto e = sp()) return *e;
    auto sub = atom();
    if (!sub) return make_error("missing command after UID", "command", m_pos);
    name = upper(*sub);
    if (name != "FETCH" && name != "STORE" && name != "COPY" && name != "MOVE" &&
        name != "SEARCH" && name != "EXPUNGE") {
      return make_error("unknown UID command " + name, "command", m_pos);
    }
  }
  cmd.verb = Verb::Unknown;
  for (std::size_t i = 0; i < static_cast<std::size_t>(Verb::Unknown); ++i) {
    if (kVerbNames[i] == name) cmd.verb = static_cast<Verb>(i);
  }
  if (cmd.verb == Verb::Unknown) return make_error("unknown command " + name, "command", 0);
  if (auto e = arguments(cmd)) return *e;
  return cmd;
}

}  // namespace

std::string_view to_string(Verb verb) {
  const auto index = static_cast<std::size_t>(verb);
  return index < kVerbNames.size() ? kVerbNames[index] : "?";
}

std::string FetchItem::response_name() const {
  switch (kind) {
    case FetchItemKind::Flags:
      return "FLAGS";
    case FetchItemKind::Uid:
      return "UID";
    case FetchItemKind::InternalDate:
      return "INTERNALDATE";
    case FetchItemKind::Rfc822Size:
      return "RFC822.SIZE";
    case FetchItemKind::Envelope:
      return "ENVELOPE";
    case FetchItemKind::Body:
      return "BODY";
    case FetchItemKind::BodyStructure:
      return "BODYSTRUCTURE";
    case FetchItemKind::Rfc822:
      return "RFC822";
    case FetchItemKind::Rfc822Header:
      return "RFC822.HEADER";
    case FetchItemKind::Rfc822Text:
      return "RFC822.TEXT";
    case FetchItemKind::BodySection: {
      // RFC 3501 7.4.2: the response names BODY (never BODY.PEEK) and only the origin.
      std::string name = "BODY[" + section_spec + "]";
      if (partial_origin) name += "<" + std::to_string(*partial_origin) + ">";
      return name;
    }
  }
  return "?";
}

bool FetchItem::sets_seen() const {
  return (kind == FetchItemKind::BodySection && !peek) || kind == FetchItemKind::Rfc822 ||
         kind == FetchItemKind::Rfc822Text;
}

std::string command_tag(std::string_view text) {
  std::size_t end = 0;
  while (end < text.size() && is_astring_char(text[end]) && text[end] != '+')
    ++end;
  if (end == 0 || end > 64 || (end < text.size() && text[end] != ' ')) return "*";
  return std::string(text.substr(0, end));
}

Result<Command> parse_command(std::string_view text) {
  return CommandParser(text).command();
}

Result<std::int64_t> parse_imap_date(std::string_view text) {
  // date-day "-" date-month "-" date-year, the day in one or two digits.
  const std::size_t dash1 = text.find('-');
  const std::size_t dash2 = dash1 == std::string_view::npos ? dash1 : text.find('-', dash1 + 1);
  if (dash2 == std::string_view::npos) return make_error("expected d-Mon-yyyy", "date");
  const std::string_view day = text.substr(0, dash1);
  const std::string month = upper(text.substr(dash1 + 1, dash2 - dash1 - 1));
  const std::string_view year = text.substr(dash2 + 1);
  if (day.empty() || day.size() > 2 || year.size() != 4) {
    return make_error("expected d-Mon-yyyy", "date");
  }
  for (char c : day) {
    if (!mail::is_digit(c)) return make_error("bad day", "date");
  }
  for (char c : year) {
    if (!mail::is_digit(c)) return make_error("bad year", "date");
  }
  int m = 0;
  for (std::size_t i = 0; i < kMonthNames.size(); ++i) {
    if (kMonthNames[i] == month) m = static_cast<int>(i) + 1;
  }
  if (m == 0) return make_error("bad month", "date");
  return civil_days(std::stoi(std::string(day)), m, std::stoi(std::string(year)));
}

Result<std::int64_t> parse_imap_date_time(std::string_view text) {
  // date-day-fixed "-" date-month "-" date-year SP time SP zone: exactly 26 characters.
  if (text.size() != 26 || text[11] != ' ' || text[20] != ' ' || text[14] != ':' ||
      text[17] != ':') {
    return make_error("expected dd-Mon-yyyy hh:mm:ss +zzzz", "date-time");
  }
  std::string date(text.substr(0, 11));
  if (date[0] == ' ') date.erase(0, 1);
  auto days = parse_imap_date(date);
  if (!days) return days.error();
  auto two = [&](std::size_t at) -> int {
    if (!mail::is_digit(text[at]) || !mail::is_digit(text[at + 1])) return -1;
    return (text[at] - '0') * 10 + (text[at + 1] - '0');
  };
  const int hour = two(12), minute = two(15), second = two(18);
  const char sign = text[21];
  const int zone_h = two(22), zone_m = two(24);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60 ||
      zone_h < 0 || zone_m < 0 || zone_m > 59 || (sign != '+' && sign != '-')) {
    return make_error("bad time or zone", "date-time");
  }
  const std::int64_t zone = (zone_h * 60 + zone_m) * 60 * (sign == '-' ? -1 : 1);
  return *days * 86400 + hour * 3600 + minute * 60 + second - zone;
}

}  // namespace mailscope::imap
