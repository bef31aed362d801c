#pragma once
// What a POP3 engine asks its owner to do after one input, in order: bytes to send, a TLS
// handshake to start, the connection to close, and observations for the trace. The shapes follow
// the SMTP engines (proto/smtp/actions.h) so that one service glue can carry both.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/time.h"
#include "mail/mail_store.h"
#include "proto/pop3/response.h"

namespace mailscope::pop3 {

using ByteView = std::span<const std::uint8_t>;

enum class Sensitivity { Plain, Secret };  // Secret: carries a password or a SASL response

// Write bytes to the peer. A non-zero delay (the penalty after a failed login) means "not before
// now + delay_ns"; the owner keeps later writes behind it so the stream stays in order.
struct Send {
  std::string bytes;
  TimeNs delay_ns = 0;
};
// Run the TLS handshake on this connection, then call on_tls_established().
struct StartTls {};
// Close the connection after the writes before this action.
struct Close {};

// A line the server read (CRLF removed). A view may mask it when sensitivity is Secret.
struct CommandReceived {
  std::string line;
  Sensitivity sensitivity = Sensitivity::Plain;
};
// A line the client wrote (CRLF removed).
struct CommandSent {
  std::string line;
  Sensitivity sensitivity = Sensitivity::Plain;
};
// One response the server wrote. A multi-line body (LIST, UIDL, CAPA, RETR, TOP) went out in the
// same Send; body_bytes counts its octets on the wire, byte-stuffing and the final ".\r\n"
// included, so a view can say "+OK 120 octets (+ 125 bytes of message)".
struct ResponseSent {
  Pop3Response response;
  bool multi_line = false;
  std::uint64_t body_bytes = 0;
};
// One response the client read; body_bytes counts the un-stuffed body (without the final ".").
struct ResponseReceived {
  Pop3Response response;
  bool multi_line = false;
  std::uint64_t body_bytes = 0;
};
// Names come from to_string() of the engine's state enum; they are string literals.
struct StateChanged {
  std::string_view from;
  std::string_view to;
};
// The peer broke the protocol; what says how, for the trace and the lesson.
struct ProtocolViolation {
  std::string what;
};
// Something worth a line in the trace that is neither a command nor a response.
struct Note {
  std::string text;
};

// Server, UPDATE state (RFC 1939 §6): the messages marked with DELE were removed from the store.
struct MaildropUpdated {
  std::string user;
  std::vector<mail::Uid> removed;  // ascending; may be fewer than marked if others removed some
  std::size_t marked = 0;          // how many messages DELE had marked
};

// Client: one message came down with RETR; bytes are exactly the message (byte-stuffing removed).
struct MessageRetrieved {
  std::size_t number = 0;  // the message number in this session
  std::string unique_id;   // from UIDL; empty when the server has no UIDL
  std::string bytes;
  // True when the message was bigger than the client's limit: bytes is empty and the message
  // stays on the server (it is not deleted).
  bool too_big = false;
};

enum class SessionOutcome {
  Completed,       // QUIT was answered +OK: every DELE took effect
  Failed,          // the session could not go on (greeting refused, login failed, STLS required)
  TimedOut,        // the server did not answer in time
  ConnectionLost,  // the owner reported that the connection dropped
};
std::string_view to_string(SessionOutcome outcome);

// Client: the session is over; no more actions follow.
struct SessionFinished {
  SessionOutcome outcome = SessionOutcome::Completed;
  std::string reason;
  std::size_t retrieved = 0;  // messages that came down in this session
  // Messages removed from the server: the DELEs sent, but only when QUIT was answered +OK
  // (RFC 1939 §6); otherwise 0, since a server removes nothing without a completed UPDATE.
  std::size_t deleted = 0;
};

using Pop3Action = std::variant<Send, StartTls, Close, CommandReceived, CommandSent, ResponseSent,
                                ResponseReceived, StateChanged, ProtocolViolation, Note,
                                MaildropUpdated, MessageRetrieved, SessionFinished>;

struct Pop3Output {
  std::vector<Pop3Action> actions;  // in the order they must be carried out

  // Every byte of every Send, concatenated (ignores delays); handy for tests and bridges.
  std::string sent_bytes() const;
  bool closes() const;
  template <typename T>
  std::vector<T> all() const {
    std::vector<T> out;
    for (const Pop3Action& action : actions) {
      if (const T* item = std::get_if<T>(&action)) out.push_back(*item);
    }
    return out;
  }
  void append(Pop3Output&& other);
};

}  // namespace mailscope::pop3
