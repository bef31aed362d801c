#include "mail_world.h"

#include <vector>

#include "net/tcp_stack.h"
#include "net/udp_socket.h"
#include "wire/dns_message.h"

namespace mailscope::exporter::testing {
namespace {

using wire::Ipv4Addr;
using wire::Ipv4Cidr;

enum class Side { Client, Server };
enum class StepKind {
  Plain,      // an L7 line sent in clear text
  Encrypted,  // an L7 line carried in a TLS application-data record
  Handshake,  // a TLS handshake message (text names it, bytes are a handshake record)
  TlsState,   // "TLS established: ..." recorded by this side, nothing sent
};

struct Step {
  Side from;
  StepKind kind;
  std::string text;
  std::uint16_t detail = 0;
};

std::vector<Step> smtp_script(const std::string& subject) {
  const std::string body =
      "From: Alice <alice@outlook.com>\r\nTo: Bob <bob@gmail.com>\r\nSubject: " + subject +
      "\r\n\r\nHi Bob,\r\nsee you at 5.\r\n.\r\n";
  return {
      {Side::Server, StepKind::Plain, "220 smtp.outlook.com ESMTP MailScope\r\n"},
      {Side::Client, StepKind::Plain, "EHLO client.outlook.com\r\n"},
      {Side::Server, StepKind::Plain,
       "250-smtp.outlook.com\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 8BITMIME\r\n"},
      {Side::Client, StepKind::Plain, "STARTTLS\r\n"},
      {Side::Server, StepKind::Plain, "220 2.0.0 Ready to start TLS\r\n"},
      {Side::Client, StepKind::Handshake, "ClientHello"},
      {Side::Server, StepKind::Handshake, "ServerHello"},
      {Side::Server, StepKind::Handshake, "Certificate"},
      {Side::Server, StepKind::Handshake, "Finished"},
      {Side::Client, StepKind::Handshake, "Finished"},
      {Side::Client, StepKind::TlsState, "TLS established: TLSv1.3 TLS_AES_128_GCM_SHA256"},
      {Side::Client, StepKind::Encrypted, "EHLO client.outlook.com\r\n"},
      {Side::Server, StepKind::TlsState, "TLS established: TLSv1.3 TLS_AES_128_GCM_SHA256"},
      {Side::Server, StepKind::Encrypted,
       "250-smtp.outlook.com\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"},
      // "\0alice@outlook.com\0s3cret" in base64: the password travels as sent.
      {Side::Client, StepKind::Encrypted, "AUTH PLAIN AGFsaWNlQG91dGxvb2suY29tAHMzY3JldA==\r\n", 1},
      {Side::Server, StepKind::Encrypted, "235 2.7.0 Authentication successful\r\n"},
      {Side::Client, StepKind::Encrypted, "MAIL FROM:<alice@outlook.com>\r\n"},
      {Side::Server, StepKind::Encrypted, "250 2.1.0 OK\r\n"},
      {Side::Client, StepKind::Encrypted, "RCPT TO:<bob@gmail.com>\r\n"},
      {Side::Server, StepKind::Encrypted, "250 2.1.5 OK\r\n"},
      {Side::Client, StepKind::Encrypted, "DATA\r\n"},
      {Side::Server, StepKind::Encrypted, "354 End data with <CR><LF>.<CR><LF>\r\n"},
      {Side::Client, StepKind::Encrypted, body},
      {Side::Server, StepKind::Encrypted, "250 2.0.0 OK queued as 1A2B3C\r\n"},
      {Side::Client, StepKind::Encrypted, "QUIT\r\n"},
      {Side::Server, StepKind::Encrypted, "221 2.0.0 Bye\r\n"},
  };
}

// A TLS record of `type` around `payload`, "encrypted" by a fixed XOR and followed by a 16-byte
// tag, so that the wire bytes differ from the text (and stay deterministic).
wire::Bytes tls_record(std::uint8_t type, std::string_view payload) {
  wire::Bytes record = {type, 0x03, 0x03, 0, 0};
  for (const char c : payload)
    record.push_back(static_cast<std::uint8_t>(c) ^ 0xa5);
  for (int i = 0; i < 16; ++i)
    record.push_back(static_cast<std::uint8_t>(0x10 + i));
  wire::write_u16(record, 3, static_cast<std::uint16_t>(record.size() - 5));
  return record;
}

}  // namespace

struct MailWorld::Run {
  Simulator& sim;
  net::Host* client = nullptr;
  net::Host* smtp = nullptr;
  net::Host* ns = nullptr;
  std::unique_ptr<net::UdpSocket> dns_client;
  std::unique_ptr<net::UdpSocket> dns_server;
  std::unique_ptr<net::TcpListener> listener;
  std::shared_ptr<net::TcpStream> client_stream;
  std::shared_ptr<net::TcpStream> server_stream;
  std::vector<Step> script;
  std::size_t cursor = 0;         // the next step to perform
  std::size_t bytes_awaited = 0;  // bytes of the last steps not yet delivered to their receiver
  FlowId smtp_flow = kNoFlow;
  bool queued = false;  // the queued event is recorded once, after the last step
  net::Link* wan = nullptr;
  double wan_loss = 0.0;

