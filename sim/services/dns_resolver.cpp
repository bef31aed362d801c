#include "services/dns_resolver.h"

#include <algorithm>

#include "services/dns_events.h"
#include "wire/dns_format.h"

// Sections: helpers, client questions, one resolution step by step (cache, choice of servers,
// sending, what came back: answer, referral, negative answer, failure).

namespace mailscope::services {

using wire::DnsMessage;
using wire::DnsName;
using wire::DnsRcode;
using wire::DnsRecord;
using wire::DnsType;

// One question being resolved: where it stands and how much work it may still do.
struct RecursiveResolver::Job {
  DnsName name;  // the name being resolved; moves along CNAMEs
  DnsType type = DnsType::A;
  std::vector<DnsRecord> answers;  // CNAMEs followed so far, then the answer
  int cnames = 0;
  int referrals = 0;
  int nesting = 0;                    // 0 for a client's question, +1 per lookup of a server name
  std::shared_ptr<int> queries_left;  // shared with the lookups of server names it starts
  EventId parent = kNoEvent;

  // The zone whose servers are being asked, and those servers.
  DnsName zone;
  std::vector<DnsName> ns_names;
  std::vector<wire::Ipv4Addr> servers;
  std::size_t next_ns_name = 0;  // the next server name to look up when no address is known
  int attempts = 0;              // queries sent to this zone's servers

