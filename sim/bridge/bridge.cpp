#include "bridge/bridge.h"

#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>

namespace mailscope::bridge {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;

namespace {

// Tries for a port free for both UDP and TCP when the caller lets us choose.
constexpr int kDnsPortAttemptsMax = 16;
// A failed accept (out of file descriptors, say) is retried after this pause, not at once.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

std::string endpoint_text(const asio::ip::address& address, std::uint16_t port) {
  return address.is_v6() ? "[" + address.to_string() + "]:" + std::to_string(port)
                         : address.to_string() + ":" + std::to_string(port);
}

Error port_error(const boost::system::error_code& error, const asio::ip::address& address,
                 std::uint16_t port, std::string_view transport) {
  const std::string where = endpoint_text(address, port);
  if (error == asio::error::address_in_use) {
    return make_error(
        "port " + std::to_string(port) + " is already in use (" + std::string(transport) + ")",
        where);
  }
  return make_error("cannot listen on port " + std::to_string(port) + " (" +
                        std::string(transport) + "): " + error.message(),
                    where);
}

}  // namespace

Result<std::unique_ptr<Bridge>> Bridge::create(asio::io_context& io, RealTimeDriver& driver,
                                               net::Network& network, net::Switch& lan,
                                               BridgeOptions options) {
  boost::system::error_code error;
  const asio::ip::address bind = asio::ip::make_address(options.bind_address, error);
  if (error) {
    return make_error("not an IP address: \"" + options.bind_address + "\"", "bind");
  }
  if (options.client_address.address.is_unspecified()) {
    return make_error("the external client needs an address on the LAN", "client_address");
  }
  net::Host& client = network.add_host(options.client_name, "host");
  network.attach(client, lan, options.client_address, options.client_link);
  if (!options.gateway.is_unspecified()) client.set_default_gateway(options.gateway);
  return std::unique_ptr<Bridge>(new Bridge(io, driver, client, bind, std::move(options)));
}

Bridge::Bridge(asio::io_context& io, RealTimeDriver& driver, net::Host& client,
               asio::ip::address bind, BridgeOptions options)
    : m_io(io), m_driver(driver), m_client(client), m_bind(bind), m_options(std::move(options)) {
  if (!m_bind.is_loopback()) {
    m_bind_warning = "warning: the bridge listens on " + m_bind.to_string() +
                     ", which is not a loopback address: anyone who can reach this machine can "
                     "use the simulated servers";
  }
}

Bridge::~Bridge() {
  *m_alive = false;
  // Pending socket handlers may keep a splice alive until the io_context goes, after the
  // network: reset both sides now, while the virtual host still exists.
  for (const auto& [key, splice] : m_splices)
    splice->reset({});
  m_splices.clear();
}

Result<std::unique_ptr<tcp::acceptor>> Bridge::listen(std::uint16_t local_port) {
  auto acceptor = std::make_unique<tcp::acceptor>(m_io);
  const tcp::endpoint endpoint(m_bind, local_port);
  boost::system::error_code error;
  acceptor->open(endpoint.protocol(), error);
  if (!error) acceptor->set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor->bind(endpoint, error);
  if (!error) acceptor->listen(asio::socket_base::max_listen_connections, error);
  if (error) return port_error(error, m_bind, local_port, "TCP");
  return acceptor;
}

Result<std::uint16_t> Bridge::expose(net::Host& vhost, std::uint16_t vport,
                                     std::uint16_t local_port) {
  return expose(vhost.name() + ":" + std::to_string(vport), vhost.address(), vport, local_port,
                application_for_port(vport));
}

Result<std::uint16_t> Bridge::expose(std::string label, wire::Ipv4Addr address, std::uint16_t vport,
                                     std::uint16_t local_port, std::string application) {
  if (m_stopping) return make_error("the bridge is stopping", label);
  auto acceptor = listen(local_port);
  if (!acceptor) return acceptor.error();
  ExposedPort port{std::move(label), address, vport, (*acceptor)->local_endpoint().port(),
                   std::move(application)};
  m_exposed.push_back(port);
  m_listeners.push_back(Listener{std::move(port), std::move(acceptor).value()});
  accept(m_listeners.size() - 1);
  return m_exposed.back().local_port;
}

Result<std::uint16_t> Bridge::expose_dns(wire::Ipv4Addr resolver, std::uint16_t local_port) {
  if (m_stopping) return make_error("the bridge is stopping", "dns");
  if (m_dns) return make_error("DNS is already exposed", "dns");
  for (int attempt = 0; attempt < kDnsPortAttemptsMax; ++attempt) {
    auto acceptor = listen(local_port);
    if (!acceptor) return acceptor.error();
    const std::uint16_t port = (*acceptor)->local_endpoint().port();
    udp::socket socket(m_io);
    boost::system::error_code error;
    socket.open(m_bind.is_v6() ? udp::v6() : udp::v4(), error);
    if (!error) socket.bind(udp::endpoint(m_bind, port), error);
    if (error) {
      // The TCP port was free but the UDP one is not: choose again, or report it.
      if (local_port == 0 && error == asio::error::address_in_use) continue;
      return port_error(error, m_bind, port, "UDP");
    }
    DnsRelayOptions relay;
    relay.resolver = resolver;
    relay.timeout = m_options.dns_timeout;
    relay.queries_max = m_options.dns_queries_max;
    m_dns = std::make_unique<DnsRelay>(std::move(socket), m_driver, m_client, relay);
    m_dns->start();
    ExposedPort exposed{"dns", resolver, 53, port, "dns"};
    m_exposed.push_back(exposed);
    m_listeners.push_back(Listener{std::move(exposed), std::move(acceptor).value()});
    accept(m_listeners.size() - 1);
    return port;
  }
  return make_error("no port was free for both UDP and TCP", "dns");
}

void Bridge::accept(std::size_t listener) {
  const std::weak_ptr<bool> alive = m_alive;
  m_listeners[listener].acceptor->async_accept(
      [this, alive, listener](const boost::system::error_code& error, tcp::socket socket) {
        if (alive.expired() || m_stopping || error == asio::error::operation_aborted) return;
        if (error) {
          auto timer = std::make_shared<asio::steady_timer>(m_io, kAcceptRetryDelay);
          timer->async_wait([this, alive, listener, timer](const boost::system::error_code& e) {
            if (!e && !alive.expired() && !m_stopping) accept(listener);
          });
          return;
        }
        on_accept(listener, std::move(socket));
        accept(listener);
      });
}

void Bridge::on_accept(std::size_t listener, tcp::socket socket) {
  boost::system::error_code ignored;
  if (m_splices.size() >= m_options.connections_max) {
    ++m_stats.refused;
    m_client.note(Layer::Application, "bridge: " + std::to_string(m_splices.size()) +
                                          " connections already open; a real client was reset");
    socket.set_option(asio::socket_base::linger(true, 0), ignored);
    socket.close(ignored);
    return;
  }
  // Interactive protocols: send each reply at once rather than waiting to fill a segment.
  socket.set_option(tcp::no_delay(true), ignored);
  const ExposedPort& port = m_listeners[listener].port;
  SpliceOptions options;
  options.application = port.application;
  options.idle_timeout = m_options.idle_timeout;
  options.to_client_bytes_max = m_options.to_client_bytes_max;
  options.record_requests = port.application != "dns";
  const std::weak_ptr<bool> alive = m_alive;
  auto splice = std::make_shared<TcpSplice>(std::move(socket), m_driver, m_client,
                                            std::move(options), [this, alive](TcpSplice& ended) {
                                              if (!alive.expired()) on_ended(ended);
                                            });
  m_splices[splice.get()] = splice;
  ++m_stats.accepted;
  splice->start(port.address, port.virtual_port);
}

void Bridge::on_ended(TcpSplice& splice) {
  ++m_stats.ended;
  // The splice is inside one of its own calls: drop it once that has returned.
  const std::weak_ptr<bool> alive = m_alive;
  const TcpSplice* key = &splice;
  asio::post(m_io, [this, alive, key] {
    if (alive.expired()) return;
    m_splices.erase(key);
    if (m_stopping && m_splices.empty()) finish_shut_down();
  });
}

void Bridge::shut_down(std::chrono::milliseconds grace, std::function<void()> done) {
  if (m_stopping) return;
  m_stopping = true;
  m_done = std::move(done);
  boost::system::error_code ignored;
  for (Listener& listener : m_listeners)
    listener.acceptor->close(ignored);
  if (m_dns) m_dns->stop();
  std::vector<std::shared_ptr<TcpSplice>> live;
  for (const auto& [key, splice] : m_splices)
    live.push_back(splice);
  for (const auto& splice : live)
    splice->shut_down();
  const std::weak_ptr<bool> alive = m_alive;
  if (m_splices.empty()) {
    asio::post(m_io, [this, alive] {
      if (!alive.expired()) finish_shut_down();
    });
    return;
  }
  m_grace_timer = std::make_unique<asio::steady_timer>(m_io, grace);
  m_grace_timer->async_wait([this, alive](const boost::system::error_code& error) {
    if (error || alive.expired()) return;
    m_driver.catch_up();
    std::vector<std::shared_ptr<TcpSplice>> rest;
    for (const auto& [key, splice] : m_splices)
      rest.push_back(splice);
    for (const auto& splice : rest)
      splice->reset("the bridge stopped before this connection closed");
    m_splices.clear();
    finish_shut_down();
  });
}

void Bridge::finish_shut_down() {
  if (!m_done) return;
  if (m_grace_timer) m_grace_timer->cancel();
  auto done = std::move(m_done);
  m_done = nullptr;
  done();
}

std::string Bridge::ready_line() const {
  // JSON spelled as the CLI documents it ("key": value, ...); nlohmann escapes the labels.
  std::string out = "READY {";
  for (std::size_t i = 0; i < m_exposed.size(); ++i) {
    if (i > 0) out += ", ";
    out +=
        nlohmann::json(m_exposed[i].label).dump() + ": " + std::to_string(m_exposed[i].local_port);
  }
  return out + "}";
}

std::string Bridge::table() const {
  const auto left_of = [](const ExposedPort& port) {
    return port.label == "dns" ? "dns " + port.address.to_string() + ":53" : port.label;
  };
  const std::string heading = "simulated service";
  std::size_t width = heading.size();
  for (const ExposedPort& port : m_exposed)
    width = std::max(width, left_of(port).size());
  width += 2;
  const auto pad = [width](std::string text) {
    text.append(width - text.size(), ' ');
    return text;
  };
  std::string out = pad(heading) + "real address\n";
  for (const ExposedPort& port : m_exposed) {
    out += pad(left_of(port)) + endpoint_text(m_bind, port.local_port);
    if (port.application == "dns") {
      out += " (UDP and TCP)";
    } else if (!port.application.empty()) {
      out += " (" + port.application + ")";
    }
    out += "\n";
  }
  return out;
}

}  // namespace mailscope::bridge
