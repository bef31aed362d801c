#include "soak/generator.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "core/rng.h"
#include "export/encoding.h"

namespace mailscope::soak {
namespace {

// One timeline action, kept until every action is known: the loader wants at_s in order.
struct Timed {
  std::int64_t at_us = 0;
  std::uint64_t order = 0;  // ties keep the order of generation
  std::string json;         // the action object without at_s
};

std::string domain_name(std::uint32_t d) {
  return "d" + std::to_string(d) + ".test";
}
std::string server_name(std::uint32_t d) {
  return "mail." + domain_name(d);
}
std::string user_address(std::uint32_t d, std::uint32_t u) {
  return "u" + std::to_string(u) + "@" + domain_name(d);
}

std::string seconds_text(std::int64_t us) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%" PRId64 ".%06" PRId64, us / 1'000'000, us % 1'000'000);
  return buf;
}

std::string json_string(std::string_view text) {
  std::string out;
  exporter::append_json_string(out, text);
  return out;
}

std::int64_t uniform_us(Rng& rng, std::int64_t low_us, std::int64_t high_us) {
  if (high_us <= low_us) return low_us;
  return low_us +
         static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(high_us - low_us)));
}

// A body of a few lines; about one line in eight starts with a dot (the client must stuff it,
// the server unstuff it), and one message in twenty is long enough to span many TCP segments.
std::string make_body(Rng& rng, const std::string& token) {
  static constexpr std::string_view kWords[] = {"mail",  "queue", "retry", "relay", "dot",
                                                "crash", "link",  "loss",  "zone",  "reply"};
  const std::uint64_t lines = rng.chance(0.05) ? 60 + rng.below(120) : 1 + rng.below(8);
  std::string body;
  for (std::uint64_t l = 0; l < lines; ++l) {
    if (rng.chance(0.125)) body += rng.chance(0.5) ? "." : "..";
    const std::uint64_t words = 1 + rng.below(9);
    for (std::uint64_t w = 0; w < words; ++w) {
      if (w) body += ' ';
      body += kWords[rng.below(std::size(kWords))];
    }
    body += '\n';
  }
  body += "end of " + token + "\n";
  return body;
}

// Non-overlapping intervals [start, end) inside [0, horizon) for one resource (a link, a host),
// so that a second "down" never comes before the first "up".
std::vector<std::pair<std::int64_t, std::int64_t>> intervals(Rng& rng, std::uint32_t count,
                                                             std::int64_t horizon_us,
                                                             std::int64_t min_us,
                                                             std::int64_t max_us) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  if (count == 0) return out;
  const std::int64_t slot = horizon_us / count;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::int64_t length = std::min(uniform_us(rng, min_us, max_us), slot / 2);
    const std::int64_t start = i * slot + uniform_us(rng, 0, slot - length);
    out.emplace_back(start, start + length);
  }
  return out;
}

}  // namespace

std::string soak_token(std::uint64_t seed, std::uint32_t index) {
  return "soak " + std::to_string(seed) + " #" + std::to_string(index);
}

