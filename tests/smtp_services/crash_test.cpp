// Durability: a server that crashed after its 250 still delivers after restart, and a reply
// lost after the final dot (RFC 1047) makes the sender try again, which may deliver twice.

#include <gtest/gtest.h>

#include "mail_world.h"
#include "services/duplicate_mark.h"

namespace mailscope::services {
namespace {

using testing::contains;
using testing::events_of;
using testing::MailWorld;
using testing::WorldOptions;

// Runs the simulation one event at a time until `node` records an event of `kind`.
bool run_until_event(MailWorld& w, EventKind kind, const net::Host& node) {
  std::size_t seen = w.sim.trace().size();
  while (w.sim.step()) {
    const Trace& trace = w.sim.trace();
    for (; seen < trace.size(); ++seen) {
      const TraceEvent& e = trace.event(static_cast<EventId>(seen));
      if (e.kind == kind && e.node == node.id()) return true;
    }
  }
  return false;
}

TEST(Crash, ReceivingServerCrashesAfterItsReplyAndDeliversAfterRestart) {
  MailWorld w;
  auto result = w.submit({"bob@b.test"}, "Survivor");
  // mx1 queues the message and answers 250 in the same instant (the bytes are on the wire) ...
  ASSERT_TRUE(run_until_event(w, EventKind::MailQueued, *w.mx1_b));
  ASSERT_EQ(events_of(w.sim.trace(), EventKind::Response, w.mx1_b).back(),
            "250 2.0.0 Ok: queued as 0000000001\r\n");
  const TimeNs crash_time = w.sim.now();
  w.server_b1->crash();  // ... and dies before its delivery agent stored it in bob's mailbox.
  EXPECT_FALSE(w.server_b1->running());
  EXPECT_TRUE(w.inbox(w.storage_b1, "bob").empty());
  EXPECT_EQ(w.storage_b1.queue().size(), 1u) << "the queue is on disk";
  w.sim.schedule_at(crash_time + 1 * kMinute, [&] { w.server_b1->restart(); });
  w.sim.run();

  ASSERT_TRUE(result->accepted);
  // mail.a.test got its 250: for it the message is delivered, and it never sends it again.
  EXPECT_EQ(w.storage_a.queue().size(), 0u);
  EXPECT_TRUE(events_of(w.sim.trace(), EventKind::MailDeferred, w.mail_a).empty());
  // mx1 delivers from its queue once it is back; nothing lost, nothing doubled.
  const auto inbox = w.inbox(w.storage_b1, "bob");
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_GE(inbox[0].internal_date, crash_time + 1 * kMinute);
  EXPECT_TRUE(contains(*inbox[0].bytes, "Subject: Survivor"));
  EXPECT_EQ(w.storage_b1.queue().size(), 0u);
  const auto notes = events_of(w.sim.trace(), EventKind::Note, w.mx1_b);
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0], "mail server crashed: 1 sessions lost, 1 messages stay in the queue");
  EXPECT_EQ(notes[1], "mail server restarted; 1 messages in the queue");
  EXPECT_EQ(w.server_b1->restarts(), 1u);
}

TEST(Crash, SendingServerCrashesWithMessagesInItsQueue) {
  WorldOptions options;
  options.retry.first_retry_ns = 5 * kMinute;
  MailWorld w(1, options);
  w.server_b1->crash();  // nobody answers for b.test yet
  auto result = w.submit({"bob@b.test"}, "Patience");
  // mail.a.test accepted the message and is trying mx1 (whose SYNs go unanswered) when it dies.
  w.sim.run_until(10 * kSecond);
  ASSERT_TRUE(result->accepted);
  w.server_a->crash();
  w.sim.run_until(20 * kSecond);
  w.server_b1->restart();
  w.server_a->restart();  // the attempt that was in flight is due again at once
  w.sim.run();
  const auto inbox = w.inbox(w.storage_b1, "bob");
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_LT(inbox[0].internal_date, 21 * kSecond);
  EXPECT_EQ(w.storage_a.queue().size(), 0u);
}

