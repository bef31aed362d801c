#pragma once
// A small world for the mail server tests, on the LAN-WAN-LAN topology:
//
//   pc.a.test 10.0.1.10 --+                          +-- mx1.b.test 10.0.2.25 (MX 10 for b.test)
//                          lan-a -- r1 == WAN == r2 -- lan-b
//   mail.a.test 10.0.1.25 -+                          +-- mx2.b.test 10.0.2.26 (MX 20, backup)
//                                                     +-- pc.b.test 10.0.2.10
//
// mail.a.test serves a.test (alice, carol); mx1.b.test serves b.test (bob); mx2.b.test is a
// backup MX that accepts mail for b.test and passes it on to mx1. Routes come from a static table.

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/simulator.h"
#include "mail/builder.h"
#include "mail/message.h"
#include "net/lan_wan_lan.h"
#include "net/network.h"
#include "services/mail_server.h"
#include "services/service_context.h"
#include "services/submission_client.h"

namespace mailscope::services::testing {

// 2026-01-01T09:00:00Z is virtual time zero.
constexpr std::int64_t kEpoch = 1'767'258'000;
inline const std::string kAlicePassword = "alice-secret";

inline wire::Ipv4Addr ip(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  return wire::Ipv4Addr::from_octets(a, b, c, d);
}

struct WorldOptions {
  mail::RetryOptions retry;  // for every server's queue
  bool backup_mx = false;    // mx2.b.test runs and is listed as MX 20
  std::function<void(MailServerOptions&)> adjust_a;
  std::function<void(MailServerOptions&)> adjust_b;
};

struct MailWorld {
  explicit MailWorld(std::uint64_t seed = 1, WorldOptions options = {})
      : sim(seed),
        network(sim),
        topology(build()),
        storage_a(storage_options(options)),
        storage_b1(storage_options(options)),
        storage_b2(storage_options(options)) {
    auto created = ScenarioTls::create(sim, "Mail tests", mail::MailClock{kEpoch, 0});
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().to_string());
    tls = std::move(created).value();
    context = std::make_unique<ServiceContext>(
        ServiceContext{sim, tls->crypto, tls->ca, &tls->key_log, mail::MailClock{kEpoch, 0}});

    router.add("a.test", MailExchange{10, "mail.a.test", {mail_a->address()}});
    router.add("b.test", MailExchange{10, "mx1.b.test", {mx1_b->address()}});
    if (options.backup_mx) router.add("b.test", MailExchange{20, "mx2.b.test", {mx2_b->address()}});

    EXPECT_TRUE(storage_a.add_user("alice", kAlicePassword).ok());
    EXPECT_TRUE(storage_a.add_user("carol", "carol-secret").ok());
    EXPECT_TRUE(storage_b1.add_user("bob", "bob-secret").ok());

    MailServerOptions a;
    a.hostname = "mail.a.test";
    a.domains = {"a.test"};
    if (options.adjust_a) options.adjust_a(a);
    server_a = start(*mail_a, storage_a, std::move(a));
    MailServerOptions b1;
    b1.hostname = "mx1.b.test";
    b1.domains = {"b.test"};
    if (options.adjust_b) options.adjust_b(b1);
    server_b1 = start(*mx1_b, storage_b1, std::move(b1));
    if (options.backup_mx) {
      MailServerOptions b2;
      b2.hostname = "mx2.b.test";
      b2.relay_domains = {"b.test"};
      server_b2 = start(*mx2_b, storage_b2, std::move(b2));
    }
  }

  static MailServerStorageOptions storage_options(const WorldOptions& options) {
    MailServerStorageOptions storage;
    storage.queue.retry = options.retry;
    return storage;
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
    alice_pc = attach("pc.a.test", "host", *t.lan_a, ip(10, 0, 1, 10), gw_a);
    mail_a = attach("mail.a.test", "mail-server", *t.lan_a, ip(10, 0, 1, 25), gw_a);
    mx1_b = attach("mx1.b.test", "mail-server", *t.lan_b, ip(10, 0, 2, 25), gw_b);
    mx2_b = attach("mx2.b.test", "mail-server", *t.lan_b, ip(10, 0, 2, 26), gw_b);
    bob_pc = attach("pc.b.test", "host", *t.lan_b, ip(10, 0, 2, 10), gw_b);
    return t;
  }

  std::unique_ptr<MailServer> start(net::Host& host, MailServerStorage& storage,
                                    MailServerOptions options) {
    auto server = MailServer::create(*context, host, storage, router, std::move(options));
    EXPECT_TRUE(server.ok()) << (server.ok() ? "" : server.error().to_string());
    return server.ok() ? std::move(server).value() : nullptr;
  }

