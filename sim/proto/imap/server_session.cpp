#include "proto/imap/server_session.h"

#include <array>

#include "mail/base64.h"
#include "mail/text.h"

namespace mailscope::imap {
namespace {

constexpr std::array<std::string_view, static_cast<std::size_t>(ServerState::Count)> kStateNames = {
    "GREETING",      "NOT-AUTHENTICATED", "AUTHENTICATE", "STARTTLS",
    "AUTHENTICATED", "SELECTED",          "IDLE",         "LOGOUT"};

// LOGIN and AUTHENTICATE with an initial response carry credentials; the check is on the raw
// text so that even a command that fails to parse is masked.
bool carries_secret(std::string_view text) {
  const std::size_t space = text.find(' ');
  if (space == std::string_view::npos) return false;
  std::string_view rest = text.substr(space + 1);
  if (mail::istarts_with(rest, "LOGIN ")) return true;
  return mail::istarts_with(rest, "AUTHENTICATE ") &&
         rest.find(' ', std::string_view("AUTHENTICATE ").size()) != std::string_view::npos;
}

}  // namespace

std::string_view to_string(ServerState state) {
  const auto index = static_cast<std::size_t>(state);
  return index < kStateNames.size() ? kStateNames[index] : "?";
}

std::string_view to_string(ServerRole role) {
  switch (role) {
    case ServerRole::StartTls:
      return "starttls";
    case ServerRole::ImplicitTls:
      return "implicit-tls";
  }
  return "?";
}

ImapServerSession::ImapServerSession(const ImapServerConfig& config, ImapServerPolicy& policy,
                                     mail::MailStore& store, TimeNs now)
    : m_config(config),
      m_policy(policy),
      m_store(store),
      m_reader(CommandReaderLimits{config.line_max, config.nonsync_literal_max, config.literal_max,
                                   64}) {
  // Port 993: the owner completed the TLS handshake before the first IMAP byte.
  m_tls_active = config.role == ServerRole::ImplicitTls;
  m_deadline = now + m_config.autologout_ns;
}

// ---------------------------------------------------------------------------------------------
// Input

ImapOutput ImapServerSession::start(TimeNs now) {
  ImapOutput out;
  if (m_state != ServerState::Greeting) return out;
  untagged(out, "OK [CAPABILITY " + capability() + "] " + m_config.hostname +
                    " MailScope IMAP4rev1 ready");
  enter_state(ServerState::NotAuthenticated, out);
  m_deadline = now + m_config.autologout_ns;
  return out;
}

ImapOutput ImapServerSession::on_bytes(TimeNs now, std::string_view bytes) {
  return on_bytes(now, ByteView(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

ImapOutput ImapServerSession::on_bytes(TimeNs now, ByteView bytes) {
  ImapOutput out;
  if (bytes.empty() || closed()) return out;
  const std::string_view input(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (m_state == ServerState::TlsHandshake || m_state == ServerState::Greeting) {
    // Bytes reaching the engine now were sent in clear after STARTTLS (or before the greeting)
    // and must not be obeyed (the STARTTLS command injection of CVE-2011-0411).
    out.actions.push_back(ProtocolViolation{"discarded " + std::to_string(input.size()) +
                                            " bytes sent before the TLS handshake"});
    return out;
  }
  process(now, input, out);
  if (!closed() && m_state != ServerState::TlsHandshake) {
    m_deadline = now + m_config.autologout_ns;
  }
  return out;
}

void ImapServerSession::process(TimeNs now, std::string_view input, ImapOutput& out) {
  std::size_t pos = 0;
  while (pos < input.size() && !closed()) {
    if (m_state == ServerState::TlsHandshake) {
      out.actions.push_back(
          ProtocolViolation{"discarded " + std::to_string(input.size() - pos) +
                            " bytes pipelined after STARTTLS (they were sent before TLS)"});
      return;
    }
    const CommandReader::Step step = m_reader.next(input.substr(pos));
    pos += step.consumed;
    switch (step.event) {
      case CommandReader::Event::NeedMore:
        if (step.consumed == 0) return;  // cannot happen: the reader never waits on us here
        break;
      case CommandReader::Event::Command:
        on_command(now, m_reader.take(), out);
        break;
      case CommandReader::Event::SyncLiteral:
        respond(out, "+ Ready for literal data");
        m_reader.accept_literal();
        break;
      case CommandReader::Event::LineTooLong:
        bad(out, command_tag(m_reader.dropped()), "Command line too long");
        break;
      case CommandReader::Event::LiteralTooBig: {
        const std::string tag = command_tag(m_reader.dropped());
        if (m_reader.literal_nonsync()) {
          // RFC 7888 5: a non-synchronizing literal over 4096 octets under LITERAL-.
          bad(out, tag, "[TOOBIG] Literal too large");
        } else {
          tagged(out, tag, "NO", "[TOOBIG] Literal too large");
        }
        break;
      }
    }
  }
}

void ImapServerSession::on_command(TimeNs now, std::string text, ImapOutput& out) {
  if (m_state == ServerState::Authenticating) {
    out.actions.push_back(CommandReceived{text, Sensitivity::Secret});
    auth_response(text, out);
    return;
  }
  out.actions.push_back(
      CommandReceived{text, carries_secret(text) ? Sensitivity::Secret : Sensitivity::Plain});
  if (m_state == ServerState::Idle) {
    idle_line(text, out);
    return;
  }
  auto parsed_cmd = parse_command(text);
  if (!parsed_cmd) {
    bad(out, command_tag(text), "Error in IMAP command: " + parsed_cmd.error().what);
    return;
  }
  dispatch(now, *parsed_cmd, out);
}

bool ImapServerSession::allowed_in_state(Verb verb) const {
  switch (verb) {
    case Verb::Capability:
    case Verb::Noop:
    case Verb::Logout:
      return true;
    case Verb::StartTls:
    case Verb::Authenticate:
    case Verb::Login:
      return m_state == ServerState::NotAuthenticated;
    case Verb::Enable:
    case Verb::Select:
    case Verb::Examine:
    case Verb::Create:
    case Verb::Delete:
    case Verb::Rename:
    case Verb::Subscribe:
    case Verb::Unsubscribe:
    case Verb::List:
    case Verb::Lsub:
    case Verb::Status:
    case Verb::Append:
    case Verb::Idle:
      return m_state == ServerState::Authenticated || m_state == ServerState::Selected;
    case Verb::Check:
    case Verb::Close:
    case Verb::Unselect:
    case Verb::Expunge:
    case Verb::Search:
    case Verb::Fetch:
    case Verb::Store:
    case Verb::Copy:
    case Verb::Move:
      return m_state == ServerState::Selected;
    case Verb::Unknown:
    case Verb::Count:
      return false;
  }
  return false;
}

void ImapServerSession::dispatch(TimeNs now, const Command& cmd, ImapOutput& out) {
  if (!allowed_in_state(cmd.verb)) {
    if (m_state == ServerState::NotAuthenticated) {
      bad(out, cmd.tag, "Please authenticate first");
    } else if (cmd.verb == Verb::Login || cmd.verb == Verb::Authenticate ||
               cmd.verb == Verb::StartTls) {
      bad(out, cmd.tag, "Already authenticated");
    } else {
      bad(out, cmd.tag, "No mailbox selected");
    }
    return;
  }
  // What other sessions and deliveries changed is learnt before every command in the selected
  // state, and reported before the command's own responses where the rules allow.
  const bool forbids_expunge =
      !cmd.uid && (cmd.verb == Verb::Fetch || cmd.verb == Verb::Store || cmd.verb == Verb::Search);
  const ExpungeReport permission =
      forbids_expunge ? ExpungeReport::Deferred : ExpungeReport::Allowed;
  if (m_state == ServerState::Selected) {
    absorb_changes();
    report_changes(permission, out);
    if (closed()) return;
    if (m_state != ServerState::Selected && !allowed_in_state(cmd.verb)) {
      // The mailbox went away under us; the command has nothing to work on.
      tagged(out, cmd.tag, "NO", "[CLOSED] The selected mailbox is gone");
      return;
    }
  }
  switch (cmd.verb) {
    case Verb::Capability:
      untagged(out, "CAPABILITY " + capability());
      tagged(out, cmd.tag, "OK", "CAPABILITY completed");
      break;
    case Verb::Noop:
    case Verb::Check:
      tagged(out, cmd.tag, "OK", std::string(to_string(cmd.verb)) + " completed");
      break;
    case Verb::Logout:
      cmd_logout(cmd, out);
      return;
    case Verb::StartTls:
      cmd_starttls(cmd, out);
      return;
    case Verb::Login:
      cmd_login(cmd, out);
      return;
    case Verb::Authenticate:
      cmd_authenticate(cmd, out);
      return;
    case Verb::Enable:
      cmd_enable(cmd, out);
      break;
    case Verb::Select:
    case Verb::Examine:
      cmd_select(cmd, out);
      return;
    case Verb::Create:
      cmd_create(cmd, out);
      break;
    case Verb::Delete:
      cmd_delete(cmd, out);
      break;
    case Verb::Rename:
      cmd_rename(cmd, out);
      break;
    case Verb::Subscribe:
    case Verb::Unsubscribe:
      cmd_subscribe(cmd, out);
      break;
    case Verb::List:
    case Verb::Lsub:
      cmd_list(cmd, out);
      break;
    case Verb::Status:
      cmd_status(cmd, out);
      break;
    case Verb::Append:
      cmd_append(now, cmd, out);
      break;
    case Verb::Idle:
      cmd_idle(cmd, out);
      return;
    case Verb::Close:
    case Verb::Unselect:
      cmd_close(cmd, out);
      return;
    case Verb::Expunge:
      cmd_expunge(cmd, out);
      return;
    case Verb::Search:
      cmd_search(cmd, out);
      return;
    case Verb::Fetch:
      cmd_fetch(cmd, out);
      return;
    case Verb::Store:
      cmd_store(cmd, out);
      return;
    case Verb::Copy:
    case Verb::Move:
      cmd_copy(cmd, out);
      return;
    case Verb::Unknown:
    case Verb::Count:
      bad(out, cmd.tag, "Unknown command");
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Any state, and not authenticated

std::string ImapServerSession::capability() const {
  std::string caps = "IMAP4rev1 SASL-IR LITERAL- ENABLE IDLE UNSELECT UIDPLUS MOVE CHILDREN";
  caps += " SPECIAL-USE";
  if (m_user.empty()) {
    if (!m_tls_active && m_config.tls == TlsAvailability::Ready &&
        m_config.role == ServerRole::StartTls) {
      caps += " STARTTLS";
    }
    caps += login_disabled() ? " LOGINDISABLED" : " AUTH=PLAIN";
  }
  return caps;
}

bool ImapServerSession::login_disabled() const {
  return !m_tls_active && !m_config.allow_plaintext_auth;
}

void ImapServerSession::cmd_logout(const Command& cmd, ImapOutput& out) {
  untagged(out, "BYE Logging out");
  tagged(out, cmd.tag, "OK", "LOGOUT completed");
  m_selection.close();
  enter_state(ServerState::Logout, out);
  out.actions.push_back(Close{});
}

void ImapServerSession::cmd_starttls(const Command& cmd, ImapOutput& out) {
  if (m_tls_active) {
    bad(out, cmd.tag, "TLS is already active");
    return;
  }
  if (m_config.tls != TlsAvailability::Ready || m_config.role != ServerRole::StartTls) {
    bad(out, cmd.tag, "STARTTLS is not available");
    return;
  }
  tagged(out, cmd.tag, "OK", "Begin TLS negotiation now");
  // Whatever the reader holds arrived in clear with the STARTTLS; it is dropped, not obeyed.
  m_reader.reset();
  enter_state(ServerState::TlsHandshake, out);
  out.actions.push_back(StartTls{});
}

ImapOutput ImapServerSession::on_tls_established(TimeNs now) {
  ImapOutput out;
  if (m_state != ServerState::TlsHandshake) return out;
  m_tls_active = true;
  m_reader.reset();
  enter_state(ServerState::NotAuthenticated, out);
  m_deadline = now + m_config.autologout_ns;
  return out;
}

void ImapServerSession::cmd_login(const Command& cmd, ImapOutput& out) {
  if (login_disabled()) {
    untagged(out, "OK [ALERT] Plaintext authentication is disabled; use STARTTLS first");
    tagged(out, cmd.tag, "NO",
           "[PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure connections");
    return;
  }
  m_pending_tag = cmd.tag;
  auth_finish(cmd.args[0], cmd.args[1], out);
}

void ImapServerSession::cmd_authenticate(const Command& cmd, ImapOutput& out) {
  if (cmd.args[0] != "PLAIN") {
    tagged(out, cmd.tag, "NO", "Unsupported authentication mechanism");
    return;
  }
  if (login_disabled()) {
    tagged(out, cmd.tag, "NO",
           "[PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure connections");
    return;
  }
  m_pending_tag = cmd.tag;
  if (cmd.args.size() > 1) {
    auth_plain(cmd.args[1], out);
    return;
  }
  respond(out, "+ ");
  m_reader.set_literals(false);
  enter_state(ServerState::Authenticating, out);
}

void ImapServerSession::auth_response(std::string_view line, ImapOutput& out) {
  m_reader.set_literals(true);
  enter_state(ServerState::NotAuthenticated, out);
  if (line == "*") {
    bad(out, m_pending_tag, "Authentication cancelled");
    return;
  }
  auth_plain(line, out);
}

void ImapServerSession::auth_plain(std::string_view response_b64, ImapOutput& out) {
  // RFC 4959: "=" is an empty initial response.
  auto decoded =
      response_b64 == "=" ? Result<std::string>(std::string{}) : mail::base64_decode(response_b64);
  if (!decoded) {
    bad(out, m_pending_tag, "Invalid base64 data");
    return;
  }
  // RFC 4616: [authzid] NUL authcid NUL passwd.
  const std::string& message = *decoded;
  const std::size_t first = message.find('\0');
  const std::size_t second =
      first == std::string::npos ? std::string::npos : message.find('\0', first + 1);
  if (second == std::string::npos || message.find('\0', second + 1) != std::string::npos) {
    bad(out, m_pending_tag, "Invalid PLAIN response");
    return;
  }
  const std::string authzid = message.substr(0, first);
  const std::string authcid = message.substr(first + 1, second - first - 1);
  const std::string password = message.substr(second + 1);
  if (authcid.empty() || authcid.size() > 255 || password.size() > 255 ||
      (!authzid.empty() && authzid != authcid)) {
    // Acting for another identity is not supported: treated as a failed login.
    auth_finish(authcid, std::string{}, out);
    return;
  }
  auth_finish(authcid, password, out);
}

void ImapServerSession::auth_finish(const std::string& user, const std::string& password,
                                    ImapOutput& out) {
  const std::string tag = m_pending_tag;
  m_pending_tag.clear();
  const AuthVerdict verdict = user.empty() || password.empty()
                                  ? AuthVerdict::Reject
                                  : m_policy.authenticate(user, password);
  switch (verdict) {
    case AuthVerdict::Accept:
      m_user = m_policy.store_user(user);
      enter_state(ServerState::Authenticated, out);
      tagged(out, tag, "OK", "[CAPABILITY " + capability() + "] Logged in");
      return;
    case AuthVerdict::Temporary:
      tagged(out, tag, "NO", "[UNAVAILABLE] Temporary authentication failure");
      return;
    case AuthVerdict::Reject:
      break;
  }
  ++m_auth_failures;
  // A growing pause after each failure slows password guessing down.
  TimeNs delay = m_config.auth_failure_delay_ns;
  for (std::size_t i = 1; i < m_auth_failures && delay < m_config.auth_failure_delay_max_ns; ++i)
    delay *= 2;
  if (delay > m_config.auth_failure_delay_max_ns) delay = m_config.auth_failure_delay_max_ns;
  tagged(out, tag, "NO", "[AUTHENTICATIONFAILED] Authentication failed", delay);
  if (m_auth_failures >= m_config.auth_failures_max) {
    close_with(out, "Too many authentication failures");
  }
}

// ---------------------------------------------------------------------------------------------
// IDLE and ENABLE

void ImapServerSession::cmd_idle(const Command& cmd, ImapOutput& out) {
  m_pending_tag = cmd.tag;
  m_idle_return = m_state;
  respond(out, "+ idling");
  m_reader.set_literals(false);
  enter_state(ServerState::Idle, out);
  // Changes that came before IDLE were reported by dispatch(); later ones come as they happen.
}

void ImapServerSession::idle_line(std::string_view line, ImapOutput& out) {
  m_reader.set_literals(true);
  const std::string tag = m_pending_tag;
  m_pending_tag.clear();
  // The mailbox may have gone while idling; then DONE returns to the authenticated state.
  enter_state(m_selection.active() ? m_idle_return : ServerState::Authenticated, out);
  if (!mail::iequals(line, "DONE")) {
    bad(out, tag, "Expected DONE");
    return;
  }
  tagged(out, tag, "OK", "IDLE terminated");
}

ImapOutput ImapServerSession::on_store_changed(TimeNs now) {
  (void)now;
  ImapOutput out;
  if (m_state != ServerState::Idle || !m_selection.active()) return out;
  absorb_changes();
  report_changes(ExpungeReport::Allowed, out);
  return out;
}

void ImapServerSession::cmd_enable(const Command& cmd, ImapOutput& out) {
  // No extension that ENABLE switches on is implemented, so none is listed as enabled.
  untagged(out, "ENABLED");
  tagged(out, cmd.tag, "OK", "ENABLE completed");
}

// ---------------------------------------------------------------------------------------------
// Timer, responses and states

ImapOutput ImapServerSession::on_timeout(TimeNs now) {
  ImapOutput out;
  if (closed() || now < m_deadline) return out;
  if (m_state == ServerState::TlsHandshake) {
    out.actions.push_back(ProtocolViolation{"TLS handshake timed out"});
    enter_state(ServerState::Logout, out);
    out.actions.push_back(Close{});
    return out;
  }
  close_with(out, "Autologout; idle for too long");
  return out;
}

void ImapServerSession::respond(ImapOutput& out, std::string line, TimeNs delay_ns) {
  std::string bytes;
  bytes.reserve(line.size() + 2);
  bytes += line;
  bytes += "\r\n";
  out.actions.push_back(Send{std::move(bytes), delay_ns});
  out.actions.push_back(ResponseSent{std::move(line)});
}

void ImapServerSession::tagged(ImapOutput& out, const std::string& tag, std::string_view status,
                               std::string_view text, TimeNs delay_ns) {
  respond(out, tag + " " + std::string(status) + " " + std::string(text), delay_ns);
}

void ImapServerSession::bad(ImapOutput& out, const std::string& tag, std::string_view text) {
  tagged(out, tag, "BAD", text);
  ++m_bad_commands;
  if (m_bad_commands >= m_config.bad_commands_max && !closed()) {
    close_with(out, "Too many invalid commands");
  }
}

void ImapServerSession::enter_state(ServerState next, ImapOutput& out) {
  if (next == m_state) return;
  out.actions.push_back(StateChanged{to_string(m_state), to_string(next)});
  m_state = next;
  if (next == ServerState::Logout) m_deadline = kTimeNever;
}

void ImapServerSession::close_with(ImapOutput& out, std::string_view bye_text) {
  untagged(out, "BYE " + std::string(bye_text));
  m_selection.close();
  enter_state(ServerState::Logout, out);
  out.actions.push_back(Close{});
}

}  // namespace mailscope::imap
