#pragma once
// World: one lesson, running. build() turns a resolved scenario::Scenario into a virtual network
// (switches, routers, hosts, routes), DNS servers with their zones, mail servers with their
// mailboxes and queues, and one mail program per user; run() plays the scenario's timeline on
// it, attaching the scenario's narration to the trace as the events it names happen.
//
// The scenario decided everything already (addresses, which server stores whose mail, zone
// contents); the World only builds what it is told and never changes a decision. Everything it
// makes shares one Simulator, so the same scenario and seed give the same trace.
//
// Owns everything it builds; services hold references into it, so it never moves.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/simulator.h"
#include "export/metadata.h"
#include "net/network.h"
#include "scenario/scenario.h"
#include "services/mail_server_storage.h"
#include "services/service_context.h"

namespace mailscope::services {
class AuthoritativeServer;
class RecursiveResolver;
class StubResolver;
class DnsMailRouter;
class MailServer;
}  // namespace mailscope::services

namespace mailscope::world {

class Timeline;
class Narrator;

struct WorldOptions {
  std::optional<std::uint64_t> seed;  // overrides the scenario's seed
};

struct RunOptions {
  // Stop at this virtual time even if the scenario's duration is longer.
  std::optional<TimeNs> until_ns;
  // Called every few thousand events with the virtual time reached and the end time.
  std::function<void(TimeNs now, TimeNs end)> progress;
};

struct RunReport {
  TimeNs end_ns = 0;             // virtual time when the run stopped
  TimeNs timeline_done_ns = -1;  // when the last action finished; -1: it never did
  std::uint64_t events = 0;      // trace events recorded
  bool quiesced = false;         // nothing was left to simulate
};

// What the world keeps for one mail server host of the scenario.
struct MailHost {
  const scenario::MailServer* plan = nullptr;
  std::string domain;
  net::Host* host = nullptr;
  std::unique_ptr<services::MailServerStorage> storage;
  std::unique_ptr<services::StubResolver> stub;
  std::unique_ptr<services::DnsMailRouter> router;
  std::unique_ptr<services::MailServer> smtp;  // null when it offers no SMTP service
};

class World {
 public:
  static Result<std::unique_ptr<World>> build(const scenario::Scenario& scenario,
                                              WorldOptions options = {});
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // Plays the timeline until the scenario's duration (or options.until_ns), or until nothing is
  // left to simulate. Call once.
  RunReport run(const RunOptions& options = {});

  Simulator& sim() { return m_sim; }
  Trace& trace() { return m_sim.trace(); }
  const Trace& trace() const { return m_sim.trace(); }
  net::Network& network() { return m_network; }
  const scenario::Scenario& scenario() const { return m_scenario; }
  std::uint64_t seed() const { return m_seed; }
  exporter::ScenarioMetadata metadata() const;
  const services::ServiceContext& context() const { return *m_context; }
  tls::KeyLog& key_log();
  const tls::CertificateAuthority& ca() const;

  net::Host* host(std::string_view name);
  MailHost* mail_host(std::string_view name);
  // The server holding `address`'s mailbox, or null for a user of a domain without one.
  MailHost* mailbox_host(std::string_view address);
  std::vector<std::unique_ptr<MailHost>>& mail_hosts() { return m_mail_hosts; }

 private:
  World(const scenario::Scenario& scenario, std::uint64_t seed);

  // Each step of build(), in order (world_network.cpp, world_dns.cpp, world_mail.cpp).
  std::optional<Error> build_network();
  std::optional<Error> build_dns();
  std::optional<Error> build_mail();

  scenario::Scenario m_scenario;
  std::uint64_t m_seed;
  Simulator m_sim;
  net::Network m_network;
  std::unique_ptr<services::ScenarioTls> m_tls;
  std::unique_ptr<services::ServiceContext> m_context;

  std::map<std::string, net::Host*, std::less<>> m_hosts;  // every host and router by name
  std::map<std::string, net::Link*, std::less<>> m_wans;   // WAN links by the scenario's name
  std::vector<std::unique_ptr<services::AuthoritativeServer>> m_authoritative;
  std::vector<std::unique_ptr<services::RecursiveResolver>> m_resolvers;
  // DNS servers by host name, for faults: each host runs one of the two.
  std::map<std::string, services::AuthoritativeServer*, std::less<>> m_authoritative_by_host;
  std::map<std::string, services::RecursiveResolver*, std::less<>> m_resolver_by_host;
  std::vector<std::unique_ptr<MailHost>> m_mail_hosts;

  std::unique_ptr<Narrator> m_narrator;
  std::unique_ptr<Timeline> m_timeline;
  bool m_ran = false;

  friend class Timeline;
};

}  // namespace mailscope::world
