#include "services/pop3_fetch.h"

#include "services/send_batch.h"

namespace mailscope::services {
namespace {

pop3::Pop3ClientConfig engine_config(const FetchTarget& target, const Pop3SyncState& state) {
  pop3::Pop3ClientConfig config;
  config.user = target.user;
  config.password = target.password;
  switch (target.security) {
    case ConnectionSecurity::None:
      config.transport = pop3::ClientTransport::Plain;
      config.stls = pop3::StlsPolicy::Never;
      break;
    case ConnectionSecurity::StartTls:
      config.transport = pop3::ClientTransport::Plain;
      config.stls = pop3::StlsPolicy::Required;
      break;
    case ConnectionSecurity::Implicit:
      config.transport = pop3::ClientTransport::ImplicitTls;
      config.stls = pop3::StlsPolicy::Never;
      break;
  }
  // USER and PASS read like the textbook dialogue (and show what plaintext login gives away).
  config.login = pop3::LoginMethod::UserPass;
  config.mode = target.mode == FetchMode::Delete ? pop3::RetrievalMode::DownloadAndDelete
                                                 : pop3::RetrievalMode::LeaveOnServer;
  config.known_unique_ids = state.known_unique_ids;
  return config;
}

}  // namespace

std::shared_ptr<Pop3Fetch> Pop3Fetch::start(const ServiceContext& context, net::Host& host,
                                            const FetchTarget& target, Pop3SyncState state,
                                            DoneFn done) {
  auto self = std::make_shared<Pop3Fetch>(context, target, std::move(state), std::move(done));
  const std::weak_ptr<Pop3Fetch> weak = self;
  AppConnection::Callbacks callbacks;
  callbacks.connected = [weak] {
    if (auto s = weak.lock()) s->on_connected();
  };
  callbacks.data = [weak](std::string_view bytes, EventId cause) {
    if (auto s = weak.lock()) s->on_data(bytes, cause);
  };
  callbacks.tls_established = [weak](const tls::TlsInfo&) {
    auto s = weak.lock();
    if (!s) return;
    // Implicit TLS: the engine simply waits for the greeting, which now comes encrypted.
    if (s->m_target.security == ConnectionSecurity::Implicit) return;
    s->carry_out(s->m_engine.on_tls_established(s->m_context.sim.now()), kNoEvent);
  };
  callbacks.tls_failed = [weak](const std::string&) {
    if (auto s = weak.lock()) s->on_lost();
  };
  callbacks.peer_closed = [weak] {
    if (auto s = weak.lock()) {
      s->on_lost();
      s->m_connection->close();
    }
  };
  callbacks.closed = [weak] {
    if (auto s = weak.lock()) s->on_lost();
  };
  callbacks.failed = [weak](const std::string& reason) {
    if (auto s = weak.lock()) {
      s->m_connection_error = reason;
      s->on_lost();
    }
  };
  AppConnectionOptions connection_options{"pop3", &context.crypto, context.key_log};
  self->m_connection = AppConnection::connect(host, target.server_address, target.port,
                                              std::move(connection_options), std::move(callbacks));
  self->carry_out(self->m_engine.start(context.sim.now()), kNoEvent);
  return self;
}

Pop3Fetch::Pop3Fetch(const ServiceContext& context, const FetchTarget& target, Pop3SyncState state,
                     DoneFn done)
    : m_context(context),
      m_target(target),
      m_engine(engine_config(target, state), context.sim.now()),
      m_timer(context.sim),
      m_done(std::move(done)) {}

Pop3Fetch::~Pop3Fetch() = default;

void Pop3Fetch::on_connected() {
  if (m_target.security == ConnectionSecurity::Implicit) begin_tls();
}

void Pop3Fetch::begin_tls() {
  tls::TlsClientConfig config;
  config.trusted_cas = {m_context.ca.certificate()};
  config.server_name = m_target.server_name;
  // A mail user agent refuses a server whose certificate does not verify (RFC 8314 §4.1).
  config.verify_mode = tls::TlsVerifyMode::Require;
  config.verify_time_s = m_context.unix_seconds();
  m_connection->start_tls_client(config);
}

void Pop3Fetch::on_data(std::string_view bytes, EventId cause) {
  if (m_finished) return;
  carry_out(m_engine.on_bytes(m_context.sim.now(), bytes), cause);
}

void Pop3Fetch::on_lost() {
  if (m_finished) return;
  carry_out(m_engine.on_connection_lost(m_context.sim.now()), kNoEvent);
}

void Pop3Fetch::carry_out(pop3::Pop3Output out, EventId cause) {
  const auto self = shared_from_this();
  SendBatch batch;
  for (pop3::Pop3Action& action : out.actions) {
    if (auto* send = std::get_if<pop3::Send>(&action)) {
      batch.add(*m_connection, send->bytes, L7Unit{send->bytes.size(), EventKind::Request, 0},
                cause);
    } else if (const auto* command = std::get_if<pop3::CommandSent>(&action)) {
      // The CommandSent right after a write says whether it carried the password.
      if (command->sensitivity == pop3::Sensitivity::Secret) batch.mark_last(kDetailSecret);
    } else if (std::holds_alternative<pop3::StartTls>(action)) {
      batch.flush(*m_connection);
      begin_tls();
    } else if (std::holds_alternative<pop3::Close>(action)) {
      batch.flush(*m_connection);
      m_connection->close();
    } else if (auto* message = std::get_if<pop3::MessageRetrieved>(&action)) {
      if (!message->too_big) m_report.messages.push_back(std::move(message->bytes));
    } else if (const auto* finished = std::get_if<pop3::SessionFinished>(&action)) {
      batch.flush(*m_connection);
      if (m_finished) continue;
      m_finished = true;
      m_report.ok = finished->outcome == pop3::SessionOutcome::Completed;
      m_report.deleted = finished->deleted;
      const tls::TlsInfo* info = m_connection->tls_info();
      if (info != nullptr) m_report.tls = *info;
      m_report.detail = m_report.ok ? finished->reason
                                    : fetch_failure(std::string(pop3::to_string(finished->outcome)),
                                                    finished->reason, m_connection_error, info);
      if (m_done) {
        DoneFn done = std::move(m_done);
        done(Result{m_report, Pop3SyncState{m_engine.known_unique_ids()}});
      }
    } else if (const auto* state = std::get_if<pop3::StateChanged>(&action)) {
      m_connection->record(Layer::Application, EventKind::StateChange, cause,
                           std::string(state->from) + " -> " + std::string(state->to));
    } else if (const auto* violation = std::get_if<pop3::ProtocolViolation>(&action)) {
      m_connection->note("protocol violation: " + violation->what, cause);
    } else if (const auto* note = std::get_if<pop3::Note>(&action)) {
      m_connection->note(note->text, cause);
    }
  }
  batch.flush(*m_connection);
  if (m_finished) {
    m_timer.cancel();
  } else {
    rearm();
  }
}

void Pop3Fetch::rearm() {
  const std::weak_ptr<Pop3Fetch> weak = weak_from_this();
  m_timer.arm(m_engine.deadline(), [weak] {
    auto self = weak.lock();
    if (!self) return;
    self->carry_out(self->m_engine.on_timeout(self->m_context.sim.now()), kNoEvent);
  });
}

}  // namespace mailscope::services
