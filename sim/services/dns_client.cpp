#include "services/dns_client.h"

#include <algorithm>

#include "services/dns_events.h"
#include "services/dns_listener.h"

namespace mailscope::services {

using wire::DnsMessage;

std::string_view to_string(DnsExchangeStatus status) {
  switch (status) {
    case DnsExchangeStatus::Response:
      return "response";
    case DnsExchangeStatus::Timeout:
      return "timeout";
    case DnsExchangeStatus::Unreachable:
      return "unreachable";
    case DnsExchangeStatus::Failed:
      return "failed";
  }
  return "?";
}

namespace {

std::string milliseconds(TimeNs t) {
  return std::to_string(t / kMillisecond) + " ms";
}

}  // namespace

DnsClient::DnsClient(net::Host& host, Rng rng, DnsClientConfig config)
    : m_host(host), m_rng(rng), m_config(config) {}

DnsClient::~DnsClient() {
  Simulator& sim = m_host.sim();
  sim.cancel(m_cleanup);
  for (auto& [key, p] : m_pending) {
    sim.cancel(p.timer);
    if (p.stream) p.stream->set_callbacks({});
  }
  for (auto& stream : m_retired_streams)
    stream->set_callbacks({});
}

std::unique_ptr<net::UdpSocket> DnsClient::bind_random_port() {
  // RFC 6056: any port from 1024 up; a few draws find a free one, the host's own choice after.
  constexpr int kDrawsMax = 8;
  for (int i = 0; i < kDrawsMax; ++i) {
    const auto port = static_cast<std::uint16_t>(1024 + m_rng.below(65536 - 1024));
    if (auto socket = m_host.udp_bind(port)) return socket;
  }
  return m_host.udp_bind(0);
}

void DnsClient::exchange(wire::Ipv4Addr server, DnsMessage query, TimeNs timeout, EventId parent,
                         Done done) {
  std::erase_if(m_retired_streams, [](const auto& s) { return !s->is_open(); });
  const std::uint64_t key = m_next_key++;
  Pending& p = m_pending[key];
  p.server = server;
  p.query = std::move(query);
  p.query.id = m_rng.next_u16();
  p.done = std::move(done);
  p.parent = parent;
  Simulator& sim = m_host.sim();

  const auto fail_soon = [&](std::string detail) {
    p.timer = sim.schedule_after(0, [this, key, detail] {
      finish(key,
             DnsExchangeResult{
                 DnsExchangeStatus::Unreachable, {}, DnsTransport::Udp, kNoEvent, kNoFlow, detail});
    });
  };
  if (m_pending.size() > m_config.pending_max) {
    fail_soon("too many DNS queries in flight on " + m_host.name());
    return;
  }
  p.socket = bind_random_port();
  if (!p.socket) {
    fail_soon("no free UDP port");
    return;
  }
  p.flow = dns_udp_flow(m_host, p.socket->port(), server, DnsListener::kDnsPort);
  if (p.flow == kNoFlow) {
    fail_soon("no route to " + server.to_string());
    return;
  }
  p.socket->on_receive([this, key](const net::UdpDatagram& d) { on_datagram(key, d); });
  p.socket->on_error(
      [this, key](wire::Ipv4Addr, std::uint16_t, wire::IcmpType type, std::uint8_t code) {
        const auto it = m_pending.find(key);
        if (it == m_pending.end() || it->second.transport != DnsTransport::Udp) return;
        // The network says the query cannot arrive: no need to wait for the timeout.
        const bool port = type == wire::IcmpType::DestinationUnreachable &&
                          code == static_cast<std::uint8_t>(wire::IcmpUnreachable::Port);
        const std::string server = it->second.server.to_string();
        finish(key, DnsExchangeResult{DnsExchangeStatus::Unreachable,
                                      {},
                                      DnsTransport::Udp,
                                      kNoEvent,
                                      it->second.flow,
                                      port ? "ICMP port unreachable: no DNS server at " + server
                                           : "ICMP error: " + server + " cannot be reached"});
      });
  const wire::Bytes bytes = p.query.emit();
  p.query_event = record_dns_sent(m_host, p.query, bytes, parent, p.flow);
  p.timer = sim.schedule_after(timeout, [this, key, timeout] {
    const auto it = m_pending.find(key);
    if (it == m_pending.end()) return;
    it->second.timer = {};
    finish(key, DnsExchangeResult{DnsExchangeStatus::Timeout,
                                  {},
                                  DnsTransport::Udp,
                                  kNoEvent,
                                  it->second.flow,
                                  "no response from " + it->second.server.to_string() + " within " +
                                      milliseconds(timeout)});
  });
  p.socket->send_to(server, DnsListener::kDnsPort, bytes, p.query_event);
}

bool DnsClient::matches(const Pending& p, const DnsMessage& response) const {
  return response.is_response() && response.id == p.query.id &&
         response.questions == p.query.questions;
}

void DnsClient::on_datagram(std::uint64_t key, const net::UdpDatagram& datagram) {
  const auto it = m_pending.find(key);
  if (it == m_pending.end() || it->second.transport != DnsTransport::Udp) return;
  Pending& p = it->second;
  auto parsed = DnsMessage::parse(datagram.payload);
  const EventId event =
      record_dns_received(m_host, parsed ? &*parsed : nullptr, datagram.payload, datagram.l4_event,
                          datagram.flow, parsed ? "" : parsed.error().to_string());
  const bool from_server = datagram.src == p.server && datagram.src_port == DnsListener::kDnsPort;
  if (!parsed || !from_server || !matches(p, *parsed)) {
    dns_note(m_host, "ignored: this message does not answer our query", event, datagram.flow);
    return;
  }
  if (parsed->flags.tc) {
    dns_note(m_host, "response truncated (TC): asking " + p.server.to_string() + " again over TCP",
             event, datagram.flow);
    start_tcp(key);
    return;
  }
  finish(key, DnsExchangeResult{DnsExchangeStatus::Response,
                                std::move(*parsed),
                                DnsTransport::Udp,
                                event,
                                datagram.flow,
                                {}});
}

void DnsClient::start_tcp(std::uint64_t key) {
  Pending& p = m_pending.at(key);
  Simulator& sim = m_host.sim();
  sim.cancel(p.timer);
  retire(p);
  p.transport = DnsTransport::Tcp;
  p.timer = sim.schedule_after(m_config.tcp_timeout, [this, key] {
    const auto it = m_pending.find(key);
    if (it == m_pending.end()) return;
    it->second.timer = {};
    finish(key, DnsExchangeResult{DnsExchangeStatus::Timeout,
                                  {},
                                  DnsTransport::Tcp,
                                  kNoEvent,
                                  it->second.flow,
                                  "no response over TCP from " + it->second.server.to_string() +
                                      " within " + milliseconds(m_config.tcp_timeout)});
  });
  const auto failed = [this, key](std::string detail) {
    const auto it = m_pending.find(key);
    if (it == m_pending.end()) return;
    finish(key, DnsExchangeResult{DnsExchangeStatus::Failed,
                                  {},
                                  DnsTransport::Tcp,
                                  kNoEvent,
                                  it->second.flow,
                                  std::move(detail)});
  };
  p.stream = m_host.tcp().connect(
      p.server, DnsListener::kDnsPort,
      {.connected = [this, key] { on_tcp_connected(key); },
       .data = [this, key](wire::ByteView bytes, EventId l4) { on_tcp_data(key, bytes, l4); },
       .peer_closed =
           [failed] { failed("the server closed the TCP connection without answering"); },
       .closed = {},
       .failed =
           [failed](net::TcpError error) {
             failed("TCP to the server: " + std::string(net::to_string(error)));
           }});
  p.flow = p.stream->flow();
  mark_dns_flow(m_host.sim().trace(), p.flow);
}

void DnsClient::on_tcp_connected(std::uint64_t key) {
  const auto it = m_pending.find(key);
  if (it == m_pending.end()) return;
  Pending& p = it->second;
  const wire::Bytes bytes = p.query.emit();
  p.query_event = record_dns_sent(m_host, p.query, bytes, p.parent, p.flow);
  p.stream->send(wire::dns_tcp_frame(bytes), p.query_event);
}

void DnsClient::on_tcp_data(std::uint64_t key, wire::ByteView bytes, EventId l4_event) {
  const auto it = m_pending.find(key);
  if (it == m_pending.end()) return;
  Pending& p = it->second;
  if (auto error = p.reader.feed(bytes)) {
    finish(key, DnsExchangeResult{DnsExchangeStatus::Failed,
                                  {},
                                  DnsTransport::Tcp,
                                  kNoEvent,
                                  p.flow,
                                  "the server sent too much: " + error->to_string()});
    return;
  }
  while (auto message = p.reader.next_message()) {
    auto parsed = DnsMessage::parse(*message);
    const EventId event =
        record_dns_received(m_host, parsed ? &*parsed : nullptr, *message, l4_event, p.flow,
                            parsed ? "" : parsed.error().to_string());
    if (!parsed || !matches(p, *parsed)) {
      dns_note(m_host, "ignored: this message does not answer our query", event, p.flow);
      continue;
    }
    finish(
        key,
        DnsExchangeResult{
            DnsExchangeStatus::Response, std::move(*parsed), DnsTransport::Tcp, event, p.flow, {}});
    return;
  }
}

void DnsClient::retire(Pending& p) {
  if (p.socket) {
    m_retired_sockets.push_back(std::move(p.socket));
    if (!m_cleanup) {
      m_cleanup = m_host.sim().schedule_after(0, [this] {
        m_cleanup = {};
        m_retired_sockets.clear();
      });
    }
  }
  if (p.stream) {
    // We asked our question and got (or gave up on) the answer: close our side (RFC 7766 §6.2.1
    // leaves closing to the client).
    p.stream->close();
    m_retired_streams.push_back(std::move(p.stream));
  }
}

void DnsClient::finish(std::uint64_t key, DnsExchangeResult result) {
  const auto it = m_pending.find(key);
  if (it == m_pending.end()) return;
  Pending p = std::move(it->second);
  m_pending.erase(it);
  m_host.sim().cancel(p.timer);
  retire(p);
  if (p.done) p.done(result);
}

}  // namespace mailscope::services
