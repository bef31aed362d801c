#pragma once
// Scenario: a lesson as plain data. The loader (loader.h) turns a JSON file into this; the World
// builder turns this into a running simulation. Nothing here knows about JSON.
//
// A loaded Scenario is *resolved*: every default has been filled in and every automatic choice
// made (subnets, addresses, DNS server names, MX lists, which server each user talks to, static
// routes, zone contents), so the builder makes no decisions of its own. Fields documented as
// "resolved" are always set in a Scenario returned by the loader; std::optional is used only
// where "not given" is a meaningful final state. docs/scenarios.md describes every field.
//
// Sections of this file: metadata; network (LANs, routers, WAN links); mail servers and domains;
// DNS; users; timeline actions; narration rules; expectations; derived plans (hosts, routes,
// zones); the Scenario itself.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/time.h"
#include "net/link.h"
#include "wire/address.h"
#include "wire/dns_record.h"

namespace mailscope::scenario {

// ---- metadata ---------------------------------------------------------------------------------

enum class Level { Beginner, Intermediate, Advanced };
std::string_view to_string(Level level);  // "beginner", ...

struct Metadata {
  std::string id;  // [a-z0-9-], 1..64 characters; the file is <id>.json
  std::string title;
  Level level = Level::Beginner;
  std::string description;              // one or two sentences for `mailscope list`
  std::vector<std::string> objectives;  // what the student should understand afterwards
  std::uint64_t seed = 1;               // default seed; `--seed` overrides it
  // The run stops at this virtual time at the latest, even if events are still pending
  // (a queue retrying for days would otherwise run for days of virtual time).
  TimeNs duration_ns = 1 * kHour;
};

// ---- network ----------------------------------------------------------------------------------

struct Lan {
  std::string name;
  wire::Ipv4Cidr subnet;          // resolved: given, or the automatic 10.0.N.0/24
  std::string router;             // the router with an interface on this LAN; "" for none
  wire::Ipv4Addr router_address;  // resolved when router is set: given, or the first host address
  net::LinkConfig link;           // each host's cable to the LAN switch
};

struct Router {
  std::string name;
};

struct Wan {
  std::string name;
  std::string router_a;
  std::string router_b;
  wire::Ipv4Cidr subnet;     // resolved: given, or the automatic 172.16.x.y/30
  wire::Ipv4Addr address_a;  // resolved: router_a's address, the first host address
  wire::Ipv4Addr address_b;  // resolved: router_b's address, the second host address
  net::LinkConfig link;
};

// ---- mail servers and domains -----------------------------------------------------------------

// What a mail server host runs; each is a TCP listener on its well-known port.
enum class MailService {
  Smtp,        // 25: MTA, receives mail for its domains from other servers
  Submission,  // 587: MSA with STARTTLS and AUTH (RFC 6409)
  Smtps,       // 465: submission over implicit TLS (RFC 8314)
  Imap,        // 143: IMAP, STARTTLS offered
  Imaps,       // 993: IMAP over implicit TLS
  Pop3,        // 110: POP3, STLS offered
  Pop3s,       // 995: POP3 over implicit TLS
};
std::string_view to_string(MailService service);  // "smtp", "submission", ...
std::uint16_t port_of(MailService service);

// The certificate a server presents; everything but Valid makes verification fail on purpose.
enum class Certificate {
  None,         // no certificate: STARTTLS not offered, implicit-TLS services impossible
  Valid,        // issued by the scenario CA for the server's host name
  Expired,      // issued by the scenario CA, validity ended before the scenario's date
  NotYetValid,  // issued by the scenario CA, validity starts after the scenario's date
  WrongName,    // issued by the scenario CA for another name ("wrong-name.invalid")
  SelfSigned,   // signed by its own key
};
std::string_view to_string(Certificate certificate);  // "none", "valid", "expired", ...

struct MailServer {
  std::string host;                   // fully qualified, inside its domain ("smtp.gmail.com")
  std::string lan;                    // resolved: given, or the domain's LAN
  wire::Ipv4Addr address;             // resolved
  std::vector<MailService> services;  // no duplicates, at least one
  // Holds the domain's mailboxes (exactly one server per domain that has users does). Resolved:
  // given, or true for a domain's only server, or for the one server offering IMAP or POP3.
  bool stores_mail = false;
  Certificate certificate = Certificate::Valid;
  bool allow_plaintext_auth = false;  // AUTH accepted before STARTTLS ("why TLS matters")
  bool open_relay = false;            // relays for anyone: the misconfiguration spammers seek
  std::uint64_t size_limit_bytes = 10'240'000;       // SIZE advertised in EHLO and enforced
  std::optional<std::uint64_t> mailbox_quota_bytes;  // per user; none: unlimited
  // The outgoing queue's retry schedule (see mail::RetryOptions).
  TimeNs retry_first_ns = 30 * kMinute;
  TimeNs retry_max_ns = 4 * kHour;
  TimeNs give_up_after_ns = 5 * kDay;
  TimeNs greylist_delay_ns = 0;  // >0: greylisting on from the start, with this minimum delay

