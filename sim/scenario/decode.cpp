#include "scenario/decode.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <span>
#include <utility>

#include "scenario/shapes.h"
#include "scenario/text_rules.h"

namespace mailscope::scenario {
namespace {

// Limits on list lengths: a scenario is a lesson, not a data centre.
constexpr std::size_t kTextMax = 64 * 1024;       // titles, narration, subjects, passwords
constexpr std::size_t kBodyMax = 1024 * 1024;     // message bodies and inline attachments
constexpr double kSecondsMax = 30.0 * 24 * 3600;  // 30 days of virtual time
constexpr std::uint64_t kAttachmentMax = 64u * 1024 * 1024;

template <typename E>
using Choices = std::span<const std::pair<std::string_view, E>>;

std::string quoted_list(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i != 0) out += i + 1 == words.size() ? " or " : ", ";
    out += '"' + words[i] + '"';
  }
  return out;
}

std::string got(const JsonValue& v) {
  if (v.kind == JsonKind::String) {
    std::string shown = v.text.size() > 40 ? v.text.substr(0, 40) + "..." : v.text;
    return "got \"" + shown + "\"";
  }
  return "got " + std::string(to_string(v.kind));
}

class Decoder;

// One JSON object checked against its shape: not an object, unknown keys and missing required
// keys are reported on construction; the typed readers report bad values.
class Obj {
 public:
  Obj(Decoder& d, const JsonValue& value, std::string path, const ObjectShape& shape);

  bool is_object() const { return m_object; }
  const JsonValue* get(std::string_view key) const;
  std::string path(std::string_view key) const { return m_path + "/" + pointer_token(key); }
  const std::string& path() const { return m_path; }
  const JsonValue& value() const { return m_value; }

  bool string(std::string_view key, std::string& out, std::size_t size_max = kTextMax);
  bool name(std::string_view key, std::string& out);
  bool hostname(std::string_view key, std::string& out);
  bool email(std::string_view key, std::string& out);
  bool boolean(std::string_view key, bool& out);
  bool uint(std::string_view key, std::uint64_t& out, std::uint64_t min, std::uint64_t max);
  template <typename T>
  bool uint_as(std::string_view key, T& out, std::uint64_t min, std::uint64_t max) {
    std::uint64_t v = 0;
    if (!uint(key, v, min, max)) return false;
    out = static_cast<T>(v);
    return true;
  }
  bool number(std::string_view key, double& out, double min, double max);
  bool seconds(std::string_view key, TimeNs& out, double min_s, double max_s);
  bool ipv4(std::string_view key, wire::Ipv4Addr& out);
  bool cidr(std::string_view key, wire::Ipv4Cidr& out);
  template <typename E>
  bool choice(std::string_view key, E& out, Choices<E> choices);
  bool string_list(std::string_view key, std::vector<std::string>& out,
                   bool (*rule)(std::string_view), std::string_view expected);

 private:
  Decoder& m_d;
  const JsonValue& m_value;
  std::string m_path;
  const ObjectShape& m_shape;
  bool m_object = false;
};

class Decoder {
 public:
  Decoder(std::vector<Diagnostic>& out, std::size_t list_max) : m_out(out), m_list_max(list_max) {}
  std::size_t list_max() const { return m_list_max; }

  void error(const JsonValue& at, const std::string& path, std::string message) {
    m_out.push_back(Diagnostic{at.pos, path, std::move(message)});
    m_failed = true;
  }
  void error_at(SourcePos pos, const std::string& path, std::string message) {
    m_out.push_back(Diagnostic{pos, path, std::move(message)});
    m_failed = true;
  }
  bool failed() const { return m_failed; }

  // Calls fn(item, path) for each item of the array at `key`, if present and an array.
  template <typename Fn>
  void each(Obj& o, std::string_view key, Fn fn, std::size_t min_items = 0) {
    const JsonValue* v = o.get(key);
    if (v == nullptr) return;
    const std::string path = o.path(key);
    if (v->kind != JsonKind::Array) {
      error(*v, path, "expected an array, " + got(*v));
      return;
    }
    if (v->items.size() < min_items) {
      error(
          *v, path,
          "expected at least " + std::to_string(min_items) + " item" + (min_items == 1 ? "" : "s"));
    }
    if (v->items.size() > m_list_max) {
      error(*v, path, "more than " + std::to_string(m_list_max) + " items");
      return;
    }
    for (std::size_t i = 0; i < v->items.size(); ++i) {
      fn(v->items[i], path + "/" + std::to_string(i));
    }
  }

  void scenario(const JsonValue& root, Scenario& s);

