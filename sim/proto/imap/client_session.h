#pragma once
// ImapClientSession: the client side of one IMAP connection as a sans-I/O state machine.
//
// One typed method per command queues it and returns its tag; commands go out one at a time, in
// order, each after the previous one completed (flush() sends what may go now, and every input
// sends more). Literals are sent as non-synchronizing {n+} when the server offers LITERAL+ (or
// LITERAL- and n <= 4096), otherwise the client waits for the "+" continuation.
//
// After the greeting the client upgrades with STARTTLS when its policy asks and the server
// offers it, and asks for CAPABILITY again afterwards (RFC 3501 6.2.1); queued commands wait
// for that. Every response comes back as a ResponseReceived action; untagged ones are also given
// to the untagged handler, and each tagged completion becomes a CommandCompleted.

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "mail/flags.h"
#include "proto/imap/actions.h"
#include "proto/imap/response.h"

namespace mailscope::imap {

enum class ClientTransport { Plain, ImplicitTls };  // ImplicitTls: port 993, TLS before start()
enum class StartTlsPolicy {
  Never,          // never upgrade
  Opportunistic,  // upgrade when offered, else go on in clear
  Required,       // upgrade or give up
};
enum class UidMode { Sequence, Uid };      // FETCH or UID FETCH, ...
enum class StoreReply { Normal, Silent };  // FLAGS or FLAGS.SILENT

struct ImapClientConfig {
  ClientTransport transport = ClientTransport::Plain;
  StartTlsPolicy starttls = StartTlsPolicy::Opportunistic;
  TimeNs response_timeout_ns = 5 * kMinute;  // for the greeting and every tagged reply
  std::string tag_prefix = "A";
  std::size_t queue_max = 1000;  // commands waiting to be sent
};

enum class ClientState {
  AwaitGreeting,
  NotAuthenticated,
  TlsHandshake,
  Authenticated,
  Selected,
  Idle,
  Logout,  // LOGOUT sent
  Done,    // the session is over
  Count
};
std::string_view to_string(ClientState state);

class ImapClientSession {
 public:
  using UntaggedHandler = std::function<void(const Response&)>;

  ImapClientSession(const ImapClientConfig& config, TimeNs now);

  void set_untagged_handler(UntaggedHandler handler) { m_untagged = std::move(handler); }

  ImapOutput start(TimeNs now);  // arms the greeting timeout
  ImapOutput on_bytes(TimeNs now, ByteView bytes);
  ImapOutput on_bytes(TimeNs now, std::string_view bytes);
  ImapOutput on_tls_established(TimeNs now);
  ImapOutput on_timeout(TimeNs now);
  ImapOutput on_connection_lost(TimeNs now);
  // Sends the queued commands that may go now (and DONE after done()).
  ImapOutput flush(TimeNs now);
  TimeNs deadline() const { return m_deadline; }

  // Commands. Each returns its tag ("" when the queue is full or the session is over).
  std::string capability();
  std::string noop();
  std::string logout();
  std::string starttls();
  std::string login(std::string_view user, std::string_view password);
  std::string authenticate_plain(std::string_view user, std::string_view password);
  std::string select(std::string_view mailbox);
  std::string examine(std::string_view mailbox);
  std::string create(std::string_view mailbox);
  std::string delete_mailbox(std::string_view mailbox);
  std::string rename(std::string_view from, std::string_view to);
  std::string subscribe(std::string_view mailbox);
  std::string unsubscribe(std::string_view mailbox);
  std::string list(std::string_view reference, std::string_view pattern);
  std::string lsub(std::string_view reference, std::string_view pattern);
  std::string status(std::string_view mailbox, std::string_view items);  // "(MESSAGES UNSEEN)"
  std::string append(std::string_view mailbox, std::string_view message,
                     const std::vector<std::string>& flags = {},
                     std::string_view internal_date = {});
  std::string check();
  std::string close();
  std::string unselect();
  std::string expunge();
  std::string uid_expunge(std::string_view uid_set);
  std::string search(std::string_view criteria, UidMode mode = UidMode::Sequence);
  std::string fetch(std::string_view set, std::string_view items, UidMode mode = UidMode::Sequence);
  std::string store(std::string_view set, mail::FlagOp op, const std::vector<std::string>& flags,
                    StoreReply reply = StoreReply::Normal, UidMode mode = UidMode::Sequence);
  std::string copy(std::string_view set, std::string_view mailbox,
                   UidMode mode = UidMode::Sequence);
  std::string move(std::string_view set, std::string_view mailbox,
                   UidMode mode = UidMode::Sequence);
  std::string idle();
  // Ends the IDLE in progress (or the one queued, once the server has said "+ idling").
  void done();

