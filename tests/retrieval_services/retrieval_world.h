#pragma once
// A small world for the retrieval tests, on the LAN-WAN-LAN topology:
//
//   pc.outlook.com 10.0.1.10 ---+                          +--- mail.gmail.com 10.0.2.25
//                                lan-a -- r1 == WAN == r2 -- lan-b
//   mail.outlook.com 10.0.1.25 -+                          +--- pc-bob 10.0.2.10,
//   pc-carol 10.0.2.11
//
// mail.outlook.com serves outlook.com (alice); mail.gmail.com serves gmail.com (bob, carol) with a
// MailServer, an ImapServer and a Pop3Server on one MailServerStorage. Routes come from a static
// table. RawClient speaks bytes to a server, for the tests that pin exact replies.

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/simulator.h"
#include "mail/builder.h"
#include "net/lan_wan_lan.h"
#include "net/network.h"
#include "services/app_connection.h"
#include "services/imap_server.h"
#include "services/mail_server.h"
#include "services/mail_user_agent.h"
#include "services/pop3_server.h"
#include "services/service_context.h"

namespace mailscope::services::testing {

// 2026-01-01T09:00:00Z is virtual time zero.
constexpr std::int64_t kEpoch = 1'767'258'000;

inline wire::Ipv4Addr ip(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  return wire::Ipv4Addr::from_octets(a, b, c, d);
}

struct RetrievalOptions {
  std::function<void(ImapServerOptions&)> adjust_imap;
  std::function<void(Pop3ServerOptions&)> adjust_pop3;
};

struct RetrievalWorld {
  explicit RetrievalWorld(RetrievalOptions options = {}, std::uint64_t seed = 1)
      : sim(seed), network(sim), topology(build()) {
    auto created = ScenarioTls::create(sim, "Retrieval tests", mail::MailClock{kEpoch, 0});
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().to_string());
    tls = std::move(created).value();
    context = std::make_unique<ServiceContext>(
        ServiceContext{sim, tls->crypto, tls->ca, &tls->key_log, mail::MailClock{kEpoch, 0}});
    router.add("outlook.com", MailExchange{10, "mail.outlook.com", {outlook->address()}});
    router.add("gmail.com", MailExchange{10, "mail.gmail.com", {gmail->address()}});

    EXPECT_TRUE(storage_outlook.add_user("alice", "alice-pw").ok());
    EXPECT_TRUE(storage_gmail.add_user("bob", "bob-pw").ok());
    EXPECT_TRUE(storage_gmail.add_user("carol", "carol-pw").ok());

    MailServerOptions o;
    o.hostname = "mail.outlook.com";
    o.domains = {"outlook.com"};
    mail_outlook = start_mail(*outlook, storage_outlook, std::move(o));
    MailServerOptions g;
    g.hostname = "mail.gmail.com";
    g.domains = {"gmail.com"};
    mail_gmail = start_mail(*gmail, storage_gmail, std::move(g));

    ImapServerOptions i;
    i.hostname = "mail.gmail.com";
    i.domains = {"gmail.com"};
    if (options.adjust_imap) options.adjust_imap(i);
    auto imap_server = ImapServer::create(*context, *gmail, storage_gmail, std::move(i));
    EXPECT_TRUE(imap_server.ok()) << (imap_server.ok() ? "" : imap_server.error().to_string());
    if (imap_server.ok()) imap = std::move(imap_server).value();
    Pop3ServerOptions p;
    p.hostname = "mail.gmail.com";
    p.domains = {"gmail.com"};
    if (options.adjust_pop3) options.adjust_pop3(p);
    auto pop3_server = Pop3Server::create(*context, *gmail, storage_gmail, std::move(p));
    EXPECT_TRUE(pop3_server.ok()) << (pop3_server.ok() ? "" : pop3_server.error().to_string());
    if (pop3_server.ok()) pop3 = std::move(pop3_server).value();
  }

  net::LanWanLan build() {
    net::LanWanLanOptions options;
    options.clients = 0;
    options.servers = 0;
    net::LanWanLan t = net::build_lan_wan_lan(network, options);
    const auto attach = [&](const char* name, const char* kind, net::Switch& lan,
                            wire::Ipv4Addr address, wire::Ipv4Addr gateway) {
      net::Host& host = network.add_host(name, kind);
      network.attach(host, lan, wire::Ipv4Cidr{address, 24});
      host.set_default_gateway(gateway);
      return &host;
    };
    const wire::Ipv4Addr gw_a = ip(10, 0, 1, 1), gw_b = ip(10, 0, 2, 1);
    alice_pc = attach("pc.outlook.com", "host", *t.lan_a, ip(10, 0, 1, 10), gw_a);
    outlook = attach("mail.outlook.com", "mail-server", *t.lan_a, ip(10, 0, 1, 25), gw_a);
    gmail = attach("mail.gmail.com", "mail-server", *t.lan_b, ip(10, 0, 2, 25), gw_b);
    bob_pc = attach("pc-bob", "host", *t.lan_b, ip(10, 0, 2, 10), gw_b);
    carol_pc = attach("pc-carol", "host", *t.lan_b, ip(10, 0, 2, 11), gw_b);
    return t;
  }

