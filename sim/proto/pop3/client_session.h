#pragma once
// Pop3ClientSession: the mail user agent's side of one POP3 connection as a sans-I/O state
// machine. It waits for the greeting, asks CAPA, optionally upgrades with STLS (and asks CAPA
// again, RFC 2595 §4), logs in with AUTH PLAIN or USER/PASS, reads STAT and UIDL, retrieves every
// message whose unique-id it has not seen, deletes what it has in "download and delete" mode,
// and ends with QUIT, which is what makes the deletions happen (RFC 1939 §6).
//
// Results come as actions: ResponseReceived for every response, MessageRetrieved per message and
// one SessionFinished at the end. Commands go one at a time: the trace then reads like a
// textbook dialogue, and nothing depends on the server's PIPELINING.

#include <cstdint>
#include <deque>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "proto/pop3/actions.h"
#include "proto/pop3/response_reader.h"

namespace mailscope::pop3 {

enum class ClientTransport { Plain, ImplicitTls };  // ImplicitTls: port 995, TLS before start()
enum class StlsPolicy {
  Never,          // never upgrade, even when offered
  Opportunistic,  // upgrade when offered; otherwise log in in clear
  Required,       // upgrade or give up before the password is sent
};
enum class LoginMethod { Auto, UserPass, SaslPlain };  // Auto: SASL PLAIN if offered, else USER
enum class RetrievalMode {
  DownloadAndDelete,  // RETR each new message, DELE every message the client has
  LeaveOnServer,      // RETR each new message, delete nothing
};
std::string_view to_string(RetrievalMode mode);

struct Pop3ClientTimeouts {
  TimeNs response_ns = 5 * kMinute;  // for each response, a whole RETR body included
};

struct Pop3ClientConfig {
  std::string user;
  std::string password;
  ClientTransport transport = ClientTransport::Plain;
  StlsPolicy stls = StlsPolicy::Opportunistic;
  LoginMethod login = LoginMethod::Auto;
  RetrievalMode mode = RetrievalMode::LeaveOnServer;
  // Unique-ids of messages the client already has from earlier sessions.
  std::set<std::string> known_unique_ids;
  std::uint64_t message_size_max = 64 * 1024 * 1024;  // a longer message is read and dropped
  std::size_t messages_max = 100'000;  // messages considered per session (the store's bound)
  Pop3ClientTimeouts timeouts;
};

// What the server listed in its CAPA response (RFC 2449 §6).
struct ServerCapabilities {
  bool listed = false;  // CAPA was answered +OK
  bool top = false;
  bool uidl = false;
  bool user = false;
  bool sasl_plain = false;
  bool stls = false;
  bool pipelining = false;
  bool resp_codes = false;
  bool auth_resp_code = false;
  std::string implementation;
};
ServerCapabilities parse_capabilities(std::string_view body);

enum class ClientState {
  AwaitGreeting,
  Capa,
  Stls,
  TlsHandshake,
  User,
  Pass,
  Auth,
  Stat,
  Uidl,
  Retr,
  Dele,
  Quit,
  Done,
  Count
};
std::string_view to_string(ClientState state);

class Pop3ClientSession {
 public:
  Pop3ClientSession(const Pop3ClientConfig& config, TimeNs now);

  Pop3Output start(TimeNs now);  // arms the greeting timeout
  Pop3Output on_bytes(TimeNs now, ByteView bytes);
  Pop3Output on_bytes(TimeNs now, std::string_view bytes);
  Pop3Output on_tls_established(TimeNs now);
  Pop3Output on_timeout(TimeNs now);
  // The owner saw the connection drop (RST, FIN before QUIT, TLS failure).
  Pop3Output on_connection_lost(TimeNs now);
  TimeNs deadline() const { return m_deadline; }

  ClientState state() const { return m_state; }
  bool finished() const { return m_state == ClientState::Done; }
  bool tls_active() const { return m_tls_active; }
  const ServerCapabilities& capabilities() const { return m_caps; }
  // The known unique-ids plus those retrieved in this session: what the MUA keeps for next time.
  const std::set<std::string>& known_unique_ids() const { return m_known; }

 private:
  enum class Step { Retrieve, Delete };
  struct WorkItem {
    Step step = Step::Retrieve;
    std::size_t number = 0;
    std::string unique_id;  // empty without UIDL
  };

  void on_response(TimeNs now, Pop3Output& out);
  void after_capa(TimeNs now, Pop3Output& out);
  void begin_login(TimeNs now, Pop3Output& out);
  void on_stat(TimeNs now, const Pop3Response& response, Pop3Output& out);
  // uidl_body: the UIDL listing, or nullptr when the server has no UIDL.
  void plan(TimeNs now, const std::string* uidl_body, Pop3Output& out);
  void next_step(TimeNs now, Pop3Output& out);
  void give_up(TimeNs now, SessionOutcome outcome, std::string reason, Pop3Output& out);
  void finish(SessionOutcome outcome, std::string reason, std::size_t deleted, Pop3Output& out);

  // Sends a command and readies the reader for its response.
  void send_command(TimeNs now, std::string line, bool multi_line_if_ok, Pop3Output& out,
                    Sensitivity sensitivity = Sensitivity::Plain);
  void enter_state(ClientState next, Pop3Output& out);

  Pop3ClientConfig m_config;
  ClientState m_state = ClientState::AwaitGreeting;
  ResponseReader m_reader;
  ServerCapabilities m_caps;
  bool m_tls_active = false;
  std::set<std::string> m_known;
  std::size_t m_message_count = 0;  // from STAT
  std::deque<WorkItem> m_work;      // what is left to do in TRANSACTION, in order
  WorkItem m_current;               // the RETR or DELE whose response is awaited
  std::size_t m_retrieved = 0;
  std::size_t m_marked = 0;  // DELEs answered +OK; they take effect only with QUIT's +OK
  // Set by give_up(): the outcome to report once QUIT has been answered.
  SessionOutcome m_outcome = SessionOutcome::Completed;
  std::string m_reason;
  TimeNs m_deadline = kTimeNever;
};

}  // namespace mailscope::pop3
