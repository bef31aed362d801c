#pragma once
// What an engine asks its owner to do after one input, in order: bytes to send, a TLS handshake
// to start, the connection to close, and observations for the trace. Server and client share
// the type so that a service, a test and a fuzzer all read the same thing.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/time.h"
#include "proto/smtp/envelope.h"
#include "proto/smtp/reply.h"

namespace mailscope::smtp {

using ByteView = std::span<const std::uint8_t>;

enum class Sensitivity { Plain, Secret };  // Secret: carries a password or a SASL response

// Write bytes to the peer. A non-zero delay (the penalty after a failed AUTH) means "not before
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
// A line the client wrote (CRLF removed); message content is not reported line by line.
struct CommandSent {
  std::string line;
  Sensitivity sensitivity = Sensitivity::Plain;
};
struct ReplySent {
  SmtpReply reply;
};
struct ReplyReceived {
  SmtpReply reply;
};
// Names come from to_string() of the engine's state enum; they are string literals.
struct StateChanged {
  std::string_view from;
  std::string_view to;
};
// The server took responsibility for a message (the policy said 2xx at the final dot).
struct MessageAccepted {
  Envelope envelope;
  std::uint64_t size_bytes = 0;  // after dot-unstuffing
  SmtpReply reply;
};
// The peer broke the protocol; what says how, for the trace and the lesson.
struct ProtocolViolation {
  std::string what;
};

enum class RecipientStatus { Accepted, TemporaryFailure, PermanentFailure };
std::string_view to_string(RecipientStatus status);

// Client: the fate of one recipient, first at RCPT and again at the final dot.
struct RecipientResult {
  std::size_t message_index = 0;
  std::string recipient;  // "<user@example.com>"
  RecipientStatus status = RecipientStatus::Accepted;
  SmtpReply reply;
};

enum class MessageStatus { Delivered, TemporaryFailure, PermanentFailure };
std::string_view to_string(MessageStatus status);

// Client: the fate of one message as a whole.
struct MessageResult {
  std::size_t message_index = 0;
  MessageStatus status = MessageStatus::Delivered;
  SmtpReply reply;  // the reply that decided it (for a local failure, a synthetic one)
  // Delivered: some recipients may still have failed at RCPT; see the RecipientResults.
};

enum class SessionOutcome {
  Completed,       // every message got a final answer and QUIT was sent
  Failed,          // the session could not go on (greeting refused, TLS required, AUTH failed)
  TimedOut,        // the server did not answer in time
  ConnectionLost,  // the owner reported that the connection dropped
};
std::string_view to_string(SessionOutcome outcome);

// Client: the session is over; no more actions follow.
struct SessionFinished {
  SessionOutcome outcome = SessionOutcome::Completed;
  std::string reason;
  // RFC 1047: the final dot was sent and its reply never came. The server may have accepted the
  // message, so delivering it again may produce a duplicate.
  bool duplicate_risk = false;
};

using SmtpAction = std::variant<Send, StartTls, Close, CommandReceived, CommandSent, ReplySent,
                                ReplyReceived, StateChanged, MessageAccepted, ProtocolViolation,
                                RecipientResult, MessageResult, SessionFinished>;

struct SmtpOutput {
  std::vector<SmtpAction> actions;  // in the order they must be carried out

  // Every byte of every Send, concatenated (ignores delays); handy for tests and bridges.
  std::string sent_bytes() const;
  bool closes() const;
  template <typename T>
  std::vector<T> all() const {
    std::vector<T> out;
    for (const SmtpAction& action : actions) {
      if (const T* item = std::get_if<T>(&action)) out.push_back(*item);
    }
    return out;
  }
  void append(SmtpOutput&& other);
};

}  // namespace mailscope::smtp
