#include "gui/core/demo_source.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/simulator.h"
#include "net/network.h"
#include "net/tcp_stack.h"
#include "net/udp_socket.h"
#include "wire/dns_message.h"
#include "wire/dns_text.h"

namespace mailscope::gui {

namespace {

constexpr std::uint16_t kUdp = 17;

wire::Ipv4Cidr cidr(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d,
                    std::uint8_t prefix) {
  return wire::Ipv4Cidr{wire::Ipv4Addr::from_octets(a, b, c, d), prefix};
}

// Something said by a node at a moment: an action, a narration line, a mail-queue event.
void say(net::Host& host, EventKind kind, const std::string& text, EventId parent = kNoEvent,
         FlowId flow = kNoFlow) {
  Trace& trace = host.sim().trace();
  host.record(Layer::Application, kind, {}, parent, flow, 0, trace.store(text));
}

// One scripted TCP dialogue: the server greets, then answers each client line in turn; after
// the last answer both sides close.
struct Dialogue {
  std::string application;  // "smtp", "pop3"
  std::uint16_t port = 0;
  std::vector<std::string> server_lines;  // [0] is the greeting, [i] answers client_lines[i-1]
  std::vector<std::string> client_lines;
  std::size_t secret_line = SIZE_MAX;  // a client line that carries a password
  // Recorded on the server just after it sends server_lines[after_reply].
  struct ServerEvent {
    std::size_t after_reply;
    EventKind kind;
    std::string text;
  };
  std::vector<ServerEvent> server_events;
};

class DialogueRun : public std::enable_shared_from_this<DialogueRun> {
 public:
  DialogueRun(net::Host& client, net::Host& server, Dialogue script, std::function<void()> done)
      : m_client(client), m_server(server), m_script(std::move(script)), m_done(std::move(done)) {}

  // Callbacks hold a weak reference: the streams and the listener belong to this object, so a
  // strong one would keep it alive forever (a reference cycle).
  void start() {
    const std::weak_ptr<DialogueRun> weak = weak_from_this();
    m_listener = m_server.tcp().listen(m_script.port, [weak](std::shared_ptr<net::TcpStream> s) {
      auto self = weak.lock();
      if (!self) return;
      self->m_server_stream = s;
      s->set_callbacks({.data =
                            [weak](wire::ByteView, EventId cause) {
                              if (auto self = weak.lock()) self->server_reply(cause);
                            },
                        .peer_closed =
                            [weak] {
                              if (auto self = weak.lock()) self->m_server_stream->close();
                            }});
      self->server_send(0, kNoEvent);
    });
    m_client_stream = m_client.tcp().connect(m_server.address(), m_script.port,
                                             {.data =
                                                  [weak](wire::ByteView, EventId cause) {
                                                    if (auto self = weak.lock())
                                                      self->client_next(cause);
                                                  },
                                              .peer_closed =
                                                  [weak] {
                                                    if (auto self = weak.lock())
                                                      self->m_client_stream->close();
                                                  },
                                              .closed =
                                                  [weak] {
                                                    if (auto self = weak.lock()) self->finish();
                                                  }});
    FlowInfo& flow = m_client.sim().trace().flow(m_client_stream->flow());
    flow.application = m_script.application;
    flow.server = m_server.id();
  }

 private:
  void server_send(std::size_t index, EventId cause) {
    if (index >= m_script.server_lines.size()) return;
    Trace& trace = m_server.sim().trace();
    const std::string& line = m_script.server_lines[index];
    const EventId ev = m_server.record(Layer::Application, EventKind::Response, trace.store(line),
                                       cause, m_server_stream->flow());
    m_server_stream->send(wire::as_bytes(line), ev);
    for (const auto& extra : m_script.server_events) {
      if (extra.after_reply == index)
        say(m_server, extra.kind, extra.text, ev, m_server_stream->flow());
    }
    if (index + 1 == m_script.server_lines.size()) m_server_stream->close();
  }

