#pragma once
// What an IMAP engine asks its owner to do after one input, in order: bytes to send, a TLS
// handshake to start, the connection to close, and observations for the trace. The server and
// the client share the type, as the SMTP engines do (proto/smtp/actions.h).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/time.h"
#include "proto/imap/response.h"

namespace mailscope::imap {

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

// One whole command the server read: its lines and literals, the final CRLF removed. A view may
// mask it when sensitivity is Secret. An IDLE's DONE and an AUTHENTICATE response line count as
// commands too.
struct CommandReceived {
  std::string text;
  Sensitivity sensitivity = Sensitivity::Plain;
};
// One whole command the client wrote (same form).
struct CommandSent {
  std::string tag;
  std::string text;
  Sensitivity sensitivity = Sensitivity::Plain;
};
// One response: an untagged line with its literals, a continuation request or a tagged status;
// final CRLF removed.
struct ResponseSent {
  std::string text;
};
struct ResponseReceived {
  Response response;
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

// Client: a command got its tagged completion.
struct CommandCompleted {
  std::string tag;
  std::string verb;  // "LOGIN", "UID FETCH", ...
  Status status = Status::None;
  std::string code;  // response code without brackets, upper-cased ("TRYCREATE")
  std::string code_args;
  std::string text;
};

enum class SessionOutcome {
  Completed,       // LOGOUT answered (or the server said BYE to it)
  Failed,          // the session could not go on (greeting refused, TLS required but absent)
  TimedOut,        // the server did not answer in time
  ConnectionLost,  // the owner reported the connection dropped, or the server closed it
};
std::string_view to_string(SessionOutcome outcome);

// Client: the session is over; no more actions follow.
struct SessionFinished {
  SessionOutcome outcome = SessionOutcome::Completed;
  std::string reason;
};

using ImapAction = std::variant<Send, StartTls, Close, CommandReceived, CommandSent, ResponseSent,
                                ResponseReceived, StateChanged, ProtocolViolation, CommandCompleted,
                                SessionFinished>;

struct ImapOutput {
  std::vector<ImapAction> actions;  // in the order they must be carried out

  // Every byte of every Send, concatenated (ignores delays); handy for tests and bridges.
  std::string sent_bytes() const;
  bool closes() const;
  template <typename T>
  std::vector<T> all() const {
    std::vector<T> out;
    for (const ImapAction& action : actions) {
      if (const T* item = std::get_if<T>(&action)) out.push_back(*item);
    }
    return out;
  }
  void append(ImapOutput&& other);
};

}  // namespace mailscope::imap
