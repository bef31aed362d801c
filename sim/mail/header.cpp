#include "mail/header.h"

#include "mail/text.h"

namespace mailscope::mail {

bool HeaderField::is(std::string_view other_name) const {
  return iequals(name, other_name);
}

bool is_field_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 33 || u > 126 || c == ':') return false;
  }
  return true;
}

std::string unfold(std::string_view raw_value) {
  std::string out;
  out.reserve(raw_value.size());
  for (std::size_t i = 0; i < raw_value.size(); ++i) {
    const char c = raw_value[i];
    if (c == '\n') continue;
    if (c == '\r' && i + 1 < raw_value.size() && raw_value[i + 1] == '\n') continue;
    out += c;
  }
  return std::string(trim_space(out));
}

const HeaderField* find_field(std::span<const HeaderField> fields, std::string_view name) {
  for (const HeaderField& field : fields) {
    if (field.is(name)) return &field;
  }
  return nullptr;
}

HeaderBlock parse_header_block(std::string_view bytes, std::size_t begin, std::size_t end,
                               const ParseLimits& limits, std::vector<Error>& defects) {
  if (end > bytes.size()) end = bytes.size();
  if (begin > end) begin = end;
  HeaderBlock block;
  block.body_offset = end;
  block.separator_offset = end;
  bool reported_bare_lf = false;
  std::size_t pos = begin;
  while (pos < end) {
    const LineSpan line = line_at(bytes, pos, end);
    if (line.bare_lf && !reported_bare_lf) {
      defects.push_back(make_error("line ends with a bare LF", "header", pos));
      reported_bare_lf = true;
    }
    if (line.content_end - line.begin > limits.line_length_max) {
      defects.push_back(make_error("header line longer than the limit", "header", pos));
    }
    if (line.content_end == line.begin) {  // the empty line that separates header and body
      block.separator_offset = pos;
      block.body_offset = line.next;
      block.has_separator = true;
      break;
    }
    if (is_wsp(bytes[pos])) {
      if (block.fields.empty()) {
        defects.push_back(make_error("continuation line without a field", "header", pos));
        block.body_offset = block.separator_offset = pos;
        break;
      }
      block.fields.back().size = line.next - block.fields.back().offset;
      pos = line.next;
      continue;
    }
    const std::string_view content = bytes.substr(pos, line.content_end - pos);
    const std::size_t colon = content.find(':');
    const std::string_view name =
        colon == std::string_view::npos ? std::string_view{} : trim_wsp(content.substr(0, colon));
    if (!is_field_name(name)) {
      defects.push_back(
          make_error("line is not a header field; the body starts here", "header", pos));
      block.body_offset = block.separator_offset = pos;
      break;
    }
    if (block.fields.size() >= limits.header_fields_max) {
      defects.push_back(make_error("too many header fields; the body starts here", "header", pos));
      block.body_offset = block.separator_offset = pos;
      break;
    }
    HeaderField field;
    field.offset = pos;
    field.size = line.next - pos;
    field.value_offset = pos + colon + 1;
    field.name = std::string(name);
    block.fields.push_back(std::move(field));
    pos = line.next;
  }
  for (HeaderField& field : block.fields) {
    field.value = unfold(bytes.substr(field.value_offset, field.end() - field.value_offset));
  }
  return block;
}

}  // namespace mailscope::mail
