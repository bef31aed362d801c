#include "services/smtp_client_connection.h"

#include "services/smtp_glue.h"

namespace mailscope::services {

const smtp::RecipientResult* SmtpClientReport::recipient(std::string_view bracketed_address) const {
  for (const smtp::RecipientResult& r : recipients) {
    if (r.recipient == bracketed_address) return &r;
  }
  return nullptr;
}

std::shared_ptr<SmtpClientConnection> SmtpClientConnection::start(
    const ServiceContext& context, net::Host& host, wire::Ipv4Addr server, std::uint16_t port,
    SmtpClientConnectionOptions options, std::vector<smtp::OutgoingMessage> messages, DoneFn done) {
  auto self =
      std::make_shared<SmtpClientConnection>(context, std::move(options), std::move(messages));
  self->m_done = std::move(done);
  const std::weak_ptr<SmtpClientConnection> weak = self;
  AppConnection::Callbacks callbacks;
  callbacks.connected = [weak] {
    if (auto s = weak.lock()) s->on_connected();
  };
  callbacks.data = [weak](std::string_view bytes, EventId cause) {
    if (auto s = weak.lock()) s->on_data(bytes, cause);
  };
  callbacks.tls_established = [weak](const tls::TlsInfo& info) {
    if (auto s = weak.lock()) s->on_tls_established(info);
  };
  callbacks.tls_failed = [weak](const std::string&) {
    if (auto s = weak.lock()) s->on_lost(kNoEvent);
  };
  callbacks.peer_closed = [weak] {
    if (auto s = weak.lock()) {
      s->on_lost(kNoEvent);
      s->m_connection->close();
    }
  };
  callbacks.closed = [weak] {
    if (auto s = weak.lock()) s->on_lost(kNoEvent);
  };
  callbacks.failed = [weak](const std::string& reason) {
    if (auto s = weak.lock()) {
      s->m_report.connection_error = reason;
      s->on_lost(kNoEvent);
    }
  };
  AppConnectionOptions connection_options{self->m_options.application, &context.crypto,
                                          context.key_log};
  self->m_connection = AppConnection::connect(host, server, port, std::move(connection_options),
                                              std::move(callbacks));
  self->carry_out(self->m_engine->start(context.sim.now()), kNoEvent);
  return self;
}

SmtpClientConnection::SmtpClientConnection(const ServiceContext& context,
                                           SmtpClientConnectionOptions options,
                                           std::vector<smtp::OutgoingMessage> messages)
    : m_context(context), m_options(std::move(options)), m_timer(context.sim) {
  m_engine = std::make_unique<smtp::SmtpClientSession>(m_options.engine, std::move(messages),
                                                       context.sim.now());
}

SmtpClientConnection::~SmtpClientConnection() = default;

void SmtpClientConnection::note_abandoned_in_window() {
  if (!awaiting_final_reply() || !m_connection) return;
  m_connection->note(
      "RFC 1047: the sending server stopped after the final dot and before the reply; the server "
      "may have accepted the message, so sending it again after the restart may deliver it twice");
}

void SmtpClientConnection::on_connected() {
  m_report.connected = true;
  if (m_options.engine.transport == smtp::ClientTransport::ImplicitTls) begin_tls();
}

void SmtpClientConnection::begin_tls() {
  tls::TlsClientConfig config = m_options.tls;
  config.verify_time_s = m_context.unix_seconds();
  m_connection->start_tls_client(config);
}

void SmtpClientConnection::on_data(std::string_view bytes, EventId cause) {
  if (m_reported) return;
  carry_out(m_engine->on_bytes(m_context.sim.now(), bytes), cause);
}

void SmtpClientConnection::on_tls_established(const tls::TlsInfo& info) {
  m_report.tls = info;
  // Implicit TLS: the engine simply waits for the greeting, which now comes encrypted.
  if (m_options.engine.transport == smtp::ClientTransport::ImplicitTls) return;
  carry_out(m_engine->on_tls_established(m_context.sim.now()), kNoEvent);
}

void SmtpClientConnection::on_lost(EventId cause) {
  if (m_reported) return;
  if (const tls::TlsInfo* info = m_connection ? m_connection->tls_info() : nullptr) {
    m_report.tls = *info;
  }
  carry_out(m_engine->on_connection_lost(m_context.sim.now()), cause);
}

void SmtpClientConnection::carry_out(smtp::SmtpOutput out, EventId cause) {
  const auto self = shared_from_this();
  auto& actions = out.actions;
  for (std::size_t i = 0; i < actions.size(); ++i) {
    smtp::SmtpAction& action = actions[i];
    if (auto* send = std::get_if<smtp::Send>(&action)) {
      SendUnits plan = units_for_send(actions, i);
      m_connection->send(std::move(send->bytes), std::move(plan.units), cause, send->delay_ns);
      i += plan.consumed;
    } else if (std::holds_alternative<smtp::StartTls>(action)) {
      begin_tls();
    } else if (std::holds_alternative<smtp::Close>(action)) {
      m_connection->close();
    } else if (auto* recipient = std::get_if<smtp::RecipientResult>(&action)) {
      const auto key = std::make_pair(recipient->message_index, recipient->recipient);
      const auto it = m_recipient_index.find(key);
      if (it == m_recipient_index.end()) {
        m_recipient_index[key] = m_report.recipients.size();
        m_report.recipients.push_back(*recipient);
      } else {
        m_report.recipients[it->second] = *recipient;  // the answer at the final dot wins
      }
    } else if (auto* message = std::get_if<smtp::MessageResult>(&action)) {
      m_report.messages.push_back(*message);
      if (m_options.on_message) m_options.on_message(m_report);
    } else if (auto* finished = std::get_if<smtp::SessionFinished>(&action)) {
      m_report.finished = *finished;
      if (finished->duplicate_risk) {
        m_connection->note(
            "RFC 1047: the connection was lost after the final dot and before the reply; the "
            "server may have accepted the message, so sending it again may deliver it twice",
            cause);
      }
      report();
    } else {
      record_observation(*m_connection, action, cause);
    }
  }
  if (m_reported) {
    m_timer.cancel();
  } else {
    rearm();
  }
}

void SmtpClientConnection::rearm() {
  const std::weak_ptr<SmtpClientConnection> weak = weak_from_this();
  m_timer.arm(m_engine->deadline(), [weak] {
    auto self = weak.lock();
    if (!self) return;
    self->carry_out(self->m_engine->on_timeout(self->m_context.sim.now()), kNoEvent);
  });
}

void SmtpClientConnection::report() {
  if (m_reported) return;
  m_reported = true;
  if (!m_report.tls) {
    if (const tls::TlsInfo* info = m_connection->tls_info()) m_report.tls = *info;
  }
  if (m_done) {
    DoneFn done = std::move(m_done);
    done(m_report);
  }
}

}  // namespace mailscope::services
