#include "services/imap_server_connection.h"

#include "services/send_batch.h"

namespace mailscope::services {

std::shared_ptr<ImapServerConnection> ImapServerConnection::start(
    std::shared_ptr<net::TcpStream> stream, AppConnectionOptions connection_options,
    ImapServerConnectionOptions options, imap::ImapServerPolicy& policy, mail::MailStore& store,
    EndedFn ended) {
  Simulator& sim = stream->host().sim();
  auto self = std::make_shared<ImapServerConnection>(sim, std::move(options), policy, store);
  self->m_ended = std::move(ended);
  const std::weak_ptr<ImapServerConnection> weak = self;
  self->m_engine.set_wake([weak] {
    if (auto s = weak.lock()) s->on_store_wake();
  });
  AppConnection::Callbacks callbacks;
  callbacks.data = [weak](std::string_view bytes, EventId cause) {
    if (auto s = weak.lock()) s->on_data(bytes, cause);
  };
  callbacks.tls_established = [weak](const tls::TlsInfo&) {
    if (auto s = weak.lock()) s->on_tls_established();
  };
  callbacks.tls_failed = [weak](const std::string&) {
    if (auto s = weak.lock()) s->end();
  };
  callbacks.peer_closed = [weak] {
    // A client that leaves without LOGOUT: nothing more can be said to it.
    if (auto s = weak.lock()) s->m_connection->close();
  };
  callbacks.closed = [weak] {
    if (auto s = weak.lock()) s->end();
  };
  callbacks.failed = [weak](const std::string&) {
    if (auto s = weak.lock()) s->end();
  };
  self->m_connection =
      AppConnection::adopt(std::move(stream), std::move(connection_options), std::move(callbacks));
  if (self->m_options.implicit_tls && self->m_options.tls) {
    self->m_connection->start_tls_server(*self->m_options.tls);
  } else {
    self->begin();
  }
  return self;
}

ImapServerConnection::ImapServerConnection(Simulator& sim, ImapServerConnectionOptions options,
                                           imap::ImapServerPolicy& policy, mail::MailStore& store)
    : m_sim(sim),
      m_options(std::move(options)),
      m_engine(m_options.engine, policy, store, sim.now()),
      m_timer(sim) {}

ImapServerConnection::~ImapServerConnection() = default;

void ImapServerConnection::begin() {
  if (m_started) return;
  m_started = true;
  carry_out(m_engine.start(m_sim.now()), m_cause);
}

void ImapServerConnection::on_data(std::string_view bytes, EventId cause) {
  if (!m_started) return;  // implicit TLS not up yet: nothing to hand over
  m_cause = cause;
  carry_out(m_engine.on_bytes(m_sim.now(), bytes), cause);
  m_cause = kNoEvent;
}

void ImapServerConnection::on_tls_established() {
  if (!m_started) {
    begin();  // implicit TLS: the session starts now
    return;
  }
  carry_out(m_engine.on_tls_established(m_sim.now()), kNoEvent);
}

void ImapServerConnection::on_store_wake() {
  // The store calls this from inside a change (possibly one this very engine is making), so
  // the engine hears of it as a separate step at the same instant.
  if (m_wake_scheduled) return;
  m_wake_scheduled = true;
  const std::weak_ptr<ImapServerConnection> weak = weak_from_this();
  m_sim.schedule_after(0, [weak] {
    auto self = weak.lock();
    if (!self) return;
    self->m_wake_scheduled = false;
    self->carry_out(self->m_engine.on_store_changed(self->m_sim.now()), kNoEvent);
  });
}

void ImapServerConnection::carry_out(imap::ImapOutput out, EventId cause) {
  const auto self = shared_from_this();
  SendBatch batch;
  for (imap::ImapAction& action : out.actions) {
    if (auto* send = std::get_if<imap::Send>(&action)) {
      const L7Unit unit{send->bytes.size(), EventKind::Response, 0};
      if (send->delay_ns > 0) {
        batch.flush(*m_connection);
        m_connection->send(std::move(send->bytes), {unit}, cause, send->delay_ns);
      } else {
        batch.add(*m_connection, send->bytes, unit, cause);
      }
      continue;
    }
    if (std::holds_alternative<imap::StartTls>(action)) {
      batch.flush(*m_connection);
      if (m_options.tls) {
        m_connection->start_tls_server(*m_options.tls);
      } else {
        m_connection->close();  // the engine offered TLS it does not have: a configuration bug
      }
    } else if (std::holds_alternative<imap::Close>(action)) {
      batch.flush(*m_connection);
      m_connection->close();
    } else if (const auto* state = std::get_if<imap::StateChanged>(&action)) {
      m_connection->record(Layer::Application, EventKind::StateChange, cause,
                           std::string(state->from) + " -> " + std::string(state->to));
    } else if (const auto* violation = std::get_if<imap::ProtocolViolation>(&action)) {
      m_connection->note("protocol violation: " + violation->what, cause);
    }
  }
  batch.flush(*m_connection);
  rearm();
}

void ImapServerConnection::rearm() {
  const std::weak_ptr<ImapServerConnection> weak = weak_from_this();
  m_timer.arm(m_engine.deadline(), [weak] {
    auto self = weak.lock();
    if (!self) return;
    self->carry_out(self->m_engine.on_timeout(self->m_sim.now()), kNoEvent);
  });
}

void ImapServerConnection::end() {
  m_timer.cancel();
  if (m_ended_reported) return;
  m_ended_reported = true;
  if (m_ended) m_ended(this);
}

}  // namespace mailscope::services
