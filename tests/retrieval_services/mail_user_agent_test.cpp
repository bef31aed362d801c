// The mail user agent end to end: alice@outlook.com submits across the WAN, bob fetches by IMAP
// and carol by POP3, and what they download is what alice sent plus the servers' trace fields.

#include <gtest/gtest.h>

#include "mail/message.h"
#include "retrieval_world.h"

namespace mailscope::services {
namespace {

using testing::RetrievalWorld;

// The message without the header fields that servers add on the way (RFC 5321 §4.4): every
// Received: and Return-Path: field, with its continuation lines.
std::string without_trace_fields(const std::string& message) {
  std::string out;
  std::size_t at = 0;
  bool skipping = false;
  bool in_header = true;
  while (at < message.size()) {
    std::size_t end = message.find("\r\n", at);
    end = end == std::string::npos ? message.size() : end + 2;
    const std::string_view line(message.data() + at, end - at);
    if (in_header) {
      if (line == "\r\n") {
        in_header = false;
        skipping = false;
      } else if (line[0] == ' ' || line[0] == '\t') {
        // a continuation line belongs to the field before it
      } else {
        skipping = line.starts_with("Received:") || line.starts_with("Return-Path:");
      }
    }
    if (!(in_header && skipping)) out.append(line);
    at = end;
  }
  return out;
}

TEST(WithoutTraceFields, DropsOnlyTraceFields) {
  EXPECT_EQ(without_trace_fields("Return-Path: <a@b>\r\nReceived: from x\r\n\tby y; date\r\n"
                                 "Subject: s\r\n\r\nReceived: in the body stays\r\n"),
            "Subject: s\r\n\r\nReceived: in the body stays\r\n");
}

TEST(UidSets, RunsBecomeRangesAndLongSetsAreCut) {
  const struct {
    std::vector<mail::Uid> uids;
    std::size_t chars_max;
    std::vector<std::string> sets;
    const char* why;
  } cases[] = {
      {{}, 100, {}, "nothing to name"},
      {{7}, 100, {"7"}, "one UID"},
      {{1, 2, 3, 5, 8, 9}, 100, {"1:3,5,8:9"}, "runs and singles"},
      {{1, 3, 5, 7}, 3, {"1,3", "5,7"}, "cut where the next range would not fit"},
      {{1000, 1001}, 3, {"1000:1001"}, "one range longer than the limit still goes alone"},
  };
  for (const auto& test : cases) {
    EXPECT_EQ(uid_sets(test.uids, test.chars_max), test.sets) << test.why;
  }
}

struct Delivered {
  std::string bob_sent;
  std::string carol_sent;
};

// Alice sends one message to bob and one to carol and waits until both are stored.
Delivered alice_sends_both(RetrievalWorld& w, MailUserAgent& alice) {
  Delivered d;
  d.bob_sent = RetrievalWorld::message("bob@gmail.com", "for-bob", "Hello Bob,\n.\nA dot line.\n");
  d.carol_sent = RetrievalWorld::message("carol@gmail.com", "for-carol", "Hello Carol.\n");
  int accepted = 0;
  for (const auto& [to, content] :
       {std::pair{"bob@gmail.com", d.bob_sent}, std::pair{"carol@gmail.com", d.carol_sent}}) {
    smtp::OutgoingMessage m;
    m.recipients = {to};
    m.content = content;
    alice.send(std::move(m), [&accepted](const SendOutcome& o) {
      EXPECT_TRUE(o.accepted) << o.detail;
      EXPECT_EQ(o.code, 250);
      ++accepted;
    });
  }
  EXPECT_TRUE(testing::run_until(w.sim, [&] {
    return accepted == 2 && w.inbox("bob").size() == 1 && w.inbox("carol").size() == 1;
  }));
  return d;
}

TEST(MailUserAgent, AliceToBobByImapAndCarolByPop3ByteForByte) {
  RetrievalWorld w;
  MailUserAgent alice(*w.context, *w.alice_pc, w.alice_options());
  const Delivered sent = alice_sends_both(w, alice);

  MailUserAgent bob(*w.context, *w.bob_pc,
                    w.gmail_options("bob", FetchProtocol::Imap, ConnectionSecurity::Implicit, 993));
  MailUserAgent carol(*w.context, *w.carol_pc,
                      w.gmail_options("carol", FetchProtocol::Pop3, ConnectionSecurity::Implicit,
                                      995, FetchMode::Delete));
  FetchOutcome bob_outcome, carol_outcome;
  bob.fetch([&](const FetchOutcome& o) { bob_outcome = o; });
  carol.fetch([&](const FetchOutcome& o) { carol_outcome = o; });
  ASSERT_TRUE(testing::run_until(w.sim, [&] { return !bob.fetching() && !carol.fetching(); }));

  EXPECT_TRUE(bob_outcome.ok) << bob_outcome.detail;
  EXPECT_EQ(bob_outcome.fetched, 1u);
  EXPECT_EQ(bob_outcome.detail, "downloaded 1 new message");
  ASSERT_EQ(bob.local_copies().size(), 1u);
  EXPECT_EQ(without_trace_fields(bob.local_copies()[0]), sent.bob_sent);
  // What bob has is exactly what the server stores (trace fields and all).
  EXPECT_EQ(bob.local_copies()[0], *w.inbox("bob")[0].bytes);
  EXPECT_TRUE(bob.local_copies()[0].starts_with("Return-Path: <alice@outlook.com>\r\nReceived: "));

  EXPECT_TRUE(carol_outcome.ok) << carol_outcome.detail;
  EXPECT_EQ(carol_outcome.fetched, 1u);
  EXPECT_EQ(carol_outcome.detail, "downloaded 1 new message; 1 message deleted");
  ASSERT_EQ(carol.local_copies().size(), 1u);
  EXPECT_EQ(without_trace_fields(carol.local_copies()[0]), sent.carol_sent);

  // IMAP keeps the message on the server, now \Seen; POP3 in Delete mode removed it.
  const auto bob_inbox = w.inbox("bob");
  ASSERT_EQ(bob_inbox.size(), 1u);
  EXPECT_TRUE(bob_inbox[0].flags.has(mail::SystemFlag::Seen));
  EXPECT_TRUE(w.inbox("carol").empty());

  // The MUAs narrate on their hosts.
  EXPECT_EQ(testing::events_of(w.sim.trace(), EventKind::Note, w.bob_pc),
            (std::vector<std::string>{"bob@gmail.com's client checks mail over IMAP (993, TLS)",
                                      "bob@gmail.com's client downloaded 1 new message"}));
  EXPECT_EQ(testing::events_of(w.sim.trace(), EventKind::Note, w.carol_pc),
            (std::vector<std::string>{
                "carol@gmail.com's client checks mail over POP3 (995, TLS), deleting what it "
                "downloads",
                "carol@gmail.com's client downloaded 1 new message; 1 message deleted"}));

  // A second check finds nothing new, over both protocols.
  bob.fetch([&](const FetchOutcome& o) { bob_outcome = o; });
  carol.fetch([&](const FetchOutcome& o) { carol_outcome = o; });
  ASSERT_TRUE(testing::run_until(w.sim, [&] { return !bob.fetching() && !carol.fetching(); }));
  EXPECT_TRUE(bob_outcome.ok);
  EXPECT_EQ(bob_outcome.fetched, 0u);
  EXPECT_EQ(bob_outcome.detail, "no new messages");
  EXPECT_TRUE(carol_outcome.ok);
  EXPECT_EQ(carol_outcome.fetched, 0u);
  EXPECT_EQ(bob.local_copies().size(), 1u);
}

TEST(MailUserAgent, ImapDialogueOfOneFetch) {
  RetrievalWorld w;
  w.deliver("bob", RetrievalWorld::message("bob@gmail.com", "m1", "one\n"));
  w.deliver("bob", RetrievalWorld::message("bob@gmail.com", "m2", "two\n"));
  MailUserAgent bob(*w.context, *w.bob_pc,
                    w.gmail_options("bob", FetchProtocol::Imap, ConnectionSecurity::StartTls, 143,
                                    FetchMode::Delete));
  FetchOutcome outcome;
  bob.fetch([&](const FetchOutcome& o) { outcome = o; });
  ASSERT_TRUE(testing::run_until(w.sim, [&] { return !bob.fetching(); }));
  EXPECT_TRUE(outcome.ok) << outcome.detail;
  EXPECT_EQ(outcome.fetched, 2u);
  EXPECT_TRUE(w.inbox("bob").empty());
  std::vector<std::string> lines = testing::dialogue(w.sim.trace(), "imap", *w.bob_pc, *w.gmail);
  // The FETCH responses carry whole messages; keep their first line only.
  for (std::string& line : lines) {
    const std::size_t end = line.find("\r\n");
    if (end != std::string::npos) line = line.substr(0, end) + " ...";
  }
  const std::vector<std::string> expected = {
      "S: * OK [CAPABILITY IMAP4rev1 SASL-IR LITERAL- ENABLE IDLE UNSELECT UIDPLUS MOVE CHILDREN "
      "SPECIAL-USE STARTTLS LOGINDISABLED] mail.gmail.com MailScope IMAP4rev1 ready",
      "C: A003 STARTTLS",
      "S: A003 OK Begin TLS negotiation now",
      "C: A004 CAPABILITY",
      "S: * CAPABILITY IMAP4rev1 SASL-IR LITERAL- ENABLE IDLE UNSELECT UIDPLUS MOVE CHILDREN "
      "SPECIAL-USE AUTH=PLAIN",
      "S: A004 OK CAPABILITY completed",
      "C: A001 LOGIN bob@gmail.com bob-pw",
      "S: A001 OK [CAPABILITY IMAP4rev1 SASL-IR LITERAL- ENABLE IDLE UNSELECT UIDPLUS MOVE "
      "CHILDREN SPECIAL-USE] Logged in",
      "C: A002 SELECT INBOX",
      "S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
      "S: * 2 EXISTS",
      "S: * 2 RECENT",
      "S: * OK [UNSEEN 1] First unseen",
      "S: * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags "
      "permitted",
      "S: * OK [UIDVALIDITY 1] UIDs valid",
      "S: * OK [UIDNEXT 3] Predicted next UID",
      "S: A002 OK [READ-WRITE] SELECT completed",
      "C: A005 UID SEARCH ALL",
      "S: * SEARCH 1 2",
      "S: A005 OK UID SEARCH completed",
      "C: A006 UID FETCH 1:2 (UID RFC822.SIZE BODY.PEEK[])",
      "S: * 1 FETCH (UID 1 RFC822.SIZE 240 BODY[] {240} ...",
      "S: * 2 FETCH (UID 2 RFC822.SIZE 240 BODY[] {240} ...",
      "S: A006 OK UID FETCH completed",
      "C: A007 UID STORE 1:2 +FLAGS.SILENT (\\Seen \\Deleted)",
      "S: A007 OK UID STORE completed",
      "C: A008 EXPUNGE",
      "S: * 1 EXPUNGE",
      "S: * 1 EXPUNGE",
      "S: A008 OK EXPUNGE completed",
      "C: A009 LOGOUT",
      "S: * BYE Logging out",
      "S: A009 OK LOGOUT completed",
  };
  EXPECT_EQ(lines, expected);
}

TEST(MailUserAgent, Pop3DialogueOfOneFetchWithStls) {
  RetrievalWorld w;
  w.deliver("carol", RetrievalWorld::message("carol@gmail.com", "m1", "one\n"));
  MailUserAgent carol(
      *w.context, *w.carol_pc,
      w.gmail_options("carol", FetchProtocol::Pop3, ConnectionSecurity::StartTls, 110));
  FetchOutcome outcome;
  carol.fetch([&](const FetchOutcome& o) { outcome = o; });
  ASSERT_TRUE(testing::run_until(w.sim, [&] { return !carol.fetching(); }));
  EXPECT_TRUE(outcome.ok) << outcome.detail;
  EXPECT_EQ(outcome.fetched, 1u);
  EXPECT_EQ(w.inbox("carol").size(), 1u) << "Keep mode leaves the message on the server";
  std::vector<std::string> lines = testing::dialogue(w.sim.trace(), "pop3", *w.carol_pc, *w.gmail);
  for (std::string& line : lines) {
    const std::size_t end = line.find("\r\n");
    if (end != std::string::npos) line = line.substr(0, end) + " ...";
  }
  const std::vector<std::string> expected = {
      "S: +OK mail.gmail.com POP3 server ready",
      "C: CAPA",
      "S: +OK Capability list follows ...",
      "C: STLS",
      "S: +OK Begin TLS negotiation",
      "C: CAPA",
      "S: +OK Capability list follows ...",
      "C: USER carol@gmail.com",
      "S: +OK send PASS",
      "C: PASS carol-pw",
      "S: +OK carol's maildrop has 1 message (242 octets)",
      "C: STAT",
      "S: +OK 1 242",
      "C: UIDL",
      "S: +OK unique-id listing follows ...",
      "C: RETR 1",
      "S: +OK 242 octets ...",
      "C: QUIT",
      "S: +OK mail.gmail.com POP3 server signing off (1 message left)",
  };
  EXPECT_EQ(lines, expected);
  // The password went inside TLS and is marked secret for views that mask it.
  bool pass_secret = false;
  const Trace& trace = w.sim.trace();
  for (const TraceEvent& e : trace.events()) {
    if (e.kind == EventKind::Request && e.node == w.carol_pc->id() &&
        testing::event_text(trace, e) == "PASS carol-pw\r\n") {
      pass_secret = (e.detail & kDetailSecret) != 0;
    }
  }
  EXPECT_TRUE(pass_secret);
}

TEST(MailUserAgent, RefusesAServerWhoseCertificateNamesAnotherHost) {
  RetrievalWorld w;
  MuaOptions options =
      w.gmail_options("bob", FetchProtocol::Imap, ConnectionSecurity::Implicit, 993);
  options.fetch.server_name = "imap.gmail.com";  // the certificate is for mail.gmail.com
  MailUserAgent bob(*w.context, *w.bob_pc, options);
  FetchOutcome outcome;
  outcome.ok = true;
  bob.fetch([&](const FetchOutcome& o) { outcome = o; });
  ASSERT_TRUE(testing::run_until(w.sim, [&] { return !bob.fetching(); }));
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.fetched, 0u);
  EXPECT_EQ(outcome.detail, "the server's certificate was refused: hostname mismatch");
}

TEST(MailUserAgent, WrongPasswordIsReported) {
  RetrievalWorld w;
  MuaOptions options =
      w.gmail_options("bob", FetchProtocol::Imap, ConnectionSecurity::Implicit, 993);
  options.account.password = "guess";
  MailUserAgent bob(*w.context, *w.bob_pc, options);
  FetchOutcome outcome;
  bob.fetch([&](const FetchOutcome& o) { outcome = o; });
  ASSERT_TRUE(testing::run_until(w.sim, [&] { return !bob.fetching(); }));
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.detail, "login refused: [AUTHENTICATIONFAILED] Authentication failed");
}

