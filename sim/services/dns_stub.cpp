#include "services/dns_stub.h"

#include <algorithm>
#include <memory>

#include "services/dns_events.h"
#include "wire/dns_format.h"

namespace mailscope::services {

using wire::DnsMessage;
using wire::DnsName;
using wire::DnsRecord;
using wire::DnsType;

std::string_view to_string(LookupStatus status) {
  switch (status) {
    case LookupStatus::Ok:
      return "ok";
    case LookupStatus::NxDomain:
      return "NXDOMAIN";
    case LookupStatus::NoData:
      return "NODATA";
    case LookupStatus::ServFail:
      return "SERVFAIL";
    case LookupStatus::Timeout:
      return "timeout";
  }
  return "?";
}

std::string_view to_string(MxStatus status) {
  switch (status) {
    case MxStatus::Ok:
      return "ok";
    case MxStatus::NoMail:
      return "no mail (null MX)";
    case MxStatus::NxDomain:
      return "NXDOMAIN";
    case MxStatus::NoData:
      return "NODATA";
    case MxStatus::ServFail:
      return "SERVFAIL";
    case MxStatus::Timeout:
      return "timeout";
  }
  return "?";
}

namespace {

// The records of `type` that answer `name`, following the CNAMEs in the answer section;
// `canonical` receives the name they belong to.
std::vector<DnsRecord> final_records(const DnsMessage& message, const DnsName& name, DnsType type,
                                     DnsName& canonical) {
  constexpr int kCnamesMax = 16;
  canonical = name;
  std::vector<DnsRecord> out;
  for (int step = 0; step <= kCnamesMax; ++step) {
    const DnsRecord* cname = nullptr;
    for (const DnsRecord& r : message.answers) {
      if (!(r.name == canonical)) continue;
      if (r.type() == type) out.push_back(r);
      if (r.type() == DnsType::CNAME && cname == nullptr) cname = &r;
    }
    if (!out.empty() || cname == nullptr || type == DnsType::CNAME) break;
    canonical = std::get<wire::DnsCname>(cname->rdata).target;
  }
  return out;
}

std::vector<wire::Ipv4Addr> addresses_of(const std::vector<DnsRecord>& records,
                                         const DnsName& host) {
  std::vector<wire::Ipv4Addr> out;
  for (const DnsRecord& r : records) {
    const auto* a = std::get_if<wire::DnsA>(&r.rdata);
    if (a != nullptr && r.name == host) out.push_back(a->address);
  }
  return out;
}

MxStatus mx_status(LookupStatus status) {
  switch (status) {
    case LookupStatus::Ok:
      return MxStatus::Ok;
    case LookupStatus::NxDomain:
      return MxStatus::NxDomain;
    case LookupStatus::NoData:
      return MxStatus::NoData;
    case LookupStatus::ServFail:
      return MxStatus::ServFail;
    case LookupStatus::Timeout:
      break;
  }
  return MxStatus::Timeout;
}

}  // namespace

StubResolver::StubResolver(net::Host& host, StubResolverConfig config)
    : m_host(host),
      m_config(std::move(config)),
      m_client(host, host.sim().rng("dns/stub/" + host.name()), m_config.client),
      m_rng(host.sim().rng("dns/stub/" + host.name() + "/mx-order")) {}

void StubResolver::query(const DnsName& name, DnsType type,
                         std::function<void(const StubResponse&)> done, EventId parent) {
  attempt(name, type, std::max(m_config.attempts, 1), std::move(done), parent);
}

void StubResolver::attempt(const DnsName& name, DnsType type, int tries_left,
                           std::function<void(const StubResponse&)> done, EventId parent) {
  DnsMessage query = DnsMessage::make_query(0, name, type, wire::DnsRecursion::Desired);
  if (m_config.edns_udp_size != 0) {
    wire::DnsEdns edns;
    edns.udp_payload_size = m_config.edns_udp_size;
    query.additional.push_back(edns.to_record());
  }
  m_client.exchange(m_config.resolver, std::move(query), m_config.timeout, parent,
                    [this, name, type, tries_left, done = std::move(done),
                     parent](const DnsExchangeResult& result) mutable {
                      if (result.status != DnsExchangeStatus::Response) {
                        if (tries_left > 1) {
                          dns_note(m_host,
                                   "no answer from the resolver " + m_config.resolver.to_string() +
                                       ": asking again (" + result.detail + ")",
                                   parent, result.flow);
                          attempt(name, type, tries_left - 1, std::move(done), parent);
                          return;
                        }
                        done(StubResponse{LookupStatus::Timeout, {}, result.detail});
                        return;
                      }
                      StubResponse response;
                      response.message = result.response;
                      switch (result.response.flags.rcode) {
                        case wire::DnsRcode::NOERROR: {
                          DnsName canonical;
                          const bool found =
                              !final_records(result.response, name, type, canonical).empty();
                          response.status = found ? LookupStatus::Ok : LookupStatus::NoData;
                          break;
                        }
                        case wire::DnsRcode::NXDOMAIN:
                          response.status = LookupStatus::NxDomain;
                          break;
                        default:
                          response.status = LookupStatus::ServFail;
                          response.detail = "the resolver answered " +
                                            wire::to_string(result.response.flags.rcode);
                          break;
                      }
                      done(response);
                    });
}

void StubResolver::resolve_a(const DnsName& name, std::function<void(const AddressResult&)> done,
                             EventId parent) {
  query(
      name, DnsType::A,
      [name, done = std::move(done)](const StubResponse& response) {
        AddressResult result;
        result.status = response.status;
        result.detail = response.detail;
        result.canonical_name = name;
        if (response.status == LookupStatus::Ok) {
          const auto records =
              final_records(response.message, name, DnsType::A, result.canonical_name);
          result.addresses = addresses_of(records, result.canonical_name);
        }
        done(result);
      },
      parent);
}

void StubResolver::resolve_mx(const DnsName& domain, std::function<void(const MxResult&)> done,
                              EventId parent) {
  query(
      domain, DnsType::MX,
      [this, domain, done = std::move(done), parent](const StubResponse& response) mutable {
        on_mx_response(domain, response, std::move(done), parent);
      },
      parent);
}

void StubResolver::order_exchanges(std::vector<MxExchange>& exchanges) {
  std::ranges::stable_sort(exchanges, {}, &MxExchange::preference);
  // RFC 5321 §5.1: hosts of equal preference are tried in random order, to spread the load.
  std::size_t start = 0;
  while (start < exchanges.size()) {
    std::size_t end = start + 1;
    while (end < exchanges.size() && exchanges[end].preference == exchanges[start].preference)
      ++end;
    for (std::size_t i = end - 1; i > start; --i) {
      const std::size_t j = start + m_rng.below(i - start + 1);
      std::swap(exchanges[i], exchanges[j]);
    }
    start = end;
  }
}

void StubResolver::on_mx_response(const DnsName& domain, const StubResponse& response,
                                  std::function<void(const MxResult&)> done, EventId parent) {
  if (response.status == LookupStatus::NoData) {
    implicit_mx(domain, std::move(done), parent);
    return;
  }
  if (response.status != LookupStatus::Ok) {
    MxResult result;
    result.status = mx_status(response.status);
    result.detail =
        response.detail.empty() ? std::string(to_string(response.status)) : response.detail;
    done(result);
    return;
  }
  DnsName owner;
  const auto records = final_records(response.message, domain, DnsType::MX, owner);
  std::vector<MxExchange> exchanges;
  for (const DnsRecord& r : records) {
    const auto& mx = std::get<wire::DnsMx>(r.rdata);
    if (mx.exchange.is_root()) continue;  // a null MX among real ones is ignored
    exchanges.push_back(MxExchange{mx.preference, mx.exchange,
                                   addresses_of(response.message.additional, mx.exchange)});
  }
  if (exchanges.empty()) {
    dns_note(m_host,
             domain.to_string() + " publishes a null MX (MX 0 .): it accepts no mail (RFC 7505)",
             parent);
    done(MxResult{MxStatus::NoMail, {}, false, "the domain publishes a null MX (RFC 7505)"});
    return;
  }
  order_exchanges(exchanges);

  // Look up the exchanges the additional section gave no address for, all at once.
  struct Gather {
    MxResult result;
    std::size_t outstanding = 0;
    std::function<void(const MxResult&)> done;
  };
  auto gather = std::make_shared<Gather>();
  gather->result.status = MxStatus::Ok;
  gather->result.exchanges = std::move(exchanges);
  gather->done = std::move(done);
  std::vector<std::size_t> missing;
  for (std::size_t i = 0; i < gather->result.exchanges.size(); ++i) {
    if (gather->result.exchanges[i].addresses.empty()) missing.push_back(i);
  }
  if (missing.empty()) {
    gather->done(gather->result);
    return;
  }
  gather->outstanding = missing.size();
  for (const std::size_t i : missing) {
    const DnsName host = gather->result.exchanges[i].host;
    resolve_a(
        host,
        [gather, i](const AddressResult& address) {
          auto& exchange = gather->result.exchanges[i];
          exchange.addresses = address.addresses;
          if (address.status != LookupStatus::Ok) {
            if (!gather->result.detail.empty()) gather->result.detail += "; ";
            gather->result.detail += "no address for " + exchange.host.to_string() + " (" +
                                     std::string(to_string(address.status)) + ")";
          }
          if (--gather->outstanding == 0) gather->done(gather->result);
        },
        parent);
  }
}

void StubResolver::implicit_mx(const DnsName& domain, std::function<void(const MxResult&)> done,
                               EventId parent) {
  resolve_a(
      domain,
      [this, domain, done = std::move(done), parent](const AddressResult& address) {
        MxResult result;
        if (address.status != LookupStatus::Ok) {
          result.status = mx_status(address.status);
          result.detail = "no MX record, and no address record for " + domain.to_string();
          done(result);
          return;
        }
        dns_note(m_host,
                 domain.to_string() +
                     " has no MX record: its own address is the mail exchanger (implicit MX, "
                     "RFC 5321 §5.1)",
                 parent);
        result.status = MxStatus::Ok;
        result.implicit = true;
        result.exchanges.push_back(MxExchange{0, domain, address.addresses});
        done(result);
      },
      parent);
}

}  // namespace mailscope::services