  void server_reply(EventId cause) { server_send(++m_replies, cause); }

  void client_next(EventId cause) {
    if (m_sent >= m_script.client_lines.size()) return;
    Trace& trace = m_client.sim().trace();
    const std::string& line = m_script.client_lines[m_sent];
    const std::uint16_t detail = m_sent == m_script.secret_line ? 1 : 0;
    const EventId ev = m_client.record(Layer::Application, EventKind::Request, trace.store(line),
                                       cause, m_client_stream->flow(), detail);
    m_client_stream->send(wire::as_bytes(line), ev);
    ++m_sent;
  }

  void finish() {
    if (m_finished) return;
    m_finished = true;
    if (m_done) m_done();
  }

  net::Host& m_client;
  net::Host& m_server;
  Dialogue m_script;
  std::function<void()> m_done;
  std::unique_ptr<net::TcpListener> m_listener;
  std::shared_ptr<net::TcpStream> m_client_stream;
  std::shared_ptr<net::TcpStream> m_server_stream;
  std::size_t m_replies = 0;  // client lines answered so far
  std::size_t m_sent = 0;     // client lines sent so far
  bool m_finished = false;
};

// A DNS server that knows a handful of records, and a client that asks it one question.
class DnsExchange {
 public:
  DnsExchange(net::Network& network, net::Host& server, std::vector<std::string> zone)
      : m_network(network), m_server(server), m_zone(std::move(zone)) {
    m_socket = server.udp_bind(53);
    m_socket->on_receive([this](const net::UdpDatagram& d) { answer(d); });
  }

  void ask(net::Host& client, const std::string& name, wire::DnsType type, std::uint16_t id,
           std::function<void()> done) {
    auto socket = client.udp_bind(0);
    net::UdpSocket* raw = socket.get();
    m_clients.push_back(std::move(socket));
    raw->on_receive([done](const net::UdpDatagram&) {
      if (done) done();
    });
    const auto query = wire::DnsMessage::make_query(id, *wire::DnsName::parse(name), type).emit();
    Trace& trace = client.sim().trace();
    // The flow the datagram will be filed under, known before sending so the query can name it.
    const FlowId flow = m_network.flows().lookup(kUdp, client.address(), raw->port(),
                                                 m_server.address(), 53, client.id());
    trace.flow(flow).application = "dns";
    trace.flow(flow).server = m_server.id();
    const EventId ev = client.record(Layer::Application, EventKind::Request,
                                     trace.store(wire::ByteView(query)), kNoEvent, flow);
    raw->send_to(m_server.address(), 53, query, ev);
  }

 private:
  void answer(const net::UdpDatagram& d) {
    const auto query = wire::DnsMessage::parse(d.payload);
    if (!query || query->questions.empty()) return;
    wire::DnsMessage response = wire::DnsMessage::make_response(*query);
    response.flags.aa = true;
    response.flags.ra = true;
    const wire::DnsQuestion& q = query->questions.front();
    for (const std::string& line : m_zone) {
      auto record = wire::parse_record(line);
      if (!record) continue;
      if (record->name == q.name && record->type() == q.type)
        response.answers.push_back(*record);
      else if (q.type == wire::DnsType::MX && record->type() == wire::DnsType::A)
        response.additional.push_back(*record);
    }
    const auto bytes = response.emit();
    Trace& trace = m_server.sim().trace();
    const EventId ev = m_server.record(Layer::Application, EventKind::Response,
                                       trace.store(wire::ByteView(bytes)), d.l4_event, d.flow);
    m_socket->send_to(d.src, d.src_port, bytes, ev);
  }

