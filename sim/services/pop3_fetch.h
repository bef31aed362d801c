#pragma once
// Pop3Fetch: how the mail user agent checks mail over POP3 — one Pop3ClientSession bound to an
// AppConnection. The engine does the dialogue (CAPA, STLS when asked, USER/PASS, STAT, UIDL,
// RETR of each message the client has not seen, DELE in Delete mode, QUIT); this binding
// connects, runs TLS with the server's certificate verified against the scenario CA and the
// server name, and reports once.
//
// What the client keeps between sessions is a Pop3SyncState: the UIDL unique-ids it has seen, so
// that in Keep mode ("leave mail on server") the same message is not downloaded twice.

#include <functional>
#include <memory>
#include <set>
#include <string>

#include "proto/pop3/client_session.h"
#include "services/app_connection.h"
#include "services/engine_timer.h"
#include "services/fetch_common.h"
#include "services/service_context.h"

namespace mailscope::services {

struct Pop3SyncState {
  std::set<std::string> known_unique_ids;
};

class Pop3Fetch : public std::enable_shared_from_this<Pop3Fetch> {
 public:
  struct Result {
    FetchReport report;
    Pop3SyncState state;  // what the client knows after this session
  };
  using DoneFn = std::function<void(const Result&)>;

  // Starts the session; done is called once. Keep the handle while it runs.
  static std::shared_ptr<Pop3Fetch> start(const ServiceContext& context, net::Host& host,
                                          const FetchTarget& target, Pop3SyncState state,
                                          DoneFn done);

  Pop3Fetch(const ServiceContext& context, const FetchTarget& target, Pop3SyncState state,
            DoneFn done);
  ~Pop3Fetch();
  Pop3Fetch(const Pop3Fetch&) = delete;
  Pop3Fetch& operator=(const Pop3Fetch&) = delete;

  const pop3::Pop3ClientSession& engine() const { return m_engine; }

 private:
  void on_connected();
  void on_data(std::string_view bytes, EventId cause);
  void on_lost();
  void begin_tls();
  void carry_out(pop3::Pop3Output out, EventId cause);
  void rearm();

  const ServiceContext& m_context;
  FetchTarget m_target;
  pop3::Pop3ClientSession m_engine;
  std::shared_ptr<AppConnection> m_connection;
  EngineTimer m_timer;
  DoneFn m_done;
  FetchReport m_report;
  std::string m_connection_error;  // "connection refused", ... when TCP failed
  bool m_finished = false;         // done has been called (at most once)
};

}  // namespace mailscope::services
