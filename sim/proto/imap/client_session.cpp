#include "proto/imap/client_session.h"

#include <algorithm>
#include <array>

#include "mail/base64.h"
#include "mail/text.h"

namespace mailscope::imap {
namespace {

constexpr std::array<std::string_view, static_cast<std::size_t>(ClientState::Count)> kStateNames = {
    "AWAIT-GREETING", "NOT-AUTHENTICATED",
    "STARTTLS",       "AUTHENTICATED",
    "SELECTED",       "IDLE",
    "LOGOUT",         "DONE"};

bool is_atom_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u >= 0x7f) return false;
  switch (c) {
    case '(':
    case ')':
    case '{':
    case '%':
    case '*':
    case '"':
    case '\\':
    case ']':
      return false;
    default:
      return true;
  }
}

bool quotable(std::string_view text) {
  if (text.size() > 1000) return false;
  return std::none_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return c == '\r' || c == '\n' || c == '\0' || u >= 0x80;
  });
}

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

std::string flag_list(const std::vector<std::string>& flags) {
  std::string out = "(";
  for (std::size_t i = 0; i < flags.size(); ++i) {
    if (i > 0) out += ' ';
    out += flags[i];
  }
  return out + ")";
}

}  // namespace

std::string_view to_string(ClientState state) {
  const auto index = static_cast<std::size_t>(state);
  return index < kStateNames.size() ? kStateNames[index] : "?";
}

ImapClientSession::ImapClientSession(const ImapClientConfig& config, TimeNs now)
    : m_config(config) {
  m_tls_active = config.transport == ClientTransport::ImplicitTls;
  m_deadline = now + config.response_timeout_ns;
}

bool ImapClientSession::has_capability(std::string_view name) const {
  return std::any_of(m_capabilities.begin(), m_capabilities.end(),
                     [&](const std::string& c) { return mail::iequals(c, name); });
}

// ---------------------------------------------------------------------------------------------
// Commands

std::string ImapClientSession::next_tag() {
  std::string number = std::to_string(m_next_tag++);
  if (number.size() < 3) number.insert(0, 3 - number.size(), '0');
  return m_config.tag_prefix + number;
}

void ImapClientSession::add_text(std::vector<Piece>& pieces, std::string_view text) {
  pieces.back().text += text;
}

void ImapClientSession::add_astring(std::vector<Piece>& pieces, std::string_view text) {
  const bool atom = !text.empty() && std::all_of(text.begin(), text.end(), is_atom_char) &&
                    !mail::iequals(text, "NIL");
  if (atom) {
    pieces.back().text += text;
  } else if (quotable(text)) {
    pieces.back().text += quote(text);
  } else {
    pieces.back().literal = std::string(text);
    pieces.push_back(Piece{});
  }
}

std::string ImapClientSession::enqueue(std::string verb, std::vector<Piece> pieces,
                                       Sensitivity sensitivity) {
  if (m_state == ClientState::Done || m_state == ClientState::Logout ||
      m_queue.size() >= m_config.queue_max) {
    return {};
  }
  Outgoing cmd;
  cmd.tag = next_tag();
  cmd.verb = std::move(verb);
  if (pieces.empty()) pieces.push_back(Piece{});
  pieces.front().text.insert(0, cmd.tag + " " + cmd.verb);
  cmd.pieces = std::move(pieces);
  cmd.sensitivity = sensitivity;
  const std::string tag = cmd.tag;
  m_queue.push_back(std::move(cmd));
  return tag;
}

std::string ImapClientSession::capability() {
  return enqueue("CAPABILITY", {});
}
std::string ImapClientSession::noop() {
  return enqueue("NOOP", {});
}
std::string ImapClientSession::logout() {
  return enqueue("LOGOUT", {});
}
std::string ImapClientSession::starttls() {
  return enqueue("STARTTLS", {});
}
std::string ImapClientSession::check() {
  return enqueue("CHECK", {});
}
std::string ImapClientSession::close() {
  return enqueue("CLOSE", {});
}
std::string ImapClientSession::unselect() {
  return enqueue("UNSELECT", {});
}
std::string ImapClientSession::expunge() {
  return enqueue("EXPUNGE", {});
}
std::string ImapClientSession::idle() {
  return enqueue("IDLE", {});
}

std::string ImapClientSession::login(std::string_view user, std::string_view password) {
  std::vector<Piece> p(1);
  add_text(p, " ");
  add_astring(p, user);
  add_text(p, " ");
  add_astring(p, password);
  return enqueue("LOGIN", std::move(p), Sensitivity::Secret);
}