  bool finished = false;
  Done done;
};

// ---- Helpers --------------------------------------------------------------------------------

namespace {

std::string describe(const DnsName& name, DnsType type) {
  return name.to_string() + " " + wire::to_string(type);
}

std::string seconds(std::uint32_t s) {
  return std::to_string(s) + " s";
}

const DnsRecord* find_soa(const std::vector<DnsRecord>& records) {
  for (const DnsRecord& r : records) {
    if (r.type() == DnsType::SOA) return &r;
  }
  return nullptr;
}

std::uint32_t negative_ttl(const DnsRecord* soa) {
  if (soa == nullptr) return 0;
  return std::min(soa->ttl, std::get<wire::DnsSoa>(soa->rdata).minimum);
}

// Records grouped into RRsets (same owner and type), in order of first appearance.
std::vector<std::vector<DnsRecord>> rrsets_of(const std::vector<DnsRecord>& records) {
  std::vector<std::vector<DnsRecord>> out;
  for (const DnsRecord& r : records) {
    const auto same = [&](const std::vector<DnsRecord>& set) {
      return set.front().name == r.name && set.front().type() == r.type();
    };
    const auto it = std::ranges::find_if(out, same);
    if (it == out.end()) {
      out.push_back({r});
    } else {
      it->push_back(r);
    }
  }
  return out;
}

TimeNs attempt_timeout(const RecursiveResolverConfig& config, int attempt) {
  TimeNs timeout = config.timeout_initial;
  for (int i = 0; i < attempt && timeout < config.timeout_max; ++i)
    timeout *= 2;
  return std::min(timeout, config.timeout_max);
}

}  // namespace

RecursiveResolver::RecursiveResolver(net::Host& host, RecursiveResolverConfig config)
    : m_host(host),
      m_config(std::move(config)),
      m_cache(m_config.cache),
      m_client(host, host.sim().rng("dns/resolver/" + host.name()), m_config.client),
      m_listener(host, [this](const DnsServerQuery& query, DnsListener::Respond respond) {
        on_query(query, std::move(respond));
      }) {}

RecursiveResolver::~RecursiveResolver() = default;

std::vector<wire::Ipv4Addr> RecursiveResolver::cached_addresses(const DnsName& host) const {
  std::vector<wire::Ipv4Addr> out;
  if (auto records = m_cache.rrset(host, DnsType::A, m_host.sim().now())) {
    for (const DnsRecord& r : *records)
      out.push_back(std::get<wire::DnsA>(r.rdata).address);
  }
  return out;
}

// ---- Client questions -----------------------------------------------------------------------

bool RecursiveResolver::allowed(wire::Ipv4Addr client) const {
  if (m_config.allowed_clients.empty()) return true;
  return std::ranges::any_of(m_config.allowed_clients,
                             [&](const wire::Ipv4Cidr& net) { return net.contains(client); });
}

void RecursiveResolver::on_query(const DnsServerQuery& query, DnsListener::Respond respond) {
  const wire::DnsQuestion& question = query.message.questions.front();
  if (!allowed(query.client)) {
    dns_note(m_host, "refused: " + query.client.to_string() + " is not a client of this resolver",
             query.event, query.flow);
    respond(DnsMessage::make_response(query.message, DnsRcode::REFUSED));
    return;
  }
  if (auto local = m_local.answer(query.message)) {
    local->flags.ra = true;
    respond(std::move(*local));
    return;
  }
  if (m_client_questions >= m_config.client_questions_max) {
    dns_note(m_host, "too many questions at once: answering SERVFAIL", query.event, query.flow);
    respond(DnsMessage::make_response(query.message, DnsRcode::SERVFAIL));
    return;
  }
  ++m_client_questions;
  resolve(question.name, question.type, query.event,
          [this, message = query.message, respond = std::move(respond)](const Resolution& r) {
            --m_client_questions;
            DnsMessage response = DnsMessage::make_response(message, r.rcode);
            response.flags.ra = true;
            response.answers = r.answers;
            response.authority = r.authority;
            respond(std::move(response));
          });
}

void RecursiveResolver::resolve(const DnsName& name, DnsType type, EventId parent, Done done) {
  auto job = std::make_shared<Job>();
  job->name = name;
  job->type = type;
  job->queries_left = std::make_shared<int>(m_config.upstream_queries_max);
  job->parent = parent;
  job->done = std::move(done);
  start(job);
}

// ---- One resolution -------------------------------------------------------------------------

void RecursiveResolver::start(const JobPtr& job) {
  if (answer_from_cache(job)) return;
  if (m_config.forwarder) {
    job->zone = DnsName::root();
    job->ns_names.clear();
    job->servers = {*m_config.forwarder};
    job->attempts = 0;
  } else {
    choose_servers(job);
  }
  send(job);
}

bool RecursiveResolver::answer_from_cache(const JobPtr& job) {
  const TimeNs now = m_host.sim().now();
  while (true) {
    CacheAnswer hit = m_cache.lookup(job->name, job->type, now);
    const std::string what = describe(job->name, job->type);
    switch (hit.result) {
      case CacheResult::Miss:
        return false;
      case CacheResult::Positive:
        ++m_cache_hits;
        dns_note(m_host, "cache hit: " + what + " (TTL " + seconds(hit.ttl_left) + " left)",
                 job->parent);
        job->answers.insert(job->answers.end(), hit.records.begin(), hit.records.end());
        finish(job, DnsRcode::NOERROR, {});
        return true;
      case CacheResult::NxDomain:
        ++m_cache_hits;
        dns_note(m_host,
                 "cache hit: " + job->name.to_string() + " does not exist (NXDOMAIN, " +
                     seconds(hit.ttl_left) + " left)",
                 job->parent);
        finish(job, DnsRcode::NXDOMAIN, std::move(hit.records));
        return true;
      case CacheResult::NoData:
        ++m_cache_hits;
        dns_note(m_host,
                 "cache hit: " + job->name.to_string() + " has no " + wire::to_string(job->type) +
                     " record (NODATA, " + seconds(hit.ttl_left) + " left)",
                 job->parent);
        finish(job, DnsRcode::NOERROR, std::move(hit.records));
        return true;
      case CacheResult::Cname: {
        ++m_cache_hits;
        const DnsRecord& cname = hit.records.front();
        const DnsName& target = std::get<wire::DnsCname>(cname.rdata).target;
        dns_note(m_host,
                 "cache hit: " + job->name.to_string() + " is an alias of " + target.to_string() +
                     " (TTL " + seconds(hit.ttl_left) + " left)",
                 job->parent);
        job->answers.push_back(cname);
        if (++job->cnames > m_config.cname_chain_max) {
          fail(job, "more than " + std::to_string(m_config.cname_chain_max) + " CNAMEs",
               job->parent);
          return true;
        }
        job->name = target;
        break;
      }
    }
  }
}

void RecursiveResolver::choose_servers(const JobPtr& job) {
  // The closest enclosing zone whose servers we know by address; the root servers otherwise.
  DnsName zone = job->name;
  while (true) {
    if (auto ns = m_cache.rrset(zone, DnsType::NS, m_host.sim().now())) {
      std::vector<DnsName> names;
      std::vector<wire::Ipv4Addr> addresses;
      for (const DnsRecord& r : *ns) {
        names.push_back(std::get<wire::DnsNs>(r.rdata).host);
        for (const auto a : cached_addresses(names.back()))
          addresses.push_back(a);
      }
      if (!addresses.empty()) {
        job->zone = zone;
        job->ns_names = std::move(names);
        job->servers = std::move(addresses);
        job->next_ns_name = 0;
        job->attempts = 0;
        return;
      }
    }
    if (zone.is_root()) break;
    zone = zone.parent();
  }
  job->zone = DnsName::root();
  job->ns_names.clear();
  job->servers = m_config.root_hints;
  job->next_ns_name = 0;
  job->attempts = 0;
}

void RecursiveResolver::send(const JobPtr& job) {
  if (job->servers.empty()) {
    find_server_address(job);
    return;
  }
  if (*job->queries_left <= 0) {
    fail(job,
         "gave up after " + std::to_string(m_config.upstream_queries_max) +
             " queries for one question",
         job->parent);
    return;
  }
  const int attempt = job->attempts++;
  const wire::Ipv4Addr server =
      job->servers[static_cast<std::size_t>(attempt) % job->servers.size()];
  --*job->queries_left;
  ++m_upstream_queries;
  const bool forward = m_config.forwarder.has_value();
  DnsMessage query = DnsMessage::make_query(
      0, job->name, job->type,
      forward ? wire::DnsRecursion::Desired : wire::DnsRecursion::NotDesired);
  if (m_config.edns_udp_size != 0) {
    wire::DnsEdns edns;
    edns.udp_payload_size = m_config.edns_udp_size;
    query.additional.push_back(edns.to_record());
  }
  m_client.exchange(
      server, std::move(query), attempt_timeout(m_config, attempt), job->parent,
      [this, job, server](const DnsExchangeResult& result) { on_upstream(job, server, result); });
}

void RecursiveResolver::on_upstream(const JobPtr& job, wire::Ipv4Addr server,
                                    const DnsExchangeResult& result) {
  const std::string from = server.to_string();
  if (result.status != DnsExchangeStatus::Response) {
    const EventId note =
        dns_note(m_host, "no answer from " + from + ": " + result.detail, job->parent, result.flow);
    retry_or_fail(job, note);
    return;
  }
  const DnsMessage& response = result.response;
  const DnsRcode rcode = response.flags.rcode;
  const EventId event = result.event;
  if (rcode != DnsRcode::NOERROR && rcode != DnsRcode::NXDOMAIN) {
    const EventId note = dns_note(
        m_host,
        from + " answered " + wire::to_string(rcode) + " for " + describe(job->name, job->type),
        event, result.flow);
    retry_or_fail(job, note);
    return;
  }
  const TimeNs now = m_host.sim().now();
  const DnsRecord* soa = find_soa(response.authority);

  if (m_config.forwarder) {
    // The forwarder did the work: remember and pass on what it says.
    for (const auto& rrset : rrsets_of(response.answers))
      m_cache.store(rrset, CacheTrust::Answer, now);
    if (rcode == DnsRcode::NXDOMAIN) {
      m_cache.store_nxdomain(job->name, soa, now);
    } else if (response.answers.empty()) {
      m_cache.store_nodata(job->name, job->type, soa, now);
    }
    dns_note(m_host,
             "forwarder " + from + " answered " + wire::to_string(rcode) + " for " +
                 describe(job->name, job->type),
             event, result.flow);
    job->answers.insert(job->answers.end(), response.answers.begin(), response.answers.end());
    std::vector<DnsRecord> authority;
    if (soa != nullptr) authority.push_back(*soa);
    finish(job, rcode, std::move(authority));
    return;
  }

  if (rcode == DnsRcode::NXDOMAIN) {
    m_cache.store_nxdomain(job->name, soa, now);
    dns_note(m_host,
             from + " says " + job->name.to_string() + " does not exist (NXDOMAIN)" +
                 (soa != nullptr ? "; remembered for " + seconds(negative_ttl(soa)) : ""),
             event, result.flow);
    std::vector<DnsRecord> authority;
    if (soa != nullptr) authority.push_back(*soa);
    finish(job, DnsRcode::NXDOMAIN, std::move(authority));
    return;
  }
  if (!response.answers.empty()) {
    if (follow_answer(job, response, event)) return;
    const EventId note =
        dns_note(m_host, from + " answered about other names than " + job->name.to_string(), event,
                 result.flow);
    retry_or_fail(job, note);
    return;
  }
  if (follow_referral(job, response, server, event)) return;
  // NOERROR, no answer, no referral: the name exists without this type (NODATA).
  m_cache.store_nodata(job->name, job->type, soa, now);
  dns_note(m_host,
           from + " says " + job->name.to_string() + " has no " + wire::to_string(job->type) +
               " record (NODATA)" +
               (soa != nullptr ? "; remembered for " + seconds(negative_ttl(soa)) : ""),
           event, result.flow);
  std::vector<DnsRecord> authority;
  if (soa != nullptr) authority.push_back(*soa);
  finish(job, DnsRcode::NOERROR, std::move(authority));
}

bool RecursiveResolver::follow_answer(const JobPtr& job, const DnsMessage& response,
                                      EventId event) {
  const TimeNs now = m_host.sim().now();
  // Only records inside the zone of the server we asked are believed (bailiwick).
  const auto believable = [&](const DnsRecord& r) { return r.name.is_subdomain_of(job->zone); };
  DnsName name = job->name;
  bool moved = false;
  for (int step = 0; step <= m_config.cname_chain_max; ++step) {
    std::vector<DnsRecord> rrset;
    const DnsRecord* cname = nullptr;
    for (const DnsRecord& r : response.answers) {
      if (!(r.name == name) || !believable(r)) continue;
      if (r.type() == job->type) rrset.push_back(r);
      if (r.type() == DnsType::CNAME && cname == nullptr) cname = &r;
    }
    if (!rrset.empty()) {
      m_cache.store(rrset, CacheTrust::Answer, now);
      std::uint32_t ttl = UINT32_MAX;
      for (const DnsRecord& r : rrset)
        ttl = std::min(ttl, r.ttl);
      dns_note(m_host,
               "answer: " + describe(name, job->type) + " (" + std::to_string(rrset.size()) +
                   (rrset.size() == 1 ? " record" : " records") + "), cached for " + seconds(ttl),
               event);
      job->name = name;
      job->answers.insert(job->answers.end(), rrset.begin(), rrset.end());
      finish(job, DnsRcode::NOERROR, {});
      return true;
    }
    if (cname == nullptr || job->type == DnsType::CNAME) break;
    m_cache.store({*cname}, CacheTrust::Answer, now);
    const DnsName& target = std::get<wire::DnsCname>(cname->rdata).target;
    dns_note(m_host, name.to_string() + " is an alias (CNAME) of " + target.to_string(), event);
    job->answers.push_back(*cname);
    if (++job->cnames > m_config.cname_chain_max) {
      fail(job, "more than " + std::to_string(m_config.cname_chain_max) + " CNAMEs", event);
      return true;
    }
    name = target;
    moved = true;
  }
  if (!moved) return false;
  // The response stopped at an alias whose target it does not answer: resolve the target.
  job->name = name;
  start(job);
  return true;
}

bool RecursiveResolver::follow_referral(const JobPtr& job, const DnsMessage& response,
                                        wire::Ipv4Addr server, EventId event) {
  std::vector<DnsRecord> ns_set;
  for (const DnsRecord& r : response.authority) {
    if (r.type() != DnsType::NS) continue;
    if (ns_set.empty() || r.name == ns_set.front().name) ns_set.push_back(r);
  }
  if (ns_set.empty()) return false;
  const DnsName cut = ns_set.front().name;
  const bool closer =
      cut.is_subdomain_of(job->zone) && !(cut == job->zone) && job->name.is_subdomain_of(cut);
  if (!closer) {
    const EventId note = dns_note(m_host,
                                  server.to_string() + " sent a referral to " + cut.to_string() +
                                      ", which leads no closer to " + job->name.to_string(),
                                  event);
    retry_or_fail(job, note);
    return true;
  }
  if (++job->referrals > m_config.referrals_max) {
    fail(job, "more than " + std::to_string(m_config.referrals_max) + " referrals", event);
    return true;
  }
  const TimeNs now = m_host.sim().now();
  m_cache.store(ns_set, CacheTrust::Referral, now);
  std::vector<DnsName> names;
  for (const DnsRecord& r : ns_set)
    names.push_back(std::get<wire::DnsNs>(r.rdata).host);
  // Glue: addresses of the new servers, believed only inside the zone of the server that sent
  // them (anything else could be a poisoning attempt).
  std::vector<DnsRecord> glue;
  for (const DnsRecord& r : response.additional) {
    const bool useful = r.type() == DnsType::A && r.name.is_subdomain_of(job->zone) &&
                        std::ranges::find(names, r.name) != names.end();
    if (useful) glue.push_back(r);
  }
  for (const auto& rrset : rrsets_of(glue))
    m_cache.store(rrset, CacheTrust::Referral, now);

  std::string servers_text;
  std::vector<wire::Ipv4Addr> addresses;
  for (const DnsName& name : names) {
    const auto found = cached_addresses(name);
    if (!servers_text.empty()) servers_text += ", ";
    servers_text += name.to_string();
    if (found.empty()) {
      servers_text += " (no glue)";
    } else {
      servers_text += " (" + found.front().to_string() + ")";
    }
    addresses.insert(addresses.end(), found.begin(), found.end());
  }
  dns_note(m_host,
           "referral from " + server.to_string() + ": " + cut.to_string() + " is served by " +
               servers_text,
           event);
  job->zone = cut;
  job->ns_names = std::move(names);
  job->servers = std::move(addresses);
  job->next_ns_name = 0;
  job->attempts = 0;
  send(job);
  return true;
}

void RecursiveResolver::retry_or_fail(const JobPtr& job, EventId cause) {
  const int attempts_max = std::max(m_config.attempts_per_zone, 1);
  if (job->attempts<attempts_max&& * job->queries_left> 0 && !job->servers.empty()) {
    const auto next = job->servers[static_cast<std::size_t>(job->attempts) % job->servers.size()];
    dns_note(m_host,
             "retry " + std::to_string(job->attempts + 1) + "/" + std::to_string(attempts_max) +
                 ": asking " + next.to_string() + " for " + describe(job->name, job->type) +
                 ", waiting up to " +
                 std::to_string(attempt_timeout(m_config, job->attempts) / kMillisecond) + " ms",
             cause);
    send(job);
    return;
  }
  fail(job,
       "no server of " + job->zone.to_string() + " answered " + describe(job->name, job->type) +
           " (" + std::to_string(job->attempts) + " attempts)",
       cause);
}

void RecursiveResolver::find_server_address(const JobPtr& job) {
  while (job->next_ns_name < job->ns_names.size()) {
    const DnsName host = job->ns_names[job->next_ns_name++];
    if (auto found = cached_addresses(host); !found.empty()) {
      job->servers = std::move(found);
      job->attempts = 0;
      send(job);
      return;
    }
    if (job->nesting >= m_config.nested_lookups_max) continue;
    dns_note(m_host,
             "looking up the address of " + host.to_string() + " first (the referral to " +
                 job->zone.to_string() + " gave no glue)",
             job->parent);
    auto lookup = std::make_shared<Job>();
    lookup->name = host;
    lookup->type = DnsType::A;
    lookup->nesting = job->nesting + 1;
    lookup->queries_left = job->queries_left;
    lookup->parent = job->parent;
    lookup->done = [this, job](const Resolution& r) {
      std::vector<wire::Ipv4Addr> addresses;
      for (const DnsRecord& record : r.answers) {
        if (const auto* a = std::get_if<wire::DnsA>(&record.rdata)) addresses.push_back(a->address);
      }
      if (addresses.empty()) {
        find_server_address(job);
        return;
      }
      job->servers = std::move(addresses);
      job->attempts = 0;
      send(job);
    };
    start(lookup);
    return;
  }
  fail(job, "no address known for any server of " + job->zone.to_string(), job->parent);
}

void RecursiveResolver::fail(const JobPtr& job, std::string detail, EventId cause) {
  if (job->finished) return;
  dns_note(m_host, "SERVFAIL: " + detail, cause);
  finish(job, DnsRcode::SERVFAIL, {}, std::move(detail));
}

void RecursiveResolver::finish(const JobPtr& job, DnsRcode rcode, std::vector<DnsRecord> authority,
                               std::string detail) {
  if (job->finished) return;
  job->finished = true;
  Resolution resolution{rcode, job->answers, std::move(authority), std::move(detail)};
  if (rcode == DnsRcode::SERVFAIL) resolution.answers.clear();
  if (job->done) job->done(resolution);
}

}  // namespace mailscope::services