  std::unique_ptr<MailServer> start_mail(net::Host& host, MailServerStorage& storage,
                                         MailServerOptions options) {
    auto server = MailServer::create(*context, host, storage, router, std::move(options));
    EXPECT_TRUE(server.ok()) << (server.ok() ? "" : server.error().to_string());
    return server.ok() ? std::move(server).value() : nullptr;
  }

  // Alice's mail program: submits to mail.outlook.com on 587 with STARTTLS and AUTH.
  MuaOptions alice_options() {
    MuaOptions o;
    o.account = {"alice@outlook.com", "alice-pw", "Alice"};
    o.send.server_name = "mail.outlook.com";
    o.send.server_address = outlook->address();
    o.fetch.server_name = "mail.outlook.com";
    o.fetch.server_address = outlook->address();
    return o;
  }
  // A gmail.com user's mail program, fetching with the given protocol and security.
  MuaOptions gmail_options(const std::string& user, FetchProtocol protocol,
                           ConnectionSecurity security, std::uint16_t port,
                           FetchMode mode = FetchMode::Keep) {
    MuaOptions o;
    o.account = {user + "@gmail.com", user + "-pw", user};
    o.send.server_name = "mail.gmail.com";
    o.send.server_address = gmail->address();
    o.fetch.protocol = protocol;
    o.fetch.security = security;
    o.fetch.mode = mode;
    o.fetch.server_name = "mail.gmail.com";
    o.fetch.server_address = gmail->address();
    o.fetch.port = port;
    return o;
  }

  // A message with every field a mail program writes (Date and Message-ID included), so that
  // the servers add only trace fields.
  static std::string message(const std::string& to, const std::string& subject,
                             const std::string& text) {
    mail::NewMessage m;
    m.from = "Alice <alice@outlook.com>";
    m.to = {to};
    m.subject = subject;
    m.date = "Thu, 01 Jan 2026 09:00:00 +0000";
    m.message_id = "<" + subject + "@pc.outlook.com>";
    m.text = text;
    return mail::build_text_message(m);
  }

  // Stores a message in a gmail.com user's INBOX directly (as a delivery would).
  void deliver(const std::string& user, const std::string& bytes) {
    EXPECT_TRUE(storage_gmail.store().deliver(user, bytes, sim.now()).ok());
  }

  std::vector<mail::MessageInfo> inbox(const std::string& user) {
    auto messages = storage_gmail.store().messages(user, "INBOX");
    EXPECT_TRUE(messages.ok());
    return messages.ok() ? std::move(messages).value() : std::vector<mail::MessageInfo>{};
  }

  Simulator sim;
  net::Network network;
  net::Host* alice_pc = nullptr;
  net::Host* outlook = nullptr;
  net::Host* gmail = nullptr;
  net::Host* bob_pc = nullptr;
  net::Host* carol_pc = nullptr;
  net::LanWanLan topology;
  std::unique_ptr<ScenarioTls> tls;
  std::unique_ptr<ServiceContext> context;
  StaticMailRouter router;
  MailServerStorage storage_outlook;
  MailServerStorage storage_gmail;
  std::unique_ptr<MailServer> mail_outlook;
  std::unique_ptr<MailServer> mail_gmail;
  std::unique_ptr<ImapServer> imap;
  std::unique_ptr<Pop3Server> pop3;
};

// A client that speaks raw lines to a server and keeps everything it reads, for tests that pin
// the exact replies. TLS (implicit or after STARTTLS/STLS) verifies the server's certificate.
class RawClient {
 public:
  RawClient(RetrievalWorld& world, net::Host& host, std::uint16_t port, bool implicit_tls = false)
      : m_world(world) {
    AppConnection::Callbacks callbacks;
    callbacks.connected = [this, implicit_tls] {
      m_connected = true;
      if (implicit_tls) start_tls();
    };
    callbacks.data = [this](std::string_view data, EventId) { m_received.append(data); };
    callbacks.tls_established = [this](const tls::TlsInfo&) { m_tls = true; };
    callbacks.peer_closed = [this] { m_peer_closed = true; };
    callbacks.closed = [this] { m_closed = true; };
    callbacks.failed = [this](const std::string& reason) { m_failure = reason; };
    const std::string application = port == 110 || port == 995 ? "pop3" : "imap";
    m_connection = AppConnection::connect(
        host, world.gmail->address(), port,
        AppConnectionOptions{application, &world.tls->crypto, &world.tls->key_log},
        std::move(callbacks));
  }

