#pragma once
// ImapFetch: how the mail user agent checks mail over IMAP — one session that logs in, selects
// INBOX, asks which UIDs are there (UID SEARCH ALL), downloads those it does not have yet
// (UID FETCH ... BODY.PEEK[], so that reading does not itself set \Seen), then marks them \Seen
// (or, in Delete mode, \Seen \Deleted and EXPUNGE) and logs out.
//
// What the client keeps between sessions is an ImapSyncState: the UIDVALIDITY and the UIDs it
// has. A new UIDVALIDITY means the server renumbered the mailbox (RFC 3501 2.3.1.1), so every
// message is new again.

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "mail/mail_store.h"
#include "services/fetch_common.h"
#include "services/imap_client_connection.h"
#include "services/service_context.h"

namespace mailscope::services {

struct ImapSyncState {
  std::uint32_t uid_validity = 0;  // 0: never synchronised
  std::set<mail::Uid> known_uids;  // messages of INBOX the client has a copy of
};

// A UID set for a command ("1:3,5,8:9") from ascending UIDs, cut into pieces of at most
// chars_max characters so that no command line gets too long.
std::vector<std::string> uid_sets(const std::vector<mail::Uid>& uids, std::size_t chars_max);

class ImapFetch : public std::enable_shared_from_this<ImapFetch> {
 public:
  struct Result {
    FetchReport report;
    ImapSyncState state;  // what the client knows after this session
  };
  using DoneFn = std::function<void(const Result&)>;
  static constexpr std::size_t kUidSetCharsMax = 4000;

  // Starts the session; done is called once. Keep the handle while it runs.
  static std::shared_ptr<ImapFetch> start(const ServiceContext& context, net::Host& host,
                                          const FetchTarget& target, ImapSyncState state,
                                          DoneFn done);

  ImapFetch(FetchTarget target, ImapSyncState state, DoneFn done);

 private:
  enum class Step { Login, Select, Search, Fetch, Flags, Expunge, Logout };

  void on_response(const imap::Response& response);
  void on_completed(const imap::CommandCompleted& completed);
  void on_finished(const imap::SessionFinished& finished);
  void after_select();
  void after_search();
  void after_fetch();
  void after_flags();
  // Queues commands and remembers what their completion means.
  void queue(Step step, const std::vector<std::string>& tags);
  void fail(std::string detail);
  void logout();

  FetchTarget m_target;
  ImapSyncState m_state;
  DoneFn m_done;
  std::shared_ptr<ImapClientConnection> m_connection;
  Step m_step = Step::Login;
  std::size_t m_waiting = 0;              // commands of m_step not yet completed
  std::vector<mail::Uid> m_on_server;     // UID SEARCH ALL's answer, ascending
  std::vector<mail::Uid> m_fetched_uids;  // in the order their bodies came
  FetchReport m_report;
  bool m_logout_queued = false;
  bool m_done_called = false;
};

}  // namespace mailscope::services
