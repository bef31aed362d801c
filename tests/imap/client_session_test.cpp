// The client engine: response parsing, and whole dialogues with the server engine in memory.

#include <gtest/gtest.h>

#include "imap/imap_test_util.h"

namespace mailscope::imap::testing {
namespace {

TEST(ResponseParser, Kinds) {
  auto tagged = parse_response("A001 NO [TRYCREATE] Mailbox doesn't exist");
  ASSERT_TRUE(tagged.ok());
  EXPECT_EQ(tagged->kind, ResponseKind::Tagged);
  EXPECT_EQ(tagged->tag, "A001");
  EXPECT_EQ(tagged->status, Status::No);
  EXPECT_EQ(tagged->code, "TRYCREATE");
  EXPECT_EQ(tagged->text, "Mailbox doesn't exist");

  auto code = parse_response("* OK [UIDVALIDITY 3857529045] UIDs valid");
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(code->status, Status::Ok);
  EXPECT_EQ(code->code, "UIDVALIDITY");
  EXPECT_EQ(code->code_args, "3857529045");

  auto exists = parse_response("* 23 EXISTS");
  ASSERT_TRUE(exists.ok());
  EXPECT_EQ(exists->number, 23u);
  EXPECT_EQ(exists->keyword, "EXISTS");

  auto cont = parse_response("+ Ready for literal data");
  ASSERT_TRUE(cont.ok());
  EXPECT_EQ(cont->kind, ResponseKind::Continuation);
  EXPECT_EQ(cont->text, "Ready for literal data");

  auto search = parse_response("* SEARCH 2 84 882");
  ASSERT_TRUE(search.ok());
  EXPECT_EQ(search_results(*search), (std::vector<std::uint32_t>{2, 84, 882}));

  auto caps = parse_response("* CAPABILITY IMAP4rev1 STARTTLS literal-");
  ASSERT_TRUE(caps.ok());
  EXPECT_EQ(capabilities(*caps), (std::vector<std::string>{"IMAP4REV1", "STARTTLS", "LITERAL-"}));

  auto list = parse_response("* LIST (\\HasNoChildren) \"/\" \"My Folder\"");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->data.size(), 3u);
  EXPECT_EQ(list->data[0].items[0].text, "\\HasNoChildren");
  EXPECT_EQ(list->data[2].text, "My Folder");

  EXPECT_FALSE(parse_response("").ok());
  EXPECT_FALSE(parse_response("A1 MAYBE fine").ok());                   // not a status
  EXPECT_FALSE(parse_response("* 1 FETCH (FLAGS ())) ").ok());          // unbalanced
  EXPECT_FALSE(parse_response("* 1 FETCH (BODY[] {10}\r\nabc)").ok());  // short literal
}

TEST(ResponseParser, FetchWithLiteralsAndSections) {
  auto r = parse_response(
      "* 12 FETCH (UID 7 FLAGS (\\Seen $Work) RFC822.SIZE 44 INTERNALDATE "
      "\"02-Sep-2024 09:01:00 +0000\" BODY[HEADER.FIELDS (SUBJECT FROM)] {5}\r\nab\r\nc "
      "ENVELOPE (NIL \"x\" NIL NIL NIL NIL NIL NIL NIL NIL))");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  const auto f = fetch_data(*r);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->seq, 12u);
  EXPECT_EQ(f->uid, 7u);
  EXPECT_EQ(*f->flags, (std::vector<std::string>{"\\Seen", "$Work"}));
  EXPECT_EQ(f->size, 44u);
  EXPECT_EQ(f->internal_date, "02-Sep-2024 09:01:00 +0000");
  EXPECT_EQ(f->items.at("BODY[HEADER.FIELDS (SUBJECT FROM)]").text, "ab\r\nc");
  EXPECT_EQ(f->items.at("ENVELOPE").items[1].text, "x");
  EXPECT_EQ(f->items.at("ENVELOPE").items[0].type, Value::Type::Nil);
}