  void start_tls() {
    tls::TlsClientConfig config;
    config.trusted_cas = {m_world.tls->ca.certificate()};
    config.server_name = "mail.gmail.com";
    config.verify_time_s = m_world.context->unix_seconds();
    m_connection->start_tls_client(config);
  }
  void send(const std::string& line) {
    const std::string bytes = line + "\r\n";
    m_connection->send(bytes, {L7Unit{bytes.size(), EventKind::Request, 0}}, kNoEvent);
  }
  // Runs the simulation until what was received (since the last take) contains `needle`.
  bool wait_for(const std::string& needle, std::uint64_t events_max = 200'000) {
    for (std::uint64_t i = 0; i < events_max; ++i) {
      if (m_received.find(needle) != std::string::npos) return true;
      if (!m_world.sim.step()) break;
    }
    return m_received.find(needle) != std::string::npos;
  }
  // Sends a line and returns everything received up to and including the line that starts
  // with `until` (a tag, "+OK", "-ERR", "+ ").
  std::string exchange(const std::string& line, const std::string& until) {
    send(line);
    return take_until(until);
  }
  std::string take_until(const std::string& line_start) {
    for (std::uint64_t i = 0; i < 200'000; ++i) {
      const std::size_t end = complete_line_starting(line_start);
      if (end != std::string::npos) {
        std::string out = m_received.substr(0, end);
        m_received.erase(0, end);
        return out;
      }
      if (!m_world.sim.step()) break;
    }
    return "<timeout> " + m_received;
  }
  std::string take_all() { return std::exchange(m_received, {}); }
  void abort() { m_connection->abort(); }
  void close() { m_connection->close(); }

  bool connected() const { return m_connected; }
  bool tls_up() const { return m_tls; }
  bool closed() const { return m_closed; }
  bool peer_closed() const { return m_peer_closed; }
  const std::string& failure() const { return m_failure; }

 private:
  // The end (after CRLF) of the first complete line of m_received starting with `start`.
  std::size_t complete_line_starting(const std::string& start) const {
    std::size_t at = 0;
    while (at < m_received.size()) {
      const std::size_t end = m_received.find("\r\n", at);
      if (end == std::string::npos) return std::string::npos;
      if (m_received.compare(at, start.size(), start) == 0) return end + 2;
      at = end + 2;
    }
    return std::string::npos;
  }

  RetrievalWorld& m_world;
  std::shared_ptr<AppConnection> m_connection;
  std::string m_received;  // not yet taken
  bool m_connected = false;
  bool m_tls = false;
  bool m_closed = false;
  bool m_peer_closed = false;
  std::string m_failure;
};

// Runs the simulation until `done` or nothing is left to do; true when done.
inline bool run_until(Simulator& sim, const std::function<bool()>& done,
                      std::uint64_t events_max = 5'000'000) {
  for (std::uint64_t i = 0; i < events_max && !done(); ++i) {
    if (!sim.step()) break;
  }
  return done();
}

inline std::string event_text(const Trace& trace, const TraceEvent& e) {
  if (!trace.data_ref(e).empty()) {
    const auto bytes = trace.message(e);
    return std::string(bytes.begin(), bytes.end());
  }
  return std::string(trace.text(e));
}

// Texts of L7 events of one kind on one node, in order.
inline std::vector<std::string> events_of(const Trace& trace, EventKind kind,
                                          const net::Host* node) {
  std::vector<std::string> out;
  for (const TraceEvent& e : trace.events()) {
    if (e.kind != kind || e.layer != Layer::Application) continue;
    if (node != nullptr && e.node != node->id()) continue;
    out.push_back(event_text(trace, e));
  }
  return out;
}

// The dialogue of one application between a client and a server as "C: ..." / "S: ..."
// entries, one per L7 event (requests from the client, responses from the server).
inline std::vector<std::string> dialogue(const Trace& trace, const std::string& application,
                                         const net::Host& client, const net::Host& server) {
  std::vector<std::string> out;
  for (const TraceEvent& e : trace.events()) {
    if (e.layer != Layer::Application || e.flow == kNoFlow) continue;
    if (e.kind != EventKind::Request && e.kind != EventKind::Response) continue;
    const FlowInfo& flow = trace.flow(e.flow);
    if (flow.application != application || flow.client != client.id() ||
        flow.server != server.id()) {
      continue;
    }
    std::string text = event_text(trace, e);
    if (text.size() >= 2 && text.compare(text.size() - 2, 2, "\r\n") == 0)
      text.resize(text.size() - 2);
    out.push_back((e.kind == EventKind::Request ? "C: " : "S: ") + text);
  }
  return out;
}

}  // namespace mailscope::services::testing
