#include "services/mail_user_agent.h"

#include <algorithm>

#include "services/submission_client.h"

namespace mailscope::services {

namespace {

// "554 5.7.1 text": the reply as one line, enhanced code included when there is one.
std::string reply_line(const smtp::SmtpReply& reply) {
  std::string line = std::to_string(reply.code);
  if (!reply.enhanced.empty()) line += " " + reply.enhanced;
  return line + " " + reply.text();
}

std::string plural(std::size_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

}  // namespace

MailUserAgent::MailUserAgent(const ServiceContext& context, net::Host& host, MuaOptions options)
    : m_context(context), m_host(host), m_options(std::move(options)) {}

MailUserAgent::~MailUserAgent() {
  if (m_prune_timer) m_context.sim.cancel(m_prune_timer);
}

void MailUserAgent::note(const std::string& text) {
  m_host.note(Layer::Application, text);
}

void MailUserAgent::prune() {
  std::erase_if(m_sends, [](const auto& s) { return s->finished(); });
}

void MailUserAgent::send(smtp::OutgoingMessage message,
                         std::function<void(const SendOutcome&)> done) {
  prune();
  if (m_sends.size() >= kSessionsMax) {
    if (done) done(SendOutcome{false, 0, "too many sends at once"});
    return;
  }
  const MuaSendSettings& settings = m_options.send;
  if (message.reverse_path.empty()) message.reverse_path = m_options.account.address;
  SubmissionOptions submission;
  submission.server_name = settings.server_name;
  submission.server_address = settings.server_address;
  submission.port = settings.port;
  submission.announce_oversized = settings.announce_oversized;
  switch (settings.security) {
    case ConnectionSecurity::None:
      submission.security = SubmissionSecurity::Plaintext;
      break;
    case ConnectionSecurity::StartTls:
      submission.security = SubmissionSecurity::StartTls;
      break;
    case ConnectionSecurity::Implicit:
      submission.security = SubmissionSecurity::ImplicitTls;
      break;
  }
  if (settings.auth) {
    submission.credentials =
        smtp::Credentials{m_options.account.address, m_options.account.password};
  }
  std::string recipients;
  for (const std::string& r : message.recipients) {
    recipients += (recipients.empty() ? "" : ", ") + r;
  }
  note(m_options.account.address + "'s client sends a message to " + recipients + " via " +
       settings.server_name + " (" + std::to_string(settings.port) + ", " +
       std::string(to_string(settings.security)) + (settings.auth ? ", AUTH" : "") + ")");
  const std::string address = m_options.account.address;
  m_sends.push_back(SubmissionClient::submit(
      m_context, m_host, submission, std::move(message),
      [this, address, done = std::move(done)](const SubmissionResult& result) {
        SendOutcome outcome;
        outcome.accepted = result.accepted;
        outcome.code = static_cast<std::uint16_t>(result.reply.code);
        outcome.detail =
            result.reply.code != 0 ? reply_line(result.reply) : result.report.finished.reason;
        if (!result.report.connection_error.empty()) {
          outcome.detail += " (" + result.report.connection_error + ")";
        }
        note(address + "'s client: " +
             (outcome.accepted ? "the server accepted the message"
                               : "sending failed: " + outcome.detail));
        if (done) done(outcome);
        // Not now: the finished session is still on the stack that reported it.
        if (!m_prune_timer) {
          m_prune_timer = m_context.sim.schedule_after(0, [this] {
            m_prune_timer = {};
            prune();
          });
        }
      }));
}

void MailUserAgent::fetch(std::function<void(const FetchOutcome&)> done) {
  if (m_fetching) {
    if (done) done(FetchOutcome{false, 0, "a fetch is already running"});
    return;
  }
  const MuaFetchSettings& settings = m_options.fetch;
  FetchTarget target;
  target.server_name = settings.server_name;
  target.server_address = settings.server_address;
  target.port = settings.port;
  target.security = settings.security;
  target.mode = settings.mode;
  target.user = m_options.account.address;
  target.password = m_options.account.password;
  note(m_options.account.address + "'s client checks mail over " +
       std::string(to_string(settings.protocol)) + " (" + std::to_string(settings.port) + ", " +
       std::string(to_string(settings.security)) + ")" +
       (settings.mode == FetchMode::Delete ? ", deleting what it downloads" : ""));
  m_fetching = true;
  if (settings.protocol == FetchProtocol::Imap) {
    m_imap = ImapFetch::start(m_context, m_host, target, m_imap_state,
                              [this, done](const ImapFetch::Result& result) {
                                m_imap_state = result.state;
                                fetched(result.report, done);
                              });
  } else {
    m_pop3 = Pop3Fetch::start(m_context, m_host, target, m_pop3_state,
                              [this, done](const Pop3Fetch::Result& result) {
                                m_pop3_state = result.state;
                                fetched(result.report, done);
                              });
  }
}

void MailUserAgent::fetched(const FetchReport& report,
                            const std::function<void(const FetchOutcome&)>& done) {
  m_fetching = false;
  for (const std::string& message : report.messages)
    m_local.push_back(message);
  FetchOutcome outcome;
  outcome.ok = report.ok;
  outcome.fetched = report.messages.size();
  const std::string& who = m_options.account.address;
  if (report.ok) {
    outcome.detail = report.messages.empty()
                         ? "no new messages"
                         : "downloaded " + plural(report.messages.size(), "new message");
    if (report.deleted > 0) outcome.detail += "; " + plural(report.deleted, "message") + " deleted";
  } else {
    outcome.detail = report.detail;
  }
  note(who + "'s client " +
       (report.ok ? outcome.detail : "could not check mail: " + outcome.detail));
  // The session objects are done; drop them after this call returns to the Simulator.
  if (done) done(outcome);
}

}  // namespace mailscope::services
