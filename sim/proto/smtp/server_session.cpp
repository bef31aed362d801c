#include "proto/smtp/server_session.h"

#include <array>

#include "proto/smtp/base64.h"

namespace mailscope::smtp {
namespace {

constexpr std::array<std::string_view, static_cast<std::size_t>(ServerState::Count)> kStateNames = {
    "GREETING", "AWAIT-HELO", "READY", "MAIL", "RCPT", "DATA", "AUTH", "STARTTLS", "CLOSED"};

char upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (upper(a[i]) != upper(b[i])) return false;
  }
  return true;
}

bool starts_with_auth(std::string_view partial) {
  return partial.size() >= 5 && iequals(partial.substr(0, 5), "AUTH ");
}

// RFC 2920 §3.1: after these commands the client must wait for the reply before it sends
// anything else, because the reply changes what it may send next.
bool ends_pipeline_group(Verb verb) {
  switch (verb) {
    case Verb::Ehlo:
    case Verb::Helo:
    case Verb::Data:
    case Verb::Vrfy:
    case Verb::Expn:
    case Verb::Turn:
    case Verb::Noop:
    case Verb::Auth:
    case Verb::StartTls:
    case Verb::Quit:
      return true;
    default:
      return false;
  }
}

// Relay hacks of the 1990s that turn "user%other@relay" or "other!user@relay" into mail for a
// third party; an MTA that honours them is an open relay.
bool relay_hack(const Path& path) {
  if (!path.source_route.empty()) return true;
  const std::string& local = path.mailbox.local_part;
  return local.find('%') != std::string::npos || local.find('!') != std::string::npos ||
         (path.mailbox.quoted() && local.find('@') != std::string::npos);
}

}  // namespace

std::string_view to_string(ServerState state) {
  const auto index = static_cast<std::size_t>(state);
  return index < kStateNames.size() ? kStateNames[index] : "?";
}

std::string_view to_string(ServerRole role) {
  switch (role) {
    case ServerRole::Relay:
      return "relay";
    case ServerRole::Submission:
      return "submission";
    case ServerRole::Smtps:
      return "smtps";
  }
  return "?";
}

SmtpServerSession::SmtpServerSession(const SmtpServerConfig& config, SmtpServerPolicy& policy,
                                     TimeNs now)
    : m_config(config), m_policy(policy) {
  // Port 465: the owner completed the TLS handshake before the first SMTP byte.
  m_envelope.session.tls_active = config.role == ServerRole::Smtps;
  m_deadline = now + m_config.greeting_delay_ns;
}

// ---------------------------------------------------------------------------------------------
// Input framing

SmtpOutput SmtpServerSession::start(TimeNs now) {
  SmtpOutput out;
  if (m_state != ServerState::Greeting) return out;
  if (m_config.greeting_delay_ns > 0) {
    m_deadline = now + m_config.greeting_delay_ns;
    return out;
  }
  send_greeting(now, out);
  return out;
}

void SmtpServerSession::send_greeting(TimeNs now, SmtpOutput& out) {
  // RFC 2034 §3: the greeting carries no enhanced status code.
  reply(out, 220, "", m_config.hostname + " ESMTP MailScope");
  enter_state(ServerState::AwaitHelo, out);
  m_deadline = now + m_config.timeouts.command_ns;
}