// Found by the soak: an attempt covering two recipients finished one (here a local delivery)
// while the other waited on a server that did not answer; the sending server crashed before the
// attempt was recorded, so after the restart the finished recipient was pending again and got a
// second copy, a duplicate no lost reply explains. A recipient's delivery is recorded in the queue
// the moment it happens.
TEST(Crash, SenderCrashMidAttemptDoesNotDeliverFinishedRecipientsAgain) {
  WorldOptions options;
  options.retry.first_retry_ns = 5 * kMinute;
  MailWorld w(1, options);
  w.server_b1->crash();  // bob's server does not answer: the attempt waits on its SYNs
  auto result = w.submit({"carol@a.test", "bob@b.test"}, "Half done");
  w.sim.run_until(10 * kSecond);
  ASSERT_TRUE(result->accepted);
  ASSERT_EQ(w.inbox(w.storage_a, "carol").size(), 1u);  // local: stored at once
  ASSERT_EQ(w.storage_a.queue().size(), 1u);            // bob is still pending
  w.server_a->crash();  // the attempt dies before its end is recorded
  w.sim.run_until(20 * kSecond);
  w.server_b1->restart();
  w.server_a->restart();  // the attempt that was in flight is due again at once
  w.sim.run();
  EXPECT_EQ(w.inbox(w.storage_a, "carol").size(), 1u);
  EXPECT_EQ(w.inbox(w.storage_b1, "bob").size(), 1u);
  EXPECT_EQ(w.storage_a.queue().size(), 0u);
}

// Found by the soak: with every delivery slot busy (attempts waiting on a server that does not
// answer) and another entry due, the delivery agent woke up again at the same instant, found no
// free slot, and scheduled itself for that instant again, forever: virtual time stood still. A
// full agent now waits for an attempt to end.
TEST(Crash, FullDeliverySlotsDoNotStopTheClock) {
  WorldOptions options;
  options.retry.first_retry_ns = 5 * kMinute;
  options.adjust_a = [](MailServerOptions& o) { o.deliveries_max = 1; };
  MailWorld w(1, options);
  w.server_b1->crash();  // the one slot waits on SYNs to mx1 for a while
  auto first = w.submit({"bob@b.test"}, "One");
  auto second = w.submit({"bob@b.test"}, "Two");
  w.sim.schedule_at(2 * kMinute, [&] { w.server_b1->restart(); });
  const std::uint64_t ran = w.sim.run(2'000'000);
  ASSERT_LT(ran, 2'000'000u) << "the simulation never became idle; now=" << w.sim.now();
  ASSERT_TRUE(first->accepted);
  ASSERT_TRUE(second->accepted);
  EXPECT_EQ(w.inbox(w.storage_b1, "bob").size(), 2u);
  EXPECT_EQ(w.storage_a.queue().size(), 0u);
}

// Found by the soak: the sending server itself crashed while its final dot waited for the reply.
// The attempt died unrecorded, the retry after the restart delivered a second copy, and nothing
// in the trace said that this was the RFC 1047 window. The crash now notes it on the session.
TEST(Crash, SenderCrashInTheWindowIsNotedAndTheSecondCopyMarked) {
  WorldOptions options;
  options.retry.first_retry_ns = 5 * kMinute;
  MailWorld w(1, options);
  auto result = w.submit({"bob@b.test"}, "Window");
  // mx1 queues the message and sends its 250; mail.a.test dies before the reply arrives.
  ASSERT_TRUE(run_until_event(w, EventKind::MailQueued, *w.mx1_b));
  w.server_a->crash();
  w.sim.schedule_after(1 * kMinute, [&] { w.server_a->restart(); });
  w.sim.run();
  ASSERT_TRUE(result->accepted);

  const Trace& trace = w.sim.trace();
  std::vector<FlowId> window_flows;
  for (const TraceEvent& e : trace.events()) {
    if (e.node == w.mail_a->id() && e.kind == EventKind::Note &&
        trace.text(e).starts_with("RFC 1047: the sending server stopped after the final dot"))
      window_flows.push_back(e.flow);
  }
  ASSERT_EQ(window_flows.size(), 1u);
  EXPECT_NE(window_flows[0], kNoFlow);  // on the session, so a view can show which message
  const auto inbox = w.inbox(w.storage_b1, "bob");
  ASSERT_EQ(inbox.size(), 2u);
  std::size_t marks = 0;
  for (const std::string& note : events_of(trace, EventKind::Note, w.mx1_b))
    marks += parse_duplicate_mark(note).has_value();
  EXPECT_EQ(marks, 1u);
  EXPECT_EQ(w.storage_a.queue().size(), 0u);
}

