#include "services/imap_client_connection.h"

#include "services/send_batch.h"

namespace mailscope::services {

std::shared_ptr<ImapClientConnection> ImapClientConnection::start(
    const ServiceContext& context, net::Host& host, wire::Ipv4Addr server, std::uint16_t port,
    ImapClientConnectionOptions options, Callbacks callbacks) {
  auto self = std::make_shared<ImapClientConnection>(context, std::move(options));
  self->m_callbacks = std::move(callbacks);
  const std::weak_ptr<ImapClientConnection> weak = self;
  AppConnection::Callbacks app;
  app.connected = [weak] {
    if (auto s = weak.lock()) s->on_connected();
  };
  app.data = [weak](std::string_view bytes, EventId cause) {
    if (auto s = weak.lock()) s->on_data(bytes, cause);
  };
  app.tls_established = [weak](const tls::TlsInfo&) {
    auto s = weak.lock();
    if (!s) return;
    // Implicit TLS: the engine simply waits for the greeting, which now comes encrypted.
    if (s->m_options.engine.transport == imap::ClientTransport::ImplicitTls) return;
    s->carry_out(s->m_engine.on_tls_established(s->m_context.sim.now()), kNoEvent);
  };
  app.tls_failed = [weak](const std::string&) {
    if (auto s = weak.lock()) s->on_lost();
  };
  app.peer_closed = [weak] {
    if (auto s = weak.lock()) {
      s->on_lost();
      s->m_connection->close();
    }
  };
  app.closed = [weak] {
    if (auto s = weak.lock()) s->on_lost();
  };
  app.failed = [weak](const std::string& reason) {
    if (auto s = weak.lock()) {
      s->m_connection_error = reason;
      s->on_lost();
    }
  };
  AppConnectionOptions connection_options{"imap", &context.crypto, context.key_log};
  self->m_connection =
      AppConnection::connect(host, server, port, std::move(connection_options), std::move(app));
  self->carry_out(self->m_engine.start(context.sim.now()), kNoEvent);
  return self;
}

ImapClientConnection::ImapClientConnection(const ServiceContext& context,
                                           ImapClientConnectionOptions options)
    : m_context(context),
      m_options(std::move(options)),
      m_engine(m_options.engine, context.sim.now()),
      m_timer(context.sim) {}

ImapClientConnection::~ImapClientConnection() = default;

const tls::TlsInfo* ImapClientConnection::tls_info() const {
  return m_connection ? m_connection->tls_info() : nullptr;
}

void ImapClientConnection::flush() {
  if (m_finished || m_carrying_out) return;
  carry_out(m_engine.flush(m_context.sim.now()), kNoEvent);
}

void ImapClientConnection::on_connected() {
  if (m_options.engine.transport == imap::ClientTransport::ImplicitTls) begin_tls();
}

void ImapClientConnection::begin_tls() {
  tls::TlsClientConfig config = m_options.tls;
  config.verify_time_s = m_context.unix_seconds();
  m_connection->start_tls_client(config);
}

void ImapClientConnection::on_data(std::string_view bytes, EventId cause) {
  if (m_finished) return;
  carry_out(m_engine.on_bytes(m_context.sim.now(), bytes), cause);
}

void ImapClientConnection::on_lost() {
  if (m_finished) return;
  carry_out(m_engine.on_connection_lost(m_context.sim.now()), kNoEvent);
}

void ImapClientConnection::carry_out(imap::ImapOutput out, EventId cause) {
  const auto self = shared_from_this();
  if (m_carrying_out) {  // reached again from inside a callback: the outer call finishes up
    process(std::move(out), cause);
    return;
  }
  m_carrying_out = true;
  process(std::move(out), cause);
  // Commands the callbacks queued go out now, in the same instant.
  while (!m_finished) {
    imap::ImapOutput more = m_engine.flush(m_context.sim.now());
    if (more.actions.empty()) break;
    process(std::move(more), cause);
  }
  m_carrying_out = false;
  if (m_finished) {
    m_timer.cancel();
  } else {
    rearm();
  }
}

void ImapClientConnection::process(imap::ImapOutput out, EventId cause) {
  SendBatch batch;
  for (imap::ImapAction& action : out.actions) {
    if (const auto* command = std::get_if<imap::CommandSent>(&action)) {
      // The engine announces a command just before the write that carries it.
      m_secret_detail = command->sensitivity == imap::Sensitivity::Secret ? kDetailSecret : 0;
    } else if (auto* send = std::get_if<imap::Send>(&action)) {
      batch.add(*m_connection, send->bytes,
                L7Unit{send->bytes.size(), EventKind::Request, m_secret_detail}, cause);
      m_secret_detail = 0;
    } else if (std::holds_alternative<imap::StartTls>(action)) {
      batch.flush(*m_connection);
      begin_tls();
    } else if (std::holds_alternative<imap::Close>(action)) {
      batch.flush(*m_connection);
      m_connection->close();
    } else if (const auto* received = std::get_if<imap::ResponseReceived>(&action)) {
      if (m_callbacks.response) m_callbacks.response(received->response);
    } else if (const auto* completed = std::get_if<imap::CommandCompleted>(&action)) {
      if (m_callbacks.completed) m_callbacks.completed(*completed);
    } else if (const auto* finished = std::get_if<imap::SessionFinished>(&action)) {
      batch.flush(*m_connection);
      if (!m_finished) {
        m_finished = true;
        if (m_callbacks.finished) {
          auto done = std::move(m_callbacks.finished);
          done(*finished);
        }
      }
    } else if (const auto* state = std::get_if<imap::StateChanged>(&action)) {
      m_connection->record(Layer::Application, EventKind::StateChange, cause,
                           std::string(state->from) + " -> " + std::string(state->to));
    } else if (const auto* violation = std::get_if<imap::ProtocolViolation>(&action)) {
      m_connection->note("protocol violation: " + violation->what, cause);
    }
  }
  batch.flush(*m_connection);
}

void ImapClientConnection::rearm() {
  const std::weak_ptr<ImapClientConnection> weak = weak_from_this();
  m_timer.arm(m_engine.deadline(), [weak] {
    auto self = weak.lock();
    if (!self) return;
    self->carry_out(self->m_engine.on_timeout(self->m_context.sim.now()), kNoEvent);
  });
}

}  // namespace mailscope::services