 private:
  void network(Obj& root, Scenario& s);
  void link_settings(Obj& o, net::LinkConfig& link);
  void dns(Obj& root, Scenario& s);
  void domain(const JsonValue& v, const std::string& path, Scenario& s);
  void server(const JsonValue& v, const std::string& path, Domain& d);
  void user(const JsonValue& v, const std::string& path, Scenario& s);
  void action(const JsonValue& v, const std::string& path, Scenario& s);
  bool action_body(Obj& o, const std::string& kind, Action& a);
  void narration(const JsonValue& v, const std::string& path, Scenario& s);
  void expectation(const JsonValue& v, const std::string& path, Scenario& s);
  bool expectation_body(Obj& o, const std::string& kind, Expectation& e);

  std::vector<Diagnostic>& m_out;
  std::size_t m_list_max;
  bool m_failed = false;
};

Obj::Obj(Decoder& d, const JsonValue& value, std::string at, const ObjectShape& shape)
    : m_d(d), m_value(value), m_path(std::move(at)), m_shape(shape) {
  if (value.kind != JsonKind::Object) {
    m_d.error(value, m_path.empty() ? "/" : m_path, "expected an object, " + got(value));
    return;
  }
  m_object = true;
  for (const JsonMember& member : value.members) {
    if (std::find(shape.keys.begin(), shape.keys.end(), member.key) != shape.keys.end()) continue;
    std::string message = "unknown key '" + member.key + "'";
    const std::string hint = did_you_mean(member.key, shape.keys);
    if (!hint.empty()) {
      message += hint;
    } else {
      message += " (expected one of " + quoted_list(shape.keys) + ")";
    }
    m_d.error_at(member.key_pos, path(member.key), std::move(message));
  }
  for (const std::string& key : shape.required) {
    if (value.find(key) == nullptr) {
      m_d.error(value, m_path.empty() ? "/" : m_path, "missing required key '" + key + "'");
    }
  }
}

const JsonValue* Obj::get(std::string_view key) const {
  if (std::find(m_shape.keys.begin(), m_shape.keys.end(), key) == m_shape.keys.end()) {
    std::abort();  // the loader asked for a key its shape table does not list
  }
  return m_object ? m_value.find(key) : nullptr;
}

bool Obj::string(std::string_view key, std::string& out, std::size_t size_max) {
  const JsonValue* v = get(key);
  if (v == nullptr) return false;
  if (v->kind != JsonKind::String) {
    m_d.error(*v, path(key), "expected a string, " + got(*v));
    return false;
  }
  if (v->text.size() > size_max) {
    m_d.error(*v, path(key), "longer than " + std::to_string(size_max) + " bytes");
    return false;
  }
  out = v->text;
  return true;
}

bool Obj::name(std::string_view key, std::string& out) {
  std::string text;
  if (!string(key, text)) return false;
  if (!is_name(text)) {
    m_d.error(*get(key), path(key),
              "expected a name of 1 to 63 letters, digits, '-', '_' or '.', starting with a "
              "letter or digit, " +
                  got(*get(key)));
    return false;
  }
  out = std::move(text);
  return true;
}

bool Obj::hostname(std::string_view key, std::string& out) {
  std::string text;
  if (!string(key, text)) return false;
  if (!is_hostname(text)) {
    m_d.error(*get(key), path(key),
              "expected a host name in lowercase (letters, digits and '-', labels separated by "
              "dots, no trailing dot), " +
                  got(*get(key)));
    return false;
  }
  out = std::move(text);
  return true;
}

bool Obj::email(std::string_view key, std::string& out) {
  std::string text;
  if (!string(key, text)) return false;
  if (!is_email_address(text)) {
    m_d.error(*get(key), path(key),
              "expected an email address such as \"alice@example.com\" (lowercase domain), " +
                  got(*get(key)));
    return false;
  }
  out = std::move(text);
  return true;
}

bool Obj::boolean(std::string_view key, bool& out) {
  const JsonValue* v = get(key);
  if (v == nullptr) return false;
  if (v->kind != JsonKind::Bool) {
    m_d.error(*v, path(key), "expected true or false, " + got(*v));
    return false;
  }
  out = v->boolean;
  return true;
}

bool Obj::uint(std::string_view key, std::uint64_t& out, std::uint64_t min, std::uint64_t max) {
  const JsonValue* v = get(key);
  if (v == nullptr) return false;
  const std::string range = std::to_string(min) + " to " + std::to_string(max);
  if (v->kind != JsonKind::Number || !v->is_integer) {
    m_d.error(*v, path(key), "expected a whole number from " + range + ", " + got(*v));
    return false;
  }
  if (v->integer < 0 || static_cast<std::uint64_t>(v->integer) < min ||
      static_cast<std::uint64_t>(v->integer) > max) {
    m_d.error(*v, path(key),
              "expected a whole number from " + range + ", got " + std::to_string(v->integer));
    return false;
  }
  out = static_cast<std::uint64_t>(v->integer);
  return true;
}

std::string format_number(double x) {
  std::string text = std::to_string(x);
  while (text.find('.') != std::string::npos && (text.back() == '0' || text.back() == '.')) {
    const bool dot = text.back() == '.';
    text.pop_back();
    if (dot) break;
  }
  return text;
}