  net::Network& m_network;
  net::Host& m_server;
  std::vector<std::string> m_zone;
  std::unique_ptr<net::UdpSocket> m_socket;
  std::vector<std::unique_ptr<net::UdpSocket>> m_clients;
};

// The recipient of the story's one email.
struct Recipient {
  std::string name;     // "Bob"
  std::string address;  // "bob@gmail.com"
  std::string user;     // "bob", the POP3 user name
  std::string server;   // the server that stores the mailbox
};

std::string body(const Recipient& to) {
  return "From: Alice <alice@outlook.com>\r\n"
         "To: " +
         to.name + " <" + to.address +
         ">\r\n"
         "Subject: Lunch on Friday?\r\n"
         "Date: Mon, 3 Jun 2024 09:00:00 +0000\r\n"
         "Message-ID: <1@outlook.com>\r\n"
         "\r\n"
         "Hi " +
         to.name +
         ", lunch on Friday at noon?\r\n"
         "Alice\r\n"
         ".\r\n";
}

Dialogue submission(const Recipient& to, DemoStory story) {
  Dialogue d;
  d.application = "smtp";
  d.port = 587;
  d.server_lines = {"220 smtp.outlook.com ESMTP ready\r\n",
                    "250-smtp.outlook.com greets alice-pc\r\n250-SIZE 35882577\r\n250 8BITMIME\r\n",
                    "250 2.1.0 Sender OK\r\n",
                    "250 2.1.5 Recipient OK\r\n",
                    "354 Start mail input; end with <CRLF>.<CRLF>\r\n",
                    "250 2.0.0 OK queued as 1A2B3C\r\n",
                    "221 2.0.0 smtp.outlook.com closing connection\r\n"};
  d.client_lines = {"EHLO alice-pc\r\n",
                    "MAIL FROM:<alice@outlook.com>\r\n",
                    "RCPT TO:<" + to.address + ">\r\n",
                    "DATA\r\n",
                    body(to),
                    "QUIT\r\n"};
  const std::string size = std::to_string(body(to).size() - 3);
  if (story == DemoStory::CrossDomain) {
    d.server_events = {
        {5, EventKind::MailQueued,
         "queued 1A2B3C from=<alice@outlook.com> to=<" + to.address + "> size=" + size}};
  } else {
    d.server_events = {{5, EventKind::MailDelivered,
                        "1A2B3C delivered to " + to.address + " INBOX uid=1 size=" + size}};
  }
  return d;
}

Dialogue relay(const Recipient& to) {
  Dialogue d;
  d.application = "smtp";
  d.port = 25;
  d.server_lines = {"220 mx.gmail.com ESMTP ready\r\n",
                    "250-mx.gmail.com at your service\r\n250-SIZE 157286400\r\n250 8BITMIME\r\n",
                    "250 2.1.0 OK\r\n",
                    "250 2.1.5 OK\r\n",
                    "354 Go ahead\r\n",
                    "250 2.0.0 OK 9F8E7D - delivered\r\n",
                    "221 2.0.0 closing connection\r\n"};
  d.client_lines = {"EHLO smtp.outlook.com\r\n",
                    "MAIL FROM:<alice@outlook.com>\r\n",
                    "RCPT TO:<" + to.address + ">\r\n",
                    "DATA\r\n",
                    body(to),
                    "QUIT\r\n"};
  d.server_events = {{5, EventKind::MailDelivered,
                      "9F8E7D delivered to " + to.address +
                          " INBOX uid=1 size=" + std::to_string(body(to).size() - 3)}};
  return d;
}

Dialogue retrieval(const Recipient& to) {
  Dialogue d;
  d.application = "pop3";
  d.port = 110;
  d.server_lines = {"+OK POP3 server ready\r\n",
                    "+OK\r\n",
                    "+OK mailbox locked, 1 message\r\n",
                    "+OK 1 " + std::to_string(body(to).size() - 3) + "\r\n",
                    "+OK " + std::to_string(body(to).size() - 3) + " octets\r\n" + body(to),
                    "+OK bye\r\n"};
  d.client_lines = {"USER " + to.user + "\r\n", "PASS hunter2\r\n", "STAT\r\n", "RETR 1\r\n",
                    "QUIT\r\n"};
  d.secret_line = 1;
  return d;
}

}  // namespace

std::string DemoRunSource::name() const {
  return m_story == DemoStory::SameDomain ? "Built-in demo (same domain)" : "Built-in demo";
}

Result<LoadedRun> DemoRunSource::load() {
  Simulator sim(m_seed);
  net::Network network(sim);
  net::Switch& lan_a = network.add_switch("lan-outlook");
  net::Switch& lan_b = network.add_switch("lan-gmail");
  net::Host& r1 = network.add_router("r-outlook");
  net::Host& r2 = network.add_router("r-gmail");
  const net::LinkConfig lan{1 * kMillisecond, 100'000'000, 1500, 1000, 0.0};
  const net::LinkConfig wan{10 * kMillisecond, 10'000'000, 1500, 1000, 0.0};
  network.attach(r1, lan_a, cidr(10, 0, 1, 1, 24), lan);
  network.attach(r2, lan_b, cidr(10, 0, 2, 1, 24), lan);
  network.connect(r1, cidr(192, 0, 2, 1, 30), r2, cidr(192, 0, 2, 2, 30), wan);
  r1.routes().add(net::Route{cidr(10, 0, 2, 0, 24), wire::Ipv4Addr::from_octets(192, 0, 2, 2), 1});
  r2.routes().add(net::Route{cidr(10, 0, 1, 0, 24), wire::Ipv4Addr::from_octets(192, 0, 2, 1), 1});
  auto host = [&](const char* name, const char* kind, net::Switch& sw, std::uint8_t net_octet,
                  std::uint8_t last) -> net::Host& {
    net::Host& h = network.add_host(name, kind);
    network.attach(h, sw, cidr(10, 0, net_octet, last, 24), lan);
    h.set_default_gateway(wire::Ipv4Addr::from_octets(10, 0, net_octet, 1));
    return h;
  };
  net::Host& alice = host("alice-pc", "host", lan_a, 1, 10);
  net::Host& dns = host("dns.outlook.com", "dns-server", lan_a, 1, 53);
  net::Host& smtp = host("smtp.outlook.com", "mail-server", lan_a, 1, 25);
  net::Host* carol = nullptr;
  if (m_story == DemoStory::SameDomain) carol = &host("carol-pc", "host", lan_a, 1, 11);
  net::Host& mx = host("mx.gmail.com", "mail-server", lan_b, 2, 25);
  net::Host& bob = host("bob-pc", "host", lan_b, 2, 10);
  const bool same = m_story == DemoStory::SameDomain;
  const Recipient to = same ? Recipient{"Carol", "carol@outlook.com", "carol", "smtp.outlook.com"}
                            : Recipient{"Bob", "bob@gmail.com", "bob", "mx.gmail.com"};
  net::Host& reader = same ? *carol : bob;
  net::Host& store = same ? smtp : mx;

  DnsExchange resolver(
      network, dns,
      {"smtp.outlook.com. 3600 IN A 10.0.1.25", "gmail.com. 3600 IN MX 10 mx.gmail.com.",
       "mx.gmail.com. 3600 IN A 10.0.2.25"});
  std::vector<std::shared_ptr<DialogueRun>> dialogues;
  auto run_dialogue = [&](net::Host& c, net::Host& s, Dialogue d, std::function<void()> done) {
    dialogues.push_back(std::make_shared<DialogueRun>(c, s, std::move(d), std::move(done)));
    dialogues.back()->start();
  };

  // The story, each phase started by the end of the one before it.
  std::function<void()> phase_retrieval = [&] {
    say(reader, EventKind::Action,
        to.user + " checks " + (same ? "her" : "his") + " mailbox with POP3");
    say(reader, EventKind::Narration,
        to.name + "'s mail program connects to " + (same ? "her" : "his") + " provider's server, " +
            to.server + ", on port 110 (POP3) to download new mail.");
    run_dialogue(reader, store, retrieval(to), nullptr);
  };
  std::function<void()> phase_relay = [&] {
    say(smtp, EventKind::Narration,
        "smtp.outlook.com now knows where gmail.com's mail goes: it opens an SMTP connection to "
        "mx.gmail.com on port 25 and relays the message.");
    run_dialogue(smtp, mx, relay(to), [&] { sim.schedule_after(2 * kSecond, phase_retrieval); });
  };
  std::function<void()> phase_mx = [&] {
    say(smtp, EventKind::Narration,
        "The message is for bob@gmail.com. smtp.outlook.com asks DNS for gmail.com's MX record: "
        "which server accepts mail for that domain?");
    resolver.ask(smtp, "gmail.com", wire::DnsType::MX, 0x2b1d,
                 [&] { sim.schedule_after(20 * kMillisecond, phase_relay); });
  };
  std::function<void()> local_delivery = [&] {
    say(smtp, EventKind::Narration,
        "The message is for carol@outlook.com, a mailbox on this very server: smtp.outlook.com "
        "stores it at once. No MX lookup and no relay are needed.");
    sim.schedule_after(2 * kSecond, phase_retrieval);
  };
  std::function<void()> phase_submission = [&] {
    say(alice, EventKind::Narration,
        "Alice's mail program hands the message to her provider's submission server, "
        "smtp.outlook.com, on port 587.");
    run_dialogue(alice, smtp, submission(to, m_story), [&] {
      if (same)
        sim.schedule_after(500 * kMillisecond, local_delivery);
      else
        sim.schedule_after(500 * kMillisecond, phase_mx);
    });
  };
  sim.schedule_at(0, [&] {
    say(alice, EventKind::Action, "alice sends \"Lunch on Friday?\" to " + to.address);
    say(alice, EventKind::Narration,
        "Before it can connect, Alice's computer needs the IP address of smtp.outlook.com: it "
        "asks the DNS server of its network.");
    resolver.ask(alice, "smtp.outlook.com", wire::DnsType::A, 0x1a2b,
                 [&] { sim.schedule_after(10 * kMillisecond, phase_submission); });
  });
  sim.run(5'000'000);

  LoadedRun run;
  run.topology = snapshot_topology(network, sim.trace());
  std::vector<NodeId> outlook{alice.id(), dns.id(), smtp.id(), lan_a.id(), r1.id()};
  if (carol) outlook.push_back(carol->id());
  run.topology.domains = {TopoDomain{"outlook.com", outlook},
                          TopoDomain{"gmail.com", {mx.id(), bob.id(), lan_b.id(), r2.id()}}};
  if (same) {
    run.metadata.id = std::string(kDemoSameDomain);
    run.metadata.title = "Built-in demo: alice@outlook.com writes to carol@outlook.com";
    run.metadata.description =
        "One email inside one provider: a DNS lookup, submission to smtp.outlook.com, local "
        "delivery to Carol's mailbox on the same server, and retrieval by Carol. Compare it with "
        "the cross-domain demo: no MX lookup, no relay, no router crossed. Every frame, packet "
        "and segment is real; the SMTP and POP3 lines are scripted.";
  } else {
    run.metadata.id = std::string(kDemoCrossDomain);
    run.metadata.title = "Built-in demo: alice@outlook.com writes to bob@gmail.com";
    run.metadata.description =
        "One email from Alice to Bob, in four phases: a DNS lookup, submission to Alice's "
        "provider, relay between the two providers (after an MX lookup) and retrieval by Bob. "
        "Every frame, packet and segment is real; the SMTP and POP3 lines are scripted.";
  }
  run.metadata.source = "built-in";
  run.metadata.seed = m_seed;
  run.trace = std::make_unique<Trace>(std::move(sim.trace()));
  return run;
}

}  // namespace mailscope::gui