SmtpOutput SmtpServerSession::on_bytes(TimeNs now, std::string_view bytes) {
  return on_bytes(now, ByteView(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

SmtpOutput SmtpServerSession::on_bytes(TimeNs now, ByteView bytes) {
  SmtpOutput out;
  if (bytes.empty() || closed()) return out;
  const std::string_view input(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (m_state == ServerState::Greeting) {
    // A client that talks before the greeting is not waiting for replies: a spam bot.
    out.actions.push_back(ProtocolViolation{"client sent data before the greeting"});
    close_with(out, 554, "5.5.0", "Error: SMTP protocol synchronization");
    return out;
  }
  if (m_state == ServerState::TlsHandshake) {
    // The TLS layer owns the connection until the handshake is done; bytes reaching the SMTP
    // engine now were sent in clear after STARTTLS and must not be obeyed (CVE-2011-0411).
    out.actions.push_back(ProtocolViolation{"discarded " + std::to_string(input.size()) +
                                            " bytes sent before the TLS handshake"});
    return out;
  }
  if (m_in.empty()) {
    process(now, input, out);
  } else {
    m_in.append(input);
    std::string buffered = std::move(m_in);
    m_in.clear();
    process(now, buffered, out);
  }
  // Any input restarts the clock of the phase the session is now in.
  if (m_state == ServerState::Data) {
    m_deadline = now + m_config.timeouts.data_ns;
  } else if (m_state != ServerState::Closed && m_state != ServerState::TlsHandshake) {
    m_deadline = now + m_config.timeouts.command_ns;
  }
  return out;
}

std::size_t SmtpServerSession::line_limit(std::string_view partial) const {
  return m_state == ServerState::Auth || starts_with_auth(partial) ? kAuthLineMax : kCommandLineMax;
}

// Frames input into command lines or message content; leaves an unfinished line in m_in.
void SmtpServerSession::process(TimeNs now, std::string_view input, SmtpOutput& out) {
  std::size_t pos = 0;
  while (pos < input.size()) {
    if (closed()) return;
    if (m_state == ServerState::TlsHandshake) {
      out.actions.push_back(
          ProtocolViolation{"discarded " + std::to_string(input.size() - pos) +
                            " bytes pipelined after STARTTLS (they were sent before TLS)"});
      return;
    }
    if (m_state == ServerState::Data) {
      pos += m_data->feed(input.substr(pos));
      if (!m_data->finished()) return;
      const bool more_pending = pos < input.size();
      finish_data(out);
      // After the final dot a client may pipeline the next transaction only if we offered it.
      if (more_pending && !closed() && !m_pipelining_offered) {
        reject_synchronization(out, "client sent commands after end of data without waiting");
      }
      if (!closed() && m_errors >= m_config.errors_max) {
        close_with(out, 421, "4.7.0", m_config.hostname + " Error: too many errors");
      }
      continue;
    }
    const std::size_t lf = input.find('\n', pos);
    if (lf == std::string_view::npos) {
      const std::string_view partial = input.substr(pos);
      if (m_discarding || partial.size() > line_limit(partial)) {
        m_discarding = true;  // keep no more of it; the reply comes when its LF arrives
      } else {
        m_in.assign(partial);
      }
      return;
    }
    std::string_view line = input.substr(pos, lf - pos);
    pos = lf + 1;
    // CRLF ends a command line; like Postfix we also take a bare LF there, since a command is
    // one line and nothing can be smuggled through a command.
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (m_discarding || line.size() + 2 > line_limit(line)) {
      m_discarding = false;
      on_line_too_long(out);
    } else {
      on_line(now, line, pos < input.size(), out);
    }
    if (!closed() && m_errors >= m_config.errors_max) {
      close_with(out, 421, "4.7.0", m_config.hostname + " Error: too many errors");
    }
  }
}

void SmtpServerSession::on_line_too_long(SmtpOutput& out) {
  if (m_state == ServerState::Auth) {
    m_auth_step = AuthStep::None;
    reply(out, 500, "5.5.6", "Authentication exchange line is too long");
    enter_state(ServerState::Ready, out);
    return;
  }
  reply(out, 500, "5.5.2", "Error: line too long");
}

// ---------------------------------------------------------------------------------------------
// Line dispatch

void SmtpServerSession::on_line(TimeNs now, std::string_view line, bool more_pending,
                                SmtpOutput& out) {
  if (m_state == ServerState::Auth) {
    out.actions.push_back(CommandReceived{std::string(line), Sensitivity::Secret});
    auth_continue(line, out);
    if (more_pending && !closed()) {
      reject_synchronization(out, "client sent data during AUTH without waiting for the reply");
    }
    return;
  }
  const CommandLine cmd = parse_command_line(line);
  // An AUTH line with an initial response carries the credentials.
  const bool secret = cmd.verb == Verb::Auth && cmd.argument.find(' ') != std::string_view::npos;
  out.actions.push_back(
      CommandReceived{std::string(line), secret ? Sensitivity::Secret : Sensitivity::Plain});

  switch (cmd.verb) {
    case Verb::Helo:
    case Verb::Ehlo:
      cmd_ehlo(cmd, out);
      break;
    case Verb::Mail:
      cmd_mail(cmd, out);
      break;
    case Verb::Rcpt:
      cmd_rcpt(cmd, out);
      break;
    case Verb::Data:
      cmd_data(cmd, out);
      break;
    case Verb::Rset:
      cmd_rset(cmd, out);
      break;
    case Verb::StartTls:
      cmd_starttls(cmd, out);
      break;
    case Verb::Auth:
      cmd_auth(cmd, out);
      break;
    case Verb::Noop:
      reply(out, 250, "2.0.0", "Ok");
      break;
    case Verb::Quit:
      close_with(out, 221, "2.0.0", "Bye");
      return;
    case Verb::Help:
      reply(out, 214, "2.0.0",
            "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY STARTTLS AUTH");
      break;
    case Verb::Vrfy:
      // RFC 5321 §7.3: confirming addresses helps harvesters; 252 neither confirms nor denies.
      if (cmd.argument.empty()) {
        reply(out, 501, "5.5.4", "Syntax: VRFY address");
      } else {
        reply(out, 252, "2.5.2", "Cannot VRFY user, but will accept message and attempt delivery");
      }
      break;
    case Verb::Expn:
    case Verb::Bdat:
    case Verb::Etrn:
    case Verb::Turn:
      reply(out, 502, "5.5.1", "Error: command not implemented");
      break;
    case Verb::Unknown:
    case Verb::Count:
      if (line.empty()) {
        reply(out, 500, "5.5.2", "Error: bad syntax");
      } else {
        reply(out, 500, "5.5.2", "Error: command not recognized");
      }
      break;
  }
  if (m_state == ServerState::TlsHandshake) {
    m_deadline = now + m_config.timeouts.tls_handshake_ns;
    // Bytes after STARTTLS in the same read are discarded by process(), never obeyed.
    return;
  }
  if (!more_pending || closed()) return;
  if (!m_pipelining_offered) {
    reject_synchronization(out, "client pipelined commands but PIPELINING was not offered");
  } else if (ends_pipeline_group(cmd.verb)) {
    reject_synchronization(out, std::string("client did not wait for the reply to ") +
                                    std::string(to_string(cmd.verb)));
  }
}

// ---------------------------------------------------------------------------------------------
// Verb handlers

void SmtpServerSession::cmd_ehlo(const CommandLine& cmd, SmtpOutput& out) {
  const bool ehlo = cmd.verb == Verb::Ehlo;
  if (cmd.argument.empty()) {
    reply(out, 501, "5.5.4", ehlo ? "Syntax: EHLO hostname" : "Syntax: HELO hostname");
    return;
  }
  // RFC 5321 §4.1.4: EHLO in the middle of a session behaves like RSET, then greets again.
  drop_transaction();
  SessionInfo& session = m_envelope.session;
  session.greeting = ehlo ? Greeting::Ehlo : Greeting::Helo;
  session.helo_name = std::string(cmd.argument);
  m_pipelining_offered = ehlo && m_config.pipelining == Pipelining::Offer;
  if (!ehlo) {
    reply(out, 250, "", m_config.hostname);
  } else {
    SmtpReply r{250, "", {m_config.hostname}};
    if (m_pipelining_offered) r.lines.emplace_back("PIPELINING");
    r.lines.push_back("SIZE " + std::to_string(m_config.size_limit_bytes));
    if (m_config.tls != TlsAvailability::None && !session.tls_active) {
      r.lines.emplace_back("STARTTLS");
    }
    if (auth_offered()) r.lines.emplace_back("AUTH PLAIN LOGIN");
    r.lines.emplace_back("ENHANCEDSTATUSCODES");
    r.lines.emplace_back("8BITMIME");
    reply(out, std::move(r));
  }
  enter_state(ServerState::Ready, out);
}

void SmtpServerSession::cmd_mail(const CommandLine& cmd, SmtpOutput& out) {
  if (m_envelope.session.greeting == Greeting::None) {
    reply(out, 503, "5.5.1", "Error: send HELO/EHLO first");
    return;
  }
  if (in_transaction()) {
    reply(out, 503, "5.5.1", "Error: nested MAIL command");
    return;
  }
  if (m_config.role != ServerRole::Relay && m_envelope.session.authenticated_user.empty()) {
    reply(out, 530, "5.7.0", "Authentication required");
    return;
  }
  auto parsed = parse_path_argument(cmd.argument, "FROM", PathKind::Reverse);
  if (!parsed) {
    const std::string& where = parsed.error().where;
    if (where == "syntax") {
      reply(out, 501, "5.5.4", "Syntax: MAIL FROM:<address>");
    } else if (where == "parameter") {
      reply(out, 501, "5.5.4", "Bad parameter syntax");
    } else {
      // RFC 3463: X.1.7 is the sender's address syntax (X.1.3 is the recipient's).
      reply(out, 501, "5.1.7", "Bad sender address syntax: " + parsed.error().what);
    }
    return;
  }
  Transaction txn;
  txn.reverse_path = std::move(parsed->path);
  // RFC 5321 Appendix C: a source route in the reverse-path is ignored.
  txn.reverse_path.source_route.clear();
  bool seen_size = false, seen_body = false;
  for (const EsmtpParameter& p : parsed->parameters) {
    if (p.keyword == "SIZE" && !seen_size) {
      seen_size = true;
      const auto size = parse_decimal(p.value);
      if (!size) {
        reply(out, 501, "5.5.4", "Bad message size syntax");
        return;
      }
      txn.declared_size = *size;
    } else if (p.keyword == "BODY" && !seen_body) {
      seen_body = true;
      if (iequals(p.value, "7BIT")) {
        txn.body = BodyType::SevenBit;
      } else if (iequals(p.value, "8BITMIME")) {
        txn.body = BodyType::EightBitMime;
      } else {
        reply(out, 501, "5.5.4", "Unsupported BODY parameter");
        return;
      }
    } else if (p.keyword == "AUTH") {
      // RFC 4954 §5: the original submitter; accepted and not used.
    } else if (p.keyword == "SIZE" || p.keyword == "BODY") {
      reply(out, 501, "5.5.4", "Duplicate parameter " + p.keyword);
      return;
    } else {
      reply(out, 555, "5.5.4", "Unsupported option: " + p.keyword);
      return;
    }
  }
  if (txn.declared_size && *txn.declared_size > m_config.size_limit_bytes) {
    reply(out, 552, "5.3.4", "Message size exceeds fixed limit");
    return;
  }
  switch (m_policy.check_sender(m_envelope, txn.reverse_path)) {
    case SenderVerdict::Accept:
      break;
    case SenderVerdict::Reject:
      reply(out, 550, "5.7.1",
            txn.reverse_path.to_string() + ": Sender address rejected: Access denied");
      return;
    case SenderVerdict::Temporary:
      reply(out, 451, "4.3.0",
            txn.reverse_path.to_string() + ": Sender address rejected: Temporarily unavailable");
      return;
  }
  m_envelope.transaction = std::move(txn);
  reply(out, 250, "2.1.0", "Ok");
  enter_state(ServerState::Mail, out);
}

void SmtpServerSession::cmd_rcpt(const CommandLine& cmd, SmtpOutput& out) {
  if (!in_transaction()) {
    reply(out, 503, "5.5.1", "Error: need MAIL command");
    return;
  }
  Transaction& txn = m_envelope.transaction;
  auto parsed = parse_path_argument(cmd.argument, "TO", PathKind::Forward);
  if (!parsed) {
    ++txn.recipients_refused;
    const std::string& where = parsed.error().where;
    if (where == "syntax") {
      reply(out, 501, "5.5.4", "Syntax: RCPT TO:<address>");
    } else if (where == "parameter") {
      reply(out, 501, "5.5.4", "Bad parameter syntax");
    } else {
      reply(out, 501, "5.1.3", "Bad recipient address syntax: " + parsed.error().what);
    }
    return;
  }
  if (!parsed->parameters.empty()) {
    ++txn.recipients_refused;
    reply(out, 555, "5.5.4", "Unsupported option: " + parsed->parameters.front().keyword);
    return;
  }
  const Path& path = parsed->path;
  if (m_config.role == ServerRole::Relay && relay_hack(path)) {
    ++txn.recipients_refused;
    reply(out, 554, "5.7.1",
          path.to_string() +
              ": Relay access denied: source routes and %, ! or quoted @ "
              "addressing are not accepted");
    return;
  }
  if (txn.forward_paths.size() >= m_config.recipients_max) {
    ++txn.recipients_refused;
    reply(out, 452, "4.5.3", "Error: too many recipients");
    return;
  }
  const std::string who = path.to_string();
  switch (m_policy.check_recipient(m_envelope, path)) {
    case RecipientVerdict::Accept:
      txn.forward_paths.push_back(std::move(parsed->path));
      reply(out, 250, "2.1.5", "Ok");
      enter_state(ServerState::Rcpt, out);
      return;
    case RecipientVerdict::UnknownUser:
      reply(out, 550, "5.1.1",
            who + ": Recipient address rejected: User unknown in local recipient table");
      break;
    case RecipientVerdict::RelayDenied:
      reply(out, 554, "5.7.1", who + ": Relay access denied");
      break;
    case RecipientVerdict::OverQuotaTemporary:
      reply(out, 452, "4.2.2", who + ": Recipient address rejected: Mailbox full");
      break;
    case RecipientVerdict::OverQuotaPermanent:
      reply(out, 552, "5.2.2", who + ": Recipient address rejected: Mailbox full");
      break;
    case RecipientVerdict::Greylisted:
      reply(out, 451, "4.7.1", who + ": Recipient address rejected: Greylisted, try again later");
      break;
    case RecipientVerdict::Temporary:
      reply(out, 451, "4.3.0", who + ": Recipient address rejected: Temporarily unavailable");
      break;
  }
  ++txn.recipients_refused;
}

void SmtpServerSession::cmd_data(const CommandLine& cmd, SmtpOutput& out) {
  if (!cmd.argument.empty()) {
    reply(out, 501, "5.5.4", "Syntax: DATA");
    return;
  }
  if (!in_transaction()) {
    reply(out, 503, "5.5.1", "Error: need RCPT command");
    return;
  }
  if (m_envelope.transaction.forward_paths.empty()) {
    reply(out, 554, "5.5.1", "Error: no valid recipients");
    return;
  }
  reply(out, 354, "", "End data with <CR><LF>.<CR><LF>");
  m_data.emplace(m_config.size_limit_bytes);
  enter_state(ServerState::Data, out);
}

void SmtpServerSession::cmd_rset(const CommandLine& cmd, SmtpOutput& out) {
  if (!cmd.argument.empty()) {
    reply(out, 501, "5.5.4", "Syntax: RSET");
    return;
  }
  drop_transaction();
  reply(out, 250, "2.0.0", "Ok");
  if (m_envelope.session.greeting != Greeting::None) enter_state(ServerState::Ready, out);
}

void SmtpServerSession::cmd_starttls(const CommandLine& cmd, SmtpOutput& out) {
  if (!cmd.argument.empty()) {
    reply(out, 501, "5.5.4", "Syntax: STARTTLS");
    return;
  }
  if (m_envelope.session.tls_active) {
    reply(out, 554, "5.5.1", "Error: TLS already active");
    return;
  }
  if (m_config.tls == TlsAvailability::None) {
    reply(out, 502, "5.5.1", "Error: command not implemented");
    return;
  }
  if (m_config.tls == TlsAvailability::Failing) {
    reply(out, 454, "4.7.0", "TLS not available due to local problem");
    return;
  }
  if (in_transaction()) {
    reply(out, 503, "5.5.1", "Error: MAIL transaction in progress");
    return;
  }
  reply(out, 220, "2.0.0", "Ready to start TLS");
  out.actions.push_back(StartTls{});
  enter_state(ServerState::TlsHandshake, out);
}

SmtpOutput SmtpServerSession::on_tls_established(TimeNs now) {
  SmtpOutput out;
  if (m_state != ServerState::TlsHandshake) {
    out.actions.push_back(ProtocolViolation{"TLS established without STARTTLS"});
    return out;
  }
  // RFC 3207 §4.2: forget everything learned from the client before TLS, and anything it sent
  // that was not yet processed.
  m_in.clear();
  m_discarding = false;
  drop_transaction();
  m_envelope.session = SessionInfo{};
  m_envelope.session.tls_active = true;
  m_pipelining_offered = false;
  enter_state(ServerState::AwaitHelo, out);
  m_deadline = now + m_config.timeouts.command_ns;
  return out;
}

SmtpOutput SmtpServerSession::on_timeout(TimeNs now) {
  SmtpOutput out;
  if (closed() || now < m_deadline) return out;
  if (m_state == ServerState::Greeting) {
    send_greeting(now, out);
    return out;
  }
  if (m_state == ServerState::TlsHandshake) {
    // A stalled handshake: no SMTP reply can be sent in clear into a half-built TLS stream.
    out.actions.push_back(ProtocolViolation{"TLS handshake timed out"});
    enter_state(ServerState::Closed, out);
    out.actions.push_back(Close{});
    return out;
  }
  close_with(out, 421, "4.4.2", m_config.hostname + " Error: timeout exceeded");
  return out;
}

// ---------------------------------------------------------------------------------------------
// AUTH (RFC 4954) with PLAIN (RFC 4616) and LOGIN

bool SmtpServerSession::auth_offered() const {
  return m_config.role != ServerRole::Relay &&
         (m_envelope.session.tls_active || m_config.allow_plaintext_auth);
}

bool SmtpServerSession::auth_needs_tls() const {
  return !m_envelope.session.tls_active && !m_config.allow_plaintext_auth;
}

void SmtpServerSession::cmd_auth(const CommandLine& cmd, SmtpOutput& out) {
  if (m_config.role == ServerRole::Relay) {
    reply(out, 503, "5.5.1", "Error: authentication not enabled");
    return;
  }
  if (m_envelope.session.greeting != Greeting::Ehlo) {
    reply(out, 503, "5.5.1", "Error: send EHLO first");
    return;
  }
  if (!m_envelope.session.authenticated_user.empty()) {
    reply(out, 503, "5.5.1", "Error: already authenticated");
    return;
  }
  if (in_transaction()) {
    reply(out, 503, "5.5.1", "Error: MAIL transaction in progress");
    return;
  }
  if (auth_needs_tls()) {
    reply(out, 538, "5.7.11", "Encryption required for requested authentication mechanism");
    return;
  }
  const std::size_t space = cmd.argument.find(' ');
  const std::string_view mechanism = cmd.argument.substr(0, space);
  const std::string_view initial =
      space == std::string_view::npos ? std::string_view{} : cmd.argument.substr(space + 1);
  if (mechanism.empty()) {
    reply(out, 501, "5.5.4", "Syntax: AUTH mechanism");
    return;
  }
  if (iequals(mechanism, "PLAIN")) {
    if (!initial.empty()) {
      auth_plain(initial, out);
      return;
    }
    m_auth_step = AuthStep::PlainResponse;
    reply(out, 334, "", "");
    enter_state(ServerState::Auth, out);
    return;
  }
  if (iequals(mechanism, "LOGIN")) {
    if (!initial.empty()) {
      if (initial == "*") {
        reply(out, 501, "5.7.0", "Authentication cancelled");
        return;
      }
      auto user = base64_decode(initial);
      if (!user) {
        reply(out, 501, "5.5.2", "Cannot decode response");
        return;
      }
      m_auth_user = std::move(*user);
      m_auth_step = AuthStep::LoginPassword;
      reply(out, 334, "", base64_encode("Password:"));
    } else {
      m_auth_step = AuthStep::LoginUser;
      reply(out, 334, "", base64_encode("Username:"));
    }
    enter_state(ServerState::Auth, out);
    return;
  }
  reply(out, 504, "5.5.4", "Unrecognized authentication type");
}

void SmtpServerSession::auth_abort(SmtpOutput& out) {
  m_auth_step = AuthStep::None;
  m_auth_user.clear();
  if (m_state == ServerState::Auth) enter_state(ServerState::Ready, out);
}

void SmtpServerSession::auth_continue(std::string_view line, SmtpOutput& out) {
  if (line == "*") {
    reply(out, 501, "5.7.0", "Authentication cancelled");
    auth_abort(out);
    return;
  }
  switch (m_auth_step) {
    case AuthStep::PlainResponse:
      auth_plain(line, out);
      return;
    case AuthStep::LoginUser: {
      auto user = base64_decode(line);
      if (!user) {
        reply(out, 501, "5.5.2", "Cannot decode response");
        auth_abort(out);
        return;
      }
      m_auth_user = std::move(*user);
      m_auth_step = AuthStep::LoginPassword;
      reply(out, 334, "", base64_encode("Password:"));
      return;
    }
    case AuthStep::LoginPassword: {
      auto password = base64_decode(line);
      if (!password) {
        reply(out, 501, "5.5.2", "Cannot decode response");
        auth_abort(out);
        return;
      }
      const std::string user = m_auth_user;
      auth_finish(user, *password, out);
      return;
    }
    case AuthStep::None:
      auth_abort(out);
      return;
  }
}

void SmtpServerSession::auth_plain(std::string_view response_b64, SmtpOutput& out) {
  if (response_b64 == "*") {
    reply(out, 501, "5.7.0", "Authentication cancelled");
    auth_abort(out);
    return;
  }
  // RFC 4954 §4: "=" is an empty initial response.
  auto decoded =
      response_b64 == "=" ? Result<std::string>(std::string{}) : base64_decode(response_b64);
  if (!decoded) {
    reply(out, 501, "5.5.2", "Cannot decode response");
    auth_abort(out);
    return;
  }
  // RFC 4616: [authzid] NUL authcid NUL passwd, each at most 255 octets.
  const std::string& message = *decoded;
  const std::size_t first = message.find('\0');
  const std::size_t second =
      first == std::string::npos ? std::string::npos : message.find('\0', first + 1);
  if (second == std::string::npos || message.find('\0', second + 1) != std::string::npos) {
    reply(out, 501, "5.5.2", "Invalid PLAIN response");
    auth_abort(out);
    return;
  }
  const std::string authzid = message.substr(0, first);
  const std::string authcid = message.substr(first + 1, second - first - 1);
  const std::string password = message.substr(second + 1);
  if (authcid.empty() || authcid.size() > 255 || authzid.size() > 255 || password.size() > 255) {
    reply(out, 501, "5.5.2", "Invalid PLAIN response");
    auth_abort(out);
    return;
  }
  if (!authzid.empty() && authzid != authcid) {
    // Acting on behalf of another identity is not supported: treat as a failed login.
    auth_finish(authcid, std::string{}, out);
    return;
  }
  auth_finish(authcid, password, out);
}

void SmtpServerSession::auth_finish(const std::string& user, const std::string& password,
                                    SmtpOutput& out) {
  const AuthVerdict verdict =
      password.empty() ? AuthVerdict::Reject : m_policy.authenticate(user, password);
  switch (verdict) {
    case AuthVerdict::Accept:
      m_envelope.session.authenticated_user = user;
      reply(out, 235, "2.7.0", "Authentication successful");
      break;
    case AuthVerdict::Reject: {
      ++m_auth_failures;
      // A growing pause after each failure slows password guessing down.
      TimeNs delay = m_config.auth_failure_delay_ns;
      for (std::size_t i = 1; i < m_auth_failures && delay < m_config.auth_failure_delay_max_ns;
           ++i) {
        delay *= 2;
      }
      if (delay > m_config.auth_failure_delay_max_ns) delay = m_config.auth_failure_delay_max_ns;
      reply(out, SmtpReply{535, "5.7.8", {"Authentication credentials invalid"}}, delay);
      break;
    }
    case AuthVerdict::Temporary:
      reply(out, 454, "4.7.0", "Temporary authentication failure");
      break;
  }
  auth_abort(out);
}

// ---------------------------------------------------------------------------------------------
// End of data

void SmtpServerSession::finish_data(SmtpOutput& out) {
  DataReader& data = *m_data;
  if (data.bare_newline()) {
    out.actions.push_back(ProtocolViolation{"bare <CR> or <LF> in message content"});
    reply(out, 550, "5.5.2", "Error: bare <CR> or <LF> received in message content");
  } else if (data.line_too_long()) {
    reply(out, 500, "5.5.2", "Error: message content line longer than 1000 octets");
  } else if (data.too_big()) {
    reply(out, 552, "5.3.4", "Error: message file too big");
  } else {
    const std::string content = data.take_content();
    SmtpReply verdict = m_policy.accept_message(m_envelope, content);
    if (verdict.code < 200 || verdict.code > 599 || (verdict.code >= 300 && verdict.code < 400)) {
      verdict = make_reply(451, "4.3.0", "Error: internal policy error");
    }
    if (verdict.positive()) {
      out.actions.push_back(MessageAccepted{m_envelope, data.size_bytes(), verdict});
    }
    reply(out, std::move(verdict));
  }
  m_data.reset();
  drop_transaction();
  enter_state(ServerState::Ready, out);
}

// ---------------------------------------------------------------------------------------------
// Replies and states

void SmtpServerSession::reply(SmtpOutput& out, SmtpReply r, TimeNs delay_ns) {
  if (r.code >= 400 && r.code != 421) ++m_errors;
  // RFC 5321 §4.5.3.1.5: keep every reply line within 512 octets.
  const std::size_t overhead = 4 + (r.enhanced.empty() ? 0 : r.enhanced.size() + 1) + 2;
  for (std::string& line : r.lines) {
    if (line.size() + overhead > kReplyLineMax) line.resize(kReplyLineMax - overhead);
  }
  out.actions.push_back(Send{format_reply(r), delay_ns});
  out.actions.push_back(ReplySent{std::move(r)});
}

void SmtpServerSession::reply(SmtpOutput& out, int code, std::string_view enhanced,
                              std::string_view text) {
  reply(out, make_reply(code, enhanced, text));
}

void SmtpServerSession::enter_state(ServerState next, SmtpOutput& out) {
  if (next == m_state) return;
  out.actions.push_back(StateChanged{to_string(m_state), to_string(next)});
  m_state = next;
  if (next == ServerState::Closed) m_deadline = kTimeNever;
}

void SmtpServerSession::close_with(SmtpOutput& out, int code, std::string_view enhanced,
                                   std::string_view text) {
  reply(out, code, enhanced, text);
  m_data.reset();
  enter_state(ServerState::Closed, out);
  out.actions.push_back(Close{});
}

void SmtpServerSession::reject_synchronization(SmtpOutput& out, std::string what) {
  out.actions.push_back(ProtocolViolation{std::move(what)});
  close_with(out, 554, "5.5.0", "Error: SMTP protocol synchronization");
}

bool SmtpServerSession::in_transaction() const {
  return m_state == ServerState::Mail || m_state == ServerState::Rcpt ||
         m_state == ServerState::Data;
}

void SmtpServerSession::drop_transaction() {
  m_envelope.transaction = Transaction{};
}

}  // namespace mailscope::smtp
