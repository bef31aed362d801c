#include "mail/mail_queue.h"

#include <gtest/gtest.h>

#include "mail/message.h"

namespace mailscope::mail {
namespace {

const std::string kMessage = "From: alice@example.com\r\nSubject: s\r\n\r\nbody\r\n";

std::vector<std::string> rcpts(std::initializer_list<const char*> list) {
  return std::vector<std::string>(list.begin(), list.end());
}

RecipientResult result(const char* address, DeliveryStatus status, const char* reply) {
  return RecipientResult{address, status, reply, "mx.example.org"};
}

TEST(RetrySchedule, DefaultsFollowRfc5321) {
  const RetryOptions defaults;
  EXPECT_EQ(defaults.first_retry_ns, 30 * kMinute);
  EXPECT_EQ(defaults.give_up_after_ns, 5 * kDay);
  const TimeNs expected[] = {30 * kMinute, 1 * kHour, 2 * kHour, 4 * kHour, 4 * kHour};
  for (std::uint32_t n = 1; n <= 5; ++n)
    EXPECT_EQ(retry_delay(defaults, n), expected[n - 1]) << n;
  EXPECT_EQ(retry_delay(defaults, 1'000'000), 4 * kHour);  // no overflow for huge counts
  RetryOptions flat;
  flat.first_retry_ns = kMinute;
  flat.backoff_factor = 1;
  EXPECT_EQ(retry_delay(flat, 7), kMinute);
}

TEST(MailQueue, EnqueueValidatesAndMergesDuplicates) {
  MailQueueOptions options;
  options.entries_max = 2;
  options.recipients_max = 3;
  options.message_size_max = 100;
  MailQueue queue(options);
  auto first = queue.enqueue("alice@example.com",
                             rcpts({"bob@example.org", "bob@example.org", "carol@example.org"}),
                             kMessage, 10);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, 1u);
  const QueueEntry* entry = queue.find(*first);
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->recipients.size(), 2u);  // the duplicate was merged
  EXPECT_EQ(entry->arrival, 10);
  EXPECT_EQ(entry->next_attempt, 10);  // the first attempt is due at once
  EXPECT_EQ(*entry->message, kMessage);
  EXPECT_EQ(queue.bytes(), kMessage.size());
  EXPECT_FALSE(queue.enqueue("a@x", {}, kMessage, 0).ok());  // no recipients
  EXPECT_FALSE(queue.enqueue("a@x", rcpts({"1@x", "2@x", "3@x", "4@x"}), kMessage, 0).ok());
  EXPECT_FALSE(queue.enqueue("a@x", rcpts({"b@x"}), std::string(101, 'x'), 0).ok());
  EXPECT_EQ(*queue.enqueue("", rcpts({"b@x"}), kMessage, 0), 2u);
  EXPECT_FALSE(queue.enqueue("a@x", rcpts({"b@x"}), kMessage, 0).ok());  // queue full
  EXPECT_EQ(format_queue_id(10), "000000000A");
}