  bool offers(MailService service) const;
};

struct MxEntry {
  std::uint16_t preference = 10;  // lower is tried first
  std::string host;               // a mail server offering smtp
};

struct Domain {
  std::string name;  // lowercase, no trailing dot ("gmail.com")
  std::string lan;   // where its servers and name server sit unless they say otherwise
  std::vector<MailServer> servers;
  std::vector<MxEntry> mx;  // resolved: given, or every server offering smtp with preference 10
  // Extra records in master-file syntax, as written (owner names inside this domain).
  std::vector<std::string> record_lines;
  std::vector<wire::DnsRecord> records;  // the same, parsed
  // Its authoritative name server (hierarchy mode). Resolved: given, or "ns1.<domain>".
  std::string nameserver;
  wire::Ipv4Addr nameserver_address;  // resolved
};

// ---- DNS --------------------------------------------------------------------------------------

enum class DnsMode {
  Single,     // one server answers everything, authoritatively and for clients
  Hierarchy,  // root, TLD and per-domain servers, and a recursive resolver per LAN
};
std::string_view to_string(DnsMode mode);

struct DnsSettings {
  DnsMode mode = DnsMode::Single;
  std::string
      lan;  // resolved: where the single server, root and TLD servers sit (default first LAN)
  std::uint32_t ttl_s = 3600;  // TTL of the generated records
};

// ---- users ------------------------------------------------------------------------------------

enum class Security {
  None,      // plaintext
  StartTls,  // plaintext, then STARTTLS / STLS upgrades the connection
  Implicit,  // TLS from the first byte (465, 993, 995)
};
std::string_view to_string(Security security);

enum class FetchProtocol { Imap, Pop3 };
std::string_view to_string(FetchProtocol protocol);

enum class FetchMode {
  Keep,    // messages stay on the server (IMAP's normal way, POP3 "leave on server")
  Delete,  // POP3 DELE / IMAP \Deleted + EXPUNGE after downloading
};
std::string_view to_string(FetchMode mode);

struct SendSettings {
  std::string server;  // resolved: given, or the user's domain's server offering `service`
  MailService service = MailService::Submission;  // resolved from the port
  std::uint16_t port = 587;                       // 25, 587 or 465
  Security security = Security::StartTls;  // resolved: given, or from the port (465 implicit...)
  bool auth = true;                        // resolved: given, or false on port 25 only
};

struct FetchSettings {
  FetchProtocol protocol = FetchProtocol::Imap;
  Security security = Security::Implicit;
  FetchMode mode = FetchMode::Keep;
  std::string server;  // resolved when the user fetches mail: given, or the store's server
  MailService service = MailService::Imaps;  // resolved from protocol and security
  std::uint16_t port = 993;                  // resolved
};

struct User {
  std::string address;  // "alice@outlook.com"; the domain is one of the scenario's domains
  std::string display_name;
  std::string password;
  std::string lan;   // where the user's client machine sits
  std::string host;  // the client machine; resolved: given, or "<local part>-pc"
  SendSettings send;
  FetchSettings fetch;

