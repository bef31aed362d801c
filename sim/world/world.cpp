#include "world/world.h"

#include <algorithm>
#include <variant>

#include "services/dns_authoritative_server.h"
#include "services/dns_mail_router.h"
#include "services/dns_resolver.h"
#include "services/dns_stub.h"
#include "services/mail_server.h"
#include "world/narrator.h"
#include "world/timeline.h"

namespace mailscope::world {

namespace {

// Virtual time zero is 2026-01-01T09:00:00Z: a fixed date keeps certificates, Date: fields and
// Received: stamps the same in every run.
constexpr std::int64_t kEpochSeconds = 1'767'258'000;

// Progress is reported after this many simulator events.
constexpr std::uint64_t kProgressEvents = 4096;

bool has_fetch(const scenario::Scenario& scenario) {
  return std::any_of(scenario.timeline.begin(), scenario.timeline.end(), [](const auto& action) {
    return std::holds_alternative<scenario::FetchMail>(action.body);
  });
}

}  // namespace

World::World(const scenario::Scenario& scenario, std::uint64_t seed)
    : m_scenario(scenario), m_seed(seed), m_sim(seed), m_network(m_sim) {}

World::~World() {
  // The narrator detaches from the trace first; the services go before the network they use.
  m_narrator.reset();
  m_timeline.reset();
  m_mail_hosts.clear();
  m_resolvers.clear();
  m_authoritative.clear();
}

Result<std::unique_ptr<World>> World::build(const scenario::Scenario& scenario,
                                            WorldOptions options) {
  if (has_fetch(scenario))
    return Error{"fetch actions need the mail user agent, which this build does not have yet",
                 "timeline"};
  std::unique_ptr<World> world(new World(scenario, options.seed.value_or(scenario.meta.seed)));
  const mail::MailClock clock{kEpochSeconds, 0};
  auto tls = services::ScenarioTls::create(world->m_sim, scenario.meta.id, clock);
  if (!tls) return tls.error();
  world->m_tls = std::move(tls).value();
  world->m_context = std::make_unique<services::ServiceContext>(services::ServiceContext{
      world->m_sim, world->m_tls->crypto, world->m_tls->ca, &world->m_tls->key_log, clock});

  if (auto error = world->build_network()) return *error;
  if (auto error = world->build_dns()) return *error;
  if (auto error = world->build_mail()) return *error;
  world->m_narrator = std::make_unique<Narrator>(world->trace(), world->m_scenario.narration);
  world->m_timeline = std::make_unique<Timeline>(*world);
  return world;
}

RunReport World::run(const RunOptions& options) {
  RunReport report;
  if (m_ran) return report;
  m_ran = true;
  m_timeline->start();
  const TimeNs end = std::min(m_scenario.meta.duration_ns, options.until_ns.value_or(kTimeNever));
  std::uint64_t steps = 0;
  while (true) {
    const TimeNs next = m_sim.next_event_time();
    if (next == kTimeNever) {
      report.quiesced = true;
      break;
    }
    if (next > end) break;
    m_sim.step();
    if (options.progress && ++steps % kProgressEvents == 0) options.progress(m_sim.now(), end);
  }
  report.end_ns = m_sim.now();
  report.timeline_done_ns = m_timeline->finished() ? m_timeline->finished_at() : -1;
  report.events = trace().size();
  return report;
}

exporter::ScenarioMetadata World::metadata() const {
  return exporter::ScenarioMetadata{m_scenario.meta.id, m_scenario.meta.title, m_seed,
                                    m_scenario.meta.description, m_scenario.meta.objectives};
}

tls::KeyLog& World::key_log() {
  return m_tls->key_log;
}
const tls::CertificateAuthority& World::ca() const {
  return m_tls->ca;
}

net::Host* World::host(std::string_view name) {
  const auto it = m_hosts.find(name);
  return it == m_hosts.end() ? nullptr : it->second;
}

MailHost* World::mail_host(std::string_view name) {
  for (auto& mail_host : m_mail_hosts)
    if (mail_host->plan->host == name) return mail_host.get();
  return nullptr;
}

MailHost* World::mailbox_host(std::string_view address) {
  const scenario::User* user = m_scenario.find_user(address);
  const std::string_view domain =
      user != nullptr ? user->domain() : address.substr(address.find('@') + 1);
  for (auto& mail_host : m_mail_hosts)
    if (mail_host->domain == domain && mail_host->plan->stores_mail) return mail_host.get();
  return nullptr;
}

}  // namespace mailscope::world
