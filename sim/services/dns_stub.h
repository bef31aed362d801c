#pragma once
// StubResolver: the DNS client applications use (the MTA to route mail, the bridge for `dig`).
// Like a host's resolv.conf resolver, it knows one recursive resolver's address and sends it
// every question with RD set, over UDP (TCP when the answer comes back truncated), with a
// timeout and a bounded number of tries. Hosts have no /etc/hosts: every name goes through DNS.
//
// resolve_mx() is what a mail server does before delivering to a domain (RFC 5321 §5.1):
//   - MX records sorted by preference, equal preferences in a seeded random order;
//   - each exchange's addresses from the additional section, or looked up (A) when missing;
//   - no MX record at all: the domain itself is the exchange if it has an address (the
//     "implicit MX"), marked as such;
//   - a single "MX 0 ." (null MX, RFC 7505): the domain accepts no mail.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "net/host.h"
#include "services/dns_client.h"
#include "wire/dns_message.h"

namespace mailscope::services {

struct StubResolverConfig {
  wire::Ipv4Addr resolver;          // the recursive resolver to ask
  TimeNs timeout = 5 * kSecond;     // per try (glibc's default)
  int attempts = 2;                 // tries in all
  std::uint16_t edns_udp_size = 0;  // 0: no OPT record, so answers over 512 octets come with TC
  DnsClientConfig client;
};

enum class LookupStatus {
  Ok,        // the answer is in the result
  NxDomain,  // the name does not exist
  NoData,    // the name exists without records of the type
  ServFail,  // the resolver could not find out (or refused)
  Timeout,   // the resolver did not answer
};
std::string_view to_string(LookupStatus status);

// The raw outcome of one question, for clients that print the whole message (dig).
struct StubResponse {
  LookupStatus status = LookupStatus::Timeout;
  wire::DnsMessage message;  // the response, when one came
  std::string detail;
};

struct AddressResult {
  LookupStatus status = LookupStatus::Timeout;
  wire::DnsName canonical_name;  // the name the addresses belong to, after CNAMEs
  std::vector<wire::Ipv4Addr> addresses;
  std::string detail;
};

enum class MxStatus {
  Ok,        // exchanges found (maybe the implicit one)
  NoMail,    // the domain publishes a null MX: it accepts no mail (RFC 7505)
  NxDomain,  // the domain does not exist
  NoData,    // neither MX nor address records: no way to deliver
  ServFail,
  Timeout,
};
std::string_view to_string(MxStatus status);

struct MxExchange {
  std::uint16_t preference = 0;
  wire::DnsName host;
  std::vector<wire::Ipv4Addr> addresses;  // empty when the exchange's address lookup failed
};

struct MxResult {
  MxStatus status = MxStatus::Timeout;
  std::vector<MxExchange> exchanges;  // in the order to try them
  bool implicit = false;              // no MX: the domain's own address (RFC 5321 §5.1)
  std::string detail;
};

class StubResolver {
 public:
  StubResolver(net::Host& host, StubResolverConfig config);

  // One question, answered with the resolver's whole response. `parent` is the event that
  // caused it (e.g. the MTA's delivery attempt).
  void query(const wire::DnsName& name, wire::DnsType type,
             std::function<void(const StubResponse&)> done, EventId parent = kNoEvent);
  void resolve_a(const wire::DnsName& name, std::function<void(const AddressResult&)> done,
                 EventId parent = kNoEvent);
  void resolve_mx(const wire::DnsName& domain, std::function<void(const MxResult&)> done,
                  EventId parent = kNoEvent);

  const StubResolverConfig& config() const { return m_config; }
  net::Host& host() { return m_host; }

 private:
  void attempt(const wire::DnsName& name, wire::DnsType type, int tries_left,
               std::function<void(const StubResponse&)> done, EventId parent);
  void on_mx_response(const wire::DnsName& domain, const StubResponse& response,
                      std::function<void(const MxResult&)> done, EventId parent);
  void implicit_mx(const wire::DnsName& domain, std::function<void(const MxResult&)> done,
                   EventId parent);
  // Orders exchanges by preference, shuffling ties with the stub's Rng.
  void order_exchanges(std::vector<MxExchange>& exchanges);

  net::Host& m_host;
  StubResolverConfig m_config;
  DnsClient m_client;
  Rng m_rng;  // the order of equal-preference exchanges
};

}  // namespace mailscope::services