TEST(ResponseReader, FramesAcrossLiteralsInAnyChunking) {
  const std::string stream =
      "* 1 FETCH (BODY[] {7}\r\nab\r\ncd\n)\r\n"
      "A1 OK done\r\n";
  for (std::size_t chunk : {std::string::npos, std::size_t{1}, std::size_t{4}}) {
    ResponseReader reader;
    std::vector<std::string> framed;
    std::string_view rest = stream;
    while (!rest.empty()) {
      std::string_view piece = rest.substr(0, chunk);
      rest.remove_prefix(piece.size());
      while (!piece.empty()) {
        const auto step = reader.feed(piece);
        piece.remove_prefix(step.consumed);
        if (step.status != ResponseReader::Status::Complete) break;
        framed.push_back(reader.take());
      }
    }
    EXPECT_EQ(framed,
              (std::vector<std::string>{"* 1 FETCH (BODY[] {7}\r\nab\r\ncd\n)", "A1 OK done"}))
        << chunk;
  }
  ResponseReader small(16);
  EXPECT_EQ(small.feed(std::string(17, 'x')).status, ResponseReader::Status::Bad);
}

// What a simulated mail user agent does: STARTTLS, LOGIN, SELECT, look for new mail, fetch it
// without marking it, then mark it seen, and LOGOUT.
TEST(ClientSession, MailUserAgentDialogue) {
  const std::string expected =
      "S: * OK [CAPABILITY IMAP4rev1 SASL-IR LITERAL- ENABLE IDLE UNSELECT UIDPLUS MOVE "
      "CHILDREN SPECIAL-USE STARTTLS LOGINDISABLED] imap.example.com MailScope IMAP4rev1 ready\n"
      "C: A007 STARTTLS\n"
      "S: A007 OK Begin TLS negotiation now\n"
      "S: <TLS>\n"
      "C: <TLS>\n"
      "C: A008 CAPABILITY\n"
      "S: * CAPABILITY IMAP4rev1 SASL-IR LITERAL- ENABLE IDLE UNSELECT UIDPLUS MOVE CHILDREN "
      "SPECIAL-USE AUTH=PLAIN\n"
      "S: A008 OK CAPABILITY completed\n"
      "C: A001 LOGIN alice s3cret\n"
      "S: A001 OK [CAPABILITY IMAP4rev1 SASL-IR LITERAL- ENABLE IDLE UNSELECT UIDPLUS MOVE "
      "CHILDREN SPECIAL-USE] Logged in\n"
      "C: A002 SELECT INBOX\n"
      "S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\n"
      "S: * 3 EXISTS\n"
      "S: * 3 RECENT\n"
      "S: * OK [UNSEEN 1] First unseen\n"
      "S: * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags "
      "permitted\n"
      "S: * OK [UIDVALIDITY 1] UIDs valid\n"
      "S: * OK [UIDNEXT 4] Predicted next UID\n"
      "S: A002 OK [READ-WRITE] SELECT completed\n"
      "C: A003 UID SEARCH UNSEEN\n"
      "S: * SEARCH 1 2 3\n"
      "S: A003 OK UID SEARCH completed\n"
      "C: A004 UID FETCH 1 (FLAGS BODY.PEEK[])\n"
      "S: * 1 FETCH (UID 1 FLAGS (\\Recent) BODY[] {158}\n"
      "S: From: Alice <alice@example.com>\n"
      "S: To: bob@example.org\n"
      "S: Subject: Lunch\n"
      "S: Date: Mon, 02 Sep 2024 08:00:00 +0000\n"
      "S: Message-ID: <1@example.com>\n"
      "S: \n"
      "S: See you at noon.\n"
      "S: )\n"
      "S: A004 OK UID FETCH completed\n"
      "C: A005 UID STORE 1 +FLAGS.SILENT (\\Seen)\n"
      "S: A005 OK UID STORE completed\n"
      "C: A006 LOGOUT\n"
      "S: * BYE Logging out\n"
      "S: A006 OK LOGOUT completed\n";
  for (Chunking chunking : {Chunking::Whole, Chunking::ByteAtATime}) {
    auto store = make_store();
    FakePolicy policy;
    ImapServerSession server(starttls_config(), policy, *store, 0);
    ImapClientConfig config;
    config.starttls = StartTlsPolicy::Required;
    ImapClientSession client(config, 0);
    std::vector<Response> untagged;
    client.set_untagged_handler([&](const Response& r) { untagged.push_back(r); });
    client.login("alice", "s3cret");
    client.select("INBOX");
    client.search("UNSEEN", UidMode::Uid);
    client.fetch("1", "(FLAGS BODY.PEEK[])", UidMode::Uid);
    client.store("1", mail::FlagOp::Add, {"\\Seen"}, StoreReply::Silent, UidMode::Uid);
    client.logout();
    const Dialogue d = run_dialogue(server, client, chunking);
    EXPECT_EQ(d.transcript, expected);
    EXPECT_TRUE(client.finished());
    EXPECT_TRUE(client.tls_active());
    EXPECT_TRUE(d.server_closed);
    EXPECT_EQ(client.exists(), 3u);
    EXPECT_EQ(client.uid_validity(), 1u);
    EXPECT_EQ(client.uid_next(), 4u);

    // The fetched message arrives whole through the untagged handler.
    std::optional<FetchData> fetched;
    for (const Response& r : untagged) {
      if (auto f = fetch_data(r)) fetched = f;
    }
    ASSERT_TRUE(fetched.has_value());
    EXPECT_EQ(fetched->uid, 1u);
    EXPECT_EQ(fetched->items.at("BODY[]").text, kLunch);

    // Every command completed OK, and the session finished cleanly.
    ImapOutput all;
    all.actions = d.client_actions;
    for (const CommandCompleted& c : all.all<CommandCompleted>()) {
      EXPECT_EQ(c.status, Status::Ok) << c.verb;
    }
    const auto finished = all.all<SessionFinished>();
    ASSERT_EQ(finished.size(), 1u);
    EXPECT_EQ(finished[0].outcome, SessionOutcome::Completed);
    const auto sent = all.all<CommandSent>();
    ASSERT_FALSE(sent.empty());
    EXPECT_EQ(sent[2].text, "A001 LOGIN alice s3cret");
    EXPECT_EQ(sent[2].sensitivity, Sensitivity::Secret);

    // The server stored \Seen.
    auto info = store->message("alice", "INBOX", 1);
    ASSERT_TRUE(info.ok());
    EXPECT_TRUE(info->flags.has(mail::SystemFlag::Seen));
  }
}