bool Obj::number(std::string_view key, double& out, double min, double max) {
  const JsonValue* v = get(key);
  if (v == nullptr) return false;
  const std::string range = format_number(min) + " to " + format_number(max);
  if (v->kind != JsonKind::Number) {
    m_d.error(*v, path(key), "expected a number from " + range + ", " + got(*v));
    return false;
  }
  if (!(v->number >= min && v->number <= max)) {
    m_d.error(*v, path(key),
              "expected a number from " + range + ", got " + format_number(v->number));
    return false;
  }
  out = v->number;
  return true;
}

bool Obj::seconds(std::string_view key, TimeNs& out, double min_s, double max_s) {
  double s = 0;
  if (!number(key, s, min_s, max_s)) return false;
  out = static_cast<TimeNs>(std::llround(s * 1e9));
  return true;
}

bool Obj::ipv4(std::string_view key, wire::Ipv4Addr& out) {
  std::string text;
  if (!string(key, text)) return false;
  const auto parsed = wire::Ipv4Addr::parse(text);
  if (!parsed || parsed->is_unspecified()) {
    m_d.error(*get(key), path(key),
              "expected an IPv4 address such as \"10.0.1.25\", " + got(*get(key)));
    return false;
  }
  out = *parsed;
  return true;
}

bool Obj::cidr(std::string_view key, wire::Ipv4Cidr& out) {
  std::string text;
  if (!string(key, text)) return false;
  const auto parsed = wire::Ipv4Cidr::parse(text);
  if (!parsed || parsed->prefix_len < 8 || parsed->prefix_len > 30 ||
      parsed->address != parsed->network()) {
    m_d.error(*get(key), path(key),
              "expected a network such as \"10.0.1.0/24\" (prefix /8 to /30, host bits zero), " +
                  got(*get(key)));
    return false;
  }
  out = *parsed;
  return true;
}

template <typename E>
bool Obj::choice(std::string_view key, E& out, Choices<E> choices) {
  const JsonValue* v = get(key);
  if (v == nullptr) return false;
  std::vector<std::string> names;
  for (const auto& [text, value] : choices)
    names.emplace_back(text);
  if (v->kind == JsonKind::String) {
    for (const auto& [text, value] : choices) {
      if (v->text == text) {
        out = value;
        return true;
      }
    }
  }
  std::string message = "expected one of " + quoted_list(names) + ", " + got(*v);
  if (v->kind == JsonKind::String) message += did_you_mean(v->text, names);
  m_d.error(*v, path(key), std::move(message));
  return false;
}

bool Obj::string_list(std::string_view key, std::vector<std::string>& out,
                      bool (*rule)(std::string_view), std::string_view expected) {
  const JsonValue* v = get(key);
  if (v == nullptr) return false;
  if (v->kind != JsonKind::Array) {
    m_d.error(*v, path(key), "expected an array of " + std::string(expected) + ", " + got(*v));
    return false;
  }
  if (v->items.size() > m_d.list_max()) {
    m_d.error(*v, path(key), "more than " + std::to_string(m_d.list_max()) + " items");
    return false;
  }
  bool ok = true;
  for (std::size_t i = 0; i < v->items.size(); ++i) {
    const JsonValue& item = v->items[i];
    const std::string item_path = path(key) + "/" + std::to_string(i);
    if (item.kind != JsonKind::String || item.text.size() > kTextMax ||
        (rule != nullptr && !rule(item.text))) {
      m_d.error(item, item_path, "expected " + std::string(expected) + ", " + got(item));
      ok = false;
      continue;
    }
    out.push_back(item.text);
  }
  return ok;
}

bool any_text(std::string_view text) {
  return !text.empty();
}

// ---- enum tables ------------------------------------------------------------------------------

