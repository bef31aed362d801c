// Commands on the selected mailbox: FETCH in its forms, STORE, SEARCH, COPY, MOVE, EXPUNGE,
// CLOSE, UNSELECT; and what one session learns of another's changes, IDLE included.

#include <gtest/gtest.h>

#include "imap/imap_test_util.h"

namespace mailscope::imap::testing {
namespace {

class Selected : public ::testing::Test {
 protected:
  void SetUp() override {
    h.login();
    h.select();
  }
  ServerHarness h;
};

const std::string kLunchEnvelope =
    "(\"Mon, 02 Sep 2024 08:00:00 +0000\" \"Lunch\" ((\"Alice\" NIL \"alice\" \"example.com\")) "
    "((\"Alice\" NIL \"alice\" \"example.com\")) ((\"Alice\" NIL \"alice\" \"example.com\")) "
    "((NIL NIL \"bob\" \"example.org\")) NIL NIL NIL \"<1@example.com>\")";

TEST_F(Selected, FetchAttributes) {
  EXPECT_EQ(h.send("a FETCH 1 (FLAGS UID INTERNALDATE RFC822.SIZE ENVELOPE)\r\n"),
            "* 1 FETCH (FLAGS (\\Recent) UID 1 INTERNALDATE \"02-Sep-2024 09:01:00 +0000\" "
            "RFC822.SIZE 158 ENVELOPE " +
                kLunchEnvelope + ")\r\na OK FETCH completed\r\n");
  // Groups, quoting and In-Reply-To in an ENVELOPE.
  EXPECT_EQ(h.send("b FETCH 3 ENVELOPE\r\n"),
            "* 3 FETCH (ENVELOPE (\"Tue, 03 Sep 2024 10:00:00 +0000\" \"Re: \\\"plans\\\"\" "
            "((\"Dave\" NIL \"dave\" \"example.org\")) ((\"Dave\" NIL \"dave\" \"example.org\")) "
            "((\"Dave\" NIL \"dave\" \"example.org\")) ((NIL NIL \"Team\" NIL)(NIL NIL \"alice\" "
            "\"example.com\")(\"Bob B.\" NIL \"bob\" \"example.org\")(NIL NIL NIL NIL)) ((NIL NIL "
            "\"eve\" \"example.net\")) NIL \"<0@example.org>\" NIL))\r\nb OK FETCH completed\r\n");
}

TEST_F(Selected, FetchBodyStructure) {
  EXPECT_EQ(
      h.send("a FETCH 2 (BODYSTRUCTURE BODY)\r\n"),
      "* 2 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" "
      "17 1 NIL NIL NIL NIL)(\"APPLICATION\" \"PDF\" (\"NAME\" \"q3.pdf\") NIL NIL "
      "\"BASE64\" 12 NIL (\"ATTACHMENT\" (\"FILENAME\" \"q3.pdf\")) NIL NIL) \"MIXED\" "
      "(\"BOUNDARY\" \"XX\") NIL NIL NIL) BODY ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") "
      "NIL NIL \"7BIT\" 17 1)(\"APPLICATION\" \"PDF\" (\"NAME\" \"q3.pdf\") NIL NIL "
      "\"BASE64\" 12) \"MIXED\"))\r\na OK FETCH completed\r\n");
  EXPECT_EQ(h.send("b FETCH 1 BODYSTRUCTURE\r\n"),
            "* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL "
            "\"7BIT\" 18 1 NIL NIL NIL NIL))\r\nb OK FETCH completed\r\n");
}

TEST_F(Selected, FetchSectionsAndPartials) {
  EXPECT_EQ(h.send("a FETCH 2 (BODY.PEEK[1] BODY.PEEK[2.MIME] BODY.PEEK[HEADER.FIELDS (subject "
                   "from)] BODY.PEEK[]<0.10> BODY.PEEK[TEXT]<400.100> BODY.PEEK[3])\r\n"),
            "* 2 FETCH (BODY[1] {17}\r\nFigures attached. BODY[2.MIME] {135}\r\n"
            "Content-Type: application/pdf; name=\"q3.pdf\"\r\n"
            "Content-Transfer-Encoding: base64\r\n"
            "Content-Disposition: attachment; filename=\"q3.pdf\"\r\n\r\n"
            " BODY[HEADER.FIELDS (SUBJECT FROM)] {62}\r\n"
            "From: Carol <carol@example.net>\r\nSubject: Quarterly report\r\n\r\n"
            " BODY[]<0> {10}\r\nFrom: Caro BODY[TEXT]<400> {0}\r\n BODY[3] {0}\r\n)\r\n"
            "a OK FETCH completed\r\n");
  EXPECT_EQ(h.send("b FETCH 1 (RFC822.HEADER RFC822.TEXT)\r\n"),
            "* 1 FETCH (RFC822.HEADER {140}\r\n"
            "From: Alice <alice@example.com>\r\nTo: bob@example.org\r\nSubject: Lunch\r\n"
            "Date: Mon, 02 Sep 2024 08:00:00 +0000\r\nMessage-ID: <1@example.com>\r\n\r\n"
            " RFC822.TEXT {18}\r\nSee you at noon.\r\n FLAGS (\\Seen \\Recent))\r\n"
            "b OK FETCH completed\r\n");
}

TEST_F(Selected, BodyFetchSetsSeenButPeekDoesNot) {
  EXPECT_EQ(h.send("a FETCH 1 (BODY.PEEK[TEXT])\r\n"),
            "* 1 FETCH (BODY[TEXT] {18}\r\nSee you at noon.\r\n)\r\na OK FETCH completed\r\n");
  EXPECT_EQ(h.send("b FETCH 1 FLAGS\r\n"),
            "* 1 FETCH (FLAGS (\\Recent))\r\nb OK FETCH completed\r\n");
  // Without PEEK the flag is set, and shown since FLAGS was not asked for.
  EXPECT_EQ(h.send("c UID FETCH 1 (BODY[TEXT])\r\n"),
            "* 1 FETCH (UID 1 BODY[TEXT] {18}\r\nSee you at noon.\r\n FLAGS (\\Seen \\Recent))\r\n"
            "c OK UID FETCH completed\r\n");
  // Already seen: no FLAGS added the second time.
  EXPECT_EQ(h.send("d FETCH 1 (RFC822)\r\n").substr(0, 26), "* 1 FETCH (RFC822 {158}\r\nF");
  EXPECT_EQ(h.last.sent_bytes().find("FLAGS"), std::string::npos);
}

TEST_F(Selected, FetchMacros) {
  EXPECT_EQ(h.send("a FETCH 1 FAST\r\n"),
            "* 1 FETCH (FLAGS (\\Recent) INTERNALDATE \"02-Sep-2024 09:01:00 +0000\" RFC822.SIZE "
            "158)\r\na OK FETCH completed\r\n");
  EXPECT_EQ(h.send("b FETCH 1 ALL\r\n"),
            "* 1 FETCH (FLAGS (\\Recent) INTERNALDATE \"02-Sep-2024 09:01:00 +0000\" RFC822.SIZE "
            "158 ENVELOPE " +
                kLunchEnvelope + ")\r\nb OK FETCH completed\r\n");
  const std::string full = h.send("c FETCH 1 FULL\r\n");
  EXPECT_NE(full.find(" BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 18 "
                      "1))\r\n"),
            std::string::npos)
      << full;
}

TEST_F(Selected, SequenceNumbersAndUids) {
  // Sequence numbers beyond the mailbox are an error; UIDs that do not exist are just absent.
  EXPECT_EQ(h.send("a FETCH 4 FLAGS\r\n"), "a BAD Invalid message sequence number\r\n");
  EXPECT_EQ(h.send("b UID FETCH 4:9 FLAGS\r\n"), "b OK UID FETCH completed\r\n");
  EXPECT_EQ(h.send("c FETCH 2:* UID\r\n"),
            "* 2 FETCH (UID 2)\r\n* 3 FETCH (UID 3)\r\nc OK FETCH completed\r\n");
  // "n:*" with n past the last UID still names the last message (RFC 3501 6.4.8).
  EXPECT_EQ(h.send("d UID FETCH 7:* FLAGS\r\n"),
            "* 3 FETCH (UID 3 FLAGS (\\Recent))\r\nd OK UID FETCH completed\r\n");
}

TEST_F(Selected, Store) {
  EXPECT_EQ(h.send("a STORE 1:2 +FLAGS (\\Flagged $Work)\r\n"),
            "* 1 FETCH (FLAGS (\\Flagged \\Recent $Work))\r\n"
            "* 2 FETCH (FLAGS (\\Flagged \\Recent $Work))\r\n"
            "a OK STORE completed\r\n");
  EXPECT_EQ(h.send("b STORE 1 -FLAGS ($Work)\r\n"),
            "* 1 FETCH (FLAGS (\\Flagged \\Recent))\r\nb OK STORE completed\r\n");
  EXPECT_EQ(h.send("c UID STORE 2 FLAGS (\\Seen)\r\n"),
            "* 2 FETCH (FLAGS (\\Seen \\Recent) UID 2)\r\nc OK UID STORE completed\r\n");
  EXPECT_EQ(h.send("d STORE 3 +FLAGS.SILENT (\\Answered)\r\n"), "d OK STORE completed\r\n");
  EXPECT_EQ(h.send("e FETCH 3 FLAGS\r\n"),
            "* 3 FETCH (FLAGS (\\Answered \\Recent))\r\ne OK FETCH completed\r\n");
  EXPECT_EQ(h.send("f STORE 1 +FLAGS (\\Recent)\r\n"),
            "f BAD Invalid flag: not a flag a client may set: \\Recent\r\n");
  EXPECT_EQ(h.send("g STORE 9 +FLAGS (\\Seen)\r\n"), "g BAD Invalid message sequence number\r\n");
}

TEST_F(Selected, Search) {
  h.send("a STORE 1 +FLAGS (\\Seen \\Flagged)\r\n");
  h.send("b STORE 3 +FLAGS (\\Deleted \\Answered)\r\n");
  struct Case {
    std::string criteria;
    std::string result;
  };
  const Case cases[] = {
      {"ALL", " 1 2 3"},
      {"SEEN", " 1"},
      {"UNSEEN", " 2 3"},
      {"FLAGGED", " 1"},
      {"UNFLAGGED", " 2 3"},
      {"DELETED", " 3"},
      {"UNDELETED", " 1 2"},
      {"ANSWERED", " 3"},
      {"UNANSWERED", " 1 2"},
      {"RECENT", " 1 2 3"},
      {"NEW", " 2 3"},  // recent and unseen
      {"OLD", ""},
      {"FROM alice", " 1"},
      {"FROM CAROL", " 2"},  // case-insensitive
      {"TO bob", " 1 3"},    // "Bob B." in a group
      {"CC eve", " 3"},
      {"SUBJECT \"report\"", " 2"},
      {"BODY noon", " 1"},
      {"BODY Lunch", ""},  // in the header, not the body
      {"TEXT Lunch", " 1"},
      {"HEADER In-Reply-To \"\"", " 3"},  // an empty string: the field exists
      {"HEADER Message-ID example.com", " 1"},
      {"SINCE 2-Sep-2024", " 1 2 3"},  // INTERNALDATE is 2 September for all
      {"BEFORE 2-Sep-2024", ""},
      {"ON 02-Sep-2024", " 1 2 3"},
      {"SENTSINCE 2-Sep-2024", " 1 3"},
      {"SENTBEFORE 2-Sep-2024", " 2"},  // 1 September 17:30 +0200
      {"SENTON 3-Sep-2024", " 3"},
      {"LARGER 200", " 2 3"},
      {"SMALLER 200", " 1"},
      {"2:3", " 2 3"},
      {"*", " 3"},
      {"UID 1,3", " 1 3"},
      {"NOT SEEN", " 2 3"},
      {"OR SEEN DELETED", " 1 3"},
      {"(UNSEEN UNDELETED)", " 2"},
      {"OR (FROM alice SEEN) (FROM dave)", " 1 3"},
      {"KEYWORD $Work", ""},
      {"UNKEYWORD $Work", " 1 2 3"},
      {"CHARSET UTF-8 FROM alice", " 1"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(h.send("s SEARCH " + c.criteria + "\r\n"),
              "* SEARCH" + c.result + "\r\ns OK SEARCH completed\r\n")
        << c.criteria;
  }
  EXPECT_EQ(h.send("e SEARCH CHARSET KOI8-R ALL\r\n"),
            "e NO [BADCHARSET (US-ASCII UTF-8)] Unsupported charset\r\n");
}

TEST_F(Selected, UidSearchAnswersUids) {
  h.send("a STORE 1 +FLAGS (\\Deleted)\r\n");
  h.send("b EXPUNGE\r\n");
  EXPECT_EQ(h.send("c SEARCH ALL\r\n"), "* SEARCH 1 2\r\nc OK SEARCH completed\r\n");
  EXPECT_EQ(h.send("d UID SEARCH ALL\r\n"), "* SEARCH 2 3\r\nd OK UID SEARCH completed\r\n");
}

TEST_F(Selected, ExpungeRenumbers) {
  h.send("a STORE 1:2 +FLAGS.SILENT (\\Deleted)\r\n");
  // Message 1 goes, then the old message 2 is number 1.
  EXPECT_EQ(h.send("b EXPUNGE\r\n"), "* 1 EXPUNGE\r\n* 1 EXPUNGE\r\nb OK EXPUNGE completed\r\n");
  EXPECT_EQ(h.session.exists(), 1u);
  EXPECT_EQ(h.send("c FETCH 1 UID\r\n"), "* 1 FETCH (UID 3)\r\nc OK FETCH completed\r\n");
}

TEST_F(Selected, UidExpungeOnlyTheGivenUids) {
  h.send("a STORE 1:3 +FLAGS.SILENT (\\Deleted)\r\n");
  EXPECT_EQ(h.send("b UID EXPUNGE 2:3\r\n"),
            "* 2 EXPUNGE\r\n* 2 EXPUNGE\r\nb OK UID EXPUNGE completed\r\n");
  EXPECT_EQ(h.send("c UID SEARCH DELETED\r\n"), "* SEARCH 1\r\nc OK UID SEARCH completed\r\n");
}

TEST_F(Selected, CloseExpungesSilentlyUnselectDoesNot) {
  h.send("a STORE 1 +FLAGS.SILENT (\\Deleted)\r\n");
  EXPECT_EQ(h.send("b UNSELECT\r\n"), "b OK UNSELECT completed\r\n");
  EXPECT_EQ(h.session.state(), ServerState::Authenticated);
  EXPECT_NE(h.select().find("* 3 EXISTS"), std::string::npos);
  EXPECT_EQ(h.send("c CLOSE\r\n"), "c OK CLOSE completed\r\n");
  EXPECT_NE(h.select().find("* 2 EXISTS"), std::string::npos);
}

TEST_F(Selected, CopyAndMove) {
  EXPECT_EQ(h.send("a COPY 1:2 Trash\r\n"), "a OK [COPYUID 3 1:2 1:2] COPY completed\r\n");
  EXPECT_EQ(h.send("b COPY 1 Nowhere\r\n"), "b NO [TRYCREATE] Mailbox doesn't exist\r\n");
  // Copying into the selected mailbox announces the copies.
  EXPECT_EQ(h.send("c UID COPY 3 INBOX\r\n"),
            "* 4 EXISTS\r\n* 4 RECENT\r\nc OK [COPYUID 1 3 4] UID COPY completed\r\n");
  EXPECT_EQ(h.send("d MOVE 2 Trash\r\n"),
            "* OK [COPYUID 3 2 3] Moved UIDs\r\n* 2 EXPUNGE\r\nd OK MOVE completed\r\n");
  EXPECT_EQ(h.send("e STATUS Trash (MESSAGES)\r\n"),
            "* STATUS Trash (MESSAGES 3)\r\ne OK STATUS completed\r\n");
  EXPECT_EQ(h.send("f UID MOVE 99 Trash\r\n"), "f OK UID MOVE completed\r\n");  // nothing to move
}

// Two sessions of one user on one mailbox.
class TwoSessions : public ::testing::Test {
 protected:
  void SetUp() override {
    a.login();
    a.select();
    b.login();
    b.select();
  }
  ServerHarness a;
  ServerHarness b{implicit_tls_config(), &a.store};
};

TEST_F(TwoSessions, FlagChangesAreReportedToTheOther) {
  a.send("x STORE 2 +FLAGS (\\Flagged)\r\n");
  EXPECT_GE(b.wakes, 1);  // the store woke b's owner
  EXPECT_EQ(b.send("y NOOP\r\n"), "* 2 FETCH (FLAGS (\\Flagged))\r\ny OK NOOP completed\r\n");
  EXPECT_EQ(b.send("z NOOP\r\n"), "z OK NOOP completed\r\n");  // reported once
}

TEST_F(TwoSessions, ExpungeWaitsUntilItMayBeSent) {
  a.send("x STORE 1 +FLAGS.SILENT (\\Deleted)\r\n");
  a.send("x EXPUNGE\r\n");
  // During FETCH, STORE and SEARCH no EXPUNGE may be sent (RFC 3501 7.4.1); numbering stays.
  EXPECT_EQ(b.send("y FETCH 1:3 UID\r\n"),
            "* 1 FETCH (UID 1 FLAGS (\\Deleted))\r\n* 2 FETCH (UID 2)\r\n* 3 FETCH (UID 3)\r\n"
            "y OK FETCH completed\r\n");
  EXPECT_EQ(b.send("y SEARCH ALL\r\n"), "* SEARCH 2 3\r\ny OK SEARCH completed\r\n");
  EXPECT_EQ(b.send("y STORE 3 +FLAGS (\\Seen)\r\n"),
            "* 3 FETCH (FLAGS (\\Seen))\r\ny OK STORE completed\r\n");
  EXPECT_EQ(b.session.exists(), 3u);
  // NOOP may send it.
  EXPECT_EQ(b.send("z NOOP\r\n"), "* 1 EXPUNGE\r\nz OK NOOP completed\r\n");
  EXPECT_EQ(b.session.exists(), 2u);
  // UID FETCH may send it at once.
  a.send("x STORE 1 +FLAGS.SILENT (\\Deleted)\r\n");
  a.send("x EXPUNGE\r\n");
  EXPECT_EQ(b.send("w UID FETCH 3 UID\r\n"),
            "* 1 EXPUNGE\r\n* 1 FETCH (UID 3)\r\nw OK UID FETCH completed\r\n");
}

TEST_F(TwoSessions, NewMailIsAnnouncedWithTheNextCommand) {
  (void)a.store.deliver("alice", kBobNote, 20 * kMinute);
  EXPECT_EQ(b.send("y NOOP\r\n"), "* 4 EXISTS\r\n* 0 RECENT\r\ny OK NOOP completed\r\n");
  // Session a selected first, so the arrival is recent for a only.
  EXPECT_EQ(a.send("y FETCH 4 (UID FLAGS)\r\n"),
            "* 4 EXISTS\r\n* 4 RECENT\r\n* 4 FETCH (UID 4 FLAGS (\\Recent))\r\n"
            "y OK FETCH completed\r\n");
}

TEST_F(TwoSessions, IdleReportsChangesAsTheyHappen) {
  EXPECT_EQ(b.send("i IDLE\r\n"), "+ idling\r\n");
  EXPECT_EQ(b.session.state(), ServerState::Idle);
  EXPECT_EQ(b.store_changed(), "");  // nothing yet
  (void)a.store.deliver("alice", kBobNote, 20 * kMinute);
  EXPECT_EQ(b.store_changed(), "* 4 EXISTS\r\n* 0 RECENT\r\n");
  a.send("x STORE 1 +FLAGS.SILENT (\\Deleted)\r\n");
  EXPECT_EQ(b.store_changed(), "* 1 FETCH (FLAGS (\\Deleted))\r\n");
  a.send("x EXPUNGE\r\n");
  EXPECT_EQ(b.store_changed(), "* 1 EXPUNGE\r\n");
  EXPECT_EQ(b.send("DONE\r\n"), "i OK IDLE terminated\r\n");
  EXPECT_EQ(b.session.state(), ServerState::Selected);
  EXPECT_EQ(b.session.exists(), 3u);
  // Anything but DONE ends the IDLE with BAD.
  b.send("j IDLE\r\n");
  EXPECT_EQ(b.send("NOOP\r\n"), "j BAD Expected DONE\r\n");
  EXPECT_EQ(b.session.state(), ServerState::Selected);
}

TEST_F(TwoSessions, DeletedMailboxIsClosed) {
  a.send("x CREATE Work\r\n");
  b.send("y SELECT Work\r\n");
  EXPECT_EQ(a.send("x DELETE Work\r\n"), "x OK DELETE completed\r\n");
  EXPECT_EQ(b.send("z NOOP\r\n"),
            "* OK [CLOSED] The selected mailbox was deleted or renamed\r\nz OK NOOP completed\r\n");
  EXPECT_EQ(b.session.state(), ServerState::Authenticated);
}

}  // namespace
}  // namespace mailscope::imap::testing
