#include "bridge/dns_relay.h"

#include <boost/asio/post.hpp>

#include "services/dns_events.h"
#include "wire/dns_message.h"

namespace mailscope::bridge {

namespace asio = boost::asio;

DnsRelay::DnsRelay(asio::ip::udp::socket socket, RealTimeDriver& driver, net::Host& client,
                   DnsRelayOptions options)
    : m_socket(std::move(socket)),
      m_driver(driver),
      m_client(client),
      m_options(options),
      m_buffer(65535) {}

DnsRelay::~DnsRelay() {
  *m_alive = false;
  boost::system::error_code ignored;
  m_socket.close(ignored);
}

void DnsRelay::start() {
  receive();
}

void DnsRelay::stop() {
  m_stopped = true;
  boost::system::error_code ignored;
  m_socket.close(ignored);
  m_queries.clear();
}

void DnsRelay::receive() {
  if (m_stopped) return;
  const std::weak_ptr<bool> alive = m_alive;
  m_socket.async_receive_from(
      asio::buffer(m_buffer), m_sender,
      [this, alive](const boost::system::error_code& error, std::size_t size) {
        if (alive.expired() || m_stopped || error == asio::error::operation_aborted) return;
        // Other errors (an ICMP error from an earlier answer's client) do not stop the relay.
        if (!error) on_query(size);
        receive();
      });
}

void DnsRelay::on_query(std::size_t size) {
  m_driver.catch_up();
  const wire::ByteView bytes(m_buffer.data(), size);
  if (m_queries.size() >= m_options.queries_max) {
    m_client.note(Layer::Application, "bridge: too many DNS queries outstanding; one dropped");
    return;
  }
  auto socket = m_client.udp_bind(0);
  if (!socket) return;  // every ephemeral port is taken: the client will retry
  const std::uint64_t id = m_next_id++;
  Query& query = m_queries[id];
  query.client = m_sender;
  query.flow =
      services::dns_udp_flow(m_client, socket->port(), m_options.resolver, m_options.resolver_port);
  if (query.flow != kNoFlow) m_client.sim().trace().flow(query.flow).client = m_client.id();

  EventId event = kNoEvent;
  if (auto message = wire::DnsMessage::parse(bytes)) {
    event = services::record_dns_sent(m_client, *message, bytes, kNoEvent, query.flow);
  } else {
    // Relayed all the same: how the resolver answers nonsense is part of the lesson.
    event = m_client.note(Layer::Application,
                          "bridge: relaying a datagram that is not a DNS message (" +
                              message.error().to_string() + ")",
                          kNoEvent, query.flow);
  }
  socket->on_receive([this, id](const net::UdpDatagram& datagram) { on_answer(id, datagram); });
  socket->send_to(m_options.resolver, m_options.resolver_port, bytes, event);
  query.socket = std::move(socket);
  ++m_relayed;

  query.timer = std::make_unique<asio::steady_timer>(m_socket.get_executor());
  query.timer->expires_after(m_options.timeout);
  const std::weak_ptr<bool> alive = m_alive;
  query.timer->async_wait([this, alive, id](const boost::system::error_code& error) {
    if (error || alive.expired()) return;
    m_queries.erase(id);
  });
  m_driver.wake();
}

void DnsRelay::on_answer(std::uint64_t id, const net::UdpDatagram& datagram) {
  const auto it = m_queries.find(id);
  if (it == m_queries.end() || it->second.answered) return;
  it->second.answered = true;
  const auto message = wire::DnsMessage::parse(datagram.payload);
  services::record_dns_received(m_client, message ? &*message : nullptr, datagram.payload,
                                datagram.l4_event, datagram.flow,
                                message ? std::string_view{} : message.error().what);
  auto answer =
      std::make_shared<std::vector<std::uint8_t>>(datagram.payload.begin(), datagram.payload.end());
  m_socket.async_send_to(asio::buffer(*answer), it->second.client,
                         [answer](const boost::system::error_code&, std::size_t) {});
  ++m_answered;
  forget(id);
}

void DnsRelay::forget(std::uint64_t id) {
  const std::weak_ptr<bool> alive = m_alive;
  asio::post(m_socket.get_executor(), [this, alive, id] {
    if (!alive.expired()) m_queries.erase(id);
  });
}

}  // namespace mailscope::bridge
