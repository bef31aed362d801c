#include "services/app_connection.h"

#include <algorithm>

#include "net/network.h"

namespace mailscope::services {
namespace {

constexpr std::size_t kTlsRecordHeader = 5;  // type, version (2), length (2)

// Splits ciphertext into TLS records by their headers; a malformed or cut tail stays one piece.
std::vector<wire::ByteView> split_records(wire::ByteView bytes) {
  std::vector<wire::ByteView> records;
  std::size_t at = 0;
  while (at < bytes.size()) {
    std::size_t size = bytes.size() - at;
    if (size >= kTlsRecordHeader) {
      const std::size_t length = wire::read_u16(bytes, at + 3);
      size = std::min(size, kTlsRecordHeader + length);
    }
    records.push_back(bytes.subspan(at, size));
    at += size;
  }
  return records;
}

}  // namespace

std::shared_ptr<AppConnection> AppConnection::connect(net::Host& host, wire::Ipv4Addr dst,
                                                      std::uint16_t port,
                                                      AppConnectionOptions options,
                                                      Callbacks callbacks) {
  auto stream = host.tcp().connect(dst, port, {});
  auto connection = std::make_shared<AppConnection>(std::move(stream), ConnectionRole::Client,
                                                    std::move(options));
  connection->set_callbacks(std::move(callbacks));
  connection->attach();
  return connection;
}

std::shared_ptr<AppConnection> AppConnection::adopt(std::shared_ptr<net::TcpStream> stream,
                                                    AppConnectionOptions options,
                                                    Callbacks callbacks) {
  auto connection = std::make_shared<AppConnection>(std::move(stream), ConnectionRole::Server,
                                                    std::move(options));
  connection->set_callbacks(std::move(callbacks));
  connection->attach();
  return connection;
}

AppConnection::AppConnection(std::shared_ptr<net::TcpStream> stream, ConnectionRole role,
                             AppConnectionOptions options)
    : m_host(stream->host()),
      m_stream(std::move(stream)),
      m_role(role),
      m_options(std::move(options)) {}

AppConnection::~AppConnection() {
  if (m_delay_timer) sim().cancel(m_delay_timer);
  // The stream's callbacks hold only weak references, so they are left in place (one of them may
  // be running right now). Nobody is left to finish the conversation: tell the peer instead of
  // leaving it hanging.
  if (!m_close_done) m_stream->abort();
}

void AppConnection::attach() {
  if (!m_options.application.empty() && flow() != kNoFlow) {
    // Name the protocol and both ends on the flow, so views know how to print it.
    FlowInfo& info = sim().trace().flow(flow());
    info.application = m_options.application;
    const net::Host* peer = m_host.network().host_with_address(remote().address);
    const NodeId peer_id = peer != nullptr ? peer->id() : kNoNode;
    info.client = m_role == ConnectionRole::Client ? m_host.id() : peer_id;
    info.server = m_role == ConnectionRole::Server ? m_host.id() : peer_id;
  }
  const std::weak_ptr<AppConnection> weak = weak_from_this();
  m_stream->set_callbacks({
      .connected =
          [weak] {
            if (auto self = weak.lock()) self->on_connected();
          },
      .data =
          [weak](wire::ByteView bytes, EventId l4_event) {
            if (auto self = weak.lock()) self->on_tcp_data(bytes, l4_event);
          },
      .peer_closed =
          [weak] {
            if (auto self = weak.lock()) self->on_peer_closed();
          },
      .closed =
          [weak] {
            if (auto self = weak.lock()) self->on_closed();
          },
      .failed =
          [weak](net::TcpError error) {
            if (auto self = weak.lock()) self->on_failed(error);
          },
      .writable =
          [weak] {
            if (auto self = weak.lock()) self->on_writable();
          },
  });
}

// ---------------------------------------------------------------------------------------------
// Operations, in order

void AppConnection::send(std::string bytes, std::vector<L7Unit> units, EventId cause,
                         TimeNs delay_ns) {
  Operation op;
  op.kind = OpKind::Write;
  op.bytes = std::move(bytes);
  op.units = std::move(units);
  op.cause = cause;
  op.not_before = sim().now() + std::max<TimeNs>(delay_ns, 0);
  enqueue(std::move(op));
}

void AppConnection::start_tls_server(const tls::TlsServerConfig& config) {
  Operation op;
  op.kind = OpKind::TlsServer;
  op.server_config = config;
  op.not_before = sim().now();
  enqueue(std::move(op));
}

void AppConnection::start_tls_client(const tls::TlsClientConfig& config) {
  Operation op;
  op.kind = OpKind::TlsClient;
  op.client_config = config;
  op.not_before = sim().now();
  enqueue(std::move(op));
}

void AppConnection::close() {
  Operation op;
  op.kind = OpKind::Close;
  op.not_before = sim().now();
  enqueue(std::move(op));
}

void AppConnection::abort() {
  m_operations.clear();
  m_unsent.clear();
  if (m_delay_timer) sim().cancel(m_delay_timer);
  m_delay_timer = TimerId{};
  m_close_done = true;
  m_stream->abort();
}

void AppConnection::enqueue(Operation op) {
  if (m_close_done) return;
  if (m_operations.size() >= kPendingOperationsMax) {
    note("too many operations waiting behind a delayed write; connection aborted");
    abort();
    return;
  }
  m_operations.push_back(std::move(op));
  if (!m_delay_timer) run_operations();
}

void AppConnection::run_operations() {
  // Hold ourselves: an operation may end in a callback that drops the owner's reference.
  const auto self = shared_from_this();
  while (!m_operations.empty() && !m_close_done) {
    if (m_operations.front().not_before > sim().now()) {
      const std::weak_ptr<AppConnection> weak = weak_from_this();
      m_delay_timer = sim().schedule_at(m_operations.front().not_before, [weak] {
        if (auto connection = weak.lock()) {
          connection->m_delay_timer = TimerId{};
          connection->run_operations();
        }
      });
      return;
    }
    Operation op = std::move(m_operations.front());
    m_operations.pop_front();
    execute(op);
  }
}

void AppConnection::execute(Operation& op) {
  switch (op.kind) {
    case OpKind::Write:
      write_now(op);
      return;
    case OpKind::TlsServer:
    case OpKind::TlsClient:
      begin_tls(op);
      return;
    case OpKind::Close:
      close_now();
      return;
  }
}

void AppConnection::write_now(const Operation& op) {
  Trace& trace = sim().trace();
  EventId first = kNoEvent;
  std::size_t offset = 0;
  for (const L7Unit& unit : op.units) {
    const std::size_t size = std::min(unit.size, op.bytes.size() - offset);
    const BlobRef data = trace.store(std::string_view(op.bytes).substr(offset, size));
    const EventId event =
        m_host.record(Layer::Application, unit.kind, data, op.cause, flow(), unit.detail);
    if (first == kNoEvent) first = event;
    offset += size;
  }
  if (!m_tls) {
    transmit(wire::as_bytes(op.bytes), first);
    return;
  }
  if (m_tls->state() != tls::TlsState::Handshaking &&
      m_tls->state() != tls::TlsState::Established) {
    note("write after TLS ended; " + std::to_string(op.bytes.size()) + " bytes dropped", first);
    return;
  }
  // The TLS layer takes a bounded amount at a time; each piece's records are handed to TCP (or
  // queued behind it) before the next, so a message of any size goes through whole.
  wire::ByteView rest = wire::as_bytes(op.bytes);
  while (true) {
    const std::size_t accepted = m_tls->write(rest);
    rest = rest.subspan(accepted);
    if (m_tls->state() == tls::TlsState::Established) {
      flush_tls(first);
    } else {
      m_waiting_l7 = first;  // the records leave when the handshake completes
      flush_tls(kNoEvent);
    }
    if (rest.empty() || accepted == 0) break;
  }
  if (!rest.empty())
    note("TLS could not take " + std::to_string(rest.size()) + " bytes; they were dropped", first);
  after_tls_call();
}

void AppConnection::begin_tls(Operation& op) {
  if (m_tls) {
    note("TLS requested twice on one connection; ignored");
    return;
  }
  if (m_options.crypto == nullptr) {
    record(Layer::Tls, EventKind::StateChange, m_cause, "TLS failed: no TLS library context");
    if (m_callbacks.tls_failed) m_callbacks.tls_failed("no TLS library context");
    close_now();
    return;
  }
  auto endpoint = op.kind == OpKind::TlsServer
                      ? tls::TlsEndpoint::server(*m_options.crypto, *op.server_config)
                      : tls::TlsEndpoint::client(*m_options.crypto, *op.client_config);
  if (!endpoint) {
    const std::string reason = endpoint.error().to_string();
    record(Layer::Tls, EventKind::StateChange, m_cause, "TLS failed: " + reason);
    if (m_callbacks.tls_failed) m_callbacks.tls_failed(reason);
    close_now();
    return;
  }
  m_tls.emplace(std::move(endpoint).value());
  m_tls->set_hooks(make_hooks());
  // A client speaks first: its ClientHello is ready at once.
  if (op.kind == OpKind::TlsClient) {
    flush_tls(kNoEvent);
    after_tls_call();
  }
}

void AppConnection::close_now() {
  if (m_close_done) return;
  m_close_done = true;
  if (m_tls && m_tls->state() == tls::TlsState::Established) {
    m_tls->close();
    flush_tls(kNoEvent);
  }
  // FIN goes after the last byte, so it waits for bytes the send buffer could not take yet.
  if (m_unsent.empty())
    m_stream->close();
  else
    m_fin_waits_for_unsent = true;
}

// ---------------------------------------------------------------------------------------------
// Network side

void AppConnection::on_connected() {
  if (m_role == ConnectionRole::Client && m_callbacks.connected) m_callbacks.connected();
}

void AppConnection::on_tcp_data(wire::ByteView bytes, EventId l4_event) {
  const auto self = shared_from_this();
  m_cause = l4_event;
  if (!m_tls) {
    if (m_callbacks.data) {
      m_callbacks.data(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
                       l4_event);
    }
    m_cause = kNoEvent;
    return;
  }
  m_tls->feed(bytes);
  flush_tls(kNoEvent);
  after_tls_call();
  if (m_tls) {
    const wire::Bytes plaintext = m_tls->read();
    if (!plaintext.empty() && m_callbacks.data) {
      m_callbacks.data(
          std::string_view(reinterpret_cast<const char*>(plaintext.data()), plaintext.size()),
          l4_event);
    }
  }
  m_cause = kNoEvent;
}

void AppConnection::on_peer_closed() {
  const auto self = shared_from_this();
  if (m_callbacks.peer_closed) m_callbacks.peer_closed();
}

void AppConnection::on_closed() {
  const auto self = shared_from_this();
  m_close_done = true;
  if (m_callbacks.closed) m_callbacks.closed();
}

void AppConnection::on_failed(net::TcpError error) {
  const auto self = shared_from_this();
  m_close_done = true;
  m_operations.clear();
  if (m_callbacks.failed) m_callbacks.failed(std::string(net::to_string(error)));
}

// ---------------------------------------------------------------------------------------------
// TLS side

tls::TlsHooks AppConnection::make_hooks() {
  tls::TlsHooks hooks;
  // The endpoint is ours and its hooks run only inside our calls to it, so `this` is alive.
  hooks.on_message = [this](tls::TlsDirection direction, std::string_view name) {
    const bool sent = direction == tls::TlsDirection::Sent;
    const EventId event =
        record(Layer::Tls, sent ? EventKind::Send : EventKind::Receive, m_cause, name);
    if (sent) m_last_tls_event = event;
  };
  hooks.on_alert = [this](tls::TlsDirection direction, const tls::TlsAlert& alert) {
    const std::string text = "alert " + std::string(tls::to_string(direction)) +
                             (alert.fatal ? ": fatal " : ": warning ") + alert.name;
    const EventId event = record(Layer::Tls, EventKind::Note, m_cause, text);
    if (direction == tls::TlsDirection::Sent) m_last_tls_event = event;
  };
  hooks.on_keylog = [this](std::string_view line) {
    if (m_options.key_log != nullptr) m_options.key_log->add(line);
  };
  hooks.on_state_change = [this](tls::TlsState, tls::TlsState to) {
    switch (to) {
      case tls::TlsState::Established: {
        const tls::TlsInfo& info = m_tls->info();
        m_last_tls_event = record(Layer::Tls, EventKind::StateChange, m_cause,
                                  "TLS established: " + info.version + " " + info.cipher);
        m_transition = TlsTransition::Established;
        break;
      }
      case tls::TlsState::Failed:
        m_last_tls_event = record(Layer::Tls, EventKind::StateChange, m_cause,
                                  "TLS failed: " + m_tls->info().failure);
        m_transition = TlsTransition::Failed;
        break;
      case tls::TlsState::Closed:
        m_last_tls_event = record(Layer::Tls, EventKind::StateChange, m_cause, "TLS closed");
        break;
      case tls::TlsState::Handshaking:
      case tls::TlsState::Closing:
        break;
    }
  };
  return hooks;
}

void AppConnection::flush_tls(EventId l7_event) {
  if (!m_tls) return;
  const wire::Bytes out = m_tls->take_outgoing();
  if (out.empty()) return;
  if (l7_event == kNoEvent) {
    transmit(out, m_last_tls_event);
    return;
  }
  Trace& trace = sim().trace();
  for (const wire::ByteView record_bytes : split_records(out)) {
    const EventId event =
        m_host.record(Layer::Tls, EventKind::Send, trace.store(record_bytes), l7_event, flow());
    transmit(record_bytes, event);
  }
}

void AppConnection::transmit(wire::ByteView bytes, EventId parent) {
  std::size_t accepted = 0;
  if (m_unsent.empty()) accepted = m_stream->send(bytes, parent);
  if (accepted < bytes.size())
    m_unsent.push_back(Unsent{
        wire::Bytes(bytes.begin() + static_cast<std::ptrdiff_t>(accepted), bytes.end()), parent});
}

void AppConnection::on_writable() {
  while (!m_unsent.empty()) {
    Unsent& front = m_unsent.front();
    const std::size_t accepted = m_stream->send(front.bytes, front.parent);
    if (accepted < front.bytes.size()) {
      front.bytes.erase(front.bytes.begin(),
                        front.bytes.begin() + static_cast<std::ptrdiff_t>(accepted));
      return;
    }
    m_unsent.pop_front();
  }
  if (m_fin_waits_for_unsent) {
    m_fin_waits_for_unsent = false;
    m_stream->close();
  }
}

void AppConnection::after_tls_call() {
  const TlsTransition transition = m_transition;
  m_transition = TlsTransition::None;
  if (transition == TlsTransition::Established) {
    const tls::TlsInfo info = m_tls->info();
    if (info.role == tls::TlsRole::Client) note_verification(info);
    // Bytes written during the handshake were encrypted just now.
    const EventId waiting = m_waiting_l7;
    m_waiting_l7 = kNoEvent;
    if (waiting != kNoEvent) flush_tls(waiting);
    if (m_callbacks.tls_established) m_callbacks.tls_established(info);
  } else if (transition == TlsTransition::Failed && !m_tls_failed_reported) {
    m_tls_failed_reported = true;
    const std::string reason = m_tls->info().failure;
    flush_tls(kNoEvent);  // the fatal alert, if any
    if (!m_close_done) {
      m_close_done = true;
      m_operations.clear();
      m_stream->close();
    }
    if (m_callbacks.tls_failed) m_callbacks.tls_failed(reason);
  }
}

void AppConnection::note_verification(const tls::TlsInfo& info) {
  const tls::TlsVerification& v = info.verification;
  std::string text = "certificate";
  if (info.peer_certificate) {
    text += " " + info.peer_certificate->subject + " issued by " + info.peer_certificate->issuer;
  }
  if (!v.checked) {
    text += ": not checked";
  } else if (v.ok()) {
    text += ": verified";
    if (!info.server_name.empty()) text += " for " + info.server_name;
  } else {
    text += ": NOT verified:";
    for (std::size_t i = 0; i < v.problems.size(); ++i)
      text += (i == 0 ? " " : "; ") + v.problems[i];
  }
  record(Layer::Tls, EventKind::Note, m_last_tls_event, text);
}

// ---------------------------------------------------------------------------------------------
// Helpers

EventId AppConnection::record(Layer layer, EventKind kind, EventId parent, std::string_view text,
                              std::uint16_t detail) {
  const BlobRef stored = text.empty() ? BlobRef{} : sim().trace().store(text);
  return m_host.record(layer, kind, {}, parent, flow(), detail, stored);
}

EventId AppConnection::note(std::string_view text, EventId parent) {
  return record(Layer::Application, EventKind::Note, parent == kNoEvent ? m_cause : parent, text);
}

bool AppConnection::tls_active() const {
  return m_tls && m_tls->state() == tls::TlsState::Established;
}

const tls::TlsInfo* AppConnection::tls_info() const {
  return m_tls ? &m_tls->info() : nullptr;
}

}  // namespace mailscope::services