  explicit Run(Simulator& s) : sim(s) {}
  Trace& trace() { return sim.trace(); }

  net::Host& host(Side side) { return side == Side::Client ? *client : *smtp; }
  net::TcpStream& stream(Side side) {
    return side == Side::Client ? *client_stream : *server_stream;
  }

  // Performs every consecutive step of `side`, from the cursor on.
  void perform(Side side, EventId cause) {
    while (cursor < script.size() && script[cursor].from == side) {
      const Step& step = script[cursor++];
      net::Host& h = host(side);
      net::TcpStream& s = stream(side);
      const FlowId flow = s.flow();
      switch (step.kind) {
        case StepKind::Plain: {
          const EventId e = h.record(
              Layer::Application, side == Side::Client ? EventKind::Request : EventKind::Response,
              trace().store(step.text), cause, flow, step.detail);
          s.send(wire::as_bytes(step.text), e);
          bytes_awaited += step.text.size();
          break;
        }
        case StepKind::Encrypted: {
          const EventId e = h.record(
              Layer::Application, side == Side::Client ? EventKind::Request : EventKind::Response,
              trace().store(step.text), cause, flow, step.detail);
          const wire::Bytes record = tls_record(23, step.text);
          const EventId r = h.record(Layer::Tls, EventKind::Send, trace().store(record), e, flow);
          s.send(record, r);
          bytes_awaited += record.size();
          break;
        }
        case StepKind::Handshake: {
          const EventId r =
              h.record(Layer::Tls, EventKind::Send, {}, cause, flow, 0, trace().store(step.text));
          const wire::Bytes record = tls_record(22, step.text);
          s.send(record, r);
          bytes_awaited += record.size();
          break;
        }
        case StepKind::TlsState:
          h.record(Layer::Tls, EventKind::StateChange, {}, cause, flow, 0,
                   trace().store(step.text));
          break;
      }
    }
    if (cursor == script.size() && !queued) {
      queued = true;
      smtp->record(Layer::Application, EventKind::MailQueued, {}, kNoEvent, smtp_flow, 0,
                   trace().store("queued 1A2B3C from=<alice@outlook.com> to=<bob@gmail.com> "
                                 "size=213"));
    }
  }

  void received(Side side, std::size_t bytes, EventId cause) {
    bytes_awaited = bytes > bytes_awaited ? 0 : bytes_awaited - bytes;
    if (bytes_awaited == 0) perform(side, cause);
  }