  std::string_view local_part() const;
  std::string_view domain() const;
};

// ---- timeline ---------------------------------------------------------------------------------

struct Attachment {
  std::string name;          // file name, as in Content-Disposition
  std::string content_type;  // "application/pdf"
  // Exactly one of: the literal content, or a size (the builder makes deterministic bytes).
  std::optional<std::string> content;
  std::optional<std::uint64_t> size_bytes;
};

struct SendMail {
  std::string from;  // a user
  std::vector<std::string> to;
  std::vector<std::string> cc;
  std::vector<std::string> bcc;
  std::string subject;
  std::string body;
  std::vector<Attachment> attachments;
};

struct FetchMail {
  std::string user;
};

struct Wait {
  TimeNs duration_ns = 0;
};

struct Ping {
  std::string from;  // a host name, or a user (their client)
  std::string to;    // a host name or a dotted IPv4 address
  std::uint32_t count = 1;
};

struct Lookup {
  std::string from;        // a host name or a user; the query goes to that host's resolver
  std::string name;        // lowercase, no trailing dot
  std::string type = "A";  // A, AAAA, MX, NS, TXT, SOA, CNAME or PTR
};

struct SetLink {
  std::string link;  // a WAN link's name
  bool up = false;
};

struct SetHost {
  std::string host;  // any host; down means unplugged: no replies at all
  bool up = false;
};

enum class ServerEvent {
  Crash,    // every service on the host stops at once; connections are reset, ports refuse
  Restart,  // the services start again; the queue, held on disk, survives
};

struct ServerControl {
  std::string host;  // a mail server or a DNS server
  ServerEvent event = ServerEvent::Crash;
};

enum class DnsFailure {
  Servfail,  // answers SERVFAIL
  Refused,   // answers REFUSED
  Nxdomain,  // claims the names do not exist
  Timeout,   // drops queries silently
  Restore,   // behaves normally again
};
std::string_view to_string(DnsFailure failure);

struct DnsFault {
  std::string server;  // resolved: given, or the server answering for `domain`
  std::string domain;  // "" when a server was named
  DnsFailure failure = DnsFailure::Servfail;
};

enum class MailFault {
  Greylisting,  // 451 4.7.1 to the first attempt of each (client, sender, recipient)
  Refuse,       // 421 at the greeting: the service is temporarily unavailable
  OverQuota,    // one mailbox is full: 452 4.2.2 (or 552 5.2.2 when permanent)
};
std::string_view to_string(MailFault fault);

struct SetFault {
  std::string server;  // a mail server
  MailFault fault = MailFault::Greylisting;
  bool on = true;                          // false: the fault is cleared
  TimeNs greylist_delay_ns = 5 * kMinute;  // greylisting: retries before this are refused too
  std::string user;                        // over-quota: whose mailbox
  bool permanent = false;                  // over-quota: 552 instead of 452
};

struct Narrate {};  // only the action's narration

using ActionBody = std::variant<SendMail, FetchMail, Wait, Ping, Lookup, SetLink, SetHost,
                                ServerControl, DnsFault, SetFault, Narrate>;

enum class Timing {
  At,     // at an absolute virtual time
  After,  // when the previous action has finished, plus a delay
};

struct Action {
  Timing timing = Timing::After;
  TimeNs time_ns = 0;     // At: the time; After: the delay
  std::string narration;  // shown when the action starts; may be empty
  ActionBody body;
};

// ---- narration rules --------------------------------------------------------------------------

// Kinds of trace events a narration text can be attached to.
enum class Trigger {
  DnsQuery,     // an L7 DNS request (filter: type, host)
  DnsResponse,  // an L7 DNS response (filter: type, host, contains: rcode name)
  SmtpCommand,  // an SMTP command (filter: contains, e.g. "STARTTLS")
  SmtpReply,    // an SMTP reply (filter: code)
  ImapCommand,
  Pop3Command,
  TlsEstablished,
  TlsFailed,
  TcpConnect,  // a TCP handshake completes (filter: host = either end, port)
  TcpRetransmission,
  ConnectionRefused,
  MailQueued,
  MailDeferred,
  MailDelivered,
  MailBounced,
  PacketDropped,
};
std::string_view to_string(Trigger trigger);  // "dns-query", ...

enum class Occurrence { First, Every };

struct NarrationRule {
  Trigger on = Trigger::DnsQuery;
  Occurrence occurrence = Occurrence::First;
  std::string host;  // "" for any node
  std::optional<std::uint16_t> code;
  std::string dns_type;  // "" for any
  std::string contains;  // "" for any: a substring of the event's text or bytes
  std::optional<std::uint16_t> port;
  std::string text;
};

// ---- expectations -----------------------------------------------------------------------------

// A message is in a mailbox folder at the end of the run (count: at least this many).
struct ExpectDelivered {
  std::string mailbox;  // a user's address
  std::string folder = "INBOX";
  std::string subject;  // "" for any; else the Subject must contain it
  std::uint32_t count = 1;
};
// No message (with this subject) reached the mailbox.
struct ExpectNotDelivered {
  std::string mailbox;
  std::string subject;
};
// A non-delivery report reached this user's mailbox.
struct ExpectBounced {
  std::string user;
  std::string subject;  // "" for any; the bounced message's subject
  std::optional<std::uint16_t> code;
};
// An SMTP/POP3/IMAP reply code was seen (or not).
struct ExpectReply {
  std::uint16_t code = 250;
  std::string host;     // "" for any server
  std::string command;  // "" for any; the command verb it answered ("RCPT")
  bool seen = true;
};
struct ExpectDnsQueries {
  std::optional<std::uint32_t> min;  // at least one of min and max is set
  std::optional<std::uint32_t> max;
  std::string type;    // "" for any
  std::string server;  // "" for any: queries received by this host
};
// TLS was (or was not) used on a hop from `from` to `to`.
struct ExpectTls {
  std::string from;  // "" for any client
  std::string to;    // the server
  bool used = true;
};
// These bytes crossed some link in clear text (or never did).
struct ExpectCleartext {
  std::string contains;
  bool seen = true;
};
struct ExpectRetransmissions {
  std::uint32_t min = 1;
};
struct ExpectDeferred {
  std::string recipient;  // "" for any
  std::uint32_t min = 1;
};
// Exactly `count` messages are in the folder at the end (POP3 delete mode empties it).
struct ExpectMailboxCount {
  std::string mailbox;
  std::string folder = "INBOX";
  std::uint32_t count = 0;
};

using ExpectationBody = std::variant<ExpectDelivered, ExpectNotDelivered, ExpectBounced,
                                     ExpectReply, ExpectDnsQueries, ExpectTls, ExpectCleartext,
                                     ExpectRetransmissions, ExpectDeferred, ExpectMailboxCount>;

struct Expectation {
  std::string description;  // what `run` prints next to PASS/FAIL; resolved if not given
  ExpectationBody body;
};

// ---- derived plans ----------------------------------------------------------------------------

enum class HostRole {
  MailServer,
  DnsSingle,    // single mode: authoritative for every domain and recursive for clients
  DnsRoot,      // hierarchy: the root zone
  DnsTld,       // hierarchy: one top-level domain
  DnsDomain,    // hierarchy: one domain's authoritative server
  DnsResolver,  // hierarchy: recursive resolver of one LAN
  Client,       // a user's machine (several users may share one)
};
std::string_view to_string(HostRole role);

// Every host of the world except routers, in a stable order (DNS, mail servers, clients).
struct HostPlan {
  std::string name;
  HostRole role = HostRole::Client;
  std::string lan;
  wire::Ipv4Addr address;
  wire::Ipv4Addr gateway;   // the LAN's router address; 0.0.0.0 when the LAN has no router
  wire::Ipv4Addr resolver;  // the DNS server this host asks
  std::string zone;         // DnsTld: "com"; DnsDomain: "gmail.com"; else ""
};

// A static route on a router (directly connected networks are not listed).
struct RoutePlan {
  std::string router;
  wire::Ipv4Cidr destination;
  wire::Ipv4Addr gateway;  // the next router's address on a WAN link
  std::string via_wan;     // the WAN link to the gateway
};

// The records one DNS server is authoritative for, in one zone.
struct ZonePlan {
  std::string server;  // a HostPlan name
  std::string origin;  // "" for the root, else "com", "gmail.com"
  std::vector<wire::DnsRecord> records;
};

// ---- the scenario -----------------------------------------------------------------------------

struct Scenario {
  Metadata meta;
  std::vector<Lan> lans;
  std::vector<Router> routers;
  std::vector<Wan> wans;
  DnsSettings dns;
  std::vector<Domain> domains;
  std::vector<User> users;
  std::vector<Action> timeline;
  std::vector<NarrationRule> narration;
  std::vector<Expectation> expectations;

  // Derived by the loader from everything above.
  std::vector<HostPlan> hosts;
  std::vector<RoutePlan> routes;
  std::vector<ZonePlan> zones;

  const Domain* find_domain(std::string_view name) const;
  const User* find_user(std::string_view address) const;
  const MailServer* find_server(std::string_view host) const;
  const HostPlan* find_host(std::string_view name) const;
  const Lan* find_lan(std::string_view name) const;
};

}  // namespace mailscope::scenario
