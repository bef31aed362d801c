#include "services/smtp_server_connection.h"

#include "services/smtp_glue.h"

namespace mailscope::services {

std::shared_ptr<SmtpServerConnection> SmtpServerConnection::start(
    std::shared_ptr<net::TcpStream> stream, AppConnectionOptions connection_options,
    SmtpServerConnectionOptions options, const PolicyFactory& make_policy, EndedFn ended) {
  Simulator& sim = stream->host().sim();
  auto self = std::make_shared<SmtpServerConnection>(sim, std::move(options));
  self->m_context.client_address = stream->remote().address;
  self->m_context.local_port = stream->local().port;
  self->m_context.flow = stream->flow();
  self->m_policy = make_policy(self->m_context);
  self->m_engine =
      std::make_unique<smtp::SmtpServerSession>(self->m_options.engine, *self->m_policy, sim.now());
  self->m_ended = std::move(ended);
  const std::weak_ptr<SmtpServerConnection> weak = self;
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
    // A client that leaves without QUIT: nothing more can be said to it.
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

SmtpServerConnection::SmtpServerConnection(Simulator& sim, SmtpServerConnectionOptions options)
    : m_sim(sim), m_options(std::move(options)), m_timer(sim) {}

SmtpServerConnection::~SmtpServerConnection() = default;

void SmtpServerConnection::begin() {
  if (m_started) return;
  m_started = true;
  if (m_options.greeting == GreetingMode::Refuse) {
    const std::string reply = "421 4.3.2 " + m_options.engine.hostname +
                              " Service not available, closing transmission channel\r\n";
    const std::size_t size = reply.size();
    m_connection->send(reply, {L7Unit{size, EventKind::Response, 0}}, m_context.cause);
    m_connection->close();
    return;
  }
  carry_out(m_engine->start(m_sim.now()), m_context.cause);
}

void SmtpServerConnection::on_data(std::string_view bytes, EventId cause) {
  if (!m_started) return;  // implicit TLS not up yet, or refused: nothing to hand over
  m_context.cause = cause;
  carry_out(m_engine->on_bytes(m_sim.now(), bytes), cause);
  m_context.cause = kNoEvent;
}

void SmtpServerConnection::on_tls_established() {
  m_context.tls_active = true;
  if (!m_started) {
    begin();  // implicit TLS: the session starts now
    return;
  }
  carry_out(m_engine->on_tls_established(m_sim.now()), m_context.cause);
}

void SmtpServerConnection::carry_out(smtp::SmtpOutput out, EventId cause) {
  const auto self = shared_from_this();
  auto& actions = out.actions;
  for (std::size_t i = 0; i < actions.size(); ++i) {
    smtp::SmtpAction& action = actions[i];
    if (auto* send = std::get_if<smtp::Send>(&action)) {
      SendUnits plan = units_for_send(actions, i);
      m_connection->send(std::move(send->bytes), std::move(plan.units), cause, send->delay_ns);
      i += plan.consumed;
    } else if (std::holds_alternative<smtp::StartTls>(action)) {
      if (m_options.tls) {
        m_connection->start_tls_server(*m_options.tls);
      } else {
        m_connection->close();  // the engine offered TLS it does not have: a configuration bug
      }
    } else if (std::holds_alternative<smtp::Close>(action)) {
      m_connection->close();
    } else {
      record_observation(*m_connection, action, cause);
    }
  }
  rearm();
}

void SmtpServerConnection::rearm() {
  const std::weak_ptr<SmtpServerConnection> weak = weak_from_this();
  m_timer.arm(m_engine->deadline(), [weak] {
    auto self = weak.lock();
    if (!self) return;
    self->carry_out(self->m_engine->on_timeout(self->m_sim.now()), kNoEvent);
  });
}

void SmtpServerConnection::end() {
  m_timer.cancel();
  if (m_ended_reported) return;
  m_ended_reported = true;
  if (m_ended) m_ended(this);
}

}  // namespace mailscope::services
