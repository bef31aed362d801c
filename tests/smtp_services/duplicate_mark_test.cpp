// The duplicate mark a delivering server writes for a Message-ID it has delivered to the same user
// before, and the duplicate database in MailServerStorage behind it.

#include <gtest/gtest.h>

#include "services/duplicate_mark.h"
#include "services/mail_server_storage.h"

namespace mailscope::services {
namespace {

TEST(DuplicateMark, FormatsAndParsesBack) {
  const DuplicateMark mark{"bob@b.test", 7, 5, "<20260101090000.1@mail.a.test>"};
  const std::string text = format_duplicate_mark(0x12, mark);
  EXPECT_EQ(text,
            "0000000012 to=<bob@b.test> duplicate: INBOX uid=7 repeats Message-ID "
            "<20260101090000.1@mail.a.test> of uid=5");
  const auto parsed = parse_duplicate_mark(text);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->recipient, mark.recipient);
  EXPECT_EQ(parsed->uid, 7u);
  EXPECT_EQ(parsed->first_uid, 5u);
  EXPECT_EQ(parsed->message_id, mark.message_id);
}

TEST(DuplicateMark, OtherNotesAreNotMarks) {
  const char* const cases[] = {
      "",
      "0000000001 delivered to bob@b.test INBOX uid=1 size=10",  // an ordinary delivery
      "0000000012 to=<bob@b.test> duplicate: INBOX uid=x repeats Message-ID <a@b> of uid=5",
      "0000000012 to=<bob@b.test> duplicate: INBOX uid=7 repeats Message-ID <a@b> of uid=",
      "0000000012 to=<bob@b.test> duplicate: INBOX uid=0 repeats Message-ID <a@b> of uid=5",  // 0
      "0000000012 to=<> duplicate: INBOX uid=7 repeats Message-ID <a@b> of uid=5",  // no address
  };
  for (const char* text : cases)
    EXPECT_FALSE(parse_duplicate_mark(text)) << text;
}

TEST(DuplicateMark, MessageIdIsReadFromTheHeaderOnly) {
  EXPECT_EQ(message_id_of("Subject: x\r\nMessage-ID:  <a@b>\r\n\r\nMessage-ID: <c@d>\r\n"),
            "<a@b>");
  EXPECT_EQ(message_id_of("Subject: x\r\n\r\nMessage-ID: <c@d>\r\n"), "");  // only in the body
  EXPECT_EQ(message_id_of("message-id: <e@f>\r\n\r\n"), "<e@f>");           // names ignore case
}

TEST(DuplicateDatabase, RemembersTheFirstUidPerUserAndId) {
  MailServerStorage storage;
  EXPECT_FALSE(storage.remember_delivery("bob", "<a@b>", 1));
  EXPECT_FALSE(storage.remember_delivery("carol", "<a@b>", 4));  // another user: not a duplicate
  EXPECT_EQ(storage.remember_delivery("Bob", "<a@b>", 2), 1u);   // user names ignore case
  EXPECT_EQ(storage.remember_delivery("bob", "<a@b>", 3), 1u);   // always the first copy
  EXPECT_FALSE(storage.remember_delivery("bob", "", 5));         // no id: nothing to compare
  EXPECT_FALSE(storage.remember_delivery("bob", "", 6));
}

}  // namespace
}  // namespace mailscope::services