TEST(ClientSession, RequiredTlsThatIsNotOfferedFails) {
  auto store = make_store();
  FakePolicy policy;
  ImapServerConfig server_config = starttls_config();
  server_config.tls = TlsAvailability::None;
  server_config.allow_plaintext_auth = true;
  ImapServerSession server(server_config, policy, *store, 0);
  ImapClientConfig config;
  config.starttls = StartTlsPolicy::Required;
  ImapClientSession client(config, 0);
  client.login("alice", "s3cret");
  const Dialogue d = run_dialogue(server, client);
  EXPECT_EQ(d.transcript.find("LOGIN"), std::string::npos);  // the password never went out
  ImapOutput all;
  all.actions = d.client_actions;
  const auto finished = all.all<SessionFinished>();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].outcome, SessionOutcome::Failed);
  EXPECT_EQ(finished[0].reason, "the server does not offer STARTTLS");
}

TEST(ClientSession, AppendUsesTheRightKindOfLiteral) {
  auto store = make_store();
  FakePolicy policy;
  ImapServerSession server(implicit_tls_config(), policy, *store, 0);
  ImapClientConfig config;
  config.transport = ClientTransport::ImplicitTls;
  ImapClientSession client(config, 0);
  client.login("alice", "s3cret");
  client.append("Sent", "Subject: a\r\n\r\nshort\r\n", {"\\Seen"});
  const std::string big = "Subject: b\r\n\r\n" + std::string(5000, 'x') + "\r\n";
  client.append("Sent", big);
  client.append("Nowhere", "x");
  client.logout();
  const Dialogue d = run_dialogue(server, client);
  // Small: LITERAL- lets it go without waiting. Big: the client waits for "+".
  EXPECT_NE(d.transcript.find("C: A002 APPEND Sent (\\Seen) {21+}\n"), std::string::npos);
  EXPECT_NE(d.transcript.find("C: A003 APPEND Sent {5016}\nS: + Ready for literal data\n"),
            std::string::npos);
  ImapOutput all;
  all.actions = d.client_actions;
  const auto done = all.all<CommandCompleted>();
  ASSERT_EQ(done.size(), 5u);
  EXPECT_EQ(done[1].code, "APPENDUID");
  EXPECT_EQ(done[1].code_args, "2 1");
  EXPECT_EQ(done[2].code_args, "2 2");
  EXPECT_EQ(done[3].status, Status::No);
  EXPECT_EQ(done[3].code, "TRYCREATE");
  auto status = store->status("alice", "Sent");
  EXPECT_EQ(status->messages, 2u);
}

