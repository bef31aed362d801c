// The IMAP server on the network: STARTTLS on 143, TLS on 993, LOGIN refused before TLS,
// IDLE woken by a delivery, flags and EXPUNGE between sessions, mailbox isolation, crash.

#include <gtest/gtest.h>

#include "retrieval_world.h"
#include "services/imap_client_connection.h"

namespace mailscope::services {
namespace {

using testing::RawClient;
using testing::RetrievalOptions;
using testing::RetrievalWorld;

constexpr const char* kCapabilityPlain =
    "IMAP4rev1 SASL-IR LITERAL- ENABLE IDLE UNSELECT UIDPLUS MOVE CHILDREN SPECIAL-USE STARTTLS "
    "LOGINDISABLED";

TEST(ImapServer, Port143RefusesLoginUntilStartTls) {
  RetrievalWorld w;
  RawClient c(w, *w.bob_pc, 143);
  EXPECT_EQ(c.take_until("* OK"), std::string("* OK [CAPABILITY ") + kCapabilityPlain +
                                      "] mail.gmail.com MailScope IMAP4rev1 ready\r\n");
  // RFC 3501 6.2.3: LOGINDISABLED; the password must not cross the network in clear.
  EXPECT_EQ(c.exchange("a1 LOGIN bob@gmail.com bob-pw", "a1 "),
            "* OK [ALERT] Plaintext authentication is disabled; use STARTTLS first\r\n"
            "a1 NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure "
            "connections\r\n");
  EXPECT_EQ(c.exchange("a2 STARTTLS", "a2 "), "a2 OK Begin TLS negotiation now\r\n");
  c.start_tls();
  ASSERT_TRUE(testing::run_until(w.sim, [&] { return c.tls_up(); }));
  // After TLS the capabilities change: AUTH=PLAIN, no STARTTLS, no LOGINDISABLED.
  EXPECT_EQ(c.exchange("a3 CAPABILITY", "a3 "),
            "* CAPABILITY IMAP4rev1 SASL-IR LITERAL- ENABLE IDLE UNSELECT UIDPLUS MOVE CHILDREN "
            "SPECIAL-USE AUTH=PLAIN\r\n"
            "a3 OK CAPABILITY completed\r\n");
  EXPECT_EQ(c.exchange("a4 LOGIN Bob@Gmail.COM bob-pw", "a4 "),
            "a4 OK [CAPABILITY IMAP4rev1 SASL-IR LITERAL- ENABLE IDLE UNSELECT UIDPLUS MOVE "
            "CHILDREN SPECIAL-USE] Logged in\r\n");
  EXPECT_EQ(w.imap->session_count(), 1u);
  EXPECT_EQ(c.exchange("a5 LOGOUT", "a5 "), "* BYE Logging out\r\na5 OK LOGOUT completed\r\n");
  // The server closes first; the client closes its half and the session is gone.
  ASSERT_TRUE(testing::run_until(w.sim, [&] { return c.peer_closed(); }));
  c.close();
  ASSERT_TRUE(testing::run_until(w.sim, [&] { return c.closed(); }));
  EXPECT_EQ(w.imap->session_count(), 0u);
}

TEST(ImapServer, Port993SpeaksTlsFromTheFirstByte) {
  RetrievalWorld w;
  RawClient c(w, *w.bob_pc, 993, /*implicit_tls=*/true);
  EXPECT_EQ(c.take_until("* OK"),
            "* OK [CAPABILITY IMAP4rev1 SASL-IR LITERAL- ENABLE IDLE UNSELECT UIDPLUS MOVE "
            "CHILDREN SPECIAL-USE AUTH=PLAIN] mail.gmail.com MailScope IMAP4rev1 ready\r\n");
  EXPECT_TRUE(c.tls_up());
  // The local part alone is a login too.
  EXPECT_EQ(c.exchange("a1 LOGIN bob bob-pw", "a1 ").substr(0, 6), "a1 OK ");
}

TEST(ImapServer, PlaintextLoginWhenTheScenarioAllowsIt) {
  RetrievalOptions options;
  options.adjust_imap = [](ImapServerOptions& o) { o.allow_plaintext_login = true; };
  RetrievalWorld w(options);
  RawClient c(w, *w.bob_pc, 143);
  EXPECT_EQ(c.take_until("* OK"),
            "* OK [CAPABILITY IMAP4rev1 SASL-IR LITERAL- ENABLE IDLE UNSELECT UIDPLUS MOVE "
            "CHILDREN SPECIAL-USE STARTTLS AUTH=PLAIN] mail.gmail.com MailScope IMAP4rev1 "
            "ready\r\n");
  EXPECT_EQ(c.exchange("a1 LOGIN bob@gmail.com bob-pw", "a1 ").substr(0, 6), "a1 OK ");
}

TEST(ImapServer, WrongPasswordsAndForeignDomainsAreRejected) {
  RetrievalWorld w;
  RawClient c(w, *w.bob_pc, 993, true);
  c.take_until("* OK");
  const struct {
    const char* login;
    const char* why;
  } cases[] = {
      {"a1 LOGIN bob@gmail.com carol-pw", "another user's password"},
      {"a2 LOGIN bob@outlook.com bob-pw", "a domain this server does not serve"},
      {"a3 LOGIN nobody@gmail.com x", "no such user"},
  };
  for (const auto& test : cases) {
    const std::string tag = std::string(test.login).substr(0, 3);
    EXPECT_EQ(c.exchange(test.login, tag),
              tag + "NO [AUTHENTICATIONFAILED] Authentication failed\r\n")
        << test.why;
  }
}

TEST(ImapServer, IdleHearsExistsTheMomentTheMailServerDelivers) {
  RetrievalWorld w;
  RawClient c(w, *w.bob_pc, 993, true);
  c.take_until("* OK");
  c.exchange("a1 LOGIN bob@gmail.com bob-pw", "a1 ");
  EXPECT_EQ(c.exchange("a2 SELECT INBOX", "a2 "),
            "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
            "* 0 EXISTS\r\n"
            "* 0 RECENT\r\n"
            "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags "
            "permitted\r\n"
            "* OK [UIDVALIDITY 1] UIDs valid\r\n"
            "* OK [UIDNEXT 1] Predicted next UID\r\n"
            "a2 OK [READ-WRITE] SELECT completed\r\n");
  EXPECT_EQ(c.exchange("a3 IDLE", "+ "), "+ idling\r\n");

  // Alice sends bob a message from the other side of the WAN.
  MailUserAgent alice(*w.context, *w.alice_pc, w.alice_options());
  smtp::OutgoingMessage m;
  m.recipients = {"bob@gmail.com"};
  m.content = RetrievalWorld::message("bob@gmail.com", "idle", "Are you there?\n");
  alice.send(std::move(m), nullptr);
  ASSERT_TRUE(c.wait_for("* 1 RECENT\r\n"));
  EXPECT_EQ(c.take_all(), "* 1 EXISTS\r\n* 1 RECENT\r\n");

  // The server's EXISTS leaves at the very instant mail.gmail.com stored the message.
  const Trace& trace = w.sim.trace();
  TimeNs delivered = kTimeNever, pushed = kTimeNever;
  for (const TraceEvent& e : trace.events()) {
    if (e.node != w.gmail->id() || e.layer != Layer::Application) continue;
    if (e.kind == EventKind::MailDelivered && delivered == kTimeNever) delivered = e.time;
    if (e.kind == EventKind::Response && testing::event_text(trace, e) == "* 1 EXISTS\r\n") {
      pushed = e.time;
    }
  }
  ASSERT_NE(delivered, kTimeNever);
  EXPECT_EQ(pushed, delivered);
  EXPECT_EQ(c.exchange("DONE", "a3 "), "a3 OK IDLE terminated\r\n");
}

TEST(ImapServer, FlagsAndExpungeAreSeenAcrossTwoSessions) {
  RetrievalWorld w;
  w.deliver("bob", RetrievalWorld::message("bob@gmail.com", "one", "1\n"));
  w.deliver("bob", RetrievalWorld::message("bob@gmail.com", "two", "2\n"));
  RawClient laptop(w, *w.bob_pc, 993, true);
  RawClient phone(w, *w.bob_pc, 993, true);
  for (RawClient* c : {&laptop, &phone}) {
    c->take_until("* OK");
    c->exchange("a1 LOGIN bob bob-pw", "a1 ");
    c->exchange("a2 SELECT INBOX", "a2 ");
  }
  // The laptop reads message 1 and deletes message 2. It selected first, so the messages are
  // \Recent for it alone (RFC 3501 2.3.2).
  EXPECT_EQ(laptop.exchange("a3 STORE 1 +FLAGS (\\Seen)", "a3 "),
            "* 1 FETCH (FLAGS (\\Seen \\Recent))\r\na3 OK STORE completed\r\n");
  EXPECT_EQ(laptop.exchange("a4 STORE 2 +FLAGS.SILENT (\\Deleted)", "a4 "),
            "a4 OK STORE completed\r\n");
  // The phone hears of both changes at its next command.
  EXPECT_EQ(
      phone.exchange("a3 NOOP", "a3 "),
      "* 1 FETCH (FLAGS (\\Seen))\r\n* 2 FETCH (FLAGS (\\Deleted))\r\na3 OK NOOP completed\r\n");
  EXPECT_EQ(laptop.exchange("a5 EXPUNGE", "a5 "), "* 2 EXPUNGE\r\na5 OK EXPUNGE completed\r\n");
  EXPECT_EQ(phone.exchange("a4 NOOP", "a4 "), "* 2 EXPUNGE\r\na4 OK NOOP completed\r\n");
  EXPECT_EQ(phone.exchange("a5 FETCH 1:* (UID FLAGS)", "a5 "),
            "* 1 FETCH (UID 1 FLAGS (\\Seen))\r\na5 OK FETCH completed\r\n");
  ASSERT_EQ(w.inbox("bob").size(), 1u);
}

TEST(ImapServer, BobReachesOnlyHisOwnMailboxes) {
  RetrievalWorld w;
  w.deliver("carol", RetrievalWorld::message("carol@gmail.com", "private", "for carol\n"));
  RawClient c(w, *w.bob_pc, 993, true);
  c.take_until("* OK");
  c.exchange("a1 LOGIN bob bob-pw", "a1 ");
  const struct {
    const char* command;
    const char* reply;
    const char* why;
  } cases[] = {
      {"a2 SELECT carol/INBOX", "a2 NO [NONEXISTENT] Mailbox doesn't exist\r\n",
       "another user's INBOX is not a path in bob's tree"},
      {"a3 SELECT ../carol/INBOX", "a3 NO ", "no climbing out of the tree"},
      {"a4 STATUS INBOX (MESSAGES)", "* STATUS INBOX (MESSAGES 0)\r\na4 OK STATUS completed\r\n",
       "bob's INBOX is empty: carol's message is not in it"},
      {"a5 LIST \"\" *",
       "* LIST (\\HasNoChildren) \"/\" INBOX\r\n* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n"
       "* LIST (\\HasNoChildren \\Trash) \"/\" Trash\r\na5 OK LIST completed\r\n",
       "only bob's mailboxes are listed"},
  };
  for (const auto& test : cases) {
    const std::string tag = std::string(test.command).substr(0, 3);
    const std::string got = c.exchange(test.command, tag);
    EXPECT_EQ(got.substr(0, std::string(test.reply).size()), test.reply) << test.why << "\n" << got;
  }
}

TEST(ImapServer, CrashResetsSessionsAndRestartServesTheSameMailboxes) {
  RetrievalWorld w;
  w.deliver("bob", RetrievalWorld::message("bob@gmail.com", "kept", "still here\n"));
  RawClient before(w, *w.bob_pc, 993, true);
  before.take_until("* OK");
  before.exchange("a1 LOGIN bob bob-pw", "a1 ");
  before.exchange("a2 SELECT INBOX", "a2 ");
  ASSERT_EQ(w.imap->session_count(), 1u);

  w.imap->crash();
  EXPECT_FALSE(w.imap->running());
  EXPECT_EQ(w.imap->session_count(), 0u);
  ASSERT_TRUE(testing::run_until(w.sim, [&] { return !before.failure().empty(); }));
  EXPECT_EQ(before.failure(), "connection reset");
  // While the process is down nobody listens: the SYN is answered with RST.
  RawClient refused(w, *w.bob_pc, 993, true);
  ASSERT_TRUE(testing::run_until(w.sim, [&] { return !refused.failure().empty(); }));
  EXPECT_EQ(refused.failure(), "connection refused");

  w.imap->restart();
  EXPECT_TRUE(w.imap->running());
  RawClient after(w, *w.bob_pc, 993, true);
  after.take_until("* OK");
  after.exchange("a1 LOGIN bob bob-pw", "a1 ");
  EXPECT_EQ(after.exchange("a2 STATUS INBOX (MESSAGES UIDNEXT)", "a2 "),
            "* STATUS INBOX (MESSAGES 1 UIDNEXT 2)\r\na2 OK STATUS completed\r\n");
  const auto notes = testing::events_of(w.sim.trace(), EventKind::Note, w.gmail);
  EXPECT_NE(std::find(notes.begin(), notes.end(), "IMAP server crashed: 1 sessions lost"),
            notes.end());
  EXPECT_NE(std::find(notes.begin(), notes.end(), "IMAP server restarted"), notes.end());
}

TEST(ImapServer, ImplicitTlsPortNeedsTls) {
  Simulator sim(1);
  net::Network network(sim);
  net::Host& host = network.add_host("h", "mail-server");
  auto tls = ScenarioTls::create(sim, "t", mail::MailClock{testing::kEpoch, 0});
  ASSERT_TRUE(tls.ok());
  ServiceContext context{sim, (*tls)->crypto, (*tls)->ca, nullptr,
                         mail::MailClock{testing::kEpoch, 0}};
  MailServerStorage storage;
  ImapServerOptions o;
  o.tls = false;
  auto server = ImapServer::create(context, host, storage, o);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.error().to_string(),
            "tls_port: an implicit-TLS port needs tls on (set tls_port to 0)");
  o.tls_port = 0;
  EXPECT_TRUE(ImapServer::create(context, host, storage, o).ok());
  EXPECT_FALSE(storage.credentials().has_value()) << "no certificate without tls";
}

}  // namespace
}  // namespace mailscope::services

