#pragma once
// MailUserAgent: a user's mail program on a simulated host — it sends through its provider's
// submission server (services/submission_client.h) and checks mail over IMAP or POP3
// (services/imap_fetch.h, services/pop3_fetch.h), keeping a local copy of every message it
// downloads, as Thunderbird or a phone's mail app does.
//
// It records what the user would see as notes on its host ("bob@b.test's client checks mail
// over IMAP (993, TLS)", "... downloaded 2 new messages"), so a view can narrate; the protocol
// events themselves come from the connections, as for every service.
//
// Certificates are verified against the scenario CA and the configured server name; a server
// whose certificate does not verify is not talked to (RFC 8314 §4.1).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "net/host.h"
#include "proto/smtp/client_session.h"
#include "services/fetch_common.h"
#include "services/imap_fetch.h"
#include "services/pop3_fetch.h"
#include "services/service_context.h"
#include "services/smtp_client_connection.h"

namespace mailscope::services {

struct MuaAccount {
  std::string address;  // "bob@b.test": the login name and the sender of what it sends
  std::string password;
  std::string display_name;
};

struct MuaSendSettings {
  std::string server_name;  // checked against the certificate
  wire::Ipv4Addr server_address;
  // 587 STARTTLS + AUTH (the default), 465 Implicit, 25 None without AUTH (straight to an MTA),
  // or 587 None with AUTH (the "why TLS matters" lesson; the server must allow it).
  std::uint16_t port = 587;
  ConnectionSecurity security = ConnectionSecurity::StartTls;
  bool auth = true;
  // Send a message over the server's SIZE anyway and let the server refuse it (552).
  bool announce_oversized = false;
};

struct MuaFetchSettings {
  FetchProtocol protocol = FetchProtocol::Imap;
  ConnectionSecurity security = ConnectionSecurity::Implicit;
  FetchMode mode = FetchMode::Keep;
  std::string server_name;  // checked against the certificate
  wire::Ipv4Addr server_address;
  std::uint16_t port = 993;
};

struct MuaOptions {
  MuaAccount account;
  MuaSendSettings send;
  MuaFetchSettings fetch;
};

struct SendOutcome {
  bool accepted = false;   // the server answered the final dot with 2xx
  std::uint16_t code = 0;  // that reply's code (0 when the session never got that far)
  std::string detail;      // the reply's text, or why the session failed
};

struct FetchOutcome {
  bool ok = false;          // the session ran to its end
  std::size_t fetched = 0;  // new messages downloaded by this fetch
  std::string detail;       // a summary, or what went wrong
};

class MailUserAgent {
 public:
  // Sessions (sends and fetches) running at once; more are refused at once.
  static constexpr std::size_t kSessionsMax = 64;

  // The context and the host must outlive the agent.
  MailUserAgent(const ServiceContext& context, net::Host& host, MuaOptions options);
  ~MailUserAgent();
  MailUserAgent(const MailUserAgent&) = delete;
  MailUserAgent& operator=(const MailUserAgent&) = delete;

  // Submits one message; done is called once. An empty reverse path becomes the account's
  // address (a mail program always sends as its user).
  void send(smtp::OutgoingMessage message, std::function<void(const SendOutcome&)> done);
  // Logs in, downloads every message not yet in the local copy, logs out; done is called once.
  // One fetch at a time: a fetch asked for while one runs fails at once.
  void fetch(std::function<void(const FetchOutcome&)> done);

  const std::vector<std::string>& local_copies() const { return m_local; }
  const MuaOptions& options() const { return m_options; }
  net::Host& host() { return m_host; }
  bool fetching() const { return m_fetching; }

 private:
  void note(const std::string& text);
  void fetched(const FetchReport& report, const std::function<void(const FetchOutcome&)>& done);
  void prune();

  const ServiceContext& m_context;
  net::Host& m_host;
  MuaOptions m_options;
  std::vector<std::string> m_local;  // raw messages, in the order they were downloaded
  ImapSyncState m_imap_state;        // what the IMAP client has of INBOX
  Pop3SyncState m_pop3_state;        // the UIDL unique-ids the POP3 client has seen
  // Running sessions, kept alive here. A finished one is dropped just after it reports (its TLS
  // state is tens of kilobytes, and a lesson may have a thousand users who each sent once).
  std::vector<std::shared_ptr<SmtpClientConnection>> m_sends;
  TimerId m_prune_timer;  // the pending drop of finished sends, if any
  std::shared_ptr<ImapFetch> m_imap;
  std::shared_ptr<Pop3Fetch> m_pop3;
  bool m_fetching = false;  // a fetch is running (m_imap or m_pop3)
};

}  // namespace mailscope::services