GeneratedSoak generate_soak(std::uint64_t seed, SoakSizes sizes) {
  sizes.domains = std::clamp<std::uint32_t>(sizes.domains, 2, 50);
  sizes.users_per_domain = std::clamp<std::uint32_t>(sizes.users_per_domain, 1, 50);
  sizes.messages = std::clamp<std::uint32_t>(sizes.messages, 1, 15'000);
  sizes.fault_intensity = std::clamp(sizes.fault_intensity, 0.0, 1.0);
  sizes.message_interval_s = std::clamp(sizes.message_interval_s, 0.001, 60.0);
  const double f = sizes.fault_intensity;

  GeneratedSoak out;
  out.seed = seed;
  out.sizes = sizes;
  Rng root(seed);
  Rng net_rng = root.fork("soak/network");
  Rng server_rng = root.fork("soak/servers");
  Rng mail_rng = root.fork("soak/messages");
  Rng fault_rng = root.fork("soak/faults");
  const std::uint32_t domains = sizes.domains;

  // Traffic first: the fault phase covers it and a little more.
  const std::int64_t traffic_us =
      static_cast<std::int64_t>(sizes.messages * sizes.message_interval_s * 1e6);
  const std::int64_t faults_end_us = traffic_us + 120'000'000;
  std::vector<Timed> timeline;
  std::uint64_t order = 0;

  std::int64_t at_us = 1'000'000;
  for (std::uint32_t m = 0; m < sizes.messages; ++m) {
    SoakMessage message;
    message.index = m;
    message.token = soak_token(seed, m);
    const auto from_d = static_cast<std::uint32_t>(mail_rng.below(domains));
    const auto from_u = static_cast<std::uint32_t>(mail_rng.below(sizes.users_per_domain));
    message.from = user_address(from_d, from_u);
    const std::uint64_t count = mail_rng.chance(0.2) ? 2 + mail_rng.below(2) : 1;
    while (message.recipients.size() < count) {
      const std::string to =
          user_address(static_cast<std::uint32_t>(mail_rng.below(domains)),
                       static_cast<std::uint32_t>(mail_rng.below(sizes.users_per_domain)));
      if (std::find(message.recipients.begin(), message.recipients.end(), to) ==
          message.recipients.end())
        message.recipients.push_back(to);
    }
    message.body = make_body(mail_rng, message.token);

    std::string json = R"("do": "send", "from": )" + json_string(message.from) + R"(, "to": [)";
    for (std::size_t r = 0; r < message.recipients.size(); ++r)
      json += (r ? ", " : "") + json_string(message.recipients[r]);
    json += R"(], "subject": )" + json_string(message.token) + R"(, "body": )" +
            json_string(message.body);
    timeline.push_back(Timed{at_us, order++, std::move(json)});
    // Exponential-ish gaps: bursts and lulls, never two sends in the same microsecond order.
    const double gap = -std::log(1.0 - mail_rng.unit() * 0.999) * sizes.message_interval_s;
    at_us += 1 + static_cast<std::int64_t>(gap * 1e6);
    out.messages.push_back(std::move(message));
  }

  // Network: loss on about half of the WAN links, up to 30 % (scaled by the intensity).
  std::ostringstream s;
  s << R"({"id": "soak", "title": "Fault-injection soak, seed )" << seed
    << R"(", "level": "advanced", "description": "Generated: many domains, messages and faults.",
  "seed": )"
    << seed << R"(, "duration_s": DURATION, "network": {"lans": [)";
  for (std::uint32_t d = 0; d < domains; ++d)
    s << (d ? "," : "") << R"({"name": "lan)" << d << R"(", "router": "gw)" << d << R"("})";
  s << R"(], "routers": [{"name": "core"})";
  for (std::uint32_t d = 0; d < domains; ++d)
    s << R"(,{"name": "gw)" << d << R"("})";
  s << R"(], "wan": [)";
  for (std::uint32_t d = 0; d < domains; ++d) {
    double loss = 0;
    if (net_rng.chance(0.5)) loss = net_rng.unit() * 0.30 * f;
    const std::uint64_t latency_ms = 2 + net_rng.below(40);
    const std::uint64_t bandwidth = 5 + net_rng.below(96);
    if (loss > 0) ++out.faults.lossy_links;
    out.faults.loss_max = std::max(out.faults.loss_max, loss);
    char loss_text[32];
    std::snprintf(loss_text, sizeof loss_text, "%.4f", loss);
    s << (d ? "," : "") << R"({"name": "wan)" << d << R"(", "between": ["core", "gw)" << d
      << R"("], "latency_ms": )" << latency_ms << R"(, "bandwidth_mbps": )" << bandwidth
      << R"(, "loss": )" << loss_text << "}";
  }
  s << R"(]}, "dns": {"mode": "hierarchy", "lan": "lan0", "ttl_s": 60}, "domains": [)";

  // Servers: a short retry schedule, so that retries, expiries and bounces happen within the run.
  TimeNs give_up_max = 0;
  TimeNs retry_max_max = 0;
  for (std::uint32_t d = 0; d < domains; ++d) {
    const std::uint64_t retry_first = 20 + server_rng.below(100);
    const std::uint64_t retry_max = retry_first + 60 + server_rng.below(400);
    const std::uint64_t give_up = 600 + server_rng.below(1800);
    give_up_max = std::max(give_up_max, static_cast<TimeNs>(give_up) * kSecond);
    retry_max_max = std::max(retry_max_max, static_cast<TimeNs>(retry_max) * kSecond);
    s << (d ? "," : "") << R"({"name": ")" << domain_name(d) << R"(", "lan": "lan)" << d
      << R"(", "servers": [{"host": ")" << server_name(d)
      << R"(", "services": ["smtp", "submission"], "retry_first_s": )" << retry_first
      << R"(, "retry_max_s": )" << retry_max << R"(, "give_up_after_s": )" << give_up << "}]}";
  }
  s << R"(], "users": [)";
  for (std::uint32_t d = 0; d < domains; ++d) {
    for (std::uint32_t u = 0; u < sizes.users_per_domain; ++u) {
      s << (d || u ? "," : "") << R"({"address": ")" << user_address(d, u)
        << R"(", "password": "pw", "lan": "lan)" << d << R"(", "host": "pc-)" << d << "-" << u
        << R"("})";
    }
  }

  // Faults. Per resource, intervals that do not overlap, all inside the fault phase.
  auto scaled = [f](double count) { return static_cast<std::uint32_t>(count * f + 0.5); };
  for (std::uint32_t d = 0; d < domains; ++d) {
    const std::string wan = "wan" + std::to_string(d);
    for (const auto& [down, up] : intervals(fault_rng, scaled(fault_rng.unit() * 2.5),
                                            faults_end_us, 10'000'000, 900'000'000)) {
      timeline.push_back(Timed{down, order++, R"("do": "link-down", "link": ")" + wan + "\""});
      timeline.push_back(Timed{up, order++, R"("do": "link-up", "link": ")" + wan + "\""});
      ++out.faults.partitions;
    }
    const std::string server = server_name(d);
    for (const auto& [down, up] : intervals(fault_rng, scaled(1 + fault_rng.unit() * 3),
                                            faults_end_us, 200'000, 120'000'000)) {
      timeline.push_back(Timed{down, order++, R"("do": "crash", "host": ")" + server + "\""});
      timeline.push_back(Timed{up, order++, R"("do": "restart", "host": ")" + server + "\""});
      ++out.faults.crashes;
    }
    static constexpr std::string_view kFailures[] = {"servfail", "refused", "timeout"};
    for (const auto& [down, up] : intervals(fault_rng, scaled(fault_rng.unit() * 2), faults_end_us,
                                            30'000'000, 600'000'000)) {
      const std::string_view failure = kFailures[fault_rng.below(std::size(kFailures))];
      timeline.push_back(Timed{down, order++,
                               R"("do": "dns-fail", "domain": ")" + domain_name(d) +
                                   R"(", "failure": ")" + std::string(failure) + "\""});
      timeline.push_back(
          Timed{up, order++, R"("do": "dns-restore", "domain": ")" + domain_name(d) + "\""});
      ++out.faults.dns_outages;
    }
    if (fault_rng.chance(0.4 * f)) {
      const std::int64_t on = uniform_us(fault_rng, 0, faults_end_us / 2);
      const std::int64_t off = uniform_us(fault_rng, on + 60'000'000, faults_end_us);
      const std::uint64_t delay_s = 30 + fault_rng.below(240);
      timeline.push_back(Timed{on, order++,
                               R"("do": "set-fault", "server": ")" + server +
                                   R"(", "fault": "greylisting", "delay_s": )" +
                                   std::to_string(delay_s)});
      timeline.push_back(
          Timed{off, order++,
                R"("do": "clear-fault", "server": ")" + server + R"(", "fault": "greylisting")"});
      ++out.faults.greylisting;
    }
  }

  std::stable_sort(timeline.begin(), timeline.end(), [](const Timed& a, const Timed& b) {
    return a.at_us != b.at_us ? a.at_us < b.at_us : a.order < b.order;
  });
  s << R"(], "timeline": [)";
  for (std::size_t i = 0; i < timeline.size(); ++i) {
    s << (i ? ",\n" : "\n") << R"({"at_s": )" << seconds_text(timeline[i].at_us) << ", "
      << timeline[i].json << "}";
  }
  s << "]}";

  // Drain: every entry either leaves the queue or expires (give-up plus one last retry wait),
  // and the bounce it causes is delivered; then some slack for TCP's own timers.
  out.faults_end_ns = faults_end_us * kMicrosecond;
  out.give_up_max_ns = give_up_max;
  out.duration_ns = out.faults_end_ns + give_up_max + 2 * retry_max_max + 10 * kMinute;
  std::string json = s.str();
  const std::string duration = std::to_string(out.duration_ns / kSecond + 1);
  json.replace(json.find("DURATION"), 8, duration);
  out.json = std::move(json);
  return out;
}

}  // namespace mailscope::soak
