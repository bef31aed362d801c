#include "proto/pop3/server_session.h"

#include <array>

#include "mail/base64.h"
#include "proto/pop3/multiline.h"

namespace mailscope::pop3 {
namespace {

constexpr std::array<std::string_view, static_cast<std::size_t>(ServerState::Count)> kStateNames = {
    "GREETING", "AUTHORIZATION", "STLS", "TRANSACTION", "UPDATE", "CLOSED"};

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

std::string plural(std::size_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

// "2 messages (320 octets)", as RFC 1939 writes the size of a maildrop.
std::string maildrop_summary(const Maildrop& drop) {
  return plural(drop.live_count(), "message") + " (" + plural(drop.live_size(), "octet") + ")";
}

}  // namespace

std::string_view to_string(ServerState state) {
  const auto index = static_cast<std::size_t>(state);
  return index < kStateNames.size() ? kStateNames[index] : "?";
}

std::string_view to_string(ServerRole role) {
  switch (role) {
    case ServerRole::Pop3:
      return "pop3";
    case ServerRole::Pop3s:
      return "pop3s";
  }
  return "?";
}

Pop3ServerSession::Pop3ServerSession(const Pop3ServerConfig& config, mail::MailStore& store,
                                     Pop3AuthPolicy& policy, TimeNs now)
    : m_config(config), m_store(store), m_policy(policy) {
  // Port 995: the owner completed the TLS handshake before the first POP3 byte.
  m_tls_active = config.role == ServerRole::Pop3s;
  m_deadline = now + m_config.timeouts.autologout_ns;
}

// ---------------------------------------------------------------------------------------------
// Input framing

Pop3Output Pop3ServerSession::start(TimeNs now) {
  Pop3Output out;
  if (m_state != ServerState::Greeting) return out;
  reply_ok(out, m_config.hostname + " POP3 server ready");
  enter_state(ServerState::Authorization, out);
  m_deadline = now + m_config.timeouts.autologout_ns;
  return out;
}

Pop3Output Pop3ServerSession::on_bytes(TimeNs now, std::string_view bytes) {
  return on_bytes(now, ByteView(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

Pop3Output Pop3ServerSession::on_bytes(TimeNs now, ByteView bytes) {
  Pop3Output out;
  if (bytes.empty() || closed()) return out;
  const std::string_view input(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  // POP3 has no rule against talking first; the greeting simply goes out before the answers.
  if (m_state == ServerState::Greeting) out = start(now);
  if (m_state == ServerState::TlsHandshake) {
    // The TLS layer owns the connection until the handshake is done; bytes reaching the POP3
    // engine now were sent in clear after STLS and must not be obeyed (RFC 2595 §8, the
    // STARTTLS injection of CVE-2011-0411).
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
  // Any input restarts the autologout timer, unless the session is now in a handshake.
  if (m_state == ServerState::Authorization || m_state == ServerState::Transaction) {
    m_deadline = now + m_config.timeouts.autologout_ns;
  }
  return out;
}

std::size_t Pop3ServerSession::line_limit() const {
  return m_sasl_pending ? kSaslLineMax : kCommandLineMax;
}

// Frames input into command lines; leaves an unfinished line in m_in.
void Pop3ServerSession::process(TimeNs now, std::string_view input, Pop3Output& out) {
  std::size_t pos = 0;
  while (pos < input.size()) {
    if (closed()) return;
    if (m_state == ServerState::TlsHandshake) {
      out.actions.push_back(
          ProtocolViolation{"discarded " + std::to_string(input.size() - pos) +
                            " bytes pipelined after STLS (they were sent before TLS)"});
      return;
    }
    const std::size_t lf = input.find('\n', pos);
    if (lf == std::string_view::npos) {
      const std::string_view partial = input.substr(pos);
      if (m_discarding || partial.size() > line_limit()) {
        m_discarding = true;  // keep no more of it; the response comes when its LF arrives
      } else {
        m_in.assign(partial);
      }
      return;
    }
    std::string_view line = input.substr(pos, lf - pos);
    pos = lf + 1;
    // CRLF ends a command; a bare LF is taken too, as most servers do: a command is one line.
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (m_discarding || line.size() + 2 > line_limit()) {
      // RFC 2449 §4: a command over 255 octets is refused; reading on to its LF resynchronises.
      m_discarding = false;
      if (m_sasl_pending) {
        m_sasl_pending = false;
        reply_err(out, "SASL response too long");
      } else {
        reply_err(out, "command line too long");
      }
    } else {
      on_line(now, line, out);
    }
    if (!closed() && m_errors >= m_config.errors_max) {
      reply_err(out, "too many errors, closing connection");
      close(out);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Line dispatch

void Pop3ServerSession::on_line(TimeNs now, std::string_view line, Pop3Output& out) {
  if (m_sasl_pending) {
    out.actions.push_back(CommandReceived{std::string(line), Sensitivity::Secret});
    sasl_response(line, out);
    return;
  }
  const CommandLine cmd = parse_command_line(line);
  // PASS always carries a password; AUTH with an initial response carries the credentials.
  const bool secret =
      cmd.verb == Verb::Pass || (cmd.verb == Verb::Auth && cmd.arguments.size() > 1);
  out.actions.push_back(
      CommandReceived{std::string(line), secret ? Sensitivity::Secret : Sensitivity::Plain});

  if (cmd.verb == Verb::Unknown) {
    reply_err(out, "unknown command");
    return;
  }
  if (cmd.too_many_arguments) {
    reply_err(out, "too many arguments");
    return;
  }
  // Commands valid in both states.
  if (cmd.verb == Verb::Capa) {
    if (!cmd.arguments.empty()) {
      reply_err(out, "CAPA takes no arguments");
      return;
    }
    cmd_capa(out);
    return;
  }
  if (cmd.verb == Verb::Quit) {
    if (!cmd.arguments.empty()) {
      reply_err(out, "QUIT takes no arguments");
      return;
    }
    cmd_quit(out);
    return;
  }

  const bool authorization_verb = cmd.verb == Verb::User || cmd.verb == Verb::Pass ||
                                  cmd.verb == Verb::Apop || cmd.verb == Verb::Auth ||
                                  cmd.verb == Verb::Stls;
  const bool in_authorization = m_state == ServerState::Authorization;
  if (authorization_verb != in_authorization) {
    // RFC 1939: each command is valid in one state only; elsewhere the answer is -ERR.
    reply_err(out, std::string(to_string(cmd.verb)) + " not allowed in " +
                       std::string(to_string(m_state)) + " state");
    return;
  }
  switch (cmd.verb) {
    case Verb::User:
      cmd_user(cmd, out);
      return;
    case Verb::Pass:
      cmd_pass(cmd, out);
      return;
    case Verb::Apop:
      // APOP needs a timestamp in the greeting and an MD5 digest; this server offers neither.
      reply_err(out, "APOP not supported");
      return;
    case Verb::Auth:
      cmd_auth(cmd, out);
      return;
    case Verb::Stls:
      cmd_stls(now, cmd, out);
      return;
    case Verb::Stat:
    case Verb::Noop:
    case Verb::Rset:
      if (!cmd.arguments.empty()) {
        reply_err(out, std::string(to_string(cmd.verb)) + " takes no arguments");
      } else if (cmd.verb == Verb::Stat) {
        cmd_stat(out);
      } else if (cmd.verb == Verb::Noop) {
        reply_ok(out, "");
      } else {
        cmd_rset(out);
      }
      return;
    case Verb::List:
      cmd_list(cmd, out);
      return;
    case Verb::Uidl:
      cmd_uidl(cmd, out);
      return;
    case Verb::Retr:
      cmd_retr(cmd, out);
      return;
    case Verb::Top:
      cmd_top(cmd, out);
      return;
    case Verb::Dele:
      cmd_dele(cmd, out);
      return;
    case Verb::Capa:
    case Verb::Quit:
    case Verb::Unknown:
    case Verb::Count:
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// AUTHORIZATION (RFC 1939 §4, §7; RFC 2595; RFC 5034)

// A password may cross the connection only inside TLS, unless the lesson says otherwise.
bool Pop3ServerSession::login_permitted() const {
  return m_tls_active || m_config.allow_plaintext_login;
}

bool Pop3ServerSession::sasl_offered() const {
  return m_config.sasl_plain == SaslPlain::Offer;
}

void Pop3ServerSession::cmd_user(const CommandLine& cmd, Pop3Output& out) {
  if (!login_permitted()) {
    reply_err(out, "Plaintext authentication disallowed on non-secure connections, use STLS",
              "AUTH");
    return;
  }
  if (cmd.arguments.size() != 1) {
    reply_err(out, cmd.arguments.empty() ? "missing user name" : "too many arguments");
    return;
  }
  // Whether the user exists is not told here (RFC 1939 §7 allows either): a server that said
  // "-ERR no such user" would let anyone probe for valid names.
  m_pending_user = std::string(cmd.arguments[0]);
  reply_ok(out, "send PASS");
}

void Pop3ServerSession::cmd_pass(const CommandLine& cmd, Pop3Output& out) {
  if (!login_permitted()) {
    reply_err(out, "Plaintext authentication disallowed on non-secure connections, use STLS",
              "AUTH");
    return;
  }
  if (m_pending_user.empty()) {
    reply_err(out, "send USER first");
    return;
  }
  if (cmd.rest.empty()) {
    reply_err(out, "missing password");
    return;
  }
  const std::string user = m_pending_user;
  login(user, cmd.rest, out);
}

void Pop3ServerSession::cmd_auth(const CommandLine& cmd, Pop3Output& out) {
  if (cmd.arguments.empty()) {
    reply_err(out, "missing authentication mechanism");
    return;
  }
  if (!sasl_offered() || !iequals(cmd.arguments[0], "PLAIN")) {
    reply_err(out, "unsupported authentication mechanism");
    return;
  }
  if (!login_permitted()) {
    reply_err(out, "Plaintext authentication disallowed on non-secure connections, use STLS",
              "AUTH");
    return;
  }
  if (cmd.arguments.size() > 2) {
    reply_err(out, "too many arguments");
    return;
  }
  m_pending_user.clear();
  if (cmd.arguments.size() == 2) {
    sasl_response(cmd.arguments[1], out);
    return;
  }
  // RFC 5034 §4: PLAIN has no challenge, so the continuation is "+" and a space.
  m_sasl_pending = true;
  reply(out, Pop3Response{Status::Continue, {}, {}});
}

void Pop3ServerSession::sasl_response(std::string_view line, Pop3Output& out) {
  m_sasl_pending = false;
  if (line == "*") {
    reply_err(out, "authentication cancelled");
    return;
  }
  // RFC 5034 §4: "=" is an empty initial response.
  auto decoded = line == "=" ? Result<std::string>(std::string{}) : mail::base64_decode(line);
  if (!decoded) {
    reply_err(out, "invalid base64 in SASL response");
    return;
  }
  // RFC 4616: [authzid] NUL authcid NUL passwd, each at most 255 octets.
  const std::string& message = *decoded;
  const std::size_t first = message.find('\0');
  const std::size_t second =
      first == std::string::npos ? std::string::npos : message.find('\0', first + 1);
  if (second == std::string::npos || message.find('\0', second + 1) != std::string::npos) {
    reply_err(out, "invalid PLAIN response");
    return;
  }
  const std::string authzid = message.substr(0, first);
  const std::string authcid = message.substr(first + 1, second - first - 1);
  const std::string password = message.substr(second + 1);
  if (authcid.empty() || authcid.size() > 255 || authzid.size() > 255 || password.size() > 255) {
    reply_err(out, "invalid PLAIN response");
    return;
  }
  // Acting on behalf of another identity is not supported: a failed login, like a bad password.
  login(authcid, authzid.empty() || authzid == authcid ? password : std::string_view{}, out);
}

void Pop3ServerSession::cmd_stls(TimeNs now, const CommandLine& cmd, Pop3Output& out) {
  if (!cmd.arguments.empty()) {
    reply_err(out, "STLS takes no arguments");
    return;
  }
  if (m_tls_active) {
    reply_err(out, "command not permitted when TLS active");
    return;
  }
  if (m_config.tls == TlsAvailability::None) {
    reply_err(out, "STLS not available");
    return;
  }
  if (m_config.tls == TlsAvailability::Failing) {
    reply_err(out, "TLS not available due to local problem", "SYS/TEMP");
    return;
  }
  reply_ok(out, "Begin TLS negotiation");
  out.actions.push_back(StartTls{});
  enter_state(ServerState::TlsHandshake, out);
  m_deadline = now + m_config.timeouts.tls_handshake_ns;
}

void Pop3ServerSession::end_login_attempt() {
  m_pending_user.clear();
  m_sasl_pending = false;
}

void Pop3ServerSession::login(const std::string& user, std::string_view password, Pop3Output& out) {
  end_login_attempt();
  const AuthVerdict verdict =
      password.empty() ? AuthVerdict::Reject : m_policy.authenticate(user, password);
  if (verdict == AuthVerdict::Temporary) {
    reply_err(out, "authentication temporarily unavailable", "SYS/TEMP");
    return;
  }
  if (verdict == AuthVerdict::Reject) {
    ++m_auth_failures;
    // A growing pause after each failure slows password guessing down.
    TimeNs delay = m_config.auth_failure_delay_ns;
    for (std::size_t i = 1; i < m_auth_failures && delay < m_config.auth_failure_delay_max_ns;
         ++i) {
      delay *= 2;
    }
    if (delay > m_config.auth_failure_delay_max_ns) delay = m_config.auth_failure_delay_max_ns;
    reply(out, err_response("AUTH", "authentication failed"), delay);
    return;
  }
  const std::string owner = m_policy.store_user(user);
  // RFC 1939 §4: only after a successful login is the maildrop locked, and a second session
  // on the same maildrop is turned away (RFC 2449 §8.1.1: [IN-USE]).
  auto lock = m_store.lock_maildrop(owner);
  if (!lock) {
    if (lock.code() == mail::StoreErrorCode::Locked) {
      reply_err(out, "maildrop already locked", "IN-USE");
    } else if (lock.code() == mail::StoreErrorCode::NoSuchUser) {
      reply_err(out, "no maildrop for this user", "SYS/PERM");
    } else {
      reply_err(out, "maildrop not available", "SYS/TEMP");
    }
    return;
  }
  auto messages = m_store.messages(owner, "INBOX");
  auto status = m_store.status(owner, "INBOX");
  if (!messages || !status) {
    reply_err(out, "maildrop not available", "SYS/TEMP");
    return;  // the lock is released when it goes out of scope
  }
  m_lock = std::move(*lock);
  m_user = owner;
  m_maildrop = Maildrop(*messages, status->uid_validity);
  reply_ok(out, owner + "'s maildrop has " + maildrop_summary(m_maildrop));
  enter_state(ServerState::Transaction, out);
}

void Pop3ServerSession::cmd_capa(Pop3Output& out) {
  // RFC 2449 §5: the list may differ between states; after login only what can still be used.
  std::string body;
  body += "TOP\r\nUIDL\r\n";
  if (m_state == ServerState::Authorization) {
    // Offering a login method that would be refused only invites the password in clear.
    if (login_permitted()) {
      body += "USER\r\n";
      if (sasl_offered()) body += "SASL PLAIN\r\n";
    }
    if (m_config.tls != TlsAvailability::None && !m_tls_active) body += "STLS\r\n";
  }
  body += "PIPELINING\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\n";
  body += "IMPLEMENTATION " + m_config.implementation + "\r\n";
  std::string stuffed;
  append_stuffed(stuffed, body);
  reply_multi(out, "Capability list follows", stuffed);
}

// ---------------------------------------------------------------------------------------------
// TRANSACTION (RFC 1939 §5, §7)

std::optional<std::size_t> Pop3ServerSession::message_argument(std::string_view argument,
                                                               Pop3Output& out) {
  const auto number = parse_number(argument);
  if (!number) {
    reply_err(out, "invalid message number");
    return std::nullopt;
  }
  switch (m_maildrop.find(*number)) {
    case Maildrop::Lookup::Found:
      return static_cast<std::size_t>(*number);
    case Maildrop::Lookup::NoSuchMessage:
      reply_err(out,
                "no such message, only " + plural(m_maildrop.count(), "message") + " in maildrop");
      return std::nullopt;
    case Maildrop::Lookup::Deleted:
      reply_err(out, "message " + std::to_string(*number) + " already deleted");
      return std::nullopt;
  }
  return std::nullopt;
}

void Pop3ServerSession::cmd_stat(Pop3Output& out) {
  // RFC 1939 §5: "+OK nn mm", exactly, so that clients can parse it; marked messages excluded.
  reply_ok(out,
           std::to_string(m_maildrop.live_count()) + " " + std::to_string(m_maildrop.live_size()));
}

void Pop3ServerSession::cmd_list(const CommandLine& cmd, Pop3Output& out) {
  if (cmd.arguments.size() > 1) {
    reply_err(out, "too many arguments");
    return;
  }
  if (cmd.arguments.size() == 1) {
    const auto number = message_argument(cmd.arguments[0], out);
    if (!number) return;
    reply_ok(out, std::to_string(*number) + " " + std::to_string(m_maildrop.at(*number).size));
    return;
  }
  std::string body;
  for (std::size_t n = 1; n <= m_maildrop.count(); ++n) {
    if (m_maildrop.at(n).deleted) continue;
    body += std::to_string(n) + " " + std::to_string(m_maildrop.at(n).size) + "\r\n";
  }
  std::string stuffed;
  append_stuffed(stuffed, body);
  reply_multi(out, maildrop_summary(m_maildrop), stuffed);
}

void Pop3ServerSession::cmd_uidl(const CommandLine& cmd, Pop3Output& out) {
  if (cmd.arguments.size() > 1) {
    reply_err(out, "too many arguments");
    return;
  }
  if (cmd.arguments.size() == 1) {
    const auto number = message_argument(cmd.arguments[0], out);
    if (!number) return;
    reply_ok(out, std::to_string(*number) + " " + m_maildrop.unique_id(*number));
    return;
  }
  std::string body;
  for (std::size_t n = 1; n <= m_maildrop.count(); ++n) {
    if (m_maildrop.at(n).deleted) continue;
    body += std::to_string(n) + " " + m_maildrop.unique_id(n) + "\r\n";
  }
  std::string stuffed;
  append_stuffed(stuffed, body);
  reply_multi(out, "unique-id listing follows", stuffed);
}

void Pop3ServerSession::cmd_retr(const CommandLine& cmd, Pop3Output& out) {
  if (cmd.arguments.size() != 1) {
    reply_err(out, cmd.arguments.empty() ? "missing message number" : "too many arguments");
    return;
  }
  const auto number = message_argument(cmd.arguments[0], out);
  if (!number) return;
  const Maildrop::Entry& entry = m_maildrop.at(*number);
  std::string stuffed;
  append_stuffed(stuffed, *entry.bytes);
  reply_multi(out, plural(entry.size, "octet"), stuffed);
}

void Pop3ServerSession::cmd_top(const CommandLine& cmd, Pop3Output& out) {
  if (cmd.arguments.size() != 2) {
    reply_err(out, cmd.arguments.size() < 2 ? "usage: TOP message lines" : "too many arguments");
    return;
  }
  const auto lines = parse_number(cmd.arguments[1]);
  if (!lines) {
    reply_err(out, "invalid number of lines");
    return;
  }
  const auto number = message_argument(cmd.arguments[0], out);
  if (!number) return;
  std::string stuffed;
  append_stuffed(stuffed, top_of_message(*m_maildrop.at(*number).bytes, *lines));
  reply_multi(out, "top of message follows", stuffed);
}

void Pop3ServerSession::cmd_dele(const CommandLine& cmd, Pop3Output& out) {
  if (cmd.arguments.size() != 1) {
    reply_err(out, cmd.arguments.empty() ? "missing message number" : "too many arguments");
    return;
  }
  const auto number = message_argument(cmd.arguments[0], out);
  if (!number) return;
  // Only a mark: the message goes in the UPDATE state, if the client says QUIT.
  m_maildrop.mark_deleted(*number);
  reply_ok(out, "message " + std::to_string(*number) + " deleted");
}

void Pop3ServerSession::cmd_rset(Pop3Output& out) {
  m_maildrop.unmark_all();
  reply_ok(out, "maildrop has " + maildrop_summary(m_maildrop));
}

// ---------------------------------------------------------------------------------------------
// QUIT and UPDATE (RFC 1939 §6)

void Pop3ServerSession::cmd_quit(Pop3Output& out) {
  const std::string signing_off = m_config.hostname + " POP3 server signing off";
  if (m_state != ServerState::Transaction) {
    // QUIT in AUTHORIZATION ends the session without entering UPDATE.
    reply_ok(out, signing_off);
    close(out);
    return;
  }
  enter_state(ServerState::Update, out);
  const std::vector<mail::Uid> marked = m_maildrop.marked_uids();
  bool removed_all = true;
  if (!marked.empty()) {
    auto removed = m_store.remove(m_user, "INBOX", marked);
    if (removed) {
      out.actions.push_back(MaildropUpdated{m_user, *removed, marked.size()});
    } else {
      removed_all = false;
      out.actions.push_back(Note{"UPDATE failed: " + removed.error().what});
    }
  }
  m_lock.release();
  if (!removed_all) {
    reply_err(out, "some deleted messages not removed", "SYS/TEMP");
  } else if (m_maildrop.live_count() == 0) {
    reply_ok(out, signing_off + " (maildrop empty)");
  } else {
    reply_ok(out, signing_off + " (" + plural(m_maildrop.live_count(), "message") + " left)");
  }
  close(out);
}

// ---------------------------------------------------------------------------------------------
// Timers and the end of a connection

Pop3Output Pop3ServerSession::on_tls_established(TimeNs now) {
  Pop3Output out;
  if (m_state != ServerState::TlsHandshake) {
    out.actions.push_back(ProtocolViolation{"TLS established without STLS"});
    return out;
  }
  // RFC 2595 §4: what the client said before TLS is forgotten; the session starts over in
  // AUTHORIZATION, now protected.
  m_in.clear();
  m_discarding = false;
  end_login_attempt();
  m_tls_active = true;
  enter_state(ServerState::Authorization, out);
  m_deadline = now + m_config.timeouts.autologout_ns;
  return out;
}

Pop3Output Pop3ServerSession::on_timeout(TimeNs now) {
  Pop3Output out;
  if (closed() || now < m_deadline) return out;
  if (m_state == ServerState::Greeting) return start(now);
  if (m_state == ServerState::TlsHandshake) {
    out.actions.push_back(Note{"TLS handshake timed out"});
  } else {
    // RFC 1939 §3: close without a response and without UPDATE; marked messages stay.
    out.actions.push_back(
        Note{"autologout after " + std::to_string(m_config.timeouts.autologout_ns / kSecond) +
             " s without a command; " + plural(m_maildrop.marked(), "marked message") + " kept"});
  }
  close(out);
  return out;
}

Pop3Output Pop3ServerSession::on_connection_lost(TimeNs) {
  Pop3Output out;
  if (closed()) return out;
  if (m_state == ServerState::Transaction) {
    out.actions.push_back(Note{"connection lost in TRANSACTION; " +
                               plural(m_maildrop.marked(), "marked message") + " kept"});
  }
  m_lock.release();
  enter_state(ServerState::Closed, out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Responses and states

void Pop3ServerSession::reply(Pop3Output& out, Pop3Response response, TimeNs delay_ns) {
  if (response.status == Status::Err) ++m_errors;
  // RFC 2449 §4: keep the status line within 512 octets with its CRLF.
  std::string line = status_line(response);
  if (line.size() + 2 > kResponseLineMax) {
    const std::size_t excess = line.size() + 2 - kResponseLineMax;
    response.text.resize(response.text.size() > excess ? response.text.size() - excess : 0);
    line = status_line(response);
  }
  line += "\r\n";
  out.actions.push_back(Send{std::move(line), delay_ns});
  out.actions.push_back(ResponseSent{std::move(response), false, 0});
}

void Pop3ServerSession::reply_multi(Pop3Output& out, std::string text,
                                    std::string_view stuffed_body) {
  Pop3Response response = ok_response(std::move(text));
  std::string bytes = status_line(response);
  bytes += "\r\n";
  bytes.append(stuffed_body);
  out.actions.push_back(Send{std::move(bytes), 0});
  out.actions.push_back(ResponseSent{std::move(response), true, stuffed_body.size()});
}

void Pop3ServerSession::enter_state(ServerState next, Pop3Output& out) {
  if (next == m_state) return;
  out.actions.push_back(StateChanged{to_string(m_state), to_string(next)});
  m_state = next;
  if (next == ServerState::Closed) m_deadline = kTimeNever;
}

void Pop3ServerSession::close(Pop3Output& out) {
  // Leaving without UPDATE removes nothing; the lock goes with the session's hold on the drop.
  m_lock.release();
  m_in.clear();
  enter_state(ServerState::Closed, out);
  out.actions.push_back(Close{});
}

}  // namespace mailscope::pop3