std::string ImapClientSession::authenticate_plain(std::string_view user,
                                                  std::string_view password) {
  // RFC 4959 SASL-IR: the response rides on the command line.
  std::string message;
  message += '\0';
  message += user;
  message += '\0';
  message += password;
  std::vector<Piece> p(1);
  add_text(p, " PLAIN " + mail::base64_encode(message));
  return enqueue("AUTHENTICATE", std::move(p), Sensitivity::Secret);
}

std::string ImapClientSession::select(std::string_view mailbox) {
  std::vector<Piece> p(1);
  add_text(p, " ");
  add_astring(p, mailbox);
  return enqueue("SELECT", std::move(p));
}

std::string ImapClientSession::examine(std::string_view mailbox) {
  std::vector<Piece> p(1);
  add_text(p, " ");
  add_astring(p, mailbox);
  return enqueue("EXAMINE", std::move(p));
}

std::string ImapClientSession::create(std::string_view mailbox) {
  std::vector<Piece> p(1);
  add_text(p, " ");
  add_astring(p, mailbox);
  return enqueue("CREATE", std::move(p));
}

std::string ImapClientSession::delete_mailbox(std::string_view mailbox) {
  std::vector<Piece> p(1);
  add_text(p, " ");
  add_astring(p, mailbox);
  return enqueue("DELETE", std::move(p));
}

std::string ImapClientSession::rename(std::string_view from, std::string_view to) {
  std::vector<Piece> p(1);
  add_text(p, " ");
  add_astring(p, from);
  add_text(p, " ");
  add_astring(p, to);
  return enqueue("RENAME", std::move(p));
}

std::string ImapClientSession::subscribe(std::string_view mailbox) {
  std::vector<Piece> p(1);
  add_text(p, " ");
  add_astring(p, mailbox);
  return enqueue("SUBSCRIBE", std::move(p));
}

std::string ImapClientSession::unsubscribe(std::string_view mailbox) {
  std::vector<Piece> p(1);
  add_text(p, " ");
  add_astring(p, mailbox);
  return enqueue("UNSUBSCRIBE", std::move(p));
}

std::string ImapClientSession::list(std::string_view reference, std::string_view pattern) {
  std::vector<Piece> p(1);
  add_text(p, " " + quote(reference) + " " + quote(pattern));
  return enqueue("LIST", std::move(p));
}

std::string ImapClientSession::lsub(std::string_view reference, std::string_view pattern) {
  std::vector<Piece> p(1);
  add_text(p, " " + quote(reference) + " " + quote(pattern));
  return enqueue("LSUB", std::move(p));
}

std::string ImapClientSession::status(std::string_view mailbox, std::string_view items) {
  std::vector<Piece> p(1);
  add_text(p, " ");
  add_astring(p, mailbox);
  add_text(p, " ");
  add_text(p, items);
  return enqueue("STATUS", std::move(p));
}

std::string ImapClientSession::append(std::string_view mailbox, std::string_view message,
                                      const std::vector<std::string>& flags,
                                      std::string_view internal_date) {
  std::vector<Piece> p(1);
  add_text(p, " ");
  add_astring(p, mailbox);
  add_text(p, " ");
  if (!flags.empty()) add_text(p, flag_list(flags) + " ");
  if (!internal_date.empty()) add_text(p, quote(internal_date) + " ");
  p.back().literal = std::string(message);
  p.push_back(Piece{});
  return enqueue("APPEND", std::move(p));
}

std::string ImapClientSession::uid_expunge(std::string_view uid_set) {
  std::vector<Piece> p(1);
  add_text(p, " ");
  add_text(p, uid_set);
  return enqueue("UID EXPUNGE", std::move(p));
}

std::string ImapClientSession::search(std::string_view criteria, UidMode mode) {
  std::vector<Piece> p(1);
  add_text(p, " ");
  add_text(p, criteria);
  return enqueue(mode == UidMode::Uid ? "UID SEARCH" : "SEARCH", std::move(p));
}

std::string ImapClientSession::fetch(std::string_view set, std::string_view items, UidMode mode) {
  std::vector<Piece> p(1);
  add_text(p, " ");
  add_text(p, set);
  add_text(p, " ");
  add_text(p, items);
  return enqueue(mode == UidMode::Uid ? "UID FETCH" : "FETCH", std::move(p));
}

