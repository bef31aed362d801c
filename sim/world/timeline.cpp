#include "world/timeline.h"

#include <algorithm>
#include <string>
#include <variant>

#include "services/dns_authoritative_server.h"
#include "services/dns_resolver.h"
#include "services/dns_stub.h"
#include "services/mail_server.h"
#include "services/mail_user_agent.h"
#include "wire/dns_format.h"
#include "world/compose.h"
#include "world/world.h"

namespace mailscope::world {

namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items)
    out += (out.empty() ? "" : ", ") + item;
  return out;
}

services::DnsServerFault server_fault(scenario::DnsFailure failure) {
  switch (failure) {
    case scenario::DnsFailure::Servfail:
      return services::DnsServerFault::ServFail;
    case scenario::DnsFailure::Refused:
      return services::DnsServerFault::Refused;
    case scenario::DnsFailure::Nxdomain:
      return services::DnsServerFault::NxDomain;
    case scenario::DnsFailure::Timeout:
      return services::DnsServerFault::Silent;
    case scenario::DnsFailure::Restore:
      break;
  }
  return services::DnsServerFault::None;
}

}  // namespace

Timeline::Timeline(World& world)
    : m_world(world),
      m_actions(world.scenario().timeline),
      m_done(m_actions.size(), false),
      m_rng(world.sim().rng("world/timeline")) {}

Timeline::~Timeline() = default;

void Timeline::start() {
  if (m_actions.empty()) {
    m_finished_at = m_world.sim().now();
    return;
  }
  for (std::size_t i = 0; i < m_actions.size(); ++i) {
    const scenario::Action& action = m_actions[i];
    if (action.timing == scenario::Timing::At) {
      m_world.sim().schedule_at(action.time_ns, [this, i] { begin(i); });
    } else if (i == 0) {
      m_world.sim().schedule_at(action.time_ns, [this] { begin(0); });
    }
  }
}

void Timeline::finish(std::size_t index) {
  if (m_done[index]) return;
  m_done[index] = true;
  ++m_finished;
  if (finished()) m_finished_at = m_world.sim().now();
  const std::size_t next = index + 1;
  if (next < m_actions.size() && m_actions[next].timing == scenario::Timing::After) {
    m_world.sim().schedule_after(m_actions[next].time_ns, [this, next] { begin(next); });
  }
}

net::Host* Timeline::machine(const std::string& name) {
  if (const scenario::User* user = m_world.scenario().find_user(name))
    return m_world.host(user->host);
  return m_world.host(name);
}

void Timeline::announce(net::Host& node, const scenario::Action& action, const std::string& what) {
  Trace& trace = m_world.trace();
  node.record(Layer::Application, EventKind::Action, {}, kNoEvent, kNoFlow, 0, trace.store(what));
  if (!action.narration.empty()) {
    node.record(Layer::Application, EventKind::Narration, {}, kNoEvent, kNoFlow, 0,
                trace.store(action.narration));
  }
}

void Timeline::begin(std::size_t index) {
  const scenario::Action& action = m_actions[index];
  std::visit(
      [&](const auto& body) {
        using T = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<T, scenario::SendMail>) {
          send(index, body);
        } else if constexpr (std::is_same_v<T, scenario::FetchMail>) {
          fetch(index, body);
        } else if constexpr (std::is_same_v<T, scenario::Wait>) {
          net::Host* node = m_world.host(m_world.scenario().hosts.front().name);
          announce(*node, action,
                   "wait " + std::to_string(body.duration_ns / kMillisecond) + " ms");
          m_world.sim().schedule_after(body.duration_ns, [this, index] { finish(index); });
        } else if constexpr (std::is_same_v<T, scenario::Ping>) {
          ping(index, body);
        } else if constexpr (std::is_same_v<T, scenario::Lookup>) {
          lookup(index, body);
        } else if constexpr (std::is_same_v<T, scenario::SetLink>) {
          net::Link* link = m_world.m_wans.at(body.link);
          const scenario::Wan* wan = nullptr;
          for (const scenario::Wan& w : m_world.scenario().wans)
            if (w.name == body.link) wan = &w;
          announce(*m_world.host(wan->router_a), action,
                   "link " + body.link + (body.up ? " up" : " down"));
          link->set_up(body.up);
          finish(index);
        } else if constexpr (std::is_same_v<T, scenario::SetHost>) {
          net::Host* node = m_world.host(body.host);
          announce(*node, action, body.host + (body.up ? " is plugged in again" : " is unplugged"));
          if (body.up)
            node->power_on();
          else
            node->power_off();
          finish(index);
        } else if constexpr (std::is_same_v<T, scenario::ServerControl>) {
          control(index, body);
        } else if constexpr (std::is_same_v<T, scenario::DnsFault>) {
          dns_fault(index, body);
        } else if constexpr (std::is_same_v<T, scenario::SetFault>) {
          mail_fault(index, body);
        } else {
          static_assert(std::is_same_v<T, scenario::Narrate>);
          const scenario::User& first = m_world.scenario().users.front();
          net::Host* node = m_world.host(first.host);
          node->record(Layer::Application, EventKind::Narration, {}, kNoEvent, kNoFlow, 0,
                       m_world.trace().store(action.narration));
          finish(index);
        }
      },
      action.body);
}

void Timeline::send(std::size_t index, const scenario::SendMail& action) {
  const scenario::User& user = *m_world.scenario().find_user(action.from);
  services::MailUserAgent& agent = *m_world.agent(user.address);
  std::vector<std::string> recipients = action.to;
  recipients.insert(recipients.end(), action.cc.begin(), action.cc.end());
  recipients.insert(recipients.end(), action.bcc.begin(), action.bcc.end());
  announce(agent.host(), m_actions[index],
           user.address + " sends \"" + action.subject + "\" to " + join(recipients));
  agent.send(compose_message(user, action, m_rng),
             [this, index](const services::SendOutcome&) { finish(index); });
}

