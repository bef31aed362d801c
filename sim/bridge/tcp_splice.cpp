#include "bridge/tcp_splice.h"

#include <boost/asio/write.hpp>

#include "net/network.h"

namespace mailscope::bridge {
namespace {

namespace asio = boost::asio;

// A TLS record starts with its content type (change_cipher_spec 20 .. application_data 23) and
// the major version 3; no text protocol line starts with those control bytes.
bool looks_like_tls(wire::ByteView bytes) {
  return bytes.size() >= 3 && bytes[0] >= 20 && bytes[0] <= 23 && bytes[1] == 3 && bytes[2] <= 4;
}

std::string describe(const asio::ip::tcp::socket& socket) {
  boost::system::error_code error;
  const auto remote = socket.remote_endpoint(error);
  if (error) return "a real client";
  return "real client " + remote.address().to_string() + ":" + std::to_string(remote.port());
}

}  // namespace

std::string application_for_port(std::uint16_t port) {
  switch (port) {
    case 25:
    case 465:
    case 587:
      return "smtp";
    case 143:
    case 993:
      return "imap";
    case 110:
    case 995:
      return "pop3";
    case 53:
      return "dns";
    default:
      return {};
  }
}

TcpSplice::TcpSplice(asio::ip::tcp::socket socket, RealTimeDriver& driver, net::Host& client,
                     SpliceOptions options, EndedFn ended)
    : m_socket(std::move(socket)),
      m_driver(driver),
      m_client(client),
      m_options(std::move(options)),
      m_ended_fn(std::move(ended)),
      m_idle_timer(m_socket.get_executor()),
      m_read_buffer(std::max<std::size_t>(m_options.read_chunk_bytes, 1)) {}

TcpSplice::~TcpSplice() {
  // Whoever drops the last reference ends both sides; nothing is left to finish them politely.
  if (m_stream && !m_virtual_done) m_stream->abort();
  boost::system::error_code ignored;
  m_socket.close(ignored);
}

void TcpSplice::start(wire::Ipv4Addr dst, std::uint16_t port) {
  m_driver.catch_up();
  const std::weak_ptr<TcpSplice> weak = weak_from_this();
  net::TcpStream::Callbacks callbacks{
      .connected =
          [weak] {
            if (auto self = weak.lock()) self->on_connected();
          },
      .data =
          [weak](wire::ByteView bytes, EventId) {
            if (auto self = weak.lock()) self->on_virtual_data(bytes);
          },
      .peer_closed =
          [weak] {
            if (auto self = weak.lock()) self->on_peer_closed();
          },
      .closed =
          [weak] {
            if (auto self = weak.lock()) self->on_virtual_closed();
          },
      .failed =
          [weak](net::TcpError error) {
            if (auto self = weak.lock()) self->on_virtual_failed(error);
          },
      .writable =
          [weak] {
            if (auto self = weak.lock()) self->offer_pending();
          },
  };
  m_stream = m_client.tcp().connect(dst, port, std::move(callbacks));
  if (m_stream->flow() != kNoFlow) {
    // Name the protocol and both ends, as a simulated client would, so views print the dialogue.
    FlowInfo& info = m_client.sim().trace().flow(m_stream->flow());
    if (!m_options.application.empty()) info.application = m_options.application;
    info.client = m_client.id();
    if (const net::Host* server = m_client.network().host_with_address(dst)) {
      info.server = server->id();
    }
  }
  note(describe(m_socket) + " spliced into this connection by the bridge");
  restart_idle_timer();
  m_driver.wake();
}

void TcpSplice::shut_down() {
  if (m_shutting_down || m_ended) return;
  m_shutting_down = true;
  m_pending.clear();
  m_pending_offset = 0;
  if (!m_stream || m_virtual_done) {
    close_real(false);
    maybe_end();
    return;
  }
  m_driver.catch_up();
  if (m_virtual_done) return;
  note("the bridge is stopping: closing this connection");
  m_stream->close();
  m_driver.wake();
}

void TcpSplice::reset(std::string_view reason) {
  if (m_ended) return;
  if (!reason.empty()) note(reason);
  if (m_stream && !m_virtual_done) {
    m_virtual_done = true;
    m_stream->abort();
  }
  m_to_client.clear();
  close_real(true);
  maybe_end();
}

// ---- real side ----

void TcpSplice::read_real() {
  if (m_reading || m_real_eof || m_shutting_down || m_real_closed || m_virtual_done ||
      !m_pending.empty()) {
    return;
  }
  m_reading = true;
  m_socket.async_read_some(
      asio::buffer(m_read_buffer),
      [self = shared_from_this()](const boost::system::error_code& error, std::size_t size) {
        self->on_real_read(error, size);
      });
}

void TcpSplice::on_real_read(const boost::system::error_code& error, std::size_t size) {
  m_reading = false;
  if (error == asio::error::operation_aborted || m_real_closed) return;
  if (m_shutting_down || m_virtual_done) return;  // nobody to hand the bytes to any more
  restart_idle_timer();
  m_driver.catch_up();
  if (m_virtual_done || m_real_closed) return;  // the catch-up ended the conversation
  if (error == asio::error::eof) {
    m_real_eof = true;
    if (m_pending.empty()) m_stream->close();
    m_driver.wake();
    return;
  }
  if (error) {
    reset("the real client's connection failed (" + error.message() + "): reset");
    m_driver.wake();
    return;
  }
  const wire::ByteView bytes(m_read_buffer.data(), size);
  m_pending.assign(bytes.begin(), bytes.end());
  m_pending_offset = 0;
  m_pending_event = record_request(bytes);
  offer_pending();
  m_driver.wake();
}

void TcpSplice::write_real() {
  if (m_writing || m_real_closed) return;
  if (m_to_client.empty()) {
    after_flush();
    return;
  }
  m_in_flight.swap(m_to_client);
  m_writing = true;
  asio::async_write(m_socket, asio::buffer(m_in_flight),
                    [self = shared_from_this()](const boost::system::error_code& error,
                                                std::size_t) { self->on_real_written(error); });
}

void TcpSplice::on_real_written(const boost::system::error_code& error) {
  m_writing = false;
  m_in_flight.clear();
  if (error == asio::error::operation_aborted || m_real_closed) return;
  if (error) {
    m_driver.catch_up();
    reset("writing to the real client failed (" + error.message() + "): reset");
    m_driver.wake();
    return;
  }
  restart_idle_timer();
  write_real();
}

void TcpSplice::after_flush() {
  if (m_virtual_done) {
    close_real(false);
    maybe_end();
    return;
  }
  if (m_server_fin && !m_real_fin_sent) {
    m_real_fin_sent = true;
    boost::system::error_code ignored;
    m_socket.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  }
}

void TcpSplice::close_real(bool with_reset) {
  if (m_real_closed) return;
  m_real_closed = true;
  boost::system::error_code ignored;
  if (with_reset) {
    // SO_LINGER with a zero timeout makes close() send RST instead of FIN.
    m_socket.set_option(asio::socket_base::linger(true, 0), ignored);
  }
  m_socket.close(ignored);
}

void TcpSplice::restart_idle_timer() {
  if (m_ended) return;
  // Every read and write lands here, several times per SMTP command: moving the deadline is a
  // clock read, and the timer is armed only when none is waiting (re-arming a waiting timer
  // would cancel it and run its handler once more for nothing).
  m_last_activity = IdleClock::now();
  if (!m_idle_timer_armed) arm_idle_timer(m_last_activity + m_options.idle_timeout);
}

void TcpSplice::arm_idle_timer(IdleClock::time_point deadline) {
  m_idle_timer_armed = true;
  m_idle_timer.expires_at(deadline);
  const std::weak_ptr<TcpSplice> weak = weak_from_this();
  m_idle_timer.async_wait([weak](const boost::system::error_code& error) {
    auto self = weak.lock();
    if (!self) return;
    self->m_idle_timer_armed = false;
    if (error || self->m_ended) return;
    const IdleClock::time_point deadline = self->m_last_activity + self->m_options.idle_timeout;
    if (IdleClock::now() < deadline) {
      self->arm_idle_timer(deadline);  // there was traffic since the timer was set
      return;
    }
    self->m_driver.catch_up();
    const auto ms = self->m_options.idle_timeout.count();
    const std::string idle =
        ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
    self->reset("no traffic for " + idle + " of wall time: the bridge reset the connection");
    self->m_driver.wake();
  });
}

// ---- virtual side ----

void TcpSplice::offer_pending() {
  while (m_pending_offset < m_pending.size() && m_stream && !m_virtual_done) {
    const wire::ByteView rest(m_pending.data() + m_pending_offset,
                              m_pending.size() - m_pending_offset);
    const std::size_t accepted = m_stream->send(rest, m_pending_event);
    if (accepted == 0) return;  // the send buffer is full: `writable` brings us back
    m_pending_offset += accepted;
    m_bytes_to_server += accepted;
  }
  if (m_pending_offset < m_pending.size()) return;
  m_pending.clear();
  m_pending_offset = 0;
  m_pending_event = kNoEvent;
  if (m_real_eof && m_stream && !m_virtual_done) {
    m_stream->close();
    return;
  }
  read_real();
}

void TcpSplice::on_connected() {
  m_connected = true;
  read_real();
}

void TcpSplice::on_virtual_data(wire::ByteView bytes) {
  m_bytes_to_client += bytes.size();
  if (m_real_closed) return;
  if (m_to_client.size() + m_in_flight.size() + bytes.size() > m_options.to_client_bytes_max) {
    reset("the real client reads too slowly (more than " +
          std::to_string(m_options.to_client_bytes_max) + " bytes waiting): reset");
    return;
  }
  m_to_client.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  restart_idle_timer();
  write_real();
}

void TcpSplice::on_peer_closed() {
  m_server_fin = true;
  write_real();
}

void TcpSplice::on_virtual_closed() {
  m_virtual_done = true;
  m_pending.clear();
  write_real();  // closes the real socket once what the server said has been written
}

void TcpSplice::on_virtual_failed(net::TcpError error) {
  m_virtual_done = true;
  note("virtual connection failed (" + std::string(net::to_string(error)) +
       "): resetting the real client");
  m_to_client.clear();
  close_real(true);
  maybe_end();
}

EventId TcpSplice::record_request(wire::ByteView bytes) {
  if (!m_options.record_requests || m_tls_seen) return kNoEvent;
  if (looks_like_tls(bytes)) {
    m_tls_seen = true;
    note("the real client now sends TLS records: only the server sees their plaintext");
    return kNoEvent;
  }
  Trace& trace = m_client.sim().trace();
  return m_client.record(Layer::Application, EventKind::Request, trace.store(bytes), kNoEvent,
                         flow());
}

void TcpSplice::maybe_end() {
  if (m_ended || !m_real_closed || !m_virtual_done) return;
  m_ended = true;
  m_idle_timer.cancel();
  if (m_ended_fn) m_ended_fn(*this);
}

EventId TcpSplice::note(std::string_view text) {
  return m_client.note(Layer::Application, text, kNoEvent, flow());
}

}  // namespace mailscope::bridge