TEST(MailUserAgent, SendsStraightToAnMtaOnPort25WithoutAuth) {
  RetrievalWorld w;
  MuaOptions options = w.alice_options();
  // Alice's program talks to gmail's MX directly, as an MTA would: no TLS, no AUTH.
  options.send.server_name = "mail.gmail.com";
  options.send.server_address = w.gmail->address();
  options.send.port = 25;
  options.send.security = ConnectionSecurity::None;
  options.send.auth = false;
  MailUserAgent alice(*w.context, *w.alice_pc, options);
  smtp::OutgoingMessage m;
  m.recipients = {"bob@gmail.com"};
  m.content = RetrievalWorld::message("bob@gmail.com", "direct", "Hi\n");
  SendOutcome outcome;
  alice.send(std::move(m), [&](const SendOutcome& o) { outcome = o; });
  ASSERT_TRUE(testing::run_until(w.sim, [&] { return outcome.code != 0; }));
  EXPECT_EQ(w.inbox("bob").size(), 1u);
  EXPECT_TRUE(outcome.accepted) << outcome.detail;
  EXPECT_EQ(outcome.code, 250);
  // And to someone the MX does not serve: relay denied.
  smtp::OutgoingMessage other;
  other.recipients = {"someone@elsewhere.test"};
  other.content = RetrievalWorld::message("someone@elsewhere.test", "relay", "Hi\n");
  SendOutcome denied;
  denied.accepted = true;
  alice.send(std::move(other), [&](const SendOutcome& o) { denied = o; });
  ASSERT_TRUE(testing::run_until(w.sim, [&] { return denied.code != 0 || !denied.accepted; }));
  EXPECT_FALSE(denied.accepted);
  EXPECT_EQ(denied.code, 554);
  EXPECT_EQ(denied.detail, "554 5.7.1 <someone@elsewhere.test>: Relay access denied");
}

TEST(MailUserAgent, OneFetchAtATime) {
  RetrievalWorld w;
  MailUserAgent bob(*w.context, *w.bob_pc,
                    w.gmail_options("bob", FetchProtocol::Imap, ConnectionSecurity::Implicit, 993));
  FetchOutcome first, second;
  bob.fetch([&](const FetchOutcome& o) { first = o; });
  bob.fetch([&](const FetchOutcome& o) { second = o; });
  EXPECT_FALSE(second.ok);
  EXPECT_EQ(second.detail, "a fetch is already running");
  ASSERT_TRUE(testing::run_until(w.sim, [&] { return !bob.fetching(); }));
  EXPECT_TRUE(first.ok) << first.detail;
}

}  // namespace
}  // namespace mailscope::services