constexpr std::pair<std::string_view, Level> kLevels[] = {
    {"beginner", Level::Beginner},
    {"intermediate", Level::Intermediate},
    {"advanced", Level::Advanced},
};
constexpr std::pair<std::string_view, DnsMode> kDnsModes[] = {
    {"single", DnsMode::Single},
    {"hierarchy", DnsMode::Hierarchy},
};
constexpr std::pair<std::string_view, MailService> kServices[] = {
    {"smtp", MailService::Smtp},   {"submission", MailService::Submission},
    {"smtps", MailService::Smtps}, {"imap", MailService::Imap},
    {"imaps", MailService::Imaps}, {"pop3", MailService::Pop3},
    {"pop3s", MailService::Pop3s},
};
constexpr std::pair<std::string_view, Certificate> kCertificates[] = {
    {"valid", Certificate::Valid},          {"none", Certificate::None},
    {"expired", Certificate::Expired},      {"not-yet-valid", Certificate::NotYetValid},
    {"wrong-name", Certificate::WrongName}, {"self-signed", Certificate::SelfSigned},
};
constexpr std::pair<std::string_view, Security> kSecurities[] = {
    {"none", Security::None},
    {"starttls", Security::StartTls},
    {"implicit", Security::Implicit},
};
constexpr std::pair<std::string_view, FetchProtocol> kProtocols[] = {
    {"imap", FetchProtocol::Imap},
    {"pop3", FetchProtocol::Pop3},
};
constexpr std::pair<std::string_view, FetchMode> kModes[] = {
    {"keep", FetchMode::Keep},
    {"delete", FetchMode::Delete},
};
constexpr std::pair<std::string_view, DnsFailure> kDnsFailures[] = {
    {"servfail", DnsFailure::Servfail},
    {"refused", DnsFailure::Refused},
    {"nxdomain", DnsFailure::Nxdomain},
    {"timeout", DnsFailure::Timeout},
};
constexpr std::pair<std::string_view, MailFault> kFaults[] = {
    {"greylisting", MailFault::Greylisting},
    {"refuse", MailFault::Refuse},
    {"over-quota", MailFault::OverQuota},
};
constexpr std::pair<std::string_view, Trigger> kTriggers[] = {
    {"dns-query", Trigger::DnsQuery},
    {"dns-response", Trigger::DnsResponse},
    {"smtp-command", Trigger::SmtpCommand},
    {"smtp-reply", Trigger::SmtpReply},
    {"imap-command", Trigger::ImapCommand},
    {"pop3-command", Trigger::Pop3Command},
    {"tls-established", Trigger::TlsEstablished},
    {"tls-failed", Trigger::TlsFailed},
    {"tcp-connect", Trigger::TcpConnect},
    {"tcp-retransmission", Trigger::TcpRetransmission},
    {"connection-refused", Trigger::ConnectionRefused},
    {"mail-queued", Trigger::MailQueued},
    {"mail-deferred", Trigger::MailDeferred},
    {"mail-delivered", Trigger::MailDelivered},
    {"mail-bounced", Trigger::MailBounced},
    {"packet-dropped", Trigger::PacketDropped},
};
constexpr std::pair<std::string_view, Occurrence> kOccurrences[] = {
    {"first", Occurrence::First},
    {"every", Occurrence::Every},
};
constexpr std::pair<std::string_view, std::string_view> kRecordTypes[] = {
    {"A", "A"},     {"AAAA", "AAAA"}, {"MX", "MX"},       {"NS", "NS"},
    {"TXT", "TXT"}, {"SOA", "SOA"},   {"CNAME", "CNAME"}, {"PTR", "PTR"},
};

template <typename E, std::size_t N>
Choices<E> choices(const std::pair<std::string_view, E> (&table)[N]) {
  return Choices<E>(table, N);
}

bool record_type(Obj& o, std::string_view key, std::string& out) {
  std::string_view value;
  if (!o.choice(key, value, choices(kRecordTypes))) return false;
  out = value;
  return true;
}

// ---- the document -----------------------------------------------------------------------------

void Decoder::scenario(const JsonValue& root, Scenario& s) {
  Obj o(*this, root, "", shape("scenario"));
  if (!o.is_object()) return;
  std::string ignored;
  o.string("$schema", ignored);
  std::uint64_t format = 1;
  o.uint("format", format, 1, 1);
  if (o.string("id", s.meta.id) && !is_scenario_id(s.meta.id)) {
    error(*o.get("id"), "/id",
          "expected 1 to 64 lowercase letters, digits and '-' (the file name without .json), " +
              got(*o.get("id")));
  }
  if (o.string("title", s.meta.title, 200) && s.meta.title.empty()) {
    error(*o.get("title"), "/title", "expected a non-empty title");
  }
  o.choice("level", s.meta.level, choices(kLevels));
  o.string("description", s.meta.description, 2000);
  o.string_list("objectives", s.meta.objectives, any_text, "a non-empty string");
  o.uint("seed", s.meta.seed, 0, UINT64_MAX >> 1);
  o.seconds("duration_s", s.meta.duration_ns, 0.001, kSecondsMax);
  network(o, s);
  dns(o, s);
  each(
      o, "domains", [&](const JsonValue& v, const std::string& p) { domain(v, p, s); }, 1);
  each(
      o, "users", [&](const JsonValue& v, const std::string& p) { user(v, p, s); }, 1);
  each(o, "timeline", [&](const JsonValue& v, const std::string& p) { action(v, p, s); });
  each(o, "narration", [&](const JsonValue& v, const std::string& p) { narration(v, p, s); });
  each(o, "expect", [&](const JsonValue& v, const std::string& p) { expectation(v, p, s); });
}

