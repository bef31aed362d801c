#include "services/pop3_server_connection.h"

#include "services/send_batch.h"

namespace mailscope::services {

std::shared_ptr<Pop3ServerConnection> Pop3ServerConnection::start(
    std::shared_ptr<net::TcpStream> stream, AppConnectionOptions connection_options,
    Pop3ServerConnectionOptions options, pop3::Pop3AuthPolicy& policy, mail::MailStore& store,
    EndedFn ended) {
  Simulator& sim = stream->host().sim();
  auto self = std::make_shared<Pop3ServerConnection>(sim, std::move(options), policy, store);
  self->m_ended = std::move(ended);
  const std::weak_ptr<Pop3ServerConnection> weak = self;
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
    // A client that leaves without QUIT: the session ends without UPDATE.
    if (auto s = weak.lock()) {
      s->carry_out(s->m_engine.on_connection_lost(s->m_sim.now()), kNoEvent);
      s->m_connection->close();
    }
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

Pop3ServerConnection::Pop3ServerConnection(Simulator& sim, Pop3ServerConnectionOptions options,
                                           pop3::Pop3AuthPolicy& policy, mail::MailStore& store)
    : m_sim(sim),
      m_options(std::move(options)),
      m_engine(m_options.engine, store, policy, sim.now()),
      m_timer(sim) {}

Pop3ServerConnection::~Pop3ServerConnection() = default;

void Pop3ServerConnection::begin() {
  if (m_started) return;
  m_started = true;
  carry_out(m_engine.start(m_sim.now()), kNoEvent);
}

void Pop3ServerConnection::on_data(std::string_view bytes, EventId cause) {
  if (!m_started) return;  // implicit TLS not up yet: nothing to hand over
  carry_out(m_engine.on_bytes(m_sim.now(), bytes), cause);
}

void Pop3ServerConnection::on_tls_established() {
  if (!m_started) {
    begin();  // implicit TLS: the session starts now
    return;
  }
  carry_out(m_engine.on_tls_established(m_sim.now()), kNoEvent);
}

void Pop3ServerConnection::carry_out(pop3::Pop3Output out, EventId cause) {
  const auto self = shared_from_this();
  SendBatch batch;
  for (pop3::Pop3Action& action : out.actions) {
    if (auto* send = std::get_if<pop3::Send>(&action)) {
      const L7Unit unit{send->bytes.size(), EventKind::Response, 0};
      if (send->delay_ns > 0) {
        batch.flush(*m_connection);
        m_connection->send(std::move(send->bytes), {unit}, cause, send->delay_ns);
      } else {
        batch.add(*m_connection, send->bytes, unit, cause);
      }
      continue;
    }
    if (std::holds_alternative<pop3::StartTls>(action)) {
      batch.flush(*m_connection);
      if (m_options.tls) {
        m_connection->start_tls_server(*m_options.tls);
      } else {
        m_connection->close();  // the engine offered TLS it does not have: a configuration bug
      }
    } else if (std::holds_alternative<pop3::Close>(action)) {
      batch.flush(*m_connection);
      m_connection->close();
    } else if (const auto* state = std::get_if<pop3::StateChanged>(&action)) {
      m_connection->record(Layer::Application, EventKind::StateChange, cause,
                           std::string(state->from) + " -> " + std::string(state->to));
    } else if (const auto* violation = std::get_if<pop3::ProtocolViolation>(&action)) {
      m_connection->note("protocol violation: " + violation->what, cause);
    } else if (const auto* note = std::get_if<pop3::Note>(&action)) {
      m_connection->note(note->text, cause);
    } else if (const auto* updated = std::get_if<pop3::MaildropUpdated>(&action)) {
      m_connection->note("UPDATE: removed " + std::to_string(updated->removed.size()) + " of " +
                             std::to_string(updated->marked) + " marked messages from " +
                             updated->user + "'s maildrop",
                         cause);
    }
  }
  batch.flush(*m_connection);
  rearm();
}

void Pop3ServerConnection::rearm() {
  const std::weak_ptr<Pop3ServerConnection> weak = weak_from_this();
  m_timer.arm(m_engine.deadline(), [weak] {
    auto self = weak.lock();
    if (!self) return;
    self->carry_out(self->m_engine.on_timeout(self->m_sim.now()), kNoEvent);
  });
}

void Pop3ServerConnection::end() {
  m_timer.cancel();
  if (m_ended_reported) return;
  m_ended_reported = true;
  if (!m_engine.closed()) {
    // Reset or failed TLS before QUIT: nothing marked is removed and the lock goes.
    const pop3::Pop3Output lost = m_engine.on_connection_lost(m_sim.now());
    (void)lost;
  }
  if (m_ended) m_ended(this);
}

}  // namespace mailscope::services