  ClientState state() const { return m_state; }
  bool finished() const { return m_state == ClientState::Done; }
  bool tls_active() const { return m_tls_active; }
  bool has_capability(std::string_view name) const;
  const std::vector<std::string>& server_capabilities() const { return m_capabilities; }
  // The selected mailbox as the server described it.
  std::uint32_t exists() const { return m_exists; }
  std::uint32_t uid_validity() const { return m_uid_validity; }
  std::uint32_t uid_next() const { return m_uid_next; }
  std::size_t queued() const { return m_queue.size(); }

 private:
  // A command as pieces of text, each followed by an optional literal.
  struct Piece {
    std::string text;
    std::optional<std::string> literal;
  };
  struct Outgoing {
    std::string tag;
    std::string verb;  // "LOGIN", "UID FETCH"
    std::vector<Piece> pieces;
    Sensitivity sensitivity = Sensitivity::Plain;
    std::size_t next_piece = 0;  // pieces before it are sent
    bool waiting_continuation = false;
  };

  std::string enqueue(std::string verb, std::vector<Piece> pieces,
                      Sensitivity sensitivity = Sensitivity::Plain);
  std::string next_tag();
  // Appends an astring argument (atom, quoted string or literal) to pieces.
  static void add_astring(std::vector<Piece>& pieces, std::string_view text);
  static void add_text(std::vector<Piece>& pieces, std::string_view text);
  void send_more(TimeNs now, ImapOutput& out);
  void send_pieces(TimeNs now, ImapOutput& out);
  bool literal_nonsync(std::size_t size) const;
  void on_response(TimeNs now, Response response, ImapOutput& out);
  void on_untagged(TimeNs now, const Response& r, ImapOutput& out);
  void on_tagged(TimeNs now, const Response& r, ImapOutput& out);
  void on_continuation(TimeNs now, const Response& r, ImapOutput& out);
  void after_greeting(TimeNs now, ImapOutput& out);
  void enter_state(ClientState next, ImapOutput& out);
  void finish(SessionOutcome outcome, std::string reason, ImapOutput& out);

  ImapClientConfig m_config;
  UntaggedHandler m_untagged;
  ClientState m_state = ClientState::AwaitGreeting;
  ResponseReader m_reader;
  std::deque<Outgoing> m_queue;        // not yet sent; bounded by queue_max
  std::optional<Outgoing> m_inflight;  // sent (at least partly), tagged reply not yet read
  std::uint32_t m_next_tag = 1;
  std::vector<std::string> m_capabilities;  // upper-cased
  bool m_capabilities_known = false;
  bool m_tls_active = false;
  bool m_tls_attempted = false;  // STARTTLS was tried once on this connection
  bool m_done_wanted = false;    // done() called; DONE goes when IDLE is established
  bool m_bye_seen = false;
  ClientState m_idle_return = ClientState::Authenticated;  // where the IDLE's completion leads
  std::uint32_t m_exists = 0;
  std::uint32_t m_uid_validity = 0;
  std::uint32_t m_uid_next = 0;
  TimeNs m_deadline = kTimeNever;
};

}  // namespace mailscope::imap
