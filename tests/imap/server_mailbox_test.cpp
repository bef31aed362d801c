// Mailbox commands: SELECT/EXAMINE, CREATE, DELETE, RENAME, LIST/LSUB, SUBSCRIBE, STATUS, APPEND
// with its literals, and the walls between users.

#include <gtest/gtest.h>

#include "imap/imap_test_util.h"

namespace mailscope::imap::testing {
namespace {

const std::string kSelectInbox =
    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
    "* 3 EXISTS\r\n"
    "* 3 RECENT\r\n"
    "* OK [UNSEEN 1] First unseen\r\n"
    "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags "
    "permitted\r\n"
    "* OK [UIDVALIDITY 1] UIDs valid\r\n"
    "* OK [UIDNEXT 4] Predicted next UID\r\n"
    "S1 OK [READ-WRITE] SELECT completed\r\n";

class Mailboxes : public ::testing::Test {
 protected:
  void SetUp() override { h.login(); }
  ServerHarness h;
};

TEST_F(Mailboxes, SelectReportsTheMailbox) {
  EXPECT_EQ(h.select(), kSelectInbox);
  EXPECT_EQ(h.session.state(), ServerState::Selected);
  EXPECT_EQ(h.session.exists(), 3u);
  // A second session does not see the messages as recent: the first one claimed them.
  ServerHarness other(implicit_tls_config(), &h.store);
  other.login();
  const std::string reply = other.select();
  EXPECT_NE(reply.find("* 0 RECENT\r\n"), std::string::npos);
}

TEST_F(Mailboxes, ExamineIsReadOnly) {
  // EXAMINE claims nothing: the messages stay recent for the next SELECT.
  EXPECT_EQ(h.send("b EXAMINE inbox\r\n"),
            "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
            "* 3 EXISTS\r\n"
            "* 3 RECENT\r\n"
            "* OK [UNSEEN 1] First unseen\r\n"
            "* OK [PERMANENTFLAGS ()] No permanent flags permitted\r\n"
            "* OK [UIDVALIDITY 1] UIDs valid\r\n"
            "* OK [UIDNEXT 4] Predicted next UID\r\n"
            "b OK [READ-ONLY] EXAMINE completed\r\n");
  EXPECT_TRUE(h.session.read_only());
  EXPECT_EQ(h.send("c STORE 1 +FLAGS (\\Seen)\r\n"), "c NO Mailbox is read-only\r\n");
  EXPECT_EQ(h.send("d EXPUNGE\r\n"), "d NO Mailbox is read-only\r\n");
  // A body fetch does not set \Seen in a read-only mailbox.
  EXPECT_EQ(h.send("e FETCH 1 (BODY[TEXT])\r\n"),
            "* 1 FETCH (BODY[TEXT] {18}\r\nSee you at noon.\r\n)\r\ne OK FETCH completed\r\n");
}

TEST_F(Mailboxes, FailedSelectLeavesNoMailboxSelected) {
  h.select();
  EXPECT_EQ(h.send("a SELECT Nowhere\r\n"), "a NO [NONEXISTENT] Mailbox doesn't exist\r\n");
  EXPECT_EQ(h.session.state(), ServerState::Authenticated);
  EXPECT_EQ(h.send("b FETCH 1 FLAGS\r\n"), "b BAD No mailbox selected\r\n");
}

TEST_F(Mailboxes, NamesThatEscapeAreRefused) {
  const std::string names[] = {"../bob/INBOX", "a/../../b", "/INBOX", "a//b", "x/*"};
  for (const std::string& name : names) {
    const std::string reply = h.send("a SELECT \"" + name + "\"\r\n");
    EXPECT_EQ(reply.substr(0, 13), "a NO [CANNOT]") << name << ": " << reply;
    EXPECT_EQ(h.send("b CREATE \"" + name + "\"\r\n").substr(0, 13), "b NO [CANNOT]") << name;
  }
}

TEST_F(Mailboxes, UsersSeeOnlyTheirOwnMail) {
  ServerHarness bob(implicit_tls_config(), &h.store);
  bob.login("bob");
  EXPECT_NE(bob.select().find("* 1 EXISTS\r\n"), std::string::npos);
  EXPECT_EQ(bob.send("a FETCH 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])\r\n"),
            "* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {25}\r\nSubject: For Bob only\r\n\r\n)\r\n"
            "a OK FETCH completed\r\n");
  EXPECT_EQ(bob.send("b STATUS ../alice/INBOX (MESSAGES)\r\n").substr(0, 13), "b NO [CANNOT]");
  // Alice's mailbox is untouched by bob's session.
  EXPECT_NE(h.select().find("* 3 EXISTS\r\n"), std::string::npos);
}

TEST_F(Mailboxes, CreateListDeleteRename) {
  EXPECT_EQ(h.send("a CREATE Projects/2024/\r\n"), "a OK CREATE completed\r\n");
  EXPECT_EQ(h.send("b CREATE Projects\r\n"), "b NO [ALREADYEXISTS] Mailbox already exists\r\n");
  EXPECT_EQ(h.send("c LIST \"\" *\r\n"),
            "* LIST (\\HasNoChildren) \"/\" INBOX\r\n"
            "* LIST (\\HasChildren) \"/\" Projects\r\n"
            "* LIST (\\HasNoChildren) \"/\" Projects/2024\r\n"
            "* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n"
            "* LIST (\\HasNoChildren \\Trash) \"/\" Trash\r\n"
            "c OK LIST completed\r\n");
  // "%" stops at the delimiter; a reference is joined with the pattern.
  EXPECT_EQ(h.send("d LIST \"\" %\r\n"),
            "* LIST (\\HasNoChildren) \"/\" INBOX\r\n"
            "* LIST (\\HasChildren) \"/\" Projects\r\n"
            "* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n"
            "* LIST (\\HasNoChildren \\Trash) \"/\" Trash\r\n"
            "d OK LIST completed\r\n");
  EXPECT_EQ(h.send("e LIST Projects %\r\n"),
            "* LIST (\\HasNoChildren) \"/\" Projects/2024\r\ne OK LIST completed\r\n");
  EXPECT_EQ(h.send("f LIST \"\" \"\"\r\n"),
            "* LIST (\\Noselect) \"/\" \"\"\r\nf OK LIST completed\r\n");
  EXPECT_EQ(h.send("g DELETE Projects\r\n"),
            "g NO [HASCHILDREN] Mailbox has inferior hierarchical names\r\n");
  EXPECT_EQ(h.send("h RENAME Projects Archive\r\n"), "h OK RENAME completed\r\n");
  EXPECT_EQ(h.send("i LIST \"\" Archive*\r\n"),
            "* LIST (\\HasChildren) \"/\" Archive\r\n"
            "* LIST (\\HasNoChildren) \"/\" Archive/2024\r\n"
            "i OK LIST completed\r\n");
  EXPECT_EQ(h.send("j DELETE Archive/2024\r\n"), "j OK DELETE completed\r\n");
  EXPECT_EQ(h.send("k DELETE INBOX\r\n"), "k NO [CANNOT] INBOX cannot be deleted\r\n");
  EXPECT_EQ(h.send("l DELETE Nowhere\r\n"), "l NO [NONEXISTENT] Mailbox doesn't exist\r\n");
  EXPECT_EQ(h.send("m RENAME Archive Sent\r\n"), "m NO [ALREADYEXISTS] Mailbox already exists\r\n");
  // A name with a space goes out as a quoted string.
  h.send("n CREATE \"My Folder\"\r\n");
  EXPECT_EQ(h.send("o LIST \"\" My*\r\n"),
            "* LIST (\\HasNoChildren) \"/\" \"My Folder\"\r\no OK LIST completed\r\n");
}

TEST_F(Mailboxes, SubscribeAndLsub) {
  // Trash is subscribed from the start (the store's default mailboxes are).
  EXPECT_EQ(h.send("a SUBSCRIBE Sent\r\n"), "a OK SUBSCRIBE completed\r\n");
  EXPECT_EQ(h.send("b SUBSCRIBE INBOX\r\n"), "b OK SUBSCRIBE completed\r\n");
  EXPECT_EQ(h.send("c LSUB \"\" *\r\n"),
            "* LSUB () \"/\" INBOX\r\n* LSUB () \"/\" Sent\r\n* LSUB () \"/\" Trash\r\nc OK LSUB "
            "completed\r\n");
  EXPECT_EQ(h.send("d UNSUBSCRIBE INBOX\r\n"), "d OK UNSUBSCRIBE completed\r\n");
  EXPECT_EQ(h.send("e LSUB \"\" *\r\n"),
            "* LSUB () \"/\" Sent\r\n* LSUB () \"/\" Trash\r\ne OK LSUB completed\r\n");
  EXPECT_EQ(h.send("f SUBSCRIBE Nowhere\r\n"), "f NO [NONEXISTENT] Mailbox doesn't exist\r\n");
}

TEST_F(Mailboxes, Status) {
  EXPECT_EQ(h.send("a STATUS INBOX (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)\r\n"),
            "* STATUS INBOX (MESSAGES 3 RECENT 3 UIDNEXT 4 UIDVALIDITY 1 UNSEEN 3)\r\n"
            "a OK STATUS completed\r\n");
  EXPECT_EQ(h.send("b STATUS Trash (MESSAGES)\r\n"),
            "* STATUS Trash (MESSAGES 0)\r\nb OK STATUS completed\r\n");
  EXPECT_EQ(h.send("c STATUS Nowhere (MESSAGES)\r\n"),
            "c NO [NONEXISTENT] Mailbox doesn't exist\r\n");
}

TEST_F(Mailboxes, AppendWithSynchronizingLiteral) {
  EXPECT_EQ(h.send("a APPEND Sent (\\Seen) \"05-Sep-2024 12:00:00 +0200\" {22}\r\n"),
            "+ Ready for literal data\r\n");
  EXPECT_EQ(h.send("Subject: sent\r\n\r\nHello"), "");  // the literal, split across reads
  EXPECT_EQ(h.send("\r\n"), "a OK [APPENDUID 2 1] APPEND completed\r\n");
  h.send("b EXAMINE Sent\r\n");
  EXPECT_EQ(h.send("c FETCH 1 (FLAGS INTERNALDATE RFC822.SIZE)\r\n"),
            "* 1 FETCH (FLAGS (\\Seen \\Recent) INTERNALDATE \"05-Sep-2024 10:00:00 +0000\" "
            "RFC822.SIZE 22)\r\nc OK FETCH completed\r\n");
}

TEST_F(Mailboxes, AppendWithNonSynchronizingLiteral) {
  // LITERAL-: no continuation up to 4096 octets.
  const std::string message = "Subject: x\r\n\r\n" + std::string(4096 - 14, 'a');
  EXPECT_EQ(h.send("a APPEND INBOX {4096+}\r\n" + message + "\r\n"),
            "a OK [APPENDUID 1 4] APPEND completed\r\n");
  // One octet more: BAD [TOOBIG], the octets are skipped and the next command is read.
  EXPECT_EQ(h.send("b APPEND INBOX {4097+}\r\n" + message + "a\r\nc NOOP\r\n"),
            "b BAD [TOOBIG] Literal too large\r\nc OK NOOP completed\r\n");
  // The same, arriving a byte at a time.
  EXPECT_EQ(h.send_bytewise("b APPEND INBOX {4097+}\r\n" + message + "a\r\nc NOOP\r\n"),
            "b BAD [TOOBIG] Literal too large\r\nc OK NOOP completed\r\n");
  EXPECT_EQ(h.send("d STATUS INBOX (MESSAGES)\r\n"),
            "* STATUS INBOX (MESSAGES 4)\r\nd OK STATUS completed\r\n");
}

TEST_F(Mailboxes, AppendRefusals) {
  EXPECT_EQ(h.send("a APPEND Nowhere {1+}\r\nx\r\n"), "a NO [TRYCREATE] Mailbox doesn't exist\r\n");
  EXPECT_EQ(h.send("b APPEND INBOX (\\Recent) {1+}\r\nx\r\n"),
            "b BAD Invalid flag: not a flag a client may set: \\Recent\r\n");
  (void)h.store.set_quota("alice", 10);
  EXPECT_EQ(h.send("c APPEND INBOX {20+}\r\n01234567890123456789\r\n"),
            "c NO [OVERQUOTA] Quota exceeded\r\n");
}

TEST(MailboxLimits, OversizedSynchronizingLiteralIsRefusedBeforeItIsSent) {
  ImapServerConfig config = implicit_tls_config();
  config.literal_max = 100;
  ServerHarness h(config);
  h.login();
  // The client waits for "+", gets NO [TOOBIG], and sends its next command.
  EXPECT_EQ(h.send("a APPEND INBOX {101}\r\n"), "a NO [TOOBIG] Literal too large\r\n");
  EXPECT_EQ(h.send("b NOOP\r\n"), "b OK NOOP completed\r\n");
}

TEST_F(Mailboxes, AppendToTheSelectedMailboxAnnouncesIt) {
  h.select();
  EXPECT_EQ(h.send("a APPEND INBOX {5+}\r\nhello\r\n"),
            "* 4 EXISTS\r\n* 4 RECENT\r\na OK [APPENDUID 1 4] APPEND completed\r\n");
  EXPECT_EQ(h.session.exists(), 4u);
}

TEST_F(Mailboxes, Enable) {
  EXPECT_EQ(h.send("a ENABLE CONDSTORE\r\n"), "* ENABLED\r\na OK ENABLE completed\r\n");
}

}  // namespace
}  // namespace mailscope::imap::testing