namespace mailscope::services {
namespace {

// The client binding drives any dialogue: here IDLE, ended by the client when EXISTS arrives.
TEST(ImapClientConnection, IdleUntilMailArrivesThenLogout) {
  testing::RetrievalWorld w;
  ImapClientConnectionOptions options;
  options.engine.transport = imap::ClientTransport::ImplicitTls;
  options.engine.starttls = imap::StartTlsPolicy::Never;
  options.tls.trusted_cas = {w.tls->ca.certificate()};
  options.tls.server_name = "mail.gmail.com";
  std::shared_ptr<ImapClientConnection> client;
  std::vector<std::string> completed;
  std::optional<imap::SessionFinished> finished;
  ImapClientConnection::Callbacks callbacks;
  callbacks.response = [&](const imap::Response& r) {
    if (r.keyword == "EXISTS" && r.number == 1u) {
      client->engine().done();
      client->engine().logout();
      client->flush();  // a no-op inside a callback: the connection sends after it returns
    }
  };
  callbacks.completed = [&](const imap::CommandCompleted& c) {
    completed.push_back(c.verb + " " + std::string(imap::to_string(c.status)));
  };
  callbacks.finished = [&](const imap::SessionFinished& f) { finished = f; };
  client = ImapClientConnection::start(*w.context, *w.bob_pc, w.gmail->address(), 993, options,
                                       callbacks);
  client->engine().login("bob@gmail.com", "bob-pw");
  client->engine().select("INBOX");
  client->engine().idle();
  client->flush();
  ASSERT_TRUE(testing::run_until(
      w.sim, [&] { return client->engine().state() == imap::ClientState::Idle; }));
  w.deliver("bob", testing::RetrievalWorld::message("bob@gmail.com", "ping", "ping\n"));
  ASSERT_TRUE(testing::run_until(w.sim, [&] { return finished.has_value(); }));
  EXPECT_EQ(finished->outcome, imap::SessionOutcome::Completed);
  EXPECT_EQ(completed, (std::vector<std::string>{"LOGIN OK", "SELECT OK", "IDLE OK", "LOGOUT OK"}));
  ASSERT_NE(client->tls_info(), nullptr);
  EXPECT_EQ(client->tls_info()->version, "TLSv1.3");
}

}  // namespace
}  // namespace mailscope::services