void Decoder::link_settings(Obj& o, net::LinkConfig& link) {
  double latency_ms = 0;
  if (o.number("latency_ms", latency_ms, 0, 60'000)) {
    link.latency = static_cast<TimeNs>(std::llround(latency_ms * 1e6));
  }
  double mbps = 0;
  if (o.number("bandwidth_mbps", mbps, 0, 100'000)) {
    link.bandwidth_bps = static_cast<std::uint64_t>(std::llround(mbps * 1e6));
  }
  o.uint_as("mtu", link.mtu, 576, 9000);
  o.uint_as("queue_frames", link.queue_frames_max, 1, 100'000);
  o.number("loss", link.loss, 0, 1);
}

void Decoder::network(Obj& root, Scenario& s) {
  const JsonValue* v = root.get("network");
  if (v == nullptr) return;
  Obj o(*this, *v, "/network", shape("network"));
  if (!o.is_object()) return;
  each(
      o, "lans",
      [&](const JsonValue& item, const std::string& path) {
        Obj l(*this, item, path, shape("lan"));
        Lan lan;
        // A LAN is a switched Ethernet segment: fast and short unless the author says otherwise.
        lan.link = net::LinkConfig{1 * kMillisecond, 100'000'000, 1500, 1000, 0.0};
        l.name("name", lan.name);
        l.cidr("subnet", lan.subnet);
        l.name("router", lan.router);
        l.ipv4("router_address", lan.router_address);
        link_settings(l, lan.link);
        s.lans.push_back(std::move(lan));
      },
      1);
  each(o, "routers", [&](const JsonValue& item, const std::string& path) {
    Obj r(*this, item, path, shape("router"));
    Router router;
    r.name("name", router.name);
    s.routers.push_back(std::move(router));
  });
  each(o, "wan", [&](const JsonValue& item, const std::string& path) {
    Obj w(*this, item, path, shape("wan"));
    Wan wan;
    wan.link = net::LinkConfig{10 * kMillisecond, 100'000'000, 1500, 1000, 0.0};
    w.name("name", wan.name);
    std::vector<std::string> ends;
    if (w.string_list("between", ends, is_name, "a router name") && ends.size() != 2) {
      error(*w.get("between"), w.path("between"),
            "expected exactly two router names, got " + std::to_string(ends.size()));
    } else if (ends.size() == 2) {
      wan.router_a = ends[0];
      wan.router_b = ends[1];
    }
    w.cidr("subnet", wan.subnet);
    link_settings(w, wan.link);
    s.wans.push_back(std::move(wan));
  });
}

void Decoder::dns(Obj& root, Scenario& s) {
  const JsonValue* v = root.get("dns");
  if (v == nullptr) return;
  Obj o(*this, *v, "/dns", shape("dns"));
  o.choice("mode", s.dns.mode, choices(kDnsModes));
  o.name("lan", s.dns.lan);
  o.uint_as("ttl_s", s.dns.ttl_s, 0, 604'800);
}

void Decoder::domain(const JsonValue& v, const std::string& path, Scenario& s) {
  Obj o(*this, v, path, shape("domain"));
  Domain d;
  o.hostname("name", d.name);
  o.name("lan", d.lan);
  each(o, "servers", [&](const JsonValue& item, const std::string& p) { server(item, p, d); });
  each(
      o, "mx",
      [&](const JsonValue& item, const std::string& p) {
        Obj m(*this, item, p, shape("mx"));
        MxEntry mx;
        m.hostname("host", mx.host);
        m.uint_as("preference", mx.preference, 0, 65535);
        d.mx.push_back(std::move(mx));
      },
      1);
  o.string_list("records", d.record_lines, any_text,
                "a record line such as "
                "\"example.com. 300 IN TXT \\\"hello\\\"\"");
  o.hostname("nameserver", d.nameserver);
  o.ipv4("nameserver_address", d.nameserver_address);
  s.domains.push_back(std::move(d));
}

void Decoder::server(const JsonValue& v, const std::string& path, Domain& d) {
  Obj o(*this, v, path, shape("server"));
  MailServer m;
  o.hostname("host", m.host);
  o.name("lan", m.lan);
  o.ipv4("address", m.address);
  each(
      o, "services",
      [&](const JsonValue& item, const std::string& p) {
        MailService service{};
        // Array items have no key of their own, so the choice() rule is spelt out here.
        std::vector<std::string> names;
        for (const auto& [text, value] : kServices)
          names.emplace_back(text);
        if (item.kind == JsonKind::String) {
          for (const auto& [text, value] : kServices) {
            if (item.text == text) {
              service = value;
              if (m.offers(service)) {
                error(item, p, "service \"" + item.text + "\" is listed twice");
              }
              m.services.push_back(service);
              return;
            }
          }
        }
        std::string message = "expected one of " + quoted_list(names) + ", " + got(item);
        if (item.kind == JsonKind::String) message += did_you_mean(item.text, names);
        error(item, p, std::move(message));
      },
      1);
  o.boolean("stores_mail", m.stores_mail);
  o.choice("certificate", m.certificate, choices(kCertificates));
  o.boolean("allow_plaintext_auth", m.allow_plaintext_auth);
  o.boolean("open_relay", m.open_relay);
  o.uint("size_limit_bytes", m.size_limit_bytes, 1024, 1'000'000'000);
  std::uint64_t quota = 0;
  if (o.uint("mailbox_quota_bytes", quota, 0, UINT64_MAX >> 1)) m.mailbox_quota_bytes = quota;
  o.seconds("retry_first_s", m.retry_first_ns, 1, kSecondsMax);
  o.seconds("retry_max_s", m.retry_max_ns, 1, kSecondsMax);
  o.seconds("give_up_after_s", m.give_up_after_ns, 1, kSecondsMax);
  o.seconds("greylist_delay_s", m.greylist_delay_ns, 0, kSecondsMax);
  d.servers.push_back(std::move(m));
}

void Decoder::user(const JsonValue& v, const std::string& path, Scenario& s) {
  Obj o(*this, v, path, shape("user"));
  User u;
  o.email("address", u.address);
  o.string("name", u.display_name, 200);
  if (o.string("password", u.password, 200) && u.password.empty()) {
    error(*o.get("password"), o.path("password"), "expected a non-empty password");
  }
  o.name("lan", u.lan);
  o.name("host", u.host);

  // Submission: the port decides the service and, unless given, security and AUTH.
  u.send = SendSettings{};
  bool security_given = false;
  bool auth_given = false;
  if (const JsonValue* send = o.get("send")) {
    Obj so(*this, *send, o.path("send"), shape("send"));
    so.hostname("server", u.send.server);
    std::uint64_t port = 587;
    if (const JsonValue* p = so.get("port")) {
      if (p->kind == JsonKind::Number && p->is_integer &&
          (p->integer == 25 || p->integer == 465 || p->integer == 587)) {
        port = static_cast<std::uint64_t>(p->integer);
      } else {
        error(*p, so.path("port"), "expected 25, 465 or 587, " + got(*p));
      }
    }
    u.send.port = static_cast<std::uint16_t>(port);
    security_given = so.choice("security", u.send.security, choices(kSecurities));
    auth_given = so.boolean("auth", u.send.auth);
  }
  u.send.service = u.send.port == 25    ? MailService::Smtp
                   : u.send.port == 465 ? MailService::Smtps
                                        : MailService::Submission;
  if (!security_given) {
    u.send.security = u.send.port == 465  ? Security::Implicit
                      : u.send.port == 25 ? Security::None
                                          : Security::StartTls;
  }
  if (!auth_given) u.send.auth = u.send.port != 25;

  if (const JsonValue* fetch = o.get("fetch")) {
    Obj fo(*this, *fetch, o.path("fetch"), shape("fetch"));
    fo.choice("protocol", u.fetch.protocol, choices(kProtocols));
    fo.hostname("server", u.fetch.server);
    fo.choice("security", u.fetch.security, choices(kSecurities));
    fo.choice("mode", u.fetch.mode, choices(kModes));
  }
  const bool imap = u.fetch.protocol == FetchProtocol::Imap;
  const bool implicit = u.fetch.security == Security::Implicit;
  u.fetch.service = imap ? (implicit ? MailService::Imaps : MailService::Imap)
                         : (implicit ? MailService::Pop3s : MailService::Pop3);
  u.fetch.port = port_of(u.fetch.service);
  s.users.push_back(std::move(u));
}

// ---- timeline ---------------------------------------------------------------------------------

void Decoder::action(const JsonValue& v, const std::string& path, Scenario& s) {
  if (v.kind != JsonKind::Object) {
    error(v, path, "expected an object, " + got(v));
    return;
  }
  const JsonValue* kind = v.find("do");
  if (kind == nullptr) {
    error(v, path, "missing required key 'do' (one of " + quoted_list(action_kinds()) + ")");
    return;
  }
  const auto& kinds = action_kinds();
  if (kind->kind != JsonKind::String ||
      std::find(kinds.begin(), kinds.end(), kind->text) == kinds.end()) {
    std::string message = "expected one of " + quoted_list(kinds) + ", " + got(*kind);
    if (kind->kind == JsonKind::String) message += did_you_mean(kind->text, kinds);
    error(*kind, path + "/do", std::move(message));
    return;
  }
  Obj o(*this, v, path, shape("action-" + kind->text));
  Action a;
  const bool at = o.seconds("at_s", a.time_ns, 0, kSecondsMax);
  TimeNs delay = 0;
  const bool after = o.seconds("after_s", delay, 0, kSecondsMax);
  if (at && after) {
    error(*o.get("after_s"), o.path("after_s"),
          "give either at_s (a time) or after_s (a delay after the previous action), not both");
  }
  a.timing = at ? Timing::At : Timing::After;
  if (!at) a.time_ns = delay;
  o.string("narration", a.narration);
  if (action_body(o, kind->text, a)) s.timeline.push_back(std::move(a));
}

bool Decoder::action_body(Obj& o, const std::string& kind, Action& a) {
  if (kind == "send") {
    SendMail m;
    o.email("from", m.from);
    o.string_list("to", m.to, is_email_address, "an email address");
    if (const JsonValue* to = o.get("to"); to && to->kind == JsonKind::Array && to->items.empty()) {
      error(*to, o.path("to"), "expected at least one recipient");
    }
    o.string_list("cc", m.cc, is_email_address, "an email address");
    o.string_list("bcc", m.bcc, is_email_address, "an email address");
    o.string("subject", m.subject, 998);
    o.string("body", m.body, kBodyMax);
    each(o, "attachments", [&](const JsonValue& item, const std::string& p) {
      Obj at(*this, item, p, shape("attachment"));
      Attachment att;
      if (at.string("name", att.name, 255) && att.name.empty()) {
        error(*at.get("name"), at.path("name"), "expected a non-empty file name");
      }
      if (at.string("type", att.content_type, 255) &&
          att.content_type.find('/') == std::string::npos) {
        error(*at.get("type"), at.path("type"),
              "expected a media type such as \"application/pdf\", " + got(*at.get("type")));
      }
      std::uint64_t size = 0;
      if (at.uint("size_bytes", size, 0, kAttachmentMax)) att.size_bytes = size;
      std::string content;
      if (at.string("content", content, kBodyMax)) att.content = std::move(content);
      if (at.is_object() && (at.get("size_bytes") != nullptr) == (at.get("content") != nullptr)) {
        error(item, p, "give exactly one of 'size_bytes' and 'content'");
      }
      m.attachments.push_back(std::move(att));
    });
    a.body = std::move(m);
  } else if (kind == "fetch") {
    FetchMail m;
    o.email("user", m.user);
    a.body = std::move(m);
  } else if (kind == "wait") {
    Wait w;
    o.seconds("duration_s", w.duration_ns, 0, kSecondsMax);
    a.body = w;
  } else if (kind == "ping") {
    Ping p;
    o.string("from", p.from, kAddressLengthMax);
    o.string("to", p.to, kHostnameLengthMax);
    o.uint_as("count", p.count, 1, 100);
    a.body = std::move(p);
  } else if (kind == "lookup") {
    Lookup l;
    o.string("from", l.from, kAddressLengthMax);
    o.hostname("name", l.name);
    record_type(o, "type", l.type);
    a.body = std::move(l);
  } else if (kind == "link-down" || kind == "link-up") {
    SetLink l;
    o.name("link", l.link);
    l.up = kind == "link-up";
    a.body = std::move(l);
  } else if (kind == "host-down" || kind == "host-up") {
    SetHost h;
    o.string("host", h.host, kHostnameLengthMax);
    h.up = kind == "host-up";
    a.body = std::move(h);
  } else if (kind == "crash" || kind == "restart") {
    ServerControl c;
    o.string("host", c.host, kHostnameLengthMax);
    c.event = kind == "crash" ? ServerEvent::Crash : ServerEvent::Restart;
    a.body = std::move(c);
  } else if (kind == "dns-fail" || kind == "dns-restore") {
    DnsFault f;
    o.hostname("domain", f.domain);
    o.string("server", f.server, kHostnameLengthMax);
    if (kind == "dns-fail") {
      o.choice("failure", f.failure, choices(kDnsFailures));
    } else {
      f.failure = DnsFailure::Restore;
    }
    if ((o.get("domain") != nullptr) == (o.get("server") != nullptr)) {
      error(o.value(), o.path(), "give exactly one of 'domain' and 'server'");
    }
    a.body = std::move(f);
  } else if (kind == "set-fault" || kind == "clear-fault") {
    SetFault f;
    f.on = kind == "set-fault";
    o.hostname("server", f.server);
    o.choice("fault", f.fault, choices(kFaults));
    if (f.on) {
      o.seconds("delay_s", f.greylist_delay_ns, 0, kSecondsMax);
      o.email("user", f.user);
      o.boolean("permanent", f.permanent);
      if (o.is_object() && f.fault == MailFault::OverQuota && o.get("user") == nullptr) {
        error(o.value(), o.path(), "an over-quota fault needs 'user': whose mailbox is full");
      }
    }
    a.body = std::move(f);
  } else if (kind == "narrate") {
    if (const JsonValue* n = o.get("narration");
        n && n->kind == JsonKind::String && n->text.empty()) {
      error(*n, o.path("narration"), "expected the text to show, got an empty string");
    }
    a.body = Narrate{};
  } else {
    return false;
  }
  return true;
}

void Decoder::narration(const JsonValue& v, const std::string& path, Scenario& s) {
  Obj o(*this, v, path, shape("narration"));
  NarrationRule r;
  o.choice("on", r.on, choices(kTriggers));
  o.choice("occurrence", r.occurrence, choices(kOccurrences));
  o.string("host", r.host, kHostnameLengthMax);
  std::uint16_t code = 0;
  if (o.uint_as("code", code, 100, 599)) r.code = code;
  record_type(o, "type", r.dns_type);
  o.string("contains", r.contains, 998);
  std::uint16_t port = 0;
  if (o.uint_as("port", port, 1, 65535)) r.port = port;
  if (o.string("text", r.text) && r.text.empty()) {
    error(*o.get("text"), o.path("text"), "expected the text to show, got an empty string");
  }
  s.narration.push_back(std::move(r));
}

// ---- expectations -----------------------------------------------------------------------------

void Decoder::expectation(const JsonValue& v, const std::string& path, Scenario& s) {
  if (v.kind != JsonKind::Object) {
    error(v, path, "expected an object, " + got(v));
    return;
  }
  const JsonValue* kind = v.find("check");
  const auto& kinds = expectation_kinds();
  if (kind == nullptr) {
    error(v, path, "missing required key 'check' (one of " + quoted_list(kinds) + ")");
    return;
  }
  if (kind->kind != JsonKind::String ||
      std::find(kinds.begin(), kinds.end(), kind->text) == kinds.end()) {
    std::string message = "expected one of " + quoted_list(kinds) + ", " + got(*kind);
    if (kind->kind == JsonKind::String) message += did_you_mean(kind->text, kinds);
    error(*kind, path + "/check", std::move(message));
    return;
  }
  Obj o(*this, v, path, shape("expect-" + kind->text));
  Expectation e;
  o.string("description", e.description, 500);
  if (expectation_body(o, kind->text, e)) s.expectations.push_back(std::move(e));
}

bool Decoder::expectation_body(Obj& o, const std::string& kind, Expectation& e) {
  constexpr std::uint64_t kCountMax = 1'000'000;
  if (kind == "delivered") {
    ExpectDelivered x;
    o.email("mailbox", x.mailbox);
    o.string("folder", x.folder, 200);
    o.string("subject", x.subject, 998);
    o.uint_as("count", x.count, 1, kCountMax);
    e.body = std::move(x);
  } else if (kind == "not-delivered") {
    ExpectNotDelivered x;
    o.email("mailbox", x.mailbox);
    o.string("subject", x.subject, 998);
    e.body = std::move(x);
  } else if (kind == "bounced") {
    ExpectBounced x;
    o.email("user", x.user);
    o.string("subject", x.subject, 998);
    std::uint16_t code = 0;
    if (o.uint_as("code", code, 400, 599)) x.code = code;
    e.body = std::move(x);
  } else if (kind == "reply") {
    ExpectReply x;
    o.uint_as("code", x.code, 100, 599);
    o.string("host", x.host, kHostnameLengthMax);
    o.string("command", x.command, 20);
    o.boolean("seen", x.seen);
    e.body = std::move(x);
  } else if (kind == "dns-queries") {
    ExpectDnsQueries x;
    std::uint32_t n = 0;
    if (o.uint_as("min", n, 0, kCountMax)) x.min = n;
    if (o.uint_as("max", n, 0, kCountMax)) x.max = n;
    if (o.is_object() && !x.min && !x.max && o.get("min") == nullptr && o.get("max") == nullptr) {
      error(o.value(), o.path(), "give 'min', 'max' or both");
    }
    if (x.min && x.max && *x.min > *x.max) {
      error(*o.get("max"), o.path("max"), "'max' is smaller than 'min'");
    }
    record_type(o, "type", x.type);
    o.string("server", x.server, kHostnameLengthMax);
    e.body = std::move(x);
  } else if (kind == "tls") {
    ExpectTls x;
    o.string("from", x.from, kHostnameLengthMax);
    o.string("to", x.to, kHostnameLengthMax);
    o.boolean("used", x.used);
    e.body = std::move(x);
  } else if (kind == "cleartext") {
    ExpectCleartext x;
    if (o.string("contains", x.contains, 998) && x.contains.empty()) {
      error(*o.get("contains"), o.path("contains"), "expected the text to look for");
    }
    o.boolean("seen", x.seen);
    e.body = std::move(x);
  } else if (kind == "retransmissions") {
    ExpectRetransmissions x;
    o.uint_as("min", x.min, 1, kCountMax);
    e.body = x;
  } else if (kind == "deferred") {
    ExpectDeferred x;
    o.email("recipient", x.recipient);
    o.uint_as("min", x.min, 1, kCountMax);
    e.body = std::move(x);
  } else if (kind == "mailbox-count") {
    ExpectMailboxCount x;
    o.email("mailbox", x.mailbox);
    o.string("folder", x.folder, 200);
    o.uint_as("count", x.count, 0, kCountMax);
    e.body = std::move(x);
  } else {
    return false;
  }
  return true;
}

}  // namespace

bool decode_scenario(const JsonValue& root, Scenario& out, std::vector<Diagnostic>& diagnostics,
                     std::size_t list_items_max) {
  Decoder decoder(diagnostics, list_items_max);
  decoder.scenario(root, out);
  return !decoder.failed();
}

}  // namespace mailscope::scenario
