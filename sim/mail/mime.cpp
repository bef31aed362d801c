#include "mail/mime.h"

#include <algorithm>

#include "mail/text.h"

namespace mailscope::mail {
namespace {

bool is_tspecial(char c) {
  switch (c) {
    case '(':
    case ')':
    case '<':
    case '>':
    case '@':
    case ',':
    case ';':
    case ':':
    case '\\':
    case '"':
    case '/':
    case '[':
    case ']':
    case '?':
    case '=':
      return true;
    default:
      return false;
  }
}

bool is_token_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u > 32 && u < 127 && !is_tspecial(c);
}

// A cursor over a structured field value that skips white space and (nested) comments.
class ParamLexer {
 public:
  explicit ParamLexer(std::string_view text) : m_text(text) {}
  bool at_end() {
    skip_cfws();
    return m_pos >= m_text.size();
  }
  bool take(char c) {
    skip_cfws();
    if (m_pos < m_text.size() && m_text[m_pos] == c) {
      ++m_pos;
      return true;
    }
    return false;
  }
  // Token characters, plus '/' when allowed (for "type/subtype").
  std::string token(bool allow_slash) {
    skip_cfws();
    const std::size_t start = m_pos;
    while (m_pos < m_text.size() &&
           (is_token_char(m_text[m_pos]) || (allow_slash && m_text[m_pos] == '/'))) {
      ++m_pos;
    }
    return std::string(m_text.substr(start, m_pos - start));
  }
  // A quoted string (unescaped) or, leniently, any run up to ';', white space or a comment.
  std::string param_value() {
    skip_cfws();
    std::string out;
    if (m_pos < m_text.size() && m_text[m_pos] == '"') {
      ++m_pos;
      while (m_pos < m_text.size()) {
        const char c = m_text[m_pos++];
        if (c == '\\' && m_pos < m_text.size()) {
          out += m_text[m_pos++];
        } else if (c == '"') {
          break;
        } else {
          out += c;
        }
      }
      return out;
    }
    while (m_pos < m_text.size()) {
      const char c = m_text[m_pos];
      if (c == ';' || c == '(' || c == '"' || is_wsp(c) || c == '\r' || c == '\n') break;
      out += c;
      ++m_pos;
    }
    return out;
  }
  void skip_to(char c) {
    while (m_pos < m_text.size() && m_text[m_pos] != c)
      ++m_pos;
  }

 private:
  void skip_cfws() {
    while (m_pos < m_text.size()) {
      const char c = m_text[m_pos];
      if (is_wsp(c) || c == '\r' || c == '\n') {
        ++m_pos;
      } else if (c == '(') {
        int depth = 0;
        while (m_pos < m_text.size()) {
          const char d = m_text[m_pos++];
          if (d == '\\' && m_pos < m_text.size()) {
            ++m_pos;
          } else if (d == '(') {
            ++depth;
          } else if (d == ')' && --depth == 0) {
            break;
          }
        }
      } else {
        break;
      }
    }
  }

