#include "export/event_text.h"

#include <cctype>

#include "wire/dissect.h"
#include "wire/dns_format.h"
#include "wire/dns_message.h"

namespace mailscope::exporter {
namespace {

// Application payloads are lines; show them without their line ending.
std::string_view without_line_end(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(a[i])) !=
        std::toupper(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// The first line of a text payload; a multi-line message says how many lines follow.
std::string first_line_of(std::string_view text) {
  const auto lines = split_lines(text);
  if (lines.empty()) return {};
  std::string out = printable_line(lines.front(), kDescriptionCharsMax);
  if (lines.size() > 1) out += " (+" + std::to_string(lines.size() - 1) + " lines)";
  return out;
}

std::string describe_dns(wire::ByteView bytes) {
  const auto message = wire::DnsMessage::parse(bytes, wire::TrailingBytes::Ignore);
  if (!message) return "DNS (malformed: " + message.error().to_string() + ")";
  return wire::summarize(*message);
}

std::string describe_application(const Trace& trace, const TraceEvent& e) {
  const auto bytes = trace.message(e);
  if (bytes.empty()) return first_line_of(trace.text(e));
  if ((e.kind == EventKind::Request || e.kind == EventKind::Response) &&
      application_of(trace, e) == "dns")
    return describe_dns(bytes);
  const std::string_view text = as_text(bytes);
  bool textual = true;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\r' && c != '\n' && c != '\t') {
      textual = false;
      break;
    }
  }
  if (!textual) return wire::summarize_pdu(Layer::Application, e.detail, bytes);
  return first_line_of(text);
}

std::string cut(std::string text) {
  if (text.size() > kDescriptionCharsMax) {
    // Cut at a UTF-8 character boundary so the result stays valid text.
    std::size_t at = kDescriptionCharsMax;
    while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xc0) == 0x80)
      --at;
    text.resize(at);
    text += "…";
  }
  return text;
}

}  // namespace

std::string_view application_of(const Trace& trace, const TraceEvent& e) {
  if (e.flow == kNoFlow || e.flow >= trace.flow_count()) return {};
  return trace.flow(e.flow).application;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::string printable_line(std::string_view line, std::size_t chars_max) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(std::min(line.size(), chars_max) + 8);
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (i >= chars_max) {
      // Do not leave half a UTF-8 character before the ellipsis.
      while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xc0) == 0x80)
        out.pop_back();
      if (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xc0) == 0xc0) out.pop_back();
      out += "…";
      break;
    }
    const auto c = static_cast<unsigned char>(line[i]);
    if ((c < 0x20 && c != '\t') || c == 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string mask_credentials(std::string_view line) {
  // Words are separated by single spaces in every protocol we speak; keep the first `keep`.
  std::vector<std::string_view> words;
  std::string_view rest = line;
  while (!rest.empty()) {
    const auto space = rest.find(' ');
    words.push_back(rest.substr(0, space));
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  std::size_t keep = 0;
  if (!words.empty()) {
    const std::string_view w0 = words[0];
    const std::string_view w1 = words.size() > 1 ? words[1] : std::string_view();
    if (equals_ignoring_case(w0, "AUTH"))
      keep = 2;  // SMTP, POP3: AUTH mech [ir]
    else if (equals_ignoring_case(w1, "LOGIN"))
      keep = 3;  // IMAP: tag LOGIN user pass
    else if (equals_ignoring_case(w1, "AUTHENTICATE"))
      keep = 3;  // IMAP: tag AUTHENTICATE mech
    else if (equals_ignoring_case(w0, "PASS"))
      keep = 1;  // POP3
    else if (equals_ignoring_case(w0, "APOP"))
      keep = 2;  // POP3: APOP name digest
    else if (w0 == "334" || w0 == "+")
      keep = 1;  // a server challenge
  }
  if (keep >= words.size()) {
    // Nothing after the verbs (e.g. "AUTH LOGIN" alone): the line holds no secret, unless
    // it is a bare continuation line, which is all secret.
    if (keep != 0) return std::string(line);
    return std::string(kMask);
  }
  std::string out;
  for (std::size_t i = 0; i < keep; ++i) {
    out += words[i];
    out += ' ';
  }
  out += kMask;
  return out;
}

std::string tls_record_summary(wire::ByteView bytes) {
  if (bytes.size() < 5) return wire::summarize_pdu(Layer::Tls, 0, bytes);
  const std::uint8_t type = bytes[0];
  const std::uint16_t version = wire::read_u16(bytes, 1);
  const std::uint16_t length = wire::read_u16(bytes, 3);
  const char* name = nullptr;
  switch (type) {
    case 20:
      name = "change cipher spec";
      break;
    case 21:
      name = "alert";
      break;
    case 22:
      name = "handshake";
      break;
    case 23:
      name = "application data";
      break;
    default:
      break;
  }
  if (name == nullptr || (version >> 8) != 3) return wire::summarize_pdu(Layer::Tls, 0, bytes);
  std::string out = "TLS record: ";
  out += name;
  out += ", " + std::to_string(length) + " bytes of ciphertext";
  if (bytes.size() > 5u + length)
    out += " (+" + std::to_string(bytes.size() - 5 - length) + " bytes more)";
  return out;
}

std::string describe_event(const Trace& trace, const TraceEvent& e) {
  const std::string_view text = without_line_end(trace.text(e));
  Trace::Scratch scratch;
  const auto bytes = trace.data(e, scratch);
  switch (e.kind) {
    case EventKind::Drop: {
      std::string line = "DROP (" + std::string(to_string(static_cast<DropReason>(e.detail))) + ")";
      if (!bytes.empty()) {
        // A drop's detail is its reason; the protocol number a transport PDU needs to be read
        // is the detail of the packet it came from.
        std::uint16_t protocol = 0;
        if (e.layer == Layer::Transport && e.parent < trace.size()) {
          const TraceEvent& p = trace.event(e.parent);
          if (p.layer == Layer::Network || p.layer == Layer::Transport) protocol = p.detail;
        }
        line += ": ";
        line += e.layer == Layer::Application ? describe_application(trace, e)
                                              : wire::summarize_pdu(e.layer, protocol, bytes);
      }
      if (!text.empty()) line += " " + printable_line(text, kDescriptionCharsMax);
      return cut(std::move(line));
    }
    case EventKind::Send:
    case EventKind::Receive:
    case EventKind::Forward:
      if (e.layer == Layer::Tls) {
        if (!text.empty()) return cut(printable_line(text, kDescriptionCharsMax));
        return cut(tls_record_summary(bytes));
      }
      if (e.layer == Layer::Application) break;
      return cut(wire::summarize_pdu(e.layer, e.detail, bytes));
    default:
      break;
  }
  if (e.layer == Layer::Application) {
    if (e.kind == EventKind::Request || e.kind == EventKind::Response)
      return cut(describe_application(trace, e));
    if (!text.empty()) return cut(first_line_of(text));
    return cut(describe_application(trace, e));
  }
  if (!text.empty()) return cut(first_line_of(text));
  if (bytes.empty()) return {};
  return cut(wire::summarize_pdu(e.layer, e.detail, bytes));
}

}  // namespace mailscope::exporter