TEST(MailQueue, RetriesOnScheduleThenGivesUpWithABounce) {
  MailQueue queue;
  const QueueId id = *queue.enqueue("alice@example.com", rcpts({"bob@example.org"}), kMessage, 0);
  std::vector<TimeNs> attempt_times;
  for (TimeNs now = queue.next_wakeup(); !queue.due(now).empty(); now = queue.next_wakeup()) {
    ASSERT_EQ(queue.due(now), std::vector<QueueId>{id});
    ASSERT_TRUE(queue.begin_attempt(id, now).ok());
    EXPECT_TRUE(queue.due(now).empty());  // in flight: not due twice
    const RecipientResult deferred[] = {
        result("bob@example.org", DeliveryStatus::Deferred, "451 4.7.1 Try again later")};
    auto summary = queue.record_attempt(id, now, deferred);
    ASSERT_TRUE(summary.ok());
    EXPECT_FALSE(summary->finished);
    EXPECT_FALSE(summary->bounce.has_value());
    attempt_times.push_back(now);
  }
  // 0, 0:30, 1:30, 3:30, 7:30, then every 4 hours up to 119:30.
  ASSERT_EQ(attempt_times.size(), 33u);
  EXPECT_EQ(attempt_times[1], 30 * kMinute);
  EXPECT_EQ(attempt_times[2], 90 * kMinute);
  EXPECT_EQ(attempt_times[4], 7 * kHour + 30 * kMinute);
  EXPECT_EQ(attempt_times.back(), 119 * kHour + 30 * kMinute);
  EXPECT_EQ(queue.next_wakeup(), 5 * kDay);  // the next thing to do is to give up
  EXPECT_TRUE(queue.expire(5 * kDay - 1).empty());
  const auto bounces = queue.expire(5 * kDay);
  ASSERT_EQ(bounces.size(), 1u);
  EXPECT_EQ(bounces[0].reverse_path, "alice@example.com");
  ASSERT_EQ(bounces[0].recipients.size(), 1u);
  EXPECT_EQ(bounces[0].recipients[0].state, RecipientState::Expired);
  EXPECT_EQ(bounces[0].recipients[0].attempts, 33u);
  EXPECT_EQ(bounces[0].recipients[0].last_reply, "451 4.7.1 Try again later");
  EXPECT_EQ(queue.size(), 0u);
  EXPECT_EQ(queue.bytes(), 0u);
  EXPECT_EQ(queue.next_wakeup(), kTimeNever);
}

TEST(MailQueue, EachRecipientHasItsOwnStatus) {
  MailQueue queue;
  const QueueId id = *queue.enqueue(
      "alice@example.com", rcpts({"bob@example.org", "nobody@example.org", "carol@example.net"}),
      kMessage, 0);
  const RecipientResult first[] = {
      result("bob@example.org", DeliveryStatus::Delivered, "250 2.0.0 Ok"),
      result("nobody@example.org", DeliveryStatus::Failed, "550 5.1.1 User unknown"),
      result("carol@example.net", DeliveryStatus::Deferred, "421 4.4.2 Timeout"),
  };
  auto summary = queue.record_attempt(id, 0, first);
  ASSERT_TRUE(summary.ok());
  EXPECT_FALSE(summary->finished);
  EXPECT_EQ(summary->next_attempt, 30 * kMinute);
  ASSERT_TRUE(summary->bounce.has_value());  // the permanent failure is bounced at once
  ASSERT_EQ(summary->bounce->recipients.size(), 1u);
  EXPECT_EQ(summary->bounce->recipients[0].address, "nobody@example.org");
  const QueueEntry* entry = queue.find(id);
  EXPECT_EQ(entry->recipients[0].state, RecipientState::Delivered);
  EXPECT_EQ(entry->recipients[1].state, RecipientState::Failed);
  EXPECT_EQ(entry->recipients[2].state, RecipientState::Pending);
  EXPECT_EQ(entry->pending_count(), 1u);
  // The retry only concerns carol; a result for bob again is ignored.
  const RecipientResult second[] = {
      result("carol@example.net", DeliveryStatus::Delivered, "250 ok"),
      result("bob@example.org", DeliveryStatus::Failed, "550 late"),
  };
  summary = queue.record_attempt(id, 30 * kMinute, second);
  EXPECT_TRUE(summary->finished);
  EXPECT_FALSE(summary->bounce.has_value());
  EXPECT_EQ(queue.find(id), nullptr);
}

