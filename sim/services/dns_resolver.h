#pragma once
// RecursiveResolver: the DNS server the hosts of a network ask (UDP and TCP port 53). It finds
// answers iteratively (RFC 1034 §5.3.3): starting from the root servers' addresses (the "root
// hints"), it asks a server, follows the referral to the servers of the next zone down (using
// the glue addresses, or looking the servers' names up when there is no glue), and repeats
// until a server answers with authority. It follows CNAMEs, caches answers and negative
// answers for their TTL (a second lookup within the TTL sends no packet), retries a server that
// does not answer with a doubling timeout, falls back to the zone's other servers, and answers
// SERVFAIL when none of them answers. Every step is bounded, so no zone can make it loop.
//
// In forward-only mode it sends every question, with RD set, to one upstream resolver and only
// caches what comes back (the simpler model for first lessons).
//
// A resolver may also hold zones of its own; questions inside them are answered from the zone,
// authoritatively, without asking anyone.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/host.h"
#include "services/dns_authority.h"
#include "services/dns_cache.h"
#include "services/dns_client.h"
#include "services/dns_listener.h"

namespace mailscope::services {

struct RecursiveResolverConfig {
  // Addresses of the root servers, asked in this order when nothing closer is cached.
  std::vector<wire::Ipv4Addr> root_hints;
  // When set: forward-only mode, every question goes to this resolver.
  std::optional<wire::Ipv4Addr> forwarder;
  // Who may ask (RFC 5358: no open resolvers); empty lets everyone ask.
  std::vector<wire::Ipv4Cidr> allowed_clients;

  // Waiting for a server: the first try waits timeout_initial, each further try twice as long,
  // at most timeout_max. A zone's servers get attempts_per_zone tries in all, in turn. With the
  // defaults a dead zone costs 0.8 + 1.6 + 1.6 = 4 s, less than a stub resolver waits (5 s).
  TimeNs timeout_initial = 800 * kMillisecond;
  TimeNs timeout_max = 1600 * kMillisecond;
  int attempts_per_zone = 3;

  // Work limits of one client question, so that no zone can make the resolver loop.
  int referrals_max = 10;         // zone cuts followed
  int cname_chain_max = 8;        // aliases followed
  int upstream_queries_max = 32;  // queries sent, lookups of server names included
  int nested_lookups_max = 3;     // lookups of server names started by lookups of server names
  std::size_t client_questions_max = 256;  // questions being resolved at once

  // UDP payload size we advertise upstream with EDNS(0); 0 sends no OPT record (classic 512).
  std::uint16_t edns_udp_size = 1232;
  DnsCacheLimits cache;
  DnsClientConfig client;
};

// The outcome of resolving one question.
struct Resolution {
  wire::DnsRcode rcode = wire::DnsRcode::SERVFAIL;
  std::vector<wire::DnsRecord> answers;    // the CNAME chain, then the RRset asked for
  std::vector<wire::DnsRecord> authority;  // the SOA of a negative answer
  std::string detail;                      // for SERVFAIL: why
};

class RecursiveResolver {
 public:
  using Done = std::function<void(const Resolution&)>;

  RecursiveResolver(net::Host& host, RecursiveResolverConfig config);
  ~RecursiveResolver();
  RecursiveResolver(const RecursiveResolver&) = delete;
  RecursiveResolver& operator=(const RecursiveResolver&) = delete;

  // Zones this resolver answers for itself; see DnsAuthority::add_zone.
  std::optional<Error> add_local_zone(DnsZone zone) { return m_local.add_zone(std::move(zone)); }

  // Resolves (name, type) as if a client had asked; `parent` is the event that caused it.
  void resolve(const wire::DnsName& name, wire::DnsType type, EventId parent, Done done);

  const RecursiveResolverConfig& config() const { return m_config; }
  DnsCache& cache() { return m_cache; }
  const DnsCache& cache() const { return m_cache; }
  bool listening() const { return m_listener.listening(); }
  void set_fault(DnsServerFault fault) { m_listener.set_fault(fault); }
  // Queries sent to other servers since the start (each try counts).
  std::uint64_t upstream_queries() const { return m_upstream_queries; }
  std::uint64_t cache_hits() const { return m_cache_hits; }

 private:
  struct Job;
  using JobPtr = std::shared_ptr<Job>;

  void on_query(const DnsServerQuery& query, DnsListener::Respond respond);
  bool allowed(wire::Ipv4Addr client) const;

  // The steps of one resolution; each either finishes the job or leads to the next step.
  void start(const JobPtr& job);
  bool answer_from_cache(const JobPtr& job);
  void choose_servers(const JobPtr& job);
  void send(const JobPtr& job);
  void on_upstream(const JobPtr& job, wire::Ipv4Addr server, const DnsExchangeResult& result);
  void retry_or_fail(const JobPtr& job, EventId cause);
  bool follow_answer(const JobPtr& job, const wire::DnsMessage& response, EventId event);
  bool follow_referral(const JobPtr& job, const wire::DnsMessage& response, wire::Ipv4Addr server,
                       EventId event);
  void find_server_address(const JobPtr& job);
  void finish(const JobPtr& job, wire::DnsRcode rcode, std::vector<wire::DnsRecord> authority,
              std::string detail = {});
  void fail(const JobPtr& job, std::string detail, EventId cause);
  // The addresses the cache holds for `host` (any trust).
  std::vector<wire::Ipv4Addr> cached_addresses(const wire::DnsName& host) const;

  net::Host& m_host;
  RecursiveResolverConfig m_config;
  DnsAuthority m_local;
  DnsCache m_cache;
  DnsClient m_client;
  std::uint64_t m_upstream_queries = 0;
  std::uint64_t m_cache_hits = 0;
  std::size_t m_client_questions = 0;  // client questions being resolved; <= client_questions_max
  DnsListener m_listener;              // last: it calls on_query, which uses the members above
};

}  // namespace mailscope::services
