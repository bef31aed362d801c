#pragma once
// SmtpClientSession: the sending side of one SMTP connection as a sans-I/O state machine.
// It waits for the greeting, says EHLO (HELO if EHLO is refused), optionally upgrades with
// STARTTLS and says EHLO again, optionally authenticates, sends each message in its own mail
// transaction (pipelined per RFC 2920 when the server offers it) and ends with QUIT.
//
// Results come as actions: ReplyReceived for every reply, RecipientResult per recipient,
// MessageResult per message, and one SessionFinished at the end.

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "proto/smtp/actions.h"
#include "proto/smtp/reply.h"

namespace mailscope::smtp {

enum class StartTlsPolicy {
  Never,          // never upgrade, even when offered
  Opportunistic,  // upgrade when offered; otherwise continue in clear
  Required,       // upgrade or give up (RFC 3207 §4.1)
};

enum class ClientTransport {
  Plain,
  ImplicitTls
};  // ImplicitTls: port 465, TLS done before start()

enum class AuthMechanism { Auto, Plain, Login };  // Auto: PLAIN if offered, else LOGIN

enum class PipeliningUse { WhenOffered, Never };

struct Credentials {
  std::string user;
  std::string password;
};

// RFC 5321 §4.5.3.2: how long the client waits for each reply.
struct SmtpClientTimeouts {
  TimeNs greeting_ns = 5 * kMinute;   // §4.5.3.2.1
  TimeNs mail_ns = 5 * kMinute;       // §4.5.3.2.2
  TimeNs rcpt_ns = 5 * kMinute;       // §4.5.3.2.3
  TimeNs data_ns = 2 * kMinute;       // §4.5.3.2.4, the 354
  TimeNs data_end_ns = 10 * kMinute;  // §4.5.3.2.6, the reply to the final dot
  TimeNs command_ns = 5 * kMinute;    // EHLO, STARTTLS, AUTH, RSET, QUIT
};

struct SmtpClientConfig {
  std::string helo_name = "client.example.com";
  ClientTransport transport = ClientTransport::Plain;
  StartTlsPolicy starttls = StartTlsPolicy::Opportunistic;
  std::optional<Credentials> credentials;  // AUTH only when set
  AuthMechanism auth_mechanism = AuthMechanism::Auto;
  PipeliningUse pipelining = PipeliningUse::WhenOffered;
  // A message larger than the server's SIZE is not attempted (RFC 1870 §6.1 advises it). A mail
  // program may instead announce it with MAIL FROM ... SIZE= and let the server refuse it with
  // 552, the way the SIZE lesson shows.
  bool skip_oversized = true;
  SmtpClientTimeouts timeouts;
};

struct OutgoingMessage {
  std::string reverse_path;             // "alice@example.com"; empty for the null path <>
  std::vector<std::string> recipients;  // "bob@example.net", ...
  std::string content;                  // RFC 5322 message; any line endings
};

// What the server said it supports in its EHLO reply.
struct ServerExtensions {
  bool pipelining = false;
  bool starttls = false;
  bool eight_bit_mime = false;
  bool enhanced_status_codes = false;
  std::optional<std::uint64_t> size_limit;  // SIZE n; 0 means "no fixed limit"
  bool auth_plain = false;
  bool auth_login = false;
};
ServerExtensions parse_ehlo_reply(const SmtpReply& reply);

enum class ClientState {
  AwaitGreeting,
  Ehlo,
  Helo,
  StartTls,
  TlsHandshake,
  Auth,
  Transaction,
  Content,
  Rset,
  Quit,
  Done,
  Count
};
std::string_view to_string(ClientState state);

class SmtpClientSession {
 public:
  SmtpClientSession(const SmtpClientConfig& config, std::vector<OutgoingMessage> messages,
                    TimeNs now);

  SmtpOutput start(TimeNs now);  // arms the greeting timeout
  SmtpOutput on_bytes(TimeNs now, ByteView bytes);
  SmtpOutput on_bytes(TimeNs now, std::string_view bytes);
  SmtpOutput on_tls_established(TimeNs now);
  SmtpOutput on_timeout(TimeNs now);
  // The owner saw the connection drop (RST, FIN before QUIT, TLS failure).
  SmtpOutput on_connection_lost(TimeNs now);
  TimeNs deadline() const { return m_deadline; }

  ClientState state() const { return m_state; }
  bool finished() const { return m_state == ClientState::Done; }
  // True between sending the final dot and reading its reply: the RFC 1047 window in which a
  // lost connection leaves the client unsure whether the message was taken.
  bool final_dot_unacknowledged() const { return m_state == ClientState::Content; }
  const ServerExtensions& extensions() const { return m_extensions; }
  bool tls_active() const { return m_tls_active; }

 private:
  enum class Expect { Mail, Rcpt, Data, Content, Rset };
  struct Pending {
    Expect what;
    std::size_t recipient = 0;  // for Rcpt: index into the message's recipients
  };
  // The message being sent and what the server has said about it so far.
  struct Current {
    std::size_t index = 0;
    bool mail_accepted = false;
    std::vector<std::size_t> accepted;  // recipient indexes the server took
    std::optional<SmtpReply> failure;   // the reply that sank the message, if any
    bool any_temporary = false;         // some recipient failed with 4xx
    bool reported = false;              // a MessageResult was emitted
    bool pipelined = false;             // MAIL, RCPTs and DATA went out in one write
    std::size_t next_recipient = 0;     // without pipelining: the next RCPT to send
  };

  void on_reply(TimeNs now, const SmtpReply& reply, SmtpOutput& out);
  void on_ehlo_reply(TimeNs now, const SmtpReply& reply, SmtpOutput& out);
  void on_transaction_reply(TimeNs now, const SmtpReply& reply, SmtpOutput& out);
  void after_hello(TimeNs now, SmtpOutput& out);
  void begin_auth(TimeNs now, SmtpOutput& out);
  void next_transaction(TimeNs now, SmtpOutput& out);
  void send_rcpt_or_data(TimeNs now, SmtpOutput& out);
  void report_message(MessageStatus status, const SmtpReply& reply, SmtpOutput& out);
  void fail_remaining(MessageStatus status, const SmtpReply& reply, SmtpOutput& out);
  void give_up(TimeNs now, std::string reason, const SmtpReply& reply, SmtpOutput& out);
  void finish(SessionOutcome outcome, std::string reason, bool duplicate_risk, SmtpOutput& out);

  void send_command(TimeNs now, std::string line, TimeNs timeout_ns, SmtpOutput& out,
                    Sensitivity sensitivity = Sensitivity::Plain);
  void enter_state(ClientState next, SmtpOutput& out);

  SmtpClientConfig m_config;
  std::vector<OutgoingMessage> m_messages;
  std::size_t m_next_message = 0;  // messages before it have been or are being sent
  std::optional<Current> m_current;
  std::deque<Pending> m_pending;  // replies still owed by the server, oldest first
  ClientState m_state = ClientState::AwaitGreeting;
  ReplyParser m_parser;
  ServerExtensions m_extensions;
  bool m_tls_active = false;
  bool m_authenticated = false;
  bool m_esmtp = false;  // the server accepted EHLO
  int m_login_step = 0;  // AUTH LOGIN: prompts answered so far
  SessionOutcome m_outcome = SessionOutcome::Completed;
  std::string m_reason;
  TimeNs m_deadline = kTimeNever;
};

}  // namespace mailscope::smtp