// A delivery is settled the moment it happens, so a crash before the attempt is recorded cannot
// make the recipient pending again (the soak found the duplicate this caused).
TEST(MailQueue, DeliveryRecordedBeforeTheAttemptEndsSurvivesACrash) {
  MailQueue queue;
  const QueueId id = *queue.enqueue("alice@example.com",
                                    rcpts({"bob@example.org", "carol@example.net"}), kMessage, 0);
  ASSERT_TRUE(queue.begin_attempt(id, 0).ok());
  const RecipientResult bob = result("bob@example.org", DeliveryStatus::Delivered, "250 2.0.0 Ok");
  EXPECT_TRUE(queue.record_delivered(id, 5, bob));
  EXPECT_FALSE(queue.record_delivered(id, 6, bob));  // already settled
  EXPECT_FALSE(queue.record_delivered(id, 6,
                                      result("carol@example.net", DeliveryStatus::Deferred,
                                             "421 later")));  // only deliveries
  EXPECT_FALSE(queue.record_delivered(99, 6, bob));           // no such entry
  const QueueEntry* entry = queue.find(id);
  EXPECT_EQ(entry->recipients[0].state, RecipientState::Delivered);
  EXPECT_EQ(entry->recipients[0].last_reply, "250 2.0.0 Ok");
  EXPECT_EQ(entry->pending_count(), 1u);
  // The service crashes before record_attempt(); after the restart only carol is left.
  queue.recover(60);
  ASSERT_EQ(queue.due(60), std::vector<QueueId>{id});
  entry = *queue.begin_attempt(id, 60);
  EXPECT_EQ(entry->recipients[0].state, RecipientState::Delivered);
  const RecipientResult carol[] = {result("carol@example.net", DeliveryStatus::Delivered, "250")};
  EXPECT_TRUE(queue.record_attempt(id, 61, carol)->finished);
}

TEST(MailQueue, BouncesAreNeverBounced) {
  MailQueue queue;
  const QueueId id = *queue.enqueue("", rcpts({"alice@example.com"}), kMessage, 0);
  const RecipientResult failed[] = {
      result("alice@example.com", DeliveryStatus::Failed, "550 5.1.1 gone")};
  auto summary = queue.record_attempt(id, 0, failed);
  EXPECT_TRUE(summary->finished);
  EXPECT_FALSE(summary->bounce.has_value());  // RFC 5321 4.5.5: null reverse path
}

TEST(MailQueue, ShortenedScheduleAndAttemptLimit) {
  MailQueueOptions options;
  options.retry.first_retry_ns = kMinute;
  options.retry.backoff_factor = 1;
  options.retry.give_up_after_ns = 10 * kMinute;
  options.retry.attempts_max = 3;
  MailQueue queue(options);
  const QueueId id = *queue.enqueue("a@x", rcpts({"b@y"}), kMessage, 0);
  const RecipientResult deferred[] = {result("b@y", DeliveryStatus::Deferred, "450 busy")};
  EXPECT_EQ(queue.record_attempt(id, 0, deferred)->next_attempt, kMinute);
  EXPECT_EQ(queue.record_attempt(id, kMinute, deferred)->next_attempt, 2 * kMinute);
  auto third = queue.record_attempt(id, 2 * kMinute, deferred);
  EXPECT_TRUE(third->finished);  // third attempt reached attempts_max
  ASSERT_TRUE(third->bounce.has_value());
  EXPECT_EQ(third->bounce->recipients[0].state, RecipientState::Expired);
}

TEST(MailQueue, AnAttemptAfterTheDeadlineExpiresAtOnce) {
  MailQueueOptions options;
  options.retry.give_up_after_ns = kHour;
  MailQueue queue(options);
  const QueueId id = *queue.enqueue("a@x", rcpts({"b@y"}), kMessage, 0);
  ASSERT_TRUE(queue.begin_attempt(id, 59 * kMinute).ok());
  EXPECT_TRUE(queue.expire(2 * kHour).empty());  // an attempt in flight is waited for
  const RecipientResult deferred[] = {result("b@y", DeliveryStatus::Deferred, "450 busy")};
  auto summary = queue.record_attempt(id, 2 * kHour, deferred);
  EXPECT_TRUE(summary->finished);
  EXPECT_TRUE(summary->bounce.has_value());
}

