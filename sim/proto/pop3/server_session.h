#pragma once
// Pop3ServerSession: one POP3 server connection as a sans-I/O state machine (RFC 1939, with
// CAPA and the extended response codes of RFC 2449, STLS of RFC 2595 and AUTH PLAIN of
// RFC 5034 / RFC 4616).
//
// The owner feeds it bytes and the current virtual time and carries out the returned actions in
// order. It owns no socket, clock or TLS: when it returns StartTls the owner runs the handshake
// and calls on_tls_established(). Input may arrive in any chunking, one byte at a time included.
// The session works on the mail store directly: after login it holds the user's maildrop lock
// and a snapshot of INBOX; QUIT removes the messages marked with DELE. docs/pop3.md describes
// every response.
//
// Sections of server_session.cpp: input framing, line dispatch, AUTHORIZATION commands,
// TRANSACTION commands, QUIT and UPDATE, responses and states.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"
#include "mail/mail_store.h"
#include "proto/pop3/actions.h"
#include "proto/pop3/command.h"
#include "proto/pop3/maildrop.h"
#include "proto/pop3/server_config.h"

namespace mailscope::pop3 {

enum class ServerState {
  Greeting,       // connected; the greeting has not been sent yet
  Authorization,  // RFC 1939 §4: the client identifies itself
  TlsHandshake,   // after "+OK Begin TLS negotiation", until on_tls_established()
  Transaction,    // RFC 1939 §5: maildrop locked; STAT, LIST, RETR, DELE, ...
  Update,         // RFC 1939 §6: after QUIT, while marked messages are removed
  Closed,         // the session is over; all input is ignored
  Count
};
std::string_view to_string(ServerState state);

class Pop3ServerSession {
 public:
  // The store and the policy must outlive the session.
  Pop3ServerSession(const Pop3ServerConfig& config, mail::MailStore& store, Pop3AuthPolicy& policy,
                    TimeNs now);

  Pop3Output start(TimeNs now);  // sends the greeting
  Pop3Output on_bytes(TimeNs now, ByteView bytes);
  Pop3Output on_bytes(TimeNs now, std::string_view bytes);
  Pop3Output on_tls_established(TimeNs now);
  // Call when now >= deadline(): the autologout timer (RFC 1939 §3) closes the connection
  // without a response and without entering UPDATE, so nothing is removed.
  Pop3Output on_timeout(TimeNs now);
  // The owner saw the connection drop. Nothing marked is removed; the lock is released.
  Pop3Output on_connection_lost(TimeNs now);
  // The next time on_timeout() must be called; kTimeNever once closed.
  TimeNs deadline() const { return m_deadline; }

  ServerState state() const { return m_state; }
  bool closed() const { return m_state == ServerState::Closed; }
  bool tls_active() const { return m_tls_active; }
  // The authenticated user once in TRANSACTION; empty before.
  const std::string& user() const { return m_user; }
  const Maildrop& maildrop() const { return m_maildrop; }
  bool holds_lock() const { return m_lock.held(); }
  std::size_t errors() const { return m_errors; }

 private:
  // Input framing.
  void process(TimeNs now, std::string_view input, Pop3Output& out);
  std::size_t line_limit() const;
  void on_line(TimeNs now, std::string_view line, Pop3Output& out);

  // AUTHORIZATION.
  bool login_permitted() const;
  bool sasl_offered() const;
  void cmd_user(const CommandLine& cmd, Pop3Output& out);
  void cmd_pass(const CommandLine& cmd, Pop3Output& out);
  void cmd_auth(const CommandLine& cmd, Pop3Output& out);
  void sasl_response(std::string_view line, Pop3Output& out);
  void cmd_stls(TimeNs now, const CommandLine& cmd, Pop3Output& out);
  void login(const std::string& user, std::string_view password, Pop3Output& out);
  void cmd_capa(Pop3Output& out);

  // TRANSACTION.
  // The message a numeric argument names, or nothing after an -ERR was sent.
  std::optional<std::size_t> message_argument(std::string_view argument, Pop3Output& out);
  void cmd_stat(Pop3Output& out);
  void cmd_list(const CommandLine& cmd, Pop3Output& out);
  void cmd_uidl(const CommandLine& cmd, Pop3Output& out);
  void cmd_retr(const CommandLine& cmd, Pop3Output& out);
  void cmd_top(const CommandLine& cmd, Pop3Output& out);
  void cmd_dele(const CommandLine& cmd, Pop3Output& out);
  void cmd_rset(Pop3Output& out);

  // QUIT and UPDATE.
  void cmd_quit(Pop3Output& out);

  // The one way out for responses, the one way between states, and session ends.
  void reply(Pop3Output& out, Pop3Response response, TimeNs delay_ns = 0);
  void reply_ok(Pop3Output& out, std::string text) { reply(out, ok_response(std::move(text))); }
  void reply_err(Pop3Output& out, std::string text, std::string_view code = {}) {
    reply(out, err_response(code, std::move(text)));
  }
  // A +OK status line followed by body (already stuffed and ended by ".\r\n"), in one Send.
  void reply_multi(Pop3Output& out, std::string text, std::string_view stuffed_body);
  void enter_state(ServerState next, Pop3Output& out);
  void close(Pop3Output& out);
  void end_login_attempt();

  Pop3ServerConfig m_config;
  mail::MailStore& m_store;
  Pop3AuthPolicy& m_policy;
  ServerState m_state = ServerState::Greeting;
  bool m_tls_active = false;
  // AUTHORIZATION: the name given with USER, waiting for PASS; cleared by a failed login.
  std::string m_pending_user;
  bool m_sasl_pending = false;  // "+ " was sent; the next line is the PLAIN response
  // TRANSACTION: the user whose maildrop is locked, the lock and the snapshot. The lock is held
  // exactly while the state is Transaction or Update.
  std::string m_user;
  mail::MaildropLock m_lock;
  Maildrop m_maildrop;
  // Input not yet framed into a line; holds at most one partial line (bounded by line_limit)
  // plus whatever followed it in the same read.
  std::string m_in;
  // True while the rest of an over-long line is being thrown away up to its LF.
  bool m_discarding = false;
  std::size_t m_errors = 0;         // -ERR responses so far; errors_max closes the session
  std::size_t m_auth_failures = 0;  // rejected logins so far; sets the next penalty
  TimeNs m_deadline = kTimeNever;
};

}  // namespace mailscope::pop3