  void start_smtp() {
    // Loss starts with the TCP session: TCP recovers, a lost DNS datagram would end the story.
    wan->config().loss = wan_loss;
    client->note(Layer::Application, "connect to smtp.outlook.com:587");
    client_stream = client->tcp().connect(smtp->address(), 587, {});
    smtp_flow = client_stream->flow();
    trace().flow(smtp_flow).application = "smtp";
    trace().flow(smtp_flow).server = smtp->id();
    net::TcpStream* raw = client_stream.get();
    client_stream->set_callbacks(
        {.data = [this](wire::ByteView bytes,
                        EventId cause) { received(Side::Client, bytes.size(), cause); },
         .peer_closed = [raw] { raw->close(); }});
  }
};

MailWorld::MailWorld(const MailWorldOptions& options) : m_sim(options.seed), m_network(m_sim) {
  net::LanWanLanOptions topology_options;
  const net::LanWanLan t = net::build_lan_wan_lan(m_network, topology_options);
  m_run = std::make_unique<Run>(m_sim);
  Run& run = *m_run;
  run.wan = t.wan;
  run.wan_loss = options.wan_loss;
  run.script = smtp_script(options.subject);

  auto add = [&](const char* name, const char* kind, net::Switch& lan, std::uint8_t last,
                 std::uint8_t subnet) -> net::Host& {
    net::Host& h = m_network.add_host(name, kind);
    m_network.attach(h, lan, Ipv4Cidr{Ipv4Addr::from_octets(10, 0, subnet, last), 24},
                     topology_options.lan);
    h.set_default_gateway(Ipv4Addr::from_octets(10, 0, subnet, 1));
    return h;
  };
  run.client = &add("client.outlook.com", "host", *t.lan_a, 20, 1);
  run.smtp = &add("smtp.outlook.com", "mail-server", *t.lan_b, 30, 2);
  run.ns = &add("ns.outlook.com", "dns-server", *t.lan_b, 53, 2);

  // The SMTP server: greets on accept, then answers as the script says.
  run.listener = run.smtp->tcp().listen(587, [&run](std::shared_ptr<net::TcpStream> s) {
    run.server_stream = s;
    net::TcpStream* raw = s.get();
    s->set_callbacks(
        {.data = [&run](wire::ByteView bytes,
                        EventId cause) { run.received(Side::Server, bytes.size(), cause); },
         .peer_closed = [raw] { raw->close(); }});
    run.perform(Side::Server, kNoEvent);
  });

  // The DNS server answers A queries for smtp.outlook.com.
  run.dns_server = run.ns->udp_bind(53);
  run.dns_server->on_receive([&run](const net::UdpDatagram& d) {
    const auto query = wire::DnsMessage::parse(d.payload);
    if (!query) return;
    wire::DnsMessage response = wire::DnsMessage::make_response(*query);
    response.flags.aa = true;
    response.flags.ra = true;
    response.answers.push_back(wire::DnsRecord{query->questions.front().name, wire::DnsClass::IN,
                                               300, wire::DnsA{run.smtp->address()}});
    const wire::Bytes bytes = response.emit();
    const EventId e = run.ns->record(Layer::Application, EventKind::Response,
                                     run.trace().store(bytes), d.l4_event, d.flow);
    run.dns_server->send_to(d.src, d.src_port, bytes, e);
  });

  run.dns_client = run.client->udp_bind(0);
  run.dns_client->on_receive([&run](const net::UdpDatagram&) { run.start_smtp(); });

  // t = 0: the story starts.
  run.client->record(Layer::Application, EventKind::Narration, {}, kNoEvent, kNoFlow, 0,
                     run.trace().store(options.narration));
  run.client->record(Layer::Application, EventKind::Action, {}, kNoEvent, kNoFlow, 0,
                     run.trace().store("alice sends \"Hello\" to bob@gmail.com"));
  const wire::DnsMessage query = wire::DnsMessage::make_query(
      0x1a2b, *wire::DnsName::parse("smtp.outlook.com."), wire::DnsType::A);
  const wire::Bytes query_bytes = query.emit();
  // The flow exists before the first datagram, so that the query is recorded in it.
  const FlowId dns_flow = m_network.flows().lookup(
      17, run.client->address(), run.dns_client->port(), run.ns->address(), 53, run.client->id());
  run.trace().flow(dns_flow).application = "dns";
  run.trace().flow(dns_flow).server = run.ns->id();
  const EventId q = run.client->record(Layer::Application, EventKind::Request,
                                       run.trace().store(query_bytes), kNoEvent, dns_flow);
  run.dns_client->send_to(run.ns->address(), 53, query_bytes, q);

  // Later: the queue's view of the message, outside any session.
  m_sim.schedule_at(3 * kSecond, [&run] {
    run.smtp->record(Layer::Application, EventKind::MailDeferred, {}, kNoEvent, kNoFlow, 0,
                     run.trace().store("1A2B3C to=<bob@gmail.com> deferred: 451 4.7.1 try again "
                                       "later (next attempt in 30 min)"));
  });
  m_sim.schedule_at(4 * kSecond, [&run] {
    run.smtp->record(Layer::Application, EventKind::MailDelivered, {}, kNoEvent, kNoFlow, 0,
                     run.trace().store("1A2B3C delivered to bob@gmail.com INBOX uid=1 size=612"));
    run.smtp->record(Layer::Application, EventKind::MailBounced, {}, kNoEvent, kNoFlow, 0,
                     run.trace().store("1A2B3D to=<x@gmail.com> bounced: 550 5.1.1 no such user"));
  });
  // A datagram to a port nobody listens on: dropped at ns.outlook.com, answered with ICMP.
  m_sim.schedule_at(5 * kSecond, [&run] {
    const EventId e = run.client->note(Layer::Application, "probe udp port 9999");
    run.dns_client->send_to(run.ns->address(), 9999, wire::as_bytes("probe"), e);
  });
  m_sim.run();
}

MailWorld::~MailWorld() = default;

}  // namespace mailscope::exporter::testing
