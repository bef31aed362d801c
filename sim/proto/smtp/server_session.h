#pragma once
// SmtpServerSession: one SMTP server connection as a sans-I/O state machine (RFC 5321, with
// ESMTP extensions SIZE (RFC 1870), PIPELINING (RFC 2920), 8BITMIME (RFC 6152),
// ENHANCEDSTATUSCODES (RFC 2034/3463), STARTTLS (RFC 3207) and AUTH PLAIN/LOGIN (RFC 4954,
// RFC 4616)).
//
// The owner feeds it bytes and the current virtual time and carries out the returned actions
// in order. It owns no socket, clock or TLS: when it returns StartTls the owner runs the
// handshake and calls on_tls_established(). Input may arrive in any chunking, one byte at a
// time included. docs/smtp.md describes every reply and defence.
//
// Sections of server_session.cpp: input framing, line dispatch, one handler per verb, AUTH,
// end of data, replies and states.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"
#include "proto/smtp/actions.h"
#include "proto/smtp/command.h"
#include "proto/smtp/data_reader.h"
#include "proto/smtp/envelope.h"
#include "proto/smtp/server_config.h"

namespace mailscope::smtp {

// RFC 5321 §4.5.3.1.4: a command line is at most 512 octets including the CRLF.
constexpr std::size_t kCommandLineMax = 512;
// RFC 4954 §4: lines of an AUTH exchange may be up to 12288 octets.
constexpr std::size_t kAuthLineMax = 12288;

enum class ServerState {
  Greeting,      // connected; the 220 greeting has not been sent yet
  AwaitHelo,     // greeting sent (or TLS just started); waiting for EHLO or HELO
  Ready,         // after EHLO/HELO, no mail transaction
  Mail,          // MAIL accepted; waiting for RCPT
  Rcpt,          // at least one RCPT accepted; more RCPT or DATA
  Data,          // after 354: reading message content up to <CRLF>.<CRLF>
  Auth,          // inside an AUTH exchange, waiting for a 334 continuation line
  TlsHandshake,  // after "220 Ready to start TLS", until on_tls_established()
  Closed,        // the session is over; all input is ignored
  Count
};
std::string_view to_string(ServerState state);

class SmtpServerSession {
 public:
  // The policy must outlive the session.
  SmtpServerSession(const SmtpServerConfig& config, SmtpServerPolicy& policy, TimeNs now);

  // Sends the greeting now, or arms the greeting delay (then on_timeout() sends it).
  SmtpOutput start(TimeNs now);
  SmtpOutput on_bytes(TimeNs now, ByteView bytes);
  SmtpOutput on_bytes(TimeNs now, std::string_view bytes);
  SmtpOutput on_tls_established(TimeNs now);
  // Call when now >= deadline(): sends a delayed greeting or ends an idle session (421 4.4.2).
  SmtpOutput on_timeout(TimeNs now);
  // The next time on_timeout() must be called; kTimeNever once closed.
  TimeNs deadline() const { return m_deadline; }

  ServerState state() const { return m_state; }
  bool closed() const { return m_state == ServerState::Closed; }
  const SessionInfo& session() const { return m_envelope.session; }
  const Transaction& transaction() const { return m_envelope.transaction; }
  std::size_t errors() const { return m_errors; }
  bool pipelining_offered() const { return m_pipelining_offered; }

 private:
  enum class AuthStep { None, PlainResponse, LoginUser, LoginPassword };

  // Input framing.
  void process(TimeNs now, std::string_view input, SmtpOutput& out);
  std::size_t line_limit(std::string_view partial) const;
  void on_line(TimeNs now, std::string_view line, bool more_pending, SmtpOutput& out);
  void on_line_too_long(SmtpOutput& out);

  // One handler per verb; each checks its preconditions, then proceeds.
  void cmd_ehlo(const CommandLine& cmd, SmtpOutput& out);
  void cmd_mail(const CommandLine& cmd, SmtpOutput& out);
  void cmd_rcpt(const CommandLine& cmd, SmtpOutput& out);
  void cmd_data(const CommandLine& cmd, SmtpOutput& out);
  void cmd_rset(const CommandLine& cmd, SmtpOutput& out);
  void cmd_starttls(const CommandLine& cmd, SmtpOutput& out);
  void cmd_auth(const CommandLine& cmd, SmtpOutput& out);

  // AUTH exchange.
  void auth_continue(std::string_view line, SmtpOutput& out);
  void auth_plain(std::string_view response_b64, SmtpOutput& out);
  void auth_finish(const std::string& user, const std::string& password, SmtpOutput& out);
  void auth_abort(SmtpOutput& out);
  bool auth_offered() const;
  bool auth_needs_tls() const;

  // End of data.
  void finish_data(SmtpOutput& out);

  // The one way out for replies, the one way between states, and session ends.
  void reply(SmtpOutput& out, SmtpReply reply, TimeNs delay_ns = 0);
  void reply(SmtpOutput& out, int code, std::string_view enhanced, std::string_view text);
  void enter_state(ServerState next, SmtpOutput& out);
  void close_with(SmtpOutput& out, int code, std::string_view enhanced, std::string_view text);
  void reject_synchronization(SmtpOutput& out, std::string what);
  void drop_transaction();
  bool in_transaction() const;
  void send_greeting(TimeNs now, SmtpOutput& out);

  SmtpServerConfig m_config;
  SmtpServerPolicy& m_policy;
  ServerState m_state = ServerState::Greeting;
  // Session part survives RSET; transaction part is empty outside MAIL/RCPT/DATA.
  Envelope m_envelope;
  // Input not yet framed into a line; holds at most one partial line (bounded by line_limit)
  // plus whatever followed it in the same read.
  std::string m_in;
  // True while the rest of an over-long command line is being thrown away up to its LF.
  bool m_discarding = false;
  std::optional<DataReader> m_data;   // engaged exactly in state Data
  bool m_pipelining_offered = false;  // the last EHLO reply listed PIPELINING
  std::size_t m_errors = 0;           // 4xx/5xx replies so far; errors_max closes the session
  std::size_t m_auth_failures = 0;    // 535 replies so far; sets the next penalty
  AuthStep m_auth_step = AuthStep::None;
  std::string m_auth_user;  // the LOGIN user name between the two prompts
  TimeNs m_deadline = kTimeNever;
};

}  // namespace mailscope::smtp