std::string ImapClientSession::store(std::string_view set, mail::FlagOp op,
                                     const std::vector<std::string>& flags, StoreReply reply,
                                     UidMode mode) {
  std::vector<Piece> p(1);
  add_text(p, " ");
  add_text(p, set);
  add_text(p, op == mail::FlagOp::Add      ? " +FLAGS"
              : op == mail::FlagOp::Remove ? " -FLAGS"
                                           : " FLAGS");
  if (reply == StoreReply::Silent) add_text(p, ".SILENT");
  add_text(p, " " + flag_list(flags));
  return enqueue(mode == UidMode::Uid ? "UID STORE" : "STORE", std::move(p));
}

std::string ImapClientSession::copy(std::string_view set, std::string_view mailbox, UidMode mode) {
  std::vector<Piece> p(1);
  add_text(p, " ");
  add_text(p, set);
  add_text(p, " ");
  add_astring(p, mailbox);
  return enqueue(mode == UidMode::Uid ? "UID COPY" : "COPY", std::move(p));
}

std::string ImapClientSession::move(std::string_view set, std::string_view mailbox, UidMode mode) {
  std::vector<Piece> p(1);
  add_text(p, " ");
  add_text(p, set);
  add_text(p, " ");
  add_astring(p, mailbox);
  return enqueue(mode == UidMode::Uid ? "UID MOVE" : "MOVE", std::move(p));
}

void ImapClientSession::done() {
  m_done_wanted = true;
}

// ---------------------------------------------------------------------------------------------
// Sending

bool ImapClientSession::literal_nonsync(std::size_t size) const {
  return has_capability("LITERAL+") || (has_capability("LITERAL-") && size <= 4096);
}

ImapOutput ImapClientSession::flush(TimeNs now) {
  ImapOutput out;
  send_more(now, out);
  return out;
}

void ImapClientSession::send_more(TimeNs now, ImapOutput& out) {
  if (m_state == ClientState::Idle && m_done_wanted && m_inflight) {
    m_done_wanted = false;
    out.actions.push_back(Send{"DONE\r\n", 0});
    out.actions.push_back(CommandSent{m_inflight->tag, "DONE", Sensitivity::Plain});
    m_deadline = now + m_config.response_timeout_ns;
    return;
  }
  if (m_inflight || m_queue.empty()) return;
  if (m_state == ClientState::AwaitGreeting || m_state == ClientState::TlsHandshake ||
      m_state == ClientState::Done || m_state == ClientState::Logout) {
    return;
  }
  m_inflight = std::move(m_queue.front());
  m_queue.pop_front();
  // The trace sees the whole command once, as it will be on the wire.
  std::string whole;
  for (const Piece& piece : m_inflight->pieces) {
    whole += piece.text;
    if (piece.literal) {
      whole += '{' + std::to_string(piece.literal->size()) +
               (literal_nonsync(piece.literal->size()) ? "+" : "") + "}\r\n" + *piece.literal;
    }
  }
  out.actions.push_back(CommandSent{m_inflight->tag, whole, m_inflight->sensitivity});
  if (m_inflight->verb == "LOGOUT") enter_state(ClientState::Logout, out);
  if (m_inflight->verb == "IDLE") m_idle_return = m_state;
  send_pieces(now, out);
}

void ImapClientSession::send_pieces(TimeNs now, ImapOutput& out) {
  Outgoing& cmd = *m_inflight;
  std::string bytes;
  if (cmd.waiting_continuation) {
    // The server said "+": the literal announced at the end of the last piece goes now.
    bytes += *cmd.pieces[cmd.next_piece - 1].literal;
    cmd.waiting_continuation = false;
  }
  while (cmd.next_piece < cmd.pieces.size()) {
    const Piece& piece = cmd.pieces[cmd.next_piece++];
    bytes += piece.text;
    if (!piece.literal) continue;
    const std::size_t size = piece.literal->size();
    if (literal_nonsync(size)) {
      bytes += '{' + std::to_string(size) + "+}\r\n" + *piece.literal;
      continue;
    }
    // A synchronizing literal: the octets follow the server's "+" (on_continuation()).
    bytes += '{' + std::to_string(size) + "}\r\n";
    cmd.waiting_continuation = true;
    break;
  }
  if (!cmd.waiting_continuation) bytes += "\r\n";
  out.actions.push_back(Send{std::move(bytes), 0});
  m_deadline = now + m_config.response_timeout_ns;
}

// ---------------------------------------------------------------------------------------------
// Input

ImapOutput ImapClientSession::start(TimeNs now) {
  ImapOutput out;
  m_deadline = now + m_config.response_timeout_ns;
  return out;
}

