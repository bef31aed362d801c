#pragma once
// ImapServerSession: one IMAP4rev1 server connection (RFC 3501; RFC 9051 where the two agree)
// as a sans-I/O state machine, with STARTTLS, SASL-IR (RFC 4959), LITERAL- (RFC 7888),
// IDLE (RFC 2177), UNSELECT (RFC 3691), UIDPLUS (RFC 4315), MOVE (RFC 6851), ENABLE (RFC 5161),
// CHILDREN (RFC 3348) and SPECIAL-USE (RFC 6154) attributes in LIST.
//
// The owner feeds it bytes and the virtual time and carries out the returned actions in order.
// The session works directly on a MailStore: it selects mailboxes through store.select(), and
// learns what other sessions and deliveries changed through the store's wake callback (handed in
// with set_wake()) followed by on_store_changed(). It owns no socket, clock or TLS: when it
// returns StartTls the owner runs the handshake and calls on_tls_established().
//
// Sequence numbers: the session keeps the mailbox as the client knows it. Messages that arrive
// are added at the end and announced with EXISTS; messages that are expunged stay in place until
// an EXPUNGE response may be sent (never while answering FETCH, STORE or SEARCH, RFC 3501 7.4.1),
// so the client's numbering is always right. docs/imap.md describes every reply.
//
// Sections of the implementation: server_session.cpp (input, dispatch, states, authentication),
// server_mailbox.cpp (mailbox commands), server_messages.cpp (FETCH, STORE, SEARCH, COPY, MOVE,
// EXPUNGE and the selected mailbox's bookkeeping).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "mail/mail_store.h"
#include "mail/message.h"
#include "proto/imap/actions.h"
#include "proto/imap/command.h"
#include "proto/imap/command_reader.h"
#include "proto/imap/server_config.h"

namespace mailscope::imap {

enum class ServerState {
  Greeting,          // connected; the greeting has not been sent yet
  NotAuthenticated,  // RFC 3501 3.1
  Authenticating,    // inside AUTHENTICATE, waiting for the client's response line
  TlsHandshake,      // after "OK Begin TLS negotiation now", until on_tls_established()
  Authenticated,     // RFC 3501 3.2
  Selected,          // RFC 3501 3.3
  Idle,              // RFC 2177, until DONE
  Logout,            // RFC 3501 3.4: the session is over; all input is ignored
  Count
};
std::string_view to_string(ServerState state);

class ImapServerSession {
 public:
  // The policy and the store must outlive the session.
  ImapServerSession(const ImapServerConfig& config, ImapServerPolicy& policy,
                    mail::MailStore& store, TimeNs now);

  // The callback handed to the store with every SELECT. The store may call it in the middle of
  // one of this session's own calls, so it should only schedule on_store_changed().
  void set_wake(mail::MailStore::WakeFn wake) { m_wake = std::move(wake); }

  ImapOutput start(TimeNs now);  // the greeting
  ImapOutput on_bytes(TimeNs now, ByteView bytes);
  ImapOutput on_bytes(TimeNs now, std::string_view bytes);
  ImapOutput on_tls_established(TimeNs now);
  // The store has changes for this session: during IDLE they are sent at once; otherwise they
  // wait for the next command, as RFC 3501 5.2 lets a server do.
  ImapOutput on_store_changed(TimeNs now);
  // Call when now >= deadline(): the autologout.
  ImapOutput on_timeout(TimeNs now);
  TimeNs deadline() const { return m_deadline; }

  ServerState state() const { return m_state; }
  bool closed() const { return m_state == ServerState::Logout; }
  bool tls_active() const { return m_tls_active; }
  const std::string& user() const { return m_user; }
  // The selected mailbox as the client named it; empty when none.
  const std::string& selected() const { return m_mailbox; }
  bool read_only() const { return m_read_only; }
  // Messages the client has been told of (the last EXISTS, less EXPUNGEs sent since).
  std::size_t exists() const { return m_known; }

 private:
  // One message of the selected mailbox as the client knows it.
  struct Entry {
    mail::Uid uid = 0;
    mail::FlagSet flags;
    bool recent = false;
    TimeNs internal_date = 0;
    std::size_t size = 0;
    std::shared_ptr<const std::string> bytes;
    bool expunged = false;       // gone from the store; the EXPUNGE response is still owed
    bool flags_changed = false;  // changed by someone else; an untagged FETCH is owed
    std::shared_ptr<const mail::Message> parsed;  // filled on first need
  };
  enum class ExpungeReport { Allowed, Deferred };

  // Input and dispatch (server_session.cpp).
  void process(TimeNs now, std::string_view input, ImapOutput& out);
  void on_command(TimeNs now, std::string text, ImapOutput& out);
  void dispatch(TimeNs now, const Command& cmd, ImapOutput& out);
  bool allowed_in_state(Verb verb) const;
  std::string capability() const;
  bool login_disabled() const;

