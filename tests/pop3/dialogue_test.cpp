// Full dialogues: the client engine and the server engine wired together in memory, in both
// retrieval modes, with STLS, and with the connection dropped at the worst moment.

#include <gtest/gtest.h>

#include "pop3/pop3_test_util.h"

namespace mailscope::pop3::testing {
namespace {

Pop3ClientConfig mua(RetrievalMode mode) {
  Pop3ClientConfig c;
  c.user = "alice";
  c.password = "s3cret";
  c.mode = mode;
  c.stls = StlsPolicy::Required;
  return c;
}

std::size_t stored_count(const mail::MailStore& store, std::string_view user) {
  return store.messages(user, "INBOX")->size();
}

const char* const kCapaBeforeTls =
    "S: +OK Capability list follows\n"
    "S: TOP\n"
    "S: UIDL\n"
    "S: STLS\n"
    "S: PIPELINING\n"
    "S: RESP-CODES\n"
    "S: AUTH-RESP-CODE\n"
    "S: IMPLEMENTATION MailScope\n"
    "S: .\n";
const char* const kCapaAfterTls =
    "S: +OK Capability list follows\n"
    "S: TOP\n"
    "S: UIDL\n"
    "S: USER\n"
    "S: SASL PLAIN\n"
    "S: PIPELINING\n"
    "S: RESP-CODES\n"
    "S: AUTH-RESP-CODE\n"
    "S: IMPLEMENTATION MailScope\n"
    "S: .\n";

// Download and delete with STLS. This transcript is also the sample dialogue in docs/pop3.md.
const std::string kDeleteTranscript = std::string(
                                          "S: +OK pop.example.com POP3 server ready\n"
                                          "C: CAPA\n") +
                                      kCapaBeforeTls +
                                      "C: STLS\n"
                                      "S: +OK Begin TLS negotiation\n"
                                      "S: <TLS>\n"
                                      "C: <TLS>\n"
                                      "-- TLS established --\n"
                                      "C: CAPA\n" +
                                      kCapaAfterTls +
                                      "C: AUTH PLAIN AGFsaWNlAHMzY3JldA==\n"
                                      "S: +OK alice's maildrop has 3 messages (194 octets)\n"
                                      "C: STAT\n"
                                      "S: +OK 3 194\n"
                                      "C: UIDL\n"
                                      "S: +OK unique-id listing follows\n"
                                      "S: 1 0000000100000001\n"
                                      "S: 2 0000000200000001\n"
                                      "S: 3 0000000300000001\n"
                                      "S: .\n"
                                      "C: RETR 1\n"
                                      "S: +OK 55 octets\n"
                                      "S: From: bob@example.org\n"
                                      "S: Subject: one\n"
                                      "S: \n"
                                      "S: First message.\n"
                                      "S: .\n"
                                      "C: DELE 1\n"
                                      "S: +OK message 1 deleted\n"
                                      "C: RETR 2\n"
                                      "S: +OK 64 octets\n"
                                      "S: From: bob@example.org\n"
                                      "S: Subject: dots\n"
                                      "S: \n"
                                      "S: ..hidden\n"
                                      "S: ...two\n"
                                      "S: ..\n"
                                      "S: end\n"
                                      "S: .\n"
                                      "C: DELE 2\n"
                                      "S: +OK message 2 deleted\n"
                                      "C: RETR 3\n"
                                      "S: +OK 75 octets\n"
                                      "S: From: carol@example.net\n"
                                      "S: Subject: three\n"
                                      "S: \n"
                                      "S: line 1\n"
                                      "S: line 2\n"
                                      "S: line 3\n"
                                      "S: line 4\n"
                                      "S: .\n"
                                      "C: DELE 3\n"
                                      "S: +OK message 3 deleted\n"
                                      "C: QUIT\n"
                                      "S: +OK pop.example.com POP3 server signing off "
                                      "(maildrop empty)\n";

TEST(Dialogue, DownloadAndDeleteWithStls) {
  for (Chunking chunking : {Chunking::Whole, Chunking::ByteAtATime}) {
    auto store = make_store();
    FakeAuth auth;
    Pop3ServerSession server(plain_config(), *store, auth, 0);
    Pop3ClientSession client(mua(RetrievalMode::DownloadAndDelete), 0);
    const Dialogue d = run_dialogue(server, client, chunking);
    EXPECT_EQ(d.transcript, kDeleteTranscript);
    EXPECT_TRUE(d.server_closed);
    EXPECT_TRUE(d.client_closed);
    EXPECT_TRUE(client.tls_active());
    EXPECT_TRUE(client.capabilities().sasl_plain);
    // Each message came down byte for byte, the dot lines included.
    const auto messages = d.client_all<MessageRetrieved>();
    ASSERT_EQ(messages.size(), 3u);
    EXPECT_EQ(messages[0].bytes, kMessage1);
    EXPECT_EQ(messages[1].bytes, kMessage2);
    EXPECT_EQ(messages[2].bytes, kMessage3);
    EXPECT_EQ(messages[1].unique_id, kUid2);
    EXPECT_EQ(messages[2].number, 3u);
    const auto finished = d.client_all<SessionFinished>();
    ASSERT_EQ(finished.size(), 1u);
    EXPECT_EQ(finished[0].outcome, SessionOutcome::Completed);
    EXPECT_EQ(finished[0].retrieved, 3u);
    EXPECT_EQ(finished[0].deleted, 3u);
    EXPECT_EQ(stored_count(*store, "alice"), 0u);
    EXPECT_FALSE(store->maildrop_locked("alice"));
    // The password went out only inside TLS, and is marked secret for the views.
    for (const CommandSent& c : d.client_all<CommandSent>()) {
      const bool secret = c.line.starts_with("AUTH PLAIN ");
      EXPECT_EQ(c.sensitivity, secret ? Sensitivity::Secret : Sensitivity::Plain) << c.line;
    }
  }
}

TEST(Dialogue, LeaveOnServerFetchesOnlyNewMessages) {
  auto store = make_store();
  FakeAuth auth;
  Pop3ClientConfig config = mua(RetrievalMode::LeaveOnServer);
  config.login = LoginMethod::UserPass;
  std::set<std::string> known;
  {
    Pop3ServerSession server(plain_config(), *store, auth, 0);
    Pop3ClientSession client(config, 0);
    const Dialogue d = run_dialogue(server, client);
    EXPECT_EQ(d.client_all<MessageRetrieved>().size(), 3u);
    EXPECT_NE(d.transcript.find("C: USER alice\nS: +OK send PASS\nC: PASS s3cret\n"),
              std::string::npos);
    EXPECT_EQ(d.transcript.find("DELE"), std::string::npos);
    const auto finished = d.client_all<SessionFinished>();
    ASSERT_EQ(finished.size(), 1u);
    EXPECT_EQ(finished[0].outcome, SessionOutcome::Completed);
    EXPECT_EQ(finished[0].deleted, 0u);
    EXPECT_EQ(stored_count(*store, "alice"), 3u);
    known = client.known_unique_ids();
    EXPECT_EQ(known, (std::set<std::string>{kUid1, kUid2, kUid3}));
    const auto sent = d.client_all<CommandSent>();
    for (const CommandSent& c : sent) {
      EXPECT_EQ(c.sensitivity,
                c.line.starts_with("PASS ") ? Sensitivity::Secret : Sensitivity::Plain);
    }
  }
  // Next time, with what it already has: nothing to fetch.
  config.known_unique_ids = known;
  {
    Pop3ServerSession server(plain_config(), *store, auth, 0);
    Pop3ClientSession client(config, 0);
    const Dialogue d = run_dialogue(server, client);
    EXPECT_TRUE(d.client_all<MessageRetrieved>().empty());
    EXPECT_TRUE(d.transcript.ends_with(
        "C: QUIT\nS: +OK pop.example.com POP3 server signing off (3 messages left)\n"));
  }
  // A new message arrives: only it comes down.
  const std::string fresh = "Subject: new\r\n\r\n.starts with a dot\r\n";
  ASSERT_TRUE(store->deliver("alice", fresh, 0).ok());
  {
    Pop3ServerSession server(plain_config(), *store, auth, 0);
    Pop3ClientSession client(config, 0);
    const Dialogue d = run_dialogue(server, client);
    const auto messages = d.client_all<MessageRetrieved>();
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0].number, 4u);
    EXPECT_EQ(messages[0].unique_id, "0000000400000001");
    EXPECT_EQ(messages[0].bytes, fresh);
    EXPECT_EQ(d.transcript.find("RETR 1"), std::string::npos);
  }
}

