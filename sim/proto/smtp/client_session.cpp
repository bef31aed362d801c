#include "proto/smtp/client_session.h"

#include <array>

#include "proto/smtp/base64.h"
#include "proto/smtp/command.h"
#include "proto/smtp/data_reader.h"

namespace mailscope::smtp {
namespace {

constexpr std::array<std::string_view, static_cast<std::size_t>(ClientState::Count)> kStateNames = {
    "AWAIT-GREETING", "EHLO",    "HELO", "STARTTLS", "TLS-HANDSHAKE", "AUTH",
    "TRANSACTION",    "CONTENT", "RSET", "QUIT",     "DONE"};

char upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

std::string upper_word(std::string_view text) {
  std::string out;
  for (char c : text)
    out += upper(c);
  return out;
}

MessageStatus status_of(const SmtpReply& reply) {
  if (reply.positive()) return MessageStatus::Delivered;
  return reply.transient_failure() ? MessageStatus::TemporaryFailure
                                   : MessageStatus::PermanentFailure;
}

RecipientStatus recipient_status_of(const SmtpReply& reply) {
  if (reply.positive()) return RecipientStatus::Accepted;
  return reply.transient_failure() ? RecipientStatus::TemporaryFailure
                                   : RecipientStatus::PermanentFailure;
}

bool has_eight_bit(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

std::string bracketed(std::string_view address) {
  return "<" + std::string(address) + ">";
}

}  // namespace

std::string_view to_string(ClientState state) {
  const auto index = static_cast<std::size_t>(state);
  return index < kStateNames.size() ? kStateNames[index] : "?";
}

ServerExtensions parse_ehlo_reply(const SmtpReply& reply) {
  ServerExtensions ext;
  // The first line is the server's name; each later line is "KEYWORD [params]".
  for (std::size_t i = 1; i < reply.lines.size(); ++i) {
    const std::string_view line = reply.lines[i];
    const std::size_t space = line.find(' ');
    const std::string keyword = upper_word(line.substr(0, space));
    const std::string_view params =
        space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
    if (keyword == "PIPELINING") {
      ext.pipelining = true;
    } else if (keyword == "STARTTLS") {
      ext.starttls = true;
    } else if (keyword == "8BITMIME") {
      ext.eight_bit_mime = true;
    } else if (keyword == "ENHANCEDSTATUSCODES") {
      ext.enhanced_status_codes = true;
    } else if (keyword == "SIZE") {
      ext.size_limit = params.empty() ? std::optional<std::uint64_t>(0) : parse_decimal(params);
    } else if (keyword == "AUTH") {
      std::string_view rest = params;
      while (!rest.empty()) {
        const std::size_t end = rest.find(' ');
        const std::string mechanism = upper_word(rest.substr(0, end));
        if (mechanism == "PLAIN") ext.auth_plain = true;
        if (mechanism == "LOGIN") ext.auth_login = true;
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
      }
    }
  }
  return ext;
}

SmtpClientSession::SmtpClientSession(const SmtpClientConfig& config,
                                     std::vector<OutgoingMessage> messages, TimeNs now)
    : m_config(config), m_messages(std::move(messages)) {
  m_tls_active = config.transport == ClientTransport::ImplicitTls;
  m_deadline = now + m_config.timeouts.greeting_ns;
}

SmtpOutput SmtpClientSession::start(TimeNs now) {
  SmtpOutput out;
  m_deadline = now + m_config.timeouts.greeting_ns;
  return out;
}

SmtpOutput SmtpClientSession::on_bytes(TimeNs now, std::string_view bytes) {
  return on_bytes(now, ByteView(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

SmtpOutput SmtpClientSession::on_bytes(TimeNs now, ByteView bytes) {
  SmtpOutput out;
  if (finished() || bytes.empty()) return out;
  const std::string_view input(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  std::size_t pos = 0;
  while (pos < input.size() && !finished()) {
    if (m_state == ClientState::TlsHandshake) {
      // Anything after "220 Ready to start TLS" in the same read was sent in clear and could
      // be injected by an attacker in the middle; it must not be taken as a post-TLS reply.
      out.actions.push_back(ProtocolViolation{"discarded " + std::to_string(input.size() - pos) +
                                              " bytes received before the TLS handshake"});
      return out;
    }
    const ReplyParser::Step step = m_parser.feed(input.substr(pos));
    pos += step.consumed;
    if (step.status == ReplyParser::Status::Bad) {
      out.actions.push_back(ProtocolViolation{m_parser.error().to_string()});
      fail_remaining(MessageStatus::TemporaryFailure,
                     make_reply(451, "4.5.0", "malformed reply from the server"), out);
      out.actions.push_back(Close{});
      finish(SessionOutcome::Failed, "malformed reply: " + m_parser.error().what,
             final_dot_unacknowledged(), out);
      return out;
    }
    if (step.status == ReplyParser::Status::Complete) {
      const SmtpReply reply = m_parser.reply();
      out.actions.push_back(ReplyReceived{reply});
      on_reply(now, reply, out);
    }
  }
  return out;
}

void SmtpClientSession::on_reply(TimeNs now, const SmtpReply& reply, SmtpOutput& out) {
  // RFC 5321 §3.8: 421 means the server is closing the channel, whatever was asked.
  if (reply.code == 421 && m_state != ClientState::Quit) {
    fail_remaining(MessageStatus::TemporaryFailure, reply, out);
    out.actions.push_back(Close{});
    finish(SessionOutcome::Failed, "server closed the session: " + reply.text(), false, out);
    return;
  }
  switch (m_state) {
    case ClientState::AwaitGreeting:
      if (reply.code == 220) {
        send_command(now, "EHLO " + m_config.helo_name, m_config.timeouts.command_ns, out);
        enter_state(ClientState::Ehlo, out);
      } else {
        give_up(now, "greeting refused", reply, out);
      }
      return;
    case ClientState::Ehlo:
      on_ehlo_reply(now, reply, out);
      return;
    case ClientState::Helo:
      if (!reply.positive()) {
        give_up(now, "HELO refused", reply, out);
      } else if (m_config.starttls == StartTlsPolicy::Required && !m_tls_active) {
        give_up(now, "STARTTLS required but the server does not speak ESMTP",
                make_reply(454, "4.7.0", "TLS required but not offered"), out);
      } else {
        after_hello(now, out);
      }
      return;
    case ClientState::StartTls:
      if (reply.code == 220) {
        out.actions.push_back(StartTls{});
        enter_state(ClientState::TlsHandshake, out);
        m_deadline = now + m_config.timeouts.command_ns;
      } else if (m_config.starttls == StartTlsPolicy::Required) {
        give_up(now, "STARTTLS refused", reply, out);
      } else {
        after_hello(now, out);
      }
      return;
    case ClientState::TlsHandshake:
      return;
    case ClientState::Auth:
      if (reply.code == 334 && m_login_step < 2 && m_config.credentials) {
        const Credentials& c = *m_config.credentials;
        const std::string& answer = m_login_step == 0 ? c.user : c.password;
        ++m_login_step;
        send_command(now, base64_encode(answer), m_config.timeouts.command_ns, out,
                     Sensitivity::Secret);
      } else if (reply.code == 334) {
        send_command(now, "*", m_config.timeouts.command_ns, out);  // cancel an odd exchange
      } else if (reply.code == 235) {
        m_authenticated = true;
        next_transaction(now, out);
      } else {
        give_up(now, "authentication failed", reply, out);
      }
      return;
    case ClientState::Transaction:
    case ClientState::Content:
    case ClientState::Rset:
      on_transaction_reply(now, reply, out);
      return;
    case ClientState::Quit:
      out.actions.push_back(Close{});
      finish(m_outcome, m_reason, false, out);
      return;
    case ClientState::Done:
    case ClientState::Count:
      return;
  }
}

void SmtpClientSession::on_ehlo_reply(TimeNs now, const SmtpReply& reply, SmtpOutput& out) {
  if (reply.permanent_failure()) {
    // RFC 5321 §3.2: a server that does not know EHLO gets HELO.
    send_command(now, "HELO " + m_config.helo_name, m_config.timeouts.command_ns, out);
    enter_state(ClientState::Helo, out);
    return;
  }
  if (!reply.positive()) {
    give_up(now, "EHLO refused", reply, out);
    return;
  }
  m_esmtp = true;
  m_extensions = parse_ehlo_reply(reply);
  if (!m_tls_active && m_config.starttls != StartTlsPolicy::Never && m_extensions.starttls) {
    send_command(now, "STARTTLS", m_config.timeouts.command_ns, out);
    enter_state(ClientState::StartTls, out);
    return;
  }
  if (!m_tls_active && m_config.starttls == StartTlsPolicy::Required) {
    give_up(now, "STARTTLS required but not offered",
            make_reply(454, "4.7.0", "TLS required but not offered"), out);
    return;
  }
  after_hello(now, out);
}

SmtpOutput SmtpClientSession::on_tls_established(TimeNs now) {
  SmtpOutput out;
  if (m_state != ClientState::TlsHandshake) {
    out.actions.push_back(ProtocolViolation{"TLS established without STARTTLS"});
    return out;
  }
  // RFC 3207 §4.2: forget what the server said in clear and ask again.
  m_tls_active = true;
  m_extensions = ServerExtensions{};
  m_parser.reset();
  send_command(now, "EHLO " + m_config.helo_name, m_config.timeouts.command_ns, out);
  enter_state(ClientState::Ehlo, out);
  return out;
}

void SmtpClientSession::after_hello(TimeNs now, SmtpOutput& out) {
  if (m_config.credentials && !m_authenticated) {
    begin_auth(now, out);
    return;
  }
  next_transaction(now, out);
}

void SmtpClientSession::begin_auth(TimeNs now, SmtpOutput& out) {
  const AuthMechanism wanted = m_config.auth_mechanism;
  const bool plain =
      (wanted == AuthMechanism::Plain || wanted == AuthMechanism::Auto) && m_extensions.auth_plain;
  const bool login = !plain && (wanted == AuthMechanism::Login || wanted == AuthMechanism::Auto) &&
                     m_extensions.auth_login;
  if (!plain && !login) {
    give_up(now, "the server does not offer the authentication needed",
            make_reply(530, "5.7.0", "Authentication not offered"), out);
    return;
  }
  const Credentials& c = *m_config.credentials;
  m_login_step = 0;
  if (plain) {
    // RFC 4616 with an empty authorization identity, sent as the initial response.
    std::string message;
    message += '\0';
    message += c.user;
    message += '\0';
    message += c.password;
    m_login_step = 2;  // no prompts expected
    send_command(now, "AUTH PLAIN " + base64_encode(message), m_config.timeouts.command_ns, out,
                 Sensitivity::Secret);
  } else {
    send_command(now, "AUTH LOGIN", m_config.timeouts.command_ns, out);
  }
  enter_state(ClientState::Auth, out);
}

void SmtpClientSession::next_transaction(TimeNs now, SmtpOutput& out) {
  m_current.reset();
  m_pending.clear();
  while (m_next_message < m_messages.size()) {
    const std::size_t index = m_next_message++;
    const OutgoingMessage& message = m_messages[index];
    Current current;
    current.index = index;
    m_current = current;
    if (message.recipients.empty()) {
      report_message(MessageStatus::PermanentFailure,
                     make_reply(554, "5.5.1", "message has no recipients"), out);
      continue;
    }
    // The size is that of the content as it will be sent, without the terminating ".\r\n".
    const std::uint64_t size = encode_data(message.content).size() - 3;
    if (m_config.skip_oversized && m_extensions.size_limit && *m_extensions.size_limit > 0 &&
        size > *m_extensions.size_limit) {
      report_message(MessageStatus::PermanentFailure,
                     make_reply(552, "5.3.4", "message exceeds the server's SIZE limit"), out);
      continue;
    }
    std::string mail = "MAIL FROM:" + bracketed(message.reverse_path);
    if (m_esmtp && m_extensions.size_limit) mail += " SIZE=" + std::to_string(size);
    if (m_esmtp && m_extensions.eight_bit_mime && has_eight_bit(message.content)) {
      mail += " BODY=8BITMIME";
    }
    enter_state(ClientState::Transaction, out);
    const bool pipelined =
        m_esmtp && m_extensions.pipelining && m_config.pipelining == PipeliningUse::WhenOffered;
    if (!pipelined) {
      m_pending.push_back({Expect::Mail});
      send_command(now, mail, m_config.timeouts.mail_ns, out);
      return;
    }
    // RFC 2920: MAIL, every RCPT and DATA go in one write; the replies come back in order.
    m_current->pipelined = true;
    std::vector<std::string> lines{mail};
    m_pending.push_back({Expect::Mail});
    for (std::size_t r = 0; r < message.recipients.size(); ++r) {
      lines.push_back("RCPT TO:" + bracketed(message.recipients[r]));
      m_pending.push_back({Expect::Rcpt, r});
    }
    lines.emplace_back("DATA");
    m_pending.push_back({Expect::Data});
    Send send;
    for (const std::string& line : lines)
      send.bytes += line + "\r\n";
    out.actions.push_back(std::move(send));
    for (std::string& line : lines)
      out.actions.push_back(CommandSent{std::move(line)});
    m_deadline = now + m_config.timeouts.mail_ns;
    return;
  }
  send_command(now, "QUIT", m_config.timeouts.command_ns, out);
  enter_state(ClientState::Quit, out);
}

// Without pipelining: after each RCPT reply, the next RCPT, then DATA or RSET.
void SmtpClientSession::send_rcpt_or_data(TimeNs now, SmtpOutput& out) {
  Current& c = *m_current;
  const OutgoingMessage& message = m_messages[c.index];
  const std::size_t next = c.next_recipient;
  if (next < message.recipients.size()) {
    ++c.next_recipient;
    m_pending.push_back({Expect::Rcpt, next});
    send_command(now, "RCPT TO:" + bracketed(message.recipients[next]), m_config.timeouts.rcpt_ns,
                 out);
    return;
  }
  if (!c.accepted.empty()) {
    m_pending.push_back({Expect::Data});
    send_command(now, "DATA", m_config.timeouts.data_ns, out);
    return;
  }
  report_message(
      c.any_temporary ? MessageStatus::TemporaryFailure : MessageStatus::PermanentFailure,
      c.failure ? *c.failure : make_reply(554, "5.5.1", "no valid recipients"), out);
  m_pending.push_back({Expect::Rset});
  send_command(now, "RSET", m_config.timeouts.command_ns, out);
  enter_state(ClientState::Rset, out);
}

void SmtpClientSession::on_transaction_reply(TimeNs now, const SmtpReply& reply, SmtpOutput& out) {
  if (m_pending.empty() || !m_current) {
    out.actions.push_back(ProtocolViolation{"reply without a command: " + reply.text()});
    return;
  }
  const Pending pending = m_pending.front();
  m_pending.pop_front();
  Current& c = *m_current;
  const OutgoingMessage& message = m_messages[c.index];
  switch (pending.what) {
    case Expect::Mail:
      if (reply.positive()) {
        c.mail_accepted = true;
        if (!c.pipelined) send_rcpt_or_data(now, out);
      } else {
        c.failure = reply;
        if (!c.pipelined) {
          report_message(status_of(reply), reply, out);
          next_transaction(now, out);
          return;
        }
      }
      break;
    case Expect::Rcpt:
      out.actions.push_back(RecipientResult{c.index,
                                            bracketed(message.recipients[pending.recipient]),
                                            recipient_status_of(reply), reply});
      if (reply.positive()) {
        c.accepted.push_back(pending.recipient);
      } else {
        if (reply.transient_failure()) c.any_temporary = true;
        if (!c.failure || !c.mail_accepted) c.failure = reply;
      }
      if (!c.pipelined) send_rcpt_or_data(now, out);
      break;
    case Expect::Data:
      if (reply.code == 354) {
        m_pending.push_back({Expect::Content});
        enter_state(ClientState::Content, out);
        if (!c.mail_accepted || c.accepted.empty()) {
          // RFC 2920 §3.1: DATA was accepted although no recipient was; send an empty message
          // and let its reply be ignored.
          out.actions.push_back(Send{".\r\n"});
          m_deadline = now + m_config.timeouts.data_end_ns;
          return;
        }
        out.actions.push_back(Send{encode_data(message.content)});
        m_deadline = now + m_config.timeouts.data_end_ns;
        return;
      }
      {
        const bool any_accepted = c.mail_accepted && !c.accepted.empty();
        SmtpReply why = any_accepted || !c.failure ? reply : *c.failure;
        MessageStatus status = status_of(why);
        if (!any_accepted && c.mail_accepted && c.any_temporary) {
          status = MessageStatus::TemporaryFailure;
        }
        report_message(status, why, out);
      }
      if (c.mail_accepted) {
        m_pending.push_back({Expect::Rset});
        send_command(now, "RSET", m_config.timeouts.command_ns, out);
        enter_state(ClientState::Rset, out);
      } else {
        next_transaction(now, out);
      }
      return;
    case Expect::Content:
      if (!c.mail_accepted || c.accepted.empty()) {
        // The empty message of the RFC 2920 case: its fate was decided before.
        const SmtpReply why = c.failure ? *c.failure : reply;
        report_message(c.any_temporary ? MessageStatus::TemporaryFailure : status_of(why), why,
                       out);
      } else {
        for (std::size_t r : c.accepted) {
          out.actions.push_back(RecipientResult{c.index, bracketed(message.recipients[r]),
                                                recipient_status_of(reply), reply});
        }
        report_message(status_of(reply), reply, out);
      }
      next_transaction(now, out);
      return;
    case Expect::Rset:
      if (reply.positive()) {
        next_transaction(now, out);
      } else {
        give_up(now, "RSET refused", reply, out);
      }
      return;
  }
  if (!m_pending.empty()) {
    switch (m_pending.front().what) {
      case Expect::Mail:
        m_deadline = now + m_config.timeouts.mail_ns;
        break;
      case Expect::Rcpt:
        m_deadline = now + m_config.timeouts.rcpt_ns;
        break;
      case Expect::Data:
        m_deadline = now + m_config.timeouts.data_ns;
        break;
      case Expect::Content:
        m_deadline = now + m_config.timeouts.data_end_ns;
        break;
      case Expect::Rset:
        m_deadline = now + m_config.timeouts.command_ns;
        break;
    }
  }
}

void SmtpClientSession::report_message(MessageStatus status, const SmtpReply& reply,
                                       SmtpOutput& out) {
  if (!m_current || m_current->reported) return;
  m_current->reported = true;
  out.actions.push_back(MessageResult{m_current->index, status, reply});
}

void SmtpClientSession::fail_remaining(MessageStatus status, const SmtpReply& reply,
                                       SmtpOutput& out) {
  report_message(status, reply, out);
  while (m_next_message < m_messages.size()) {
    out.actions.push_back(MessageResult{m_next_message++, status, reply});
  }
  m_current.reset();
  m_pending.clear();
}

void SmtpClientSession::give_up(TimeNs now, std::string reason, const SmtpReply& reply,
                                SmtpOutput& out) {
  m_outcome = SessionOutcome::Failed;
  m_reason = std::move(reason);
  fail_remaining(
      reply.permanent_failure() ? MessageStatus::PermanentFailure : MessageStatus::TemporaryFailure,
      reply, out);
  send_command(now, "QUIT", m_config.timeouts.command_ns, out);
  enter_state(ClientState::Quit, out);
}

void SmtpClientSession::finish(SessionOutcome outcome, std::string reason, bool duplicate_risk,
                               SmtpOutput& out) {
  out.actions.push_back(SessionFinished{outcome, std::move(reason), duplicate_risk});
  enter_state(ClientState::Done, out);
  m_deadline = kTimeNever;
}

SmtpOutput SmtpClientSession::on_timeout(TimeNs now) {
  SmtpOutput out;
  if (finished() || now < m_deadline) return out;
  const std::string reason = "timed out in state " + std::string(to_string(m_state));
  if (m_state == ClientState::Quit) {
    // Everything was sent; a server slow to say goodbye changes nothing.
    out.actions.push_back(Close{});
    finish(m_outcome, m_reason, false, out);
    return out;
  }
  const bool in_window = final_dot_unacknowledged();
  fail_remaining(MessageStatus::TemporaryFailure,
                 make_reply(451, "4.4.2", "timeout waiting for the server"), out);
  out.actions.push_back(Close{});
  finish(SessionOutcome::TimedOut, reason, in_window, out);
  return out;
}

SmtpOutput SmtpClientSession::on_connection_lost(TimeNs now) {
  (void)now;
  SmtpOutput out;
  if (finished()) return out;
  if (m_state == ClientState::Quit) {
    finish(m_outcome, m_reason, false, out);
    return out;
  }
  const bool in_window = final_dot_unacknowledged();
  fail_remaining(MessageStatus::TemporaryFailure, make_reply(421, "4.4.2", "connection lost"), out);
  std::string reason = "connection lost in state " + std::string(to_string(m_state));
  if (in_window) reason += " after the final dot (RFC 1047 duplicate window)";
  finish(SessionOutcome::ConnectionLost, std::move(reason), in_window, out);
  return out;
}

void SmtpClientSession::send_command(TimeNs now, std::string line, TimeNs timeout_ns,
                                     SmtpOutput& out, Sensitivity sensitivity) {
  out.actions.push_back(Send{line + "\r\n"});
  out.actions.push_back(CommandSent{std::move(line), sensitivity});
  m_deadline = now + timeout_ns;
}

void SmtpClientSession::enter_state(ClientState next, SmtpOutput& out) {
  if (next == m_state) return;
  out.actions.push_back(StateChanged{to_string(m_state), to_string(next)});
  m_state = next;
}

}  // namespace mailscope::smtp