  void cmd_logout(const Command& cmd, ImapOutput& out);
  void cmd_starttls(const Command& cmd, ImapOutput& out);
  void cmd_login(const Command& cmd, ImapOutput& out);
  void cmd_authenticate(const Command& cmd, ImapOutput& out);
  void auth_response(std::string_view line, ImapOutput& out);
  void auth_plain(std::string_view response_b64, ImapOutput& out);
  void auth_finish(const std::string& user, const std::string& password, ImapOutput& out);
  void cmd_idle(const Command& cmd, ImapOutput& out);
  void idle_line(std::string_view line, ImapOutput& out);
  void cmd_enable(const Command& cmd, ImapOutput& out);

  // Mailbox commands (server_mailbox.cpp).
  void cmd_select(const Command& cmd, ImapOutput& out);
  void cmd_create(const Command& cmd, ImapOutput& out);
  void cmd_delete(const Command& cmd, ImapOutput& out);
  void cmd_rename(const Command& cmd, ImapOutput& out);
  void cmd_subscribe(const Command& cmd, ImapOutput& out);
  void cmd_list(const Command& cmd, ImapOutput& out);
  void cmd_status(const Command& cmd, ImapOutput& out);
  void cmd_append(TimeNs now, const Command& cmd, ImapOutput& out);
  void store_failure(const Command& cmd, const mail::StoreError& error, ImapOutput& out,
                     bool target_must_exist = false);

  // Messages of the selected mailbox (server_messages.cpp).
  void cmd_close(const Command& cmd, ImapOutput& out);
  void cmd_expunge(const Command& cmd, ImapOutput& out);
  void cmd_search(const Command& cmd, ImapOutput& out);
  void cmd_fetch(const Command& cmd, ImapOutput& out);
  void cmd_store(const Command& cmd, ImapOutput& out);
  void cmd_copy(const Command& cmd, ImapOutput& out);
  // Indexes into m_view named by the command's set, ascending; false (and BAD sent) when a
  // sequence number does not exist.
  bool resolve(const Command& cmd, std::vector<std::size_t>& indexes, ImapOutput& out);
  std::string fetch_line(std::size_t index, const Command& cmd, bool add_flags);
  const mail::Message& parsed(Entry& entry);
  void deselect(ImapOutput& out);
  // Takes the store's queued changes into m_view (sends nothing).
  void absorb_changes();
  // Sends what the client is owed: EXPUNGE (when allowed), FETCH of changed flags, EXISTS and
  // RECENT.
  void report_changes(ExpungeReport expunges, ImapOutput& out);
  void mark_expunged(const std::vector<mail::Uid>& uids);
  // absorb_changes() and report_changes() when a mailbox is selected: before a tagged reply to
  // a command that may itself have changed the selected mailbox (APPEND, COPY).
  void catch_up(ExpungeReport expunges, ImapOutput& out);

  // The one way out for responses, and the one way between states.
  void respond(ImapOutput& out, std::string line, TimeNs delay_ns = 0);
  void untagged(ImapOutput& out, std::string_view text) { respond(out, "* " + std::string(text)); }
  void tagged(ImapOutput& out, const std::string& tag, std::string_view status,
              std::string_view text, TimeNs delay_ns = 0);
  void bad(ImapOutput& out, const std::string& tag, std::string_view text);
  void enter_state(ServerState next, ImapOutput& out);
  void close_with(ImapOutput& out, std::string_view bye_text);

  ImapServerConfig m_config;
  ImapServerPolicy& m_policy;
  mail::MailStore& m_store;
  mail::MailStore::WakeFn m_wake;
  ServerState m_state = ServerState::Greeting;
  CommandReader m_reader;
  bool m_tls_active = false;
  std::string m_user;  // set once authenticated
  std::size_t m_auth_failures = 0;
  std::size_t m_bad_commands = 0;
  std::string m_pending_tag;  // the AUTHENTICATE or IDLE command waiting for a line
  ServerState m_idle_return = ServerState::Authenticated;  // where DONE goes back to

  // The selected mailbox. m_view[i] is message i+1 for the client while i < m_known; entries at
  // m_known and beyond have arrived but EXISTS has not been sent for them yet.
  mail::Selection m_selection;
  std::string m_mailbox;
  bool m_read_only = false;
  std::vector<Entry> m_view;  // ascending UID
  std::size_t m_known = 0;
  bool m_mailbox_gone = false;  // the store said the mailbox was deleted or renamed
  bool m_overflowed = false;    // the store dropped changes; the session must end
  TimeNs m_deadline = kTimeNever;
};

}  // namespace mailscope::imap