  std::string_view m_text;
  std::size_t m_pos = 0;
};

std::optional<std::string> find_param(const Parameters& params, std::string_view name) {
  for (const auto& [key, value] : params) {
    if (iequals(key, name)) return value;
  }
  return std::nullopt;
}

MediaType opaque_type() {
  MediaType type;
  type.type = "application";
  type.subtype = "octet-stream";
  type.params.clear();
  return type;
}

struct Context {
  const ParseLimits& limits;
  std::vector<Error>& defects;
  std::size_t parts = 0;  // parts built so far, bounded by limits.parts_max
};

void parse_part(std::string_view bytes, std::size_t begin, std::size_t end, std::size_t depth,
                const MediaType& default_type, Context& ctx, MimePart& part);

void apply_header(MimePart& part, const MediaType& default_type, Context& ctx) {
  if (const HeaderField* f = part.field("Content-Type")) {
    bool valid = false;
    part.content_type = parse_media_type(f->value, &valid);
    part.content_type_given = valid;
    if (!valid)
      ctx.defects.push_back(make_error("unreadable Content-Type", "Content-Type", f->offset));
  } else {
    part.content_type = default_type;
  }
  if (const HeaderField* f = part.field("Content-Transfer-Encoding")) {
    ParamLexer lex(f->value);
    const std::string token = to_lower(lex.token(false));
    if (!token.empty()) part.transfer_encoding = token;
  }
  if (const HeaderField* f = part.field("Content-ID")) part.content_id = f->value;
  if (const HeaderField* f = part.field("Content-Description")) part.description = f->value;
  if (const HeaderField* f = part.field("Content-MD5")) part.md5 = f->value;
  if (const HeaderField* f = part.field("Content-Location")) part.location = f->value;
  if (const HeaderField* f = part.field("Content-Disposition")) {
    auto disposition = parse_parameterized(f->value);
    if (disposition.ok()) part.disposition = std::move(disposition).value();
  }
  if (const HeaderField* f = part.field("Content-Language")) {
    std::string_view rest = f->value;
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      const std::string_view tag = trim_wsp(rest.substr(0, comma));
      if (!tag.empty()) part.language.emplace_back(tag);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
}

void make_leaf(MimePart& part, MediaType type, Context& ctx, const char* why) {
  ctx.defects.push_back(make_error(why, "mime", part.offset));
  part.kind = PartKind::Leaf;
  part.content_type = std::move(type);
  part.children.clear();
}

struct Delimiter {
  std::size_t line_begin = 0;
  std::size_t next = 0;  // first byte after the delimiter line
  bool close = false;
};

std::vector<Delimiter> find_delimiters(std::string_view bytes, std::size_t begin, std::size_t end,
                                       std::string_view boundary) {
  std::vector<Delimiter> found;
  std::size_t pos = begin;
  while (pos < end) {
    const LineSpan line = line_at(bytes, pos, end);
    const std::string_view content = bytes.substr(pos, line.content_end - pos);
    if (content.size() >= boundary.size() + 2 && content[0] == '-' && content[1] == '-' &&
        content.substr(2, boundary.size()) == boundary) {
      const std::string_view after = content.substr(boundary.size() + 2);
      if (after.size() >= 2 && after[0] == '-' && after[1] == '-') {
        found.push_back(Delimiter{pos, line.next, true});
        break;
      }
      if (trim_wsp(after).empty()) found.push_back(Delimiter{pos, line.next, false});
    }
    pos = line.next;
  }
  return found;
}

void parse_multipart(std::string_view bytes, MimePart& part, std::size_t depth, Context& ctx) {
  const std::optional<std::string> boundary = part.content_type.param("boundary");
  if (!boundary || boundary->empty() || boundary->size() > 200) {
    MediaType plain;
    make_leaf(part, plain, ctx, "multipart without a usable boundary; read as text/plain");
    return;
  }
  const std::vector<Delimiter> delimiters =
      find_delimiters(bytes, part.body_offset, part.end(), *boundary);
  MediaType child_default;
  if (part.content_type.subtype == "digest") {
    child_default.type = "message";
    child_default.subtype = "rfc822";
    child_default.params.clear();
  }
  const bool closed = !delimiters.empty() && delimiters.back().close;
  for (std::size_t k = 0; k < delimiters.size() && !delimiters[k].close; ++k) {
    if (ctx.parts >= ctx.limits.parts_max) {
      ctx.defects.push_back(make_error("too many MIME parts; the rest is not split", "mime",
                                       delimiters[k].line_begin));
      break;
    }
    const std::size_t start = delimiters[k].next;
    std::size_t stop = part.end();
    if (k + 1 < delimiters.size()) {
      // The line break before a delimiter belongs to the delimiter (RFC 2046 5.1.1).
      stop = delimiters[k + 1].line_begin;
      if (stop > start && bytes[stop - 1] == '\n') {
        --stop;
        if (stop > start && bytes[stop - 1] == '\r') --stop;
      }
    }
    stop = std::max(stop, start);
    MimePart child;
    parse_part(bytes, start, stop, depth + 1, child_default, ctx, child);
    part.children.push_back(std::move(child));
  }
  if (part.children.empty()) {
    MediaType plain;
    make_leaf(part, plain, ctx, "multipart without any body part; read as text/plain");
    return;
  }
  if (!closed) {
    ctx.defects.push_back(make_error("multipart without a close delimiter", "mime", part.end()));
  }
}

void parse_part(std::string_view bytes, std::size_t begin, std::size_t end, std::size_t depth,
                const MediaType& default_type, Context& ctx, MimePart& part) {
  ++ctx.parts;
  HeaderBlock block = parse_header_block(bytes, begin, end, ctx.limits, ctx.defects);
  part.offset = begin;
  part.header = std::move(block.fields);
  part.body_offset = block.body_offset;
  part.header_size = block.body_offset - begin;
  part.header_separated = block.has_separator;
  part.body_size = end - block.body_offset;
  part.body_lines = count_lines(bytes, part.body_offset, end);
  apply_header(part, default_type, ctx);

  const bool composite =
      part.content_type.is_multipart() || part.content_type.is("message", "rfc822");
  if (composite && depth >= ctx.limits.mime_depth_max) {
    make_leaf(part, opaque_type(), ctx, "MIME nesting deeper than the limit; read as opaque");
    return;
  }
  if (part.content_type.is_multipart()) {
    part.kind = PartKind::Multipart;
    parse_multipart(bytes, part, depth, ctx);
  } else if (part.content_type.is("message", "rfc822")) {
    const std::string& cte = part.transfer_encoding;
    if (cte != "7bit" && cte != "8bit" && cte != "binary") {
      make_leaf(part, opaque_type(), ctx, "encoded message/rfc822 part; read as opaque");
      return;
    }
    if (ctx.parts >= ctx.limits.parts_max) {
      make_leaf(part, opaque_type(), ctx, "too many MIME parts; read as opaque");
      return;
    }
    part.kind = PartKind::Message;
    MimePart inner;
    parse_part(bytes, part.body_offset, end, depth + 1, MediaType{}, ctx, inner);
    part.children.push_back(std::move(inner));
  }
}

}  // namespace

std::optional<std::string> ParameterizedValue::param(std::string_view name) const {
  return find_param(params, name);
}

bool MediaType::is(std::string_view t, std::string_view s) const {
  return iequals(type, t) && iequals(subtype, s);
}

std::optional<std::string> MediaType::param(std::string_view name) const {
  return find_param(params, name);
}

Result<ParameterizedValue> parse_parameterized(std::string_view text) {
  ParamLexer lex(text);
  ParameterizedValue out;
  out.value = to_lower(lex.token(true));
  if (out.value.empty()) return make_error("missing value", "parameters");
  while (!lex.at_end()) {
    if (!lex.take(';')) {
      lex.skip_to(';');
      continue;
    }
    if (lex.at_end()) break;  // a trailing ';' is common and harmless
    std::string name = to_lower(lex.token(false));
    if (name.empty() || !lex.take('=')) {
      lex.skip_to(';');
      continue;
    }
    std::string value = lex.param_value();
    out.params.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

MediaType parse_media_type(std::string_view text, bool* valid) {
  if (valid != nullptr) *valid = false;
  auto parsed = parse_parameterized(text);
  if (!parsed.ok()) return MediaType{};
  const std::string& value = parsed->value;
  const std::size_t slash = value.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == value.size() ||
      value.find('/', slash + 1) != std::string::npos) {
    return MediaType{};
  }
  MediaType type;
  type.type = value.substr(0, slash);
  type.subtype = value.substr(slash + 1);
  type.params = std::move(parsed->params);
  if (valid != nullptr) *valid = true;
  return type;
}

std::size_t count_lines(std::string_view bytes, std::size_t begin, std::size_t end) {
  end = std::min(end, bytes.size());
  if (begin >= end) return 0;
  const std::string_view range = bytes.substr(begin, end - begin);
  std::size_t lines = static_cast<std::size_t>(std::count(range.begin(), range.end(), '\n'));
  if (range.back() != '\n') ++lines;
  return lines;
}

MimePart parse_mime_part(std::string_view bytes, std::size_t begin, std::size_t end,
                         const ParseLimits& limits, std::vector<Error>& defects,
                         const MediaType& default_type) {
  end = std::min(end, bytes.size());
  begin = std::min(begin, end);
  Context ctx{limits, defects};
  MimePart part;
  parse_part(bytes, begin, end, 0, default_type, ctx, part);
  return part;
}

}  // namespace mailscope::mail