TEST(ClientSession, IdleUntilNewMailThenDone) {
  auto store = make_store();
  FakePolicy policy;
  ImapServerSession server(implicit_tls_config(), policy, *store, 0);
  ImapClientConfig config;
  config.transport = ClientTransport::ImplicitTls;
  ImapClientSession client(config, 0);
  client.login("alice", "s3cret");
  client.select("INBOX");
  client.idle();
  Dialogue d = run_dialogue(server, client);
  EXPECT_EQ(client.state(), ClientState::Idle);
  EXPECT_EQ(client.deadline(), kTimeNever);  // no reply is due while idling
  // Mail arrives; the service calls on_store_changed() and passes the bytes on.
  (void)store->deliver("alice", kBobNote, kMinute);
  const std::string pushed = server.on_store_changed(kMinute).sent_bytes();
  EXPECT_EQ(pushed, "* 4 EXISTS\r\n* 4 RECENT\r\n");
  (void)client.on_bytes(kMinute, pushed);
  EXPECT_EQ(client.exists(), 4u);
  client.done();
  const ImapOutput out = client.flush(kMinute);
  EXPECT_EQ(out.sent_bytes(), "DONE\r\n");
  EXPECT_EQ(server.on_bytes(kMinute, out.sent_bytes()).sent_bytes(), "A003 OK IDLE terminated\r\n");
}

TEST(ClientSession, TimeoutAndLostConnection) {
  ImapClientSession client(ImapClientConfig{}, 0);
  EXPECT_EQ(client.deadline(), 5 * kMinute);
  EXPECT_TRUE(client.on_timeout(kMinute).actions.empty());
  const ImapOutput out = client.on_timeout(5 * kMinute);
  EXPECT_TRUE(out.closes());
  EXPECT_EQ(out.all<SessionFinished>()[0].outcome, SessionOutcome::TimedOut);

  ImapClientSession other(ImapClientConfig{}, 0);
  (void)other.on_bytes(0, std::string_view("* OK ready\r\n"));
  const ImapOutput lost = other.on_connection_lost(0);
  EXPECT_EQ(lost.all<SessionFinished>()[0].outcome, SessionOutcome::ConnectionLost);
}

TEST(ClientSession, ServerByeEndsTheSession) {
  ImapClientSession client(ImapClientConfig{}, 0);
  (void)client.on_bytes(0, std::string_view("* BYE Too busy\r\n"));
  EXPECT_TRUE(client.finished());
}

}  // namespace
}  // namespace mailscope::imap::testing