  // A message from alice with a fixed body; Date and Message-ID are left to the MSA.
  static std::string message(const std::vector<std::string>& to, const std::string& subject) {
    mail::NewMessage m;
    m.from = "Alice <alice@a.test>";
    m.to = to;
    m.subject = subject;
    m.text = "Hello,\nthis is a test.\n.\nA line with a lone dot above.\n";
    return mail::build_text_message(m);
  }

  SubmissionOptions alice_submission(SubmissionSecurity security = SubmissionSecurity::StartTls) {
    SubmissionOptions o;
    o.server_name = "mail.a.test";
    o.server_address = mail_a->address();
    o.security = security;
    o.credentials = smtp::Credentials{"alice", kAlicePassword};
    return o;
  }

  // Alice submits one message; the result is filled in when the session ends.
  std::shared_ptr<SubmissionResult> submit(const std::vector<std::string>& to,
                                           const std::string& subject, SubmissionOptions options) {
    auto result = std::make_shared<SubmissionResult>();
    smtp::OutgoingMessage m;
    m.reverse_path = "alice@a.test";
    m.recipients = to;
    m.content = message(to, subject);
    handles.push_back(
        SubmissionClient::submit(*context, *alice_pc, options, std::move(m),
                                 [result](const SubmissionResult& r) { *result = r; }));
    return result;
  }
  std::shared_ptr<SubmissionResult> submit(const std::vector<std::string>& to,
                                           const std::string& subject) {
    return submit(to, subject, alice_submission());
  }

  std::vector<mail::MessageInfo> inbox(MailServerStorage& storage, const std::string& user) {
    auto messages = storage.store().messages(user, "INBOX");
    EXPECT_TRUE(messages.ok());
    return messages.ok() ? std::move(messages).value() : std::vector<mail::MessageInfo>{};
  }

  Simulator sim;
  net::Network network;
  net::Host* alice_pc = nullptr;
  net::Host* mail_a = nullptr;
  net::Host* mx1_b = nullptr;
  net::Host* mx2_b = nullptr;
  net::Host* bob_pc = nullptr;
  net::LanWanLan topology;
  std::unique_ptr<ScenarioTls> tls;
  std::unique_ptr<ServiceContext> context;
  StaticMailRouter router;
  MailServerStorage storage_a;
  MailServerStorage storage_b1;
  MailServerStorage storage_b2;
  std::unique_ptr<MailServer> server_a;
  std::unique_ptr<MailServer> server_b1;
  std::unique_ptr<MailServer> server_b2;
  std::vector<std::shared_ptr<SmtpClientConnection>> handles;
};

// ---- trace queries ----

inline std::string event_text(const Trace& trace, const TraceEvent& e) {
  if (!trace.data_ref(e).empty()) {
    const auto bytes = trace.message(e);
    return std::string(bytes.begin(), bytes.end());
  }
  return std::string(trace.text(e));
}

// The SMTP dialogue between two nodes as "C: line" / "S: line", one entry per line; message
// content is summarised as "C: <content>".
inline std::vector<std::string> dialogue(const Trace& trace, const net::Host& client,
                                         const net::Host& server) {
  std::vector<std::string> out;
  for (const TraceEvent& e : trace.events()) {
    if (e.layer != Layer::Application || e.flow == kNoFlow) continue;
    if (e.kind != EventKind::Request && e.kind != EventKind::Response) continue;
    const FlowInfo& flow = trace.flow(e.flow);
    if (flow.application != "smtp" || flow.client != client.id() || flow.server != server.id()) {
      continue;
    }
    const std::string text = event_text(trace, e);
    const char* who = e.kind == EventKind::Request ? "C: " : "S: ";
    if (e.kind == EventKind::Request && text.size() > 5 &&
        text.compare(text.size() - 5, 5, "\r\n.\r\n") == 0) {
      out.push_back(std::string(who) + "<content>");
      continue;
    }
    std::size_t start = 0;
    while (start < text.size()) {
      const std::size_t end = text.find("\r\n", start);
      out.push_back(who + text.substr(start, end - start));
      if (end == std::string::npos) break;
      start = end + 2;
    }
  }
  return out;
}

// Texts of events of one kind on one node, in order.
inline std::vector<std::string> events_of(const Trace& trace, EventKind kind,
                                          const net::Host* node = nullptr) {
  std::vector<std::string> out;
  for (const TraceEvent& e : trace.events()) {
    if (e.kind != kind || e.layer != Layer::Application) continue;
    if (node != nullptr && e.node != node->id()) continue;
    out.push_back(event_text(trace, e));
  }
  return out;
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace mailscope::services::testing