// Found by the soak: the sending server got its 250, sent QUIT and crashed before the reply to
// QUIT; the attempt was only recorded when the session ended, so after the restart the message
// went out again. The 250 is now recorded in the queue the moment it arrives.
TEST(Crash, SenderCrashAfterThe250ButBeforeQuitEndsSendsNothingAgain) {
  WorldOptions options;
  options.retry.first_retry_ns = 5 * kMinute;
  MailWorld w(1, options);
  auto result = w.submit({"bob@b.test"}, "Once");
  bool quit_sent = false;
  while (!quit_sent && run_until_event(w, EventKind::Request, *w.mail_a)) {
    const auto requests = events_of(w.sim.trace(), EventKind::Request, w.mail_a);
    quit_sent = requests.back() == "QUIT\r\n";
  }
  ASSERT_TRUE(quit_sent);
  w.server_a->crash();  // the 221 is still on its way
  w.sim.schedule_after(1 * kMinute, [&] { w.server_a->restart(); });
  w.sim.run();
  ASSERT_TRUE(result->accepted);
  EXPECT_EQ(w.inbox(w.storage_b1, "bob").size(), 1u);
  EXPECT_EQ(w.storage_a.queue().size(), 0u);
}

TEST(Crash, LostReplyAfterTheFinalDotIsTheRfc1047DuplicateWindow) {
  WorldOptions options;
  options.retry.first_retry_ns = 5 * kMinute;
  MailWorld w(1, options);
  auto result = w.submit({"bob@b.test"}, "Twice?");
  // mx1 takes the message; then the WAN fails, so its 250 never reaches mail.a.test.
  ASSERT_TRUE(run_until_event(w, EventKind::MailQueued, *w.mx1_b));
  w.topology.wan->set_up(false);
  w.sim.schedule_after(4 * kMinute, [&] { w.topology.wan->set_up(true); });
  w.sim.run();
  ASSERT_TRUE(result->accepted);

  const Trace& trace = w.sim.trace();
  bool noted = false;
  for (const TraceEvent& e : trace.events()) {
    noted |= e.node == w.mail_a->id() && e.kind == EventKind::Note &&
             std::string(trace.text(e))
                 .starts_with(
                     "RFC 1047: the connection was lost after the "
                     "final dot");
  }
  EXPECT_TRUE(noted);
  const auto deferred = events_of(trace, EventKind::MailDeferred, w.mail_a);
  ASSERT_EQ(deferred.size(), 1u);
  EXPECT_TRUE(contains(deferred[0], "(after the final dot: RFC 1047 duplicate window)"))
      << deferred[0];
  // The retry delivers the message again: bob has it twice. A lesson, not a bug.
  const auto inbox = w.inbox(w.storage_b1, "bob");
  ASSERT_EQ(inbox.size(), 2u);
  const std::string id = mail::Message::parse(*inbox[0].bytes).field("Message-ID")->value;
  EXPECT_EQ(mail::Message::parse(*inbox[1].bytes).field("Message-ID")->value, id);
  EXPECT_EQ(w.storage_a.queue().size(), 0u);
  // mx1 knows the Message-ID already and marks the second copy (duplicate_mark.h), once.
  std::vector<std::string> marks;
  for (const std::string& note : events_of(trace, EventKind::Note, w.mx1_b))
    if (parse_duplicate_mark(note)) marks.push_back(note);
  ASSERT_EQ(marks.size(), 1u);
  EXPECT_EQ(marks[0],
            "0000000002 to=<bob@b.test> duplicate: INBOX uid=" + std::to_string(inbox[1].uid) +
                " repeats Message-ID " + id + " of uid=" + std::to_string(inbox[0].uid));
}

}  // namespace
}  // namespace mailscope::services