TEST(Dialogue, DeleteModeRemovesMessagesItAlreadyHasWithoutFetchingThem) {
  auto store = make_store();
  FakeAuth auth;
  Pop3ClientConfig config = mua(RetrievalMode::DownloadAndDelete);
  config.known_unique_ids = {kUid1, kUid3};
  Pop3ServerSession server(plain_config(), *store, auth, 0);
  Pop3ClientSession client(config, 0);
  const Dialogue d = run_dialogue(server, client);
  const auto messages = d.client_all<MessageRetrieved>();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].number, 2u);
  EXPECT_NE(d.transcript.find("C: DELE 1\nS: +OK message 1 deleted\nC: RETR 2\n"),
            std::string::npos);
  EXPECT_EQ(d.client_all<SessionFinished>()[0].deleted, 3u);
  EXPECT_EQ(stored_count(*store, "alice"), 0u);
}

TEST(Dialogue, ConnectionLostBeforeQuitDeletesNothing) {
  auto store = make_store();
  FakeAuth auth;
  Pop3ServerSession server(plain_config(), *store, auth, 0);
  Pop3ClientSession client(mua(RetrievalMode::DownloadAndDelete), 0);
  // Commands: CAPA, STLS, CAPA, AUTH, STAT, UIDL, then RETR/DELE x3 (6), then QUIT (13th).
  // The QUIT is lost with the connection.
  const Dialogue d = run_dialogue(server, client, Chunking::Whole, 13);
  EXPECT_EQ(d.client_all<MessageRetrieved>().size(), 3u);
  EXPECT_EQ(d.server_all<MaildropUpdated>().size(), 0u);
  const auto finished = d.client_all<SessionFinished>();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].outcome, SessionOutcome::ConnectionLost);
  EXPECT_EQ(finished[0].reason, "connection lost in QUIT");
  EXPECT_EQ(finished[0].retrieved, 3u);
  EXPECT_EQ(finished[0].deleted, 0u);
  // All three are still on the server; the next session sees them again.
  EXPECT_EQ(stored_count(*store, "alice"), 3u);
  EXPECT_FALSE(store->maildrop_locked("alice"));
}

