#include "services/dns_listener.h"

#include "services/dns_events.h"
#include "wire/dns_format.h"

namespace mailscope::services {

using wire::DnsMessage;

DnsListener::DnsListener(net::Host& host, Handler handler, std::uint16_t port)
    : m_host(host), m_handler(std::move(handler)) {
  m_udp = host.udp_bind(port);
  if (m_udp) m_udp->on_receive([this](const net::UdpDatagram& d) { on_datagram(d); });
  m_tcp = host.tcp().listen(
      port, [this](std::shared_ptr<net::TcpStream> stream) { on_accept(std::move(stream)); });
}

DnsListener::~DnsListener() {
  // Streams may outlive us inside the TCP stack: make sure they no longer call back.
  for (auto& [id, connection] : m_connections)
    connection.stream->set_callbacks({});
}

void DnsListener::on_datagram(const net::UdpDatagram& datagram) {
  mark_dns_flow(m_host.sim().trace(), datagram.flow, m_host.id());
  DnsServerQuery origin;
  origin.client = datagram.src;
  origin.client_port = datagram.src_port;
  origin.transport = DnsTransport::Udp;
  origin.flow = datagram.flow;
  on_message(datagram.payload, datagram.l4_event, std::move(origin), 0);
}

void DnsListener::forget_closed_connections() {
  // A host that lost power forgets its connections without telling anyone.
  std::erase_if(m_connections, [](const auto& entry) { return !entry.second.stream->is_open(); });
}

void DnsListener::on_accept(std::shared_ptr<net::TcpStream> stream) {
  mark_dns_flow(m_host.sim().trace(), stream->flow(), m_host.id());
  if (m_connections.size() >= kTcpConnectionsMax) forget_closed_connections();
  if (m_connections.size() >= kTcpConnectionsMax) {
    dns_note(m_host, "too many DNS-over-TCP connections: resetting a new one", kNoEvent,
             stream->flow());
    stream->abort();
    return;
  }
  const std::uint64_t id = m_next_connection++;
  net::TcpStream* raw = stream.get();
  raw->set_callbacks(
      {.connected = {},
       .data = [this, id](wire::ByteView bytes, EventId l4) { on_tcp_data(id, bytes, l4); },
       .peer_closed = [raw] { raw->close(); },
       .closed = [this, id] { m_connections.erase(id); },
       .failed = [this, id](net::TcpError) { m_connections.erase(id); }});
  m_connections.emplace(id, Connection{std::move(stream)});
}

void DnsListener::on_tcp_data(std::uint64_t id, wire::ByteView bytes, EventId l4_event) {
  auto it = m_connections.find(id);
  if (it == m_connections.end()) return;
  if (auto error = it->second.reader.feed(bytes)) {
    dns_note(m_host, "DNS-over-TCP client sent too much: " + error->to_string(), l4_event,
             it->second.stream->flow());
    it->second.stream->abort();
    return;
  }
  // Answering may take a while (a resolver) or happen at once; look the connection up again
  // after each message in case it went away meanwhile.
  while (it != m_connections.end()) {
    auto message = it->second.reader.next_message();
    if (!message) break;
    const net::TcpStream& stream = *it->second.stream;
    DnsServerQuery origin;
    origin.client = stream.remote().address;
    origin.client_port = stream.remote().port;
    origin.transport = DnsTransport::Tcp;
    origin.flow = stream.flow();
    on_message(*message, l4_event, std::move(origin), id);
    it = m_connections.find(id);
  }
}

void DnsListener::on_message(wire::ByteView bytes, EventId l4_event, DnsServerQuery origin,
                             std::uint64_t connection) {
  QueryCheck check = check_query(bytes);
  if (check.verdict == QueryVerdict::Answer) {
    origin.event = record_dns_received(m_host, &check.message, bytes, l4_event, origin.flow);
  } else {
    auto parsed = DnsMessage::parse(bytes);
    origin.event = record_dns_received(m_host, parsed ? &*parsed : nullptr, bytes, l4_event,
                                       origin.flow, parsed ? "" : parsed.error().to_string());
  }
  switch (check.verdict) {
    case QueryVerdict::Ignore:
      dns_note(m_host, "ignored: " + check.reason, origin.event, origin.flow);
      return;
    case QueryVerdict::Reply:
      dns_note(m_host,
               "answering " + wire::to_string(check.message.flags.rcode) + ": " + check.reason,
               origin.event, origin.flow);
      send(DnsMessage{}, std::move(check.message), origin, connection);
      return;
    case QueryVerdict::Answer:
      break;
  }
  origin.message = std::move(check.message);
  if (m_fault != DnsServerFault::None) {
    answer_with_fault(origin, connection);
    return;
  }
  std::weak_ptr<bool> alive = m_alive;
  Respond respond = [this, alive, origin, connection](DnsMessage response) {
    if (alive.expired()) return;
    send(origin.message, std::move(response), origin, connection);
  };
  m_handler(origin, std::move(respond));
}

void DnsListener::answer_with_fault(const DnsServerQuery& query, std::uint64_t connection) {
  dns_note(m_host, "fault in effect (" + std::string(to_string(m_fault)) + ")", query.event,
           query.flow);
  const auto rcode = [this] {
    switch (m_fault) {
      case DnsServerFault::Refused:
        return wire::DnsRcode::REFUSED;
      case DnsServerFault::NxDomain:
        return wire::DnsRcode::NXDOMAIN;
      default:
        return wire::DnsRcode::SERVFAIL;
    }
  }();
  if (m_fault == DnsServerFault::Silent) return;
  send(query.message, DnsMessage::make_response(query.message, rcode), query, connection);
}

std::string_view to_string(DnsServerFault fault) {
  switch (fault) {
    case DnsServerFault::None:
      return "none";
    case DnsServerFault::ServFail:
      return "servfail";
    case DnsServerFault::Refused:
      return "refused";
    case DnsServerFault::NxDomain:
      return "nxdomain";
    case DnsServerFault::Silent:
      return "silent";
  }
  return "?";
}

void DnsListener::send(const DnsMessage& query, DnsMessage response, const DnsServerQuery& to,
                       std::uint64_t connection) {
  if (!m_host.is_up()) return;
  const wire::Bytes bytes = finish_response(query, std::move(response), to.transport);
  // Record exactly what goes out, which may be the truncated form.
  auto sent = DnsMessage::parse(bytes);
  if (!sent) return;  // cannot happen: we emitted it
  if (to.transport == DnsTransport::Udp) {
    const EventId event = record_dns_sent(m_host, *sent, bytes, to.event, to.flow);
    if (sent->flags.tc) {
      dns_note(m_host,
               "response too large for UDP (" +
                   std::to_string(response_size_max(query, to.transport)) +
                   " octets): sent truncated with TC so the client retries over TCP",
               event, to.flow);
    }
    m_udp->send_to(to.client, to.client_port, bytes, event);
    return;
  }
  const auto it = m_connections.find(connection);
  if (it == m_connections.end() || !it->second.stream->is_open()) return;
  const EventId event = record_dns_sent(m_host, *sent, bytes, to.event, to.flow);
  it->second.stream->send(wire::dns_tcp_frame(bytes), event);
}

}  // namespace mailscope::services
