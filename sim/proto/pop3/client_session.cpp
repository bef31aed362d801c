#include "proto/pop3/client_session.h"

#include <array>

#include "mail/base64.h"
#include "proto/pop3/command.h"

namespace mailscope::pop3 {
namespace {

constexpr std::array<std::string_view, static_cast<std::size_t>(ClientState::Count)> kStateNames = {
    "AWAIT-GREETING", "CAPA", "STLS", "TLS-HANDSHAKE", "USER", "PASS", "AUTH",
    "STAT",           "UIDL", "RETR", "DELE",          "QUIT", "DONE"};

char upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

std::string upper_word(std::string_view text) {
  std::string out;
  for (char c : text)
    out += upper(c);
  return out;
}

// Calls fn(line) for each line of a body, CRLF or LF removed.
template <typename Fn>
void for_each_line(std::string_view body, Fn&& fn) {
  while (!body.empty()) {
    const std::size_t lf = body.find('\n');
    std::string_view line = body.substr(0, lf);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    fn(line);
    if (lf == std::string_view::npos) break;
    body.remove_prefix(lf + 1);
  }
}

// RFC 1939 §7: a unique-id is 1 to 70 characters in the range 0x21 to 0x7E.
bool valid_unique_id(std::string_view id) {
  if (id.empty() || id.size() > 70) return false;
  for (char c : id) {
    if (c < 0x21 || c > 0x7E) return false;
  }
  return true;
}

std::string response_text(const Pop3Response& response) {
  return status_line(response);
}

}  // namespace

std::string_view to_string(ClientState state) {
  const auto index = static_cast<std::size_t>(state);
  return index < kStateNames.size() ? kStateNames[index] : "?";
}

std::string_view to_string(RetrievalMode mode) {
  switch (mode) {
    case RetrievalMode::DownloadAndDelete:
      return "download and delete";
    case RetrievalMode::LeaveOnServer:
      return "leave on server";
  }
  return "?";
}

ServerCapabilities parse_capabilities(std::string_view body) {
  ServerCapabilities caps;
  caps.listed = true;
  for_each_line(body, [&](std::string_view line) {
    const std::size_t space = line.find(' ');
    const std::string keyword = upper_word(line.substr(0, space));
    const std::string_view params =
        space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
    if (keyword == "TOP") {
      caps.top = true;
    } else if (keyword == "UIDL") {
      caps.uidl = true;
    } else if (keyword == "USER") {
      caps.user = true;
    } else if (keyword == "STLS") {
      caps.stls = true;
    } else if (keyword == "PIPELINING") {
      caps.pipelining = true;
    } else if (keyword == "RESP-CODES") {
      caps.resp_codes = true;
    } else if (keyword == "AUTH-RESP-CODE") {
      caps.auth_resp_code = true;
    } else if (keyword == "IMPLEMENTATION") {
      caps.implementation = std::string(params);
    } else if (keyword == "SASL") {
      std::string_view rest = params;
      while (!rest.empty()) {
        const std::size_t end = rest.find(' ');
        if (upper_word(rest.substr(0, end)) == "PLAIN") caps.sasl_plain = true;
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
      }
    }
  });
  return caps;
}

Pop3ClientSession::Pop3ClientSession(const Pop3ClientConfig& config, TimeNs now)
    : m_config(config), m_reader(config.message_size_max), m_known(config.known_unique_ids) {
  m_tls_active = config.transport == ClientTransport::ImplicitTls;
  m_deadline = now + m_config.timeouts.response_ns;
  m_reader.expect(false);
}

Pop3Output Pop3ClientSession::start(TimeNs now) {
  Pop3Output out;
  if (m_state == ClientState::AwaitGreeting) m_deadline = now + m_config.timeouts.response_ns;
  return out;
}

Pop3Output Pop3ClientSession::on_bytes(TimeNs now, std::string_view bytes) {
  return on_bytes(now, ByteView(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

Pop3Output Pop3ClientSession::on_bytes(TimeNs now, ByteView bytes) {
  Pop3Output out;
  if (finished() || bytes.empty()) return out;
  const std::string_view input(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  std::size_t pos = 0;
  while (pos < input.size() && !finished()) {
    if (m_state == ClientState::TlsHandshake) {
      // Anything after "+OK Begin TLS negotiation" in the same read was sent in clear and could
      // be injected by a man in the middle; it must not be taken as a protected response.
      out.actions.push_back(ProtocolViolation{"discarded " + std::to_string(input.size() - pos) +
                                              " bytes received before the TLS handshake"});
      return out;
    }
    const ResponseReader::Step step = m_reader.feed(input.substr(pos));
    pos += step.consumed;
    if (step.state == ResponseReader::State::Bad) {
      out.actions.push_back(ProtocolViolation{m_reader.error().to_string()});
      out.actions.push_back(Close{});
      finish(SessionOutcome::Failed, "malformed response: " + m_reader.error().what, 0, out);
      return out;
    }
    if (step.state == ResponseReader::State::Complete) on_response(now, out);
  }
  return out;
}

void Pop3ClientSession::on_response(TimeNs now, Pop3Output& out) {
  const Pop3Response response = m_reader.response();
  const bool multi = m_reader.multi_line();
  out.actions.push_back(
      ResponseReceived{response, multi, multi ? m_reader.body().size_bytes() : 0});
  const bool ok = response.ok();
  switch (m_state) {
    case ClientState::AwaitGreeting:
      if (!ok) {
        out.actions.push_back(Close{});
        finish(SessionOutcome::Failed, "greeting refused: " + response_text(response), 0, out);
        return;
      }
      send_command(now, "CAPA", true, out);
      enter_state(ClientState::Capa, out);
      return;
    case ClientState::Capa:
      // A server without CAPA (RFC 1939 only) answers -ERR; then nothing is known about it.
      m_caps = ok ? parse_capabilities(m_reader.body().body()) : ServerCapabilities{};
      after_capa(now, out);
      return;
    case ClientState::Stls:
      if (ok) {
        out.actions.push_back(StartTls{});
        enter_state(ClientState::TlsHandshake, out);
      } else if (m_config.stls == StlsPolicy::Required) {
        give_up(now, SessionOutcome::Failed, "STLS refused: " + response_text(response), out);
      } else {
        begin_login(now, out);
      }
      return;
    case ClientState::TlsHandshake:
      return;
    case ClientState::User:
      if (!ok) {
        give_up(now, SessionOutcome::Failed, "USER refused: " + response_text(response), out);
        return;
      }
      send_command(now, "PASS " + m_config.password, false, out, Sensitivity::Secret);
      enter_state(ClientState::Pass, out);
      return;
    case ClientState::Auth:
      if (response.status == Status::Continue) {
        // The server asked for the response instead of taking it with the command.
        const std::string plain = std::string(1, '\0') + m_config.user + '\0' + m_config.password;
        send_command(now, mail::base64_encode(plain), false, out, Sensitivity::Secret);
        return;
      }
      [[fallthrough]];
    case ClientState::Pass:
      if (!ok) {
        const std::string why = response.code == "IN-USE" ? "maildrop in use: " : "login failed: ";
        give_up(now, SessionOutcome::Failed, why + response_text(response), out);
        return;
      }
      send_command(now, "STAT", false, out);
      enter_state(ClientState::Stat, out);
      return;
    case ClientState::Stat:
      on_stat(now, response, out);
      return;
    case ClientState::Uidl:
      if (!ok) {
        out.actions.push_back(Note{"no UIDL: every message counts as new"});
        plan(now, nullptr, out);
      } else {
        plan(now, &m_reader.body().body(), out);
      }
      return;
    case ClientState::Retr:
      if (ok) {
        MessageRetrieved message;
        message.number = m_current.number;
        message.unique_id = m_current.unique_id;
        message.too_big = m_reader.body().too_big();
        if (!message.too_big) {
          message.bytes = m_reader.take_body();
          ++m_retrieved;
          if (!m_current.unique_id.empty()) m_known.insert(m_current.unique_id);
          if (m_config.mode == RetrievalMode::DownloadAndDelete) {
            m_work.push_front(WorkItem{Step::Delete, m_current.number, m_current.unique_id});
          }
        }
        out.actions.push_back(std::move(message));
      }
      next_step(now, out);
      return;
    case ClientState::Dele:
      if (ok) ++m_marked;
      next_step(now, out);
      return;
    case ClientState::Quit: {
      out.actions.push_back(Close{});
      if (m_outcome != SessionOutcome::Completed) {
        finish(m_outcome, m_reason, 0, out);
      } else if (!ok) {
        finish(SessionOutcome::Failed, "QUIT refused: " + response_text(response), 0, out);
      } else {
        finish(SessionOutcome::Completed, {}, m_marked, out);
      }
      return;
    }
    case ClientState::Done:
    case ClientState::Count:
      return;
  }
}

void Pop3ClientSession::after_capa(TimeNs now, Pop3Output& out) {
  if (!m_tls_active && m_config.stls != StlsPolicy::Never) {
    if (m_caps.stls) {
      send_command(now, "STLS", false, out);
      enter_state(ClientState::Stls, out);
      return;
    }
    if (m_config.stls == StlsPolicy::Required) {
      give_up(now, SessionOutcome::Failed, "STLS required but not offered", out);
      return;
    }
  }
  begin_login(now, out);
}

void Pop3ClientSession::begin_login(TimeNs now, Pop3Output& out) {
  const bool sasl = m_config.login == LoginMethod::SaslPlain ||
                    (m_config.login == LoginMethod::Auto && m_caps.sasl_plain);
  if (sasl) {
    const std::string plain = std::string(1, '\0') + m_config.user + '\0' + m_config.password;
    const std::string line = "AUTH PLAIN " + mail::base64_encode(plain);
    // RFC 5034 §4: an initial response that would make the line too long waits for "+ ".
    if (line.size() + 2 <= kCommandLineMax) {
      send_command(now, line, false, out, Sensitivity::Secret);
    } else {
      send_command(now, "AUTH PLAIN", false, out);
    }
    enter_state(ClientState::Auth, out);
    return;
  }
  send_command(now, "USER " + m_config.user, false, out);
  enter_state(ClientState::User, out);
}

void Pop3ClientSession::on_stat(TimeNs now, const Pop3Response& response, Pop3Output& out) {
  // RFC 1939 §5: "+OK nn mm"; the count is the first word.
  const std::string_view text = response.text;
  const auto count = response.ok() ? parse_number(text.substr(0, text.find(' '))) : std::nullopt;
  if (!count) {
    if (response.ok()) out.actions.push_back(ProtocolViolation{"STAT response without a count"});
    give_up(now, SessionOutcome::Failed, "STAT failed: " + response_text(response), out);
    return;
  }
  m_message_count = static_cast<std::size_t>(
      *count < m_config.messages_max ? *count : static_cast<std::uint64_t>(m_config.messages_max));
  if (m_message_count == 0) {
    next_step(now, out);
    return;
  }
  send_command(now, "UIDL", true, out);
  enter_state(ClientState::Uidl, out);
}

// Decides which messages to RETR and DELE, from the UIDL listing (or, without one, all of them).
void Pop3ClientSession::plan(TimeNs now, const std::string* uidl_body, Pop3Output& out) {
  m_work.clear();
  if (uidl_body == nullptr) {
    for (std::size_t n = 1; n <= m_message_count; ++n)
      m_work.push_back(WorkItem{Step::Retrieve, n, {}});
    next_step(now, out);
    return;
  }
  bool malformed = false;
  for_each_line(*uidl_body, [&](std::string_view line) {
    const std::size_t space = line.find(' ');
    const auto number = parse_number(line.substr(0, space));
    const std::string_view id =
        space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
    if (!number || *number == 0 || *number > m_message_count || !valid_unique_id(id)) {
      malformed = true;
      return;
    }
    const auto n = static_cast<std::size_t>(*number);
    if (m_known.count(std::string(id)) == 0) {
      m_work.push_back(WorkItem{Step::Retrieve, n, std::string(id)});
    } else if (m_config.mode == RetrievalMode::DownloadAndDelete) {
      // Kept from an earlier session: the copy on the server can go now.
      m_work.push_back(WorkItem{Step::Delete, n, std::string(id)});
    }
  });
  if (malformed) out.actions.push_back(ProtocolViolation{"malformed line in the UIDL listing"});
  next_step(now, out);
}

void Pop3ClientSession::next_step(TimeNs now, Pop3Output& out) {
  if (m_work.empty()) {
    send_command(now, "QUIT", false, out);
    enter_state(ClientState::Quit, out);
    return;
  }
  m_current = std::move(m_work.front());
  m_work.pop_front();
  const std::string number = std::to_string(m_current.number);
  if (m_current.step == Step::Retrieve) {
    send_command(now, "RETR " + number, true, out);
    enter_state(ClientState::Retr, out);
  } else {
    send_command(now, "DELE " + number, false, out);
    enter_state(ClientState::Dele, out);
  }
}

// Ends the session politely: QUIT, then the outcome once the server has answered.
void Pop3ClientSession::give_up(TimeNs now, SessionOutcome outcome, std::string reason,
                                Pop3Output& out) {
  m_outcome = outcome;
  m_reason = std::move(reason);
  m_work.clear();
  send_command(now, "QUIT", false, out);
  enter_state(ClientState::Quit, out);
}

Pop3Output Pop3ClientSession::on_tls_established(TimeNs now) {
  Pop3Output out;
  if (m_state != ClientState::TlsHandshake) {
    out.actions.push_back(ProtocolViolation{"TLS established without STLS"});
    return out;
  }
  m_tls_active = true;
  // RFC 2595 §4: capabilities learned in clear may have been altered; ask again.
  m_caps = ServerCapabilities{};
  send_command(now, "CAPA", true, out);
  enter_state(ClientState::Capa, out);
  return out;
}

Pop3Output Pop3ClientSession::on_timeout(TimeNs now) {
  Pop3Output out;
  if (finished() || now < m_deadline) return out;
  out.actions.push_back(Close{});
  finish(SessionOutcome::TimedOut,
         "no response in " + std::string(to_string(m_state)) + " after " +
             std::to_string(m_config.timeouts.response_ns / kSecond) + " s",
         0, out);
  return out;
}

Pop3Output Pop3ClientSession::on_connection_lost(TimeNs) {
  Pop3Output out;
  if (finished()) return out;
  // Without QUIT's +OK the server entered no UPDATE: whatever was marked is still there.
  finish(SessionOutcome::ConnectionLost, "connection lost in " + std::string(to_string(m_state)), 0,
         out);
  return out;
}

void Pop3ClientSession::finish(SessionOutcome outcome, std::string reason, std::size_t deleted,
                               Pop3Output& out) {
  enter_state(ClientState::Done, out);
  m_deadline = kTimeNever;
  out.actions.push_back(SessionFinished{outcome, std::move(reason), m_retrieved, deleted});
}

void Pop3ClientSession::send_command(TimeNs now, std::string line, bool multi_line_if_ok,
                                     Pop3Output& out, Sensitivity sensitivity) {
  out.actions.push_back(Send{line + "\r\n", 0});
  out.actions.push_back(CommandSent{std::move(line), sensitivity});
  m_reader.expect(multi_line_if_ok);
  m_deadline = now + m_config.timeouts.response_ns;
}

void Pop3ClientSession::enter_state(ClientState next, Pop3Output& out) {
  if (next == m_state) return;
  out.actions.push_back(StateChanged{to_string(m_state), to_string(next)});
  m_state = next;
}

}  // namespace mailscope::pop3