TEST(MailQueue, SurvivesARestart) {
  MailQueue queue;  // owned by the machine, not by the MTA service
  const QueueId id = *queue.enqueue("a@x", rcpts({"b@y"}), kMessage, 0);
  ASSERT_TRUE(queue.begin_attempt(id, 0).ok());
  EXPECT_FALSE(queue.begin_attempt(id, 0).ok());  // one attempt at a time
  // The service crashes mid-attempt; the new service instance recovers the queue.
  queue.recover(5 * kSecond);
  EXPECT_EQ(queue.due(5 * kSecond), std::vector<QueueId>{id});
  EXPECT_EQ(*queue.find(id)->message, kMessage);
  EXPECT_TRUE(queue.remove(id));
  EXPECT_FALSE(queue.remove(id));
  EXPECT_FALSE(queue.record_attempt(id, 0, {}).ok());
}

TEST(MailQueue, DueOrderIsByTimeThenId) {
  MailQueue queue;
  const QueueId a = *queue.enqueue("a@x", rcpts({"b@y"}), kMessage, 10);
  const QueueId b = *queue.enqueue("a@x", rcpts({"b@y"}), kMessage, 5);
  const QueueId c = *queue.enqueue("a@x", rcpts({"b@y"}), kMessage, 5);
  EXPECT_EQ(queue.due(10), (std::vector<QueueId>{b, c, a}));
  EXPECT_EQ(queue.due(7), (std::vector<QueueId>{b, c}));
  EXPECT_EQ(queue.next_wakeup(), 5);
}

std::string run_to_bounce() {
  MailQueueOptions options;
  options.retry.give_up_after_ns = kHour;
  MailQueue queue(options);
  const QueueId id =
      *queue.enqueue("alice@example.com", rcpts({"bob@example.org", "x@example.org"}), kMessage, 0);
  const RecipientResult results[] = {
      result("bob@example.org", DeliveryStatus::Deferred, "451 4.7.1 Greylisted"),
      result("x@example.org", DeliveryStatus::Deferred, "connection refused"),
  };
  (void)queue.record_attempt(id, 0, results);
  const auto bounces = queue.expire(kHour);
  EXPECT_EQ(bounces.size(), 1u);
  BounceContext context{"mta.example.com", MailClock{1725267600, 0}, kHour,
                        "<bounce@mta.example.com>", "=_b"};
  return build_bounce(bounces.at(0), context);
}

TEST(MailQueue, BounceForExpiredRecipients) {
  const Message bounce = Message::parse(run_to_bounce());
  EXPECT_TRUE(bounce.defects().empty());
  EXPECT_EQ(bounce.field("From")->value, "Mail Delivery System <MAILER-DAEMON@mta.example.com>");
  EXPECT_EQ(bounce.field("To")->value, "<alice@example.com>");
  EXPECT_EQ(bounce.field("Date")->value, "Mon, 02 Sep 2024 10:00:00 +0000");
  EXPECT_EQ(*bounce.section({{2}, SectionText::Full, {}}),
            "Reporting-MTA: dns; mta.example.com\r\n"
            "Arrival-Date: Mon, 02 Sep 2024 09:00:00 +0000\r\n"
            "\r\n"
            "Final-Recipient: rfc822; bob@example.org\r\n"
            "Action: failed\r\n"
            "Status: 4.7.1\r\n"
            "Remote-MTA: dns; mx.example.org\r\n"
            "Diagnostic-Code: smtp; 451 4.7.1 Greylisted\r\n"
            "Last-Attempt-Date: Mon, 02 Sep 2024 09:00:00 +0000\r\n"
            "\r\n"
            "Final-Recipient: rfc822; x@example.org\r\n"
            "Action: failed\r\n"
            "Status: 4.4.7\r\n"
            "Remote-MTA: dns; mx.example.org\r\n"
            "Diagnostic-Code: X-MailScope; connection refused\r\n"
            "Last-Attempt-Date: Mon, 02 Sep 2024 09:00:00 +0000\r\n");
}

TEST(MailQueue, Deterministic) {
  EXPECT_EQ(run_to_bounce(), run_to_bounce());
}

}  // namespace
}  // namespace mailscope::mail