void Timeline::fetch(std::size_t index, const scenario::FetchMail& action) {
  services::MailUserAgent& agent = *m_world.agent(action.user);
  const scenario::User& user = *m_world.scenario().find_user(action.user);
  announce(agent.host(), m_actions[index],
           action.user + " checks mail (" + std::string(scenario::to_string(user.fetch.protocol)) +
               ", port " + std::to_string(user.fetch.port) + ")");
  agent.fetch([this, index](const services::FetchOutcome&) { finish(index); });
}

void Timeline::ping(std::size_t index, const scenario::Ping& action) {
  net::Host& from = *machine(action.from);
  wire::Ipv4Addr target;
  if (auto literal = wire::Ipv4Addr::parse(action.to)) {
    target = *literal;
  } else {
    target = machine(action.to)->address();
  }
  announce(from, m_actions[index],
           "ping " + action.to + " (" + target.to_string() + "), " + std::to_string(action.count) +
               (action.count == 1 ? " echo request" : " echo requests"));
  // One echo at a time, as ping(8) sends them one second apart.
  auto next = std::make_shared<std::function<void(std::uint16_t)>>();
  *next = [this, index, &from, target, count = action.count,
           weak = std::weak_ptr(next)](std::uint16_t sequence) {
    if (sequence > count) {
      finish(index);
      return;
    }
    from.ping(target, sequence, [this, weak](const net::PingResult& result) {
      auto again = weak.lock();
      if (!again) return;
      const std::uint16_t following = static_cast<std::uint16_t>(result.sequence + 1);
      const TimeNs wait = result.outcome == net::PingResult::Outcome::Timeout
                              ? 0
                              : std::max<TimeNs>(0, kSecond - result.rtt);
      m_world.sim().schedule_after(wait, [weak, following] {
        if (auto again = weak.lock()) (*again)(following);
      });
    });
  };
  m_keep.push_back(next);
  (*next)(1);
}

void Timeline::lookup(std::size_t index, const scenario::Lookup& action) {
  net::Host& from = *machine(action.from);
  const scenario::HostPlan* plan = m_world.scenario().find_host(from.name());
  announce(from, m_actions[index], "nslookup -type=" + action.type + " " + action.name);
  services::StubResolverConfig config;
  config.resolver = plan != nullptr ? plan->resolver : wire::Ipv4Addr{};
  auto stub = std::make_shared<services::StubResolver>(from, config);
  auto name = wire::DnsName::parse(action.name + ".");
  auto type = wire::parse_dns_type(action.type);
  if (!name || !type) {
    from.note(Layer::Application,
              "lookup skipped: cannot ask for " + action.type + " " + action.name);
    finish(index);
    return;
  }
  stub->query(*name, *type, [this, index, &from](const services::StubResponse& response) {
    from.note(Layer::Application,
              "answer: " + std::string(services::to_string(response.status)) +
                  (response.detail.empty() ? "" : " (" + response.detail + ")"));
    finish(index);
  });
  m_keep.push_back(std::move(stub));
}

void Timeline::control(std::size_t index, const scenario::ServerControl& action) {
  net::Host& node = *m_world.host(action.host);
  const bool crash = action.event == scenario::ServerEvent::Crash;
  announce(node, m_actions[index], action.host + (crash ? " crashes" : " restarts"));
  if (MailHost* mail = m_world.mail_host(action.host); mail != nullptr) {
    if (crash)
      mail->crash();
    else
      mail->restart();
  } else if (crash) {
    node.power_off();
  } else {
    node.power_on();
  }
  finish(index);
}

void Timeline::dns_fault(std::size_t index, const scenario::DnsFault& action) {
  net::Host& node = *m_world.host(action.server);
  const services::DnsServerFault fault = server_fault(action.failure);
  announce(node, m_actions[index],
           action.server + (fault == services::DnsServerFault::None
                                ? " answers normally again"
                                : " fails: " + std::string(services::to_string(fault))));
  if (auto it = m_world.m_authoritative_by_host.find(action.server);
      it != m_world.m_authoritative_by_host.end())
    it->second->set_fault(fault);
  if (auto it = m_world.m_resolver_by_host.find(action.server);
      it != m_world.m_resolver_by_host.end())
    it->second->set_fault(fault);
  finish(index);
}

void Timeline::mail_fault(std::size_t index, const scenario::SetFault& action) {
  MailHost& mail = *m_world.mail_host(action.server);
  announce(*mail.host, m_actions[index],
           action.server + ": " + std::string(scenario::to_string(action.fault)) +
               (action.on ? " on" : " off"));
  if (mail.smtp) {
    services::MailServerFaults& faults = mail.smtp->faults();
    switch (action.fault) {
      case scenario::MailFault::Greylisting:
        faults.greylisting = action.on;
        faults.greylist_delay_ns = action.greylist_delay_ns;
        break;
      case scenario::MailFault::Refuse:
        faults.refuse_connections = action.on;
        break;
      case scenario::MailFault::OverQuota: {
        faults.over_quota =
            action.permanent ? services::QuotaReply::Permanent : services::QuotaReply::Temporary;
        const std::string user = action.user.substr(0, action.user.find('@'));
        const std::uint64_t limit =
            action.on ? 0 : mail.plan->mailbox_quota_bytes.value_or(mail::kNoQuota);
        (void)mail.storage->store().set_quota(user, limit);
        break;
      }
    }
  }
  finish(index);
}

}  // namespace mailscope::world