TEST(Dialogue, ImplicitTlsUsesSaslAtOnce) {
  auto store = make_store();
  FakeAuth auth;
  Pop3ServerSession server(pop3s_config(), *store, auth, 0);
  Pop3ClientConfig config = mua(RetrievalMode::LeaveOnServer);
  config.transport = ClientTransport::ImplicitTls;
  Pop3ClientSession client(config, 0);
  const Dialogue d = run_dialogue(server, client);
  EXPECT_EQ(d.transcript.find("STLS"), std::string::npos);
  EXPECT_NE(d.transcript.find("C: AUTH PLAIN AGFsaWNlAHMzY3JldA==\n"), std::string::npos);
  EXPECT_EQ(d.client_all<MessageRetrieved>().size(), 3u);
}

TEST(Dialogue, LockedMaildropEndsTheSession) {
  auto store = make_store();
  auto held = store->lock_maildrop("alice");  // another client is downloading
  ASSERT_TRUE(held.ok());
  FakeAuth auth;
  Pop3ServerSession server(plain_config(), *store, auth, 0);
  Pop3ClientSession client(mua(RetrievalMode::DownloadAndDelete), 0);
  const Dialogue d = run_dialogue(server, client);
  const auto finished = d.client_all<SessionFinished>();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].outcome, SessionOutcome::Failed);
  EXPECT_EQ(finished[0].reason, "maildrop in use: -ERR [IN-USE] maildrop already locked");
  EXPECT_TRUE(d.transcript.ends_with("C: QUIT\nS: +OK pop.example.com POP3 server signing off\n"));
}

TEST(Dialogue, WrongPasswordEndsTheSession) {
  auto store = make_store();
  FakeAuth auth;
  Pop3ServerSession server(plain_config(), *store, auth, 0);
  Pop3ClientConfig config = mua(RetrievalMode::DownloadAndDelete);
  config.password = "wrong";
  Pop3ClientSession client(config, 0);
  const Dialogue d = run_dialogue(server, client);
  const auto finished = d.client_all<SessionFinished>();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].outcome, SessionOutcome::Failed);
  EXPECT_EQ(finished[0].reason, "login failed: -ERR [AUTH] authentication failed");
  EXPECT_EQ(stored_count(*store, "alice"), 3u);
}

TEST(Dialogue, RequiredStlsNotOfferedKeepsThePasswordAtHome) {
  auto store = make_store();
  FakeAuth auth;
  Pop3ServerConfig config = plaintext_allowed_config();
  config.tls = TlsAvailability::None;
  Pop3ServerSession server(config, *store, auth, 0);
  Pop3ClientSession client(mua(RetrievalMode::DownloadAndDelete), 0);
  const Dialogue d = run_dialogue(server, client);
  EXPECT_EQ(d.transcript.find("C: USER"), std::string::npos);
  EXPECT_EQ(d.transcript.find("C: PASS"), std::string::npos);
  EXPECT_EQ(d.transcript.find("C: AUTH"), std::string::npos);
  EXPECT_EQ(auth.calls, 0);
  const auto finished = d.client_all<SessionFinished>();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].outcome, SessionOutcome::Failed);
  EXPECT_EQ(finished[0].reason, "STLS required but not offered");
}

TEST(Dialogue, OpportunisticClientLogsInInClearWhenAllowed) {
  auto store = make_store();
  FakeAuth auth;
  Pop3ServerConfig config = plaintext_allowed_config();
  config.tls = TlsAvailability::None;
  Pop3ServerSession server(config, *store, auth, 0);
  Pop3ClientConfig client_config = mua(RetrievalMode::LeaveOnServer);
  client_config.stls = StlsPolicy::Opportunistic;
  Pop3ClientSession client(client_config, 0);
  const Dialogue d = run_dialogue(server, client);
  EXPECT_FALSE(client.tls_active());
  EXPECT_EQ(d.client_all<MessageRetrieved>().size(), 3u);
}

}  // namespace
}  // namespace mailscope::pop3::testing