ImapOutput ImapClientSession::on_bytes(TimeNs now, std::string_view bytes) {
  return on_bytes(now, ByteView(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

ImapOutput ImapClientSession::on_bytes(TimeNs now, ByteView bytes) {
  ImapOutput out;
  std::string_view input(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  while (!input.empty() && m_state != ClientState::Done) {
    if (m_state == ClientState::TlsHandshake) {
      out.actions.push_back(ProtocolViolation{"server sent data during the TLS handshake"});
      return out;
    }
    const ResponseReader::Step step = m_reader.feed(input);
    input.remove_prefix(step.consumed);
    if (step.status == ResponseReader::Status::NeedMore) break;
    if (step.status == ResponseReader::Status::Bad) {
      out.actions.push_back(ProtocolViolation{m_reader.error().to_string()});
      finish(SessionOutcome::Failed, "unreadable response from the server", out);
      return out;
    }
    auto response = parse_response(m_reader.take());
    if (!response) {
      out.actions.push_back(ProtocolViolation{response.error().to_string()});
      continue;
    }
    on_response(now, std::move(*response), out);
  }
  return out;
}

void ImapClientSession::on_response(TimeNs now, Response response, ImapOutput& out) {
  out.actions.push_back(ResponseReceived{response});
  switch (response.kind) {
    case ResponseKind::Continuation:
      on_continuation(now, response, out);
      return;
    case ResponseKind::Untagged:
      on_untagged(now, response, out);
      return;
    case ResponseKind::Tagged:
      on_tagged(now, response, out);
      return;
  }
}

void ImapClientSession::on_untagged(TimeNs now, const Response& r, ImapOutput& out) {
  const std::vector<std::string> caps = capabilities(r);
  if (!caps.empty()) {
    m_capabilities = caps;
    m_capabilities_known = true;
  }
  if (m_state == ClientState::AwaitGreeting) {
    if (r.status == Status::Ok) {
      enter_state(ClientState::NotAuthenticated, out);
    } else if (r.status == Status::Preauth) {
      enter_state(ClientState::Authenticated, out);
    } else {
      finish(SessionOutcome::Failed, "server refused the connection: " + r.text, out);
      return;
    }
    if (m_untagged) m_untagged(r);
    after_greeting(now, out);
    return;
  }
  if (r.code == "UIDVALIDITY")
    m_uid_validity = static_cast<std::uint32_t>(std::strtoul(r.code_args.c_str(), nullptr, 10));
  if (r.code == "UIDNEXT")
    m_uid_next = static_cast<std::uint32_t>(std::strtoul(r.code_args.c_str(), nullptr, 10));
  if (r.number && r.keyword == "EXISTS") m_exists = *r.number;
  if (r.number && r.keyword == "EXPUNGE" && m_exists > 0) --m_exists;
  if (m_untagged) m_untagged(r);
  if (r.status == Status::Bye) {
    m_bye_seen = true;
    // A BYE answering LOGOUT is expected; any other ends the session from the server's side.
    if (m_state != ClientState::Logout) {
      finish(SessionOutcome::ConnectionLost, "server said BYE: " + r.text, out);
    }
  }
}

void ImapClientSession::after_greeting(TimeNs now, ImapOutput& out) {
  const bool wants_tls = !m_tls_active && m_config.starttls != StartTlsPolicy::Never &&
                         !m_tls_attempted && m_state == ClientState::NotAuthenticated;
  if (wants_tls) {
    if (!m_capabilities_known) {
      m_queue.push_front(Outgoing{});
      Outgoing& cap = m_queue.front();
      cap.tag = next_tag();
      cap.verb = "CAPABILITY";
      cap.pieces.push_back(Piece{cap.tag + " CAPABILITY", std::nullopt});
    } else if (has_capability("STARTTLS")) {
      m_tls_attempted = true;
      m_queue.push_front(Outgoing{});
      Outgoing& tls = m_queue.front();
      tls.tag = next_tag();
      tls.verb = "STARTTLS";
      tls.pieces.push_back(Piece{tls.tag + " STARTTLS", std::nullopt});
    } else if (m_config.starttls == StartTlsPolicy::Required) {
      finish(SessionOutcome::Failed, "the server does not offer STARTTLS", out);
      return;
    }
  }
  send_more(now, out);
}

void ImapClientSession::on_continuation(TimeNs now, const Response& r, ImapOutput& out) {
  (void)r;
  if (!m_inflight) {
    out.actions.push_back(ProtocolViolation{"continuation request with no command waiting"});
    return;
  }
  if (m_inflight->verb == "IDLE") {
    enter_state(ClientState::Idle, out);
    m_deadline = kTimeNever;  // the server may stay silent for as long as nothing happens
    send_more(now, out);
    return;
  }
  if (m_inflight->waiting_continuation) send_pieces(now, out);
}

void ImapClientSession::on_tagged(TimeNs now, const Response& r, ImapOutput& out) {
  if (!m_inflight || m_inflight->tag != r.tag) {
    out.actions.push_back(ProtocolViolation{"response with unknown tag " + r.tag});
    return;
  }
  const Outgoing cmd = std::move(*m_inflight);
  m_inflight.reset();
  m_deadline = kTimeNever;
  const std::vector<std::string> caps = capabilities(r);
  if (!caps.empty()) {
    m_capabilities = caps;
    m_capabilities_known = true;
  }
  out.actions.push_back(CommandCompleted{cmd.tag, cmd.verb, r.status, r.code, r.code_args, r.text});
  const bool ok = r.status == Status::Ok;
  const std::string& verb = cmd.verb;
  if (verb == "LOGOUT") {
    finish(SessionOutcome::Completed, "logged out", out);
    return;
  }
  if (verb == "STARTTLS") {
    if (ok) {
      enter_state(ClientState::TlsHandshake, out);
      out.actions.push_back(StartTls{});
      m_deadline = now + m_config.response_timeout_ns;
      return;
    }
    if (m_config.starttls == StartTlsPolicy::Required) {
      finish(SessionOutcome::Failed, "STARTTLS refused: " + r.text, out);
      return;
    }
  } else if (verb == "CAPABILITY") {
    m_capabilities_known = true;
    if (m_state == ClientState::NotAuthenticated && !m_tls_attempted) {
      after_greeting(now, out);
      return;
    }
  } else if ((verb == "LOGIN" || verb == "AUTHENTICATE") && ok) {
    enter_state(ClientState::Authenticated, out);
  } else if (verb == "SELECT" || verb == "EXAMINE") {
    enter_state(ok ? ClientState::Selected : ClientState::Authenticated, out);
  } else if ((verb == "CLOSE" || verb == "UNSELECT") && ok) {
    m_exists = 0;
    enter_state(ClientState::Authenticated, out);
  } else if (verb == "IDLE") {
    // IDLE was issued from Selected or Authenticated and goes back there.
    enter_state(m_idle_return, out);
  }
  send_more(now, out);
}

ImapOutput ImapClientSession::on_tls_established(TimeNs now) {
  ImapOutput out;
  if (m_state != ClientState::TlsHandshake) return out;
  m_tls_active = true;
  m_reader.reset();
  // RFC 3501 6.2.1: what was learnt before TLS is forgotten; ask again.
  m_capabilities.clear();
  m_capabilities_known = false;
  enter_state(ClientState::NotAuthenticated, out);
  m_queue.push_front(Outgoing{});
  Outgoing& cap = m_queue.front();
  cap.tag = next_tag();
  cap.verb = "CAPABILITY";
  cap.pieces.push_back(Piece{cap.tag + " CAPABILITY", std::nullopt});
  send_more(now, out);
  return out;
}

ImapOutput ImapClientSession::on_timeout(TimeNs now) {
  ImapOutput out;
  if (m_state == ClientState::Done || now < m_deadline) return out;
  finish(SessionOutcome::TimedOut, "no response from the server", out);
  return out;
}

ImapOutput ImapClientSession::on_connection_lost(TimeNs now) {
  (void)now;
  ImapOutput out;
  if (m_state == ClientState::Done) return out;
  const bool expected = m_state == ClientState::Logout && m_bye_seen;
  enter_state(ClientState::Done, out);
  m_deadline = kTimeNever;
  out.actions.push_back(
      SessionFinished{expected ? SessionOutcome::Completed : SessionOutcome::ConnectionLost,
                      expected ? "logged out" : "the connection was lost"});
  return out;
}

void ImapClientSession::enter_state(ClientState next, ImapOutput& out) {
  if (next == m_state) return;
  out.actions.push_back(StateChanged{to_string(m_state), to_string(next)});
  m_state = next;
}

void ImapClientSession::finish(SessionOutcome outcome, std::string reason, ImapOutput& out) {
  if (m_state == ClientState::Done) return;
  enter_state(ClientState::Done, out);
  m_deadline = kTimeNever;
  m_inflight.reset();
  m_queue.clear();
  out.actions.push_back(Close{});
  out.actions.push_back(SessionFinished{outcome, std::move(reason)});
}

}  // namespace mailscope::imap
